//! Credentials: how each security scheme is sent, and which of them an
//! operation sends (the first of its alternatives the client has all of).
//!
//! Every value is prepared once, at construction: header values are marked
//! sensitive (never in `Debug` or logs), and a value that cannot be sent
//! (a line break in a header) is refused then, without echoing it.

use std::sync::Arc;

use base64::Engine as _;
use reqwest::header::{HeaderName, HeaderValue};

use super::oauth2::TokenSource;
use super::{ConfigError, Secret};

/// How one credential is sent.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthScheme {
    /// The secret as the whole value of this header.
    ApiKeyHeader(&'static str),
    /// The secret as this query parameter.
    ApiKeyQuery(&'static str),
    /// The secret as this cookie.
    ApiKeyCookie(&'static str),
    /// `Authorization: Bearer <secret>`.
    Bearer,
    /// `Authorization: Basic <base64 of the secret>`, the secret being
    /// `user:password`.
    Basic,
    /// `Authorization: <scheme> <secret>`.
    Http(&'static str),
}

impl AuthScheme {
    /// What the credential is, for messages (never its value).
    fn describe(self) -> String {
        match self {
            AuthScheme::ApiKeyHeader(name) => format!("the `{name}` header"),
            AuthScheme::ApiKeyQuery(name) => format!("the `{name}` query parameter"),
            AuthScheme::ApiKeyCookie(name) => format!("the `{name}` cookie"),
            AuthScheme::Bearer => "a bearer token".into(),
            AuthScheme::Basic => "basic credentials".into(),
            AuthScheme::Http(scheme) => format!("`{scheme}` credentials"),
        }
    }
}

/// A credential ready to send.
#[derive(Clone)]
enum Prepared {
    Header(HeaderName, HeaderValue),
    Query(&'static str, Secret),
    /// `name=value`, sent in the `Cookie` header.
    Cookie(Secret),
    /// A bearer token fetched, and kept, by an OAuth2 flow.
    Token(Arc<TokenSource>),
}

/// The client's credentials, by the index the generated code gives each.
#[derive(Clone, Default)]
pub(super) struct Credentials {
    slots: Vec<(AuthScheme, Option<Prepared>)>,
}

/// What one request sends for authentication.
#[derive(Default)]
pub(super) struct Sent {
    pub headers: Vec<(HeaderName, HeaderValue)>,
    pub query: Vec<(&'static str, Secret)>,
    /// `name=value` pairs for the `Cookie` header.
    pub cookies: Vec<Secret>,
    /// Bearer tokens to get from their flows before sending.
    pub tokens: Vec<Arc<TokenSource>>,
}

impl Credentials {
    pub fn new(slots: Vec<(AuthScheme, Option<Secret>)>) -> Result<Self, ConfigError> {
        let slots = slots
            .into_iter()
            .map(|(scheme, secret)| {
                let prepared = secret.map(|secret| prepare(scheme, &secret)).transpose()?;
                Ok((scheme, prepared))
            })
            .collect::<Result<_, ConfigError>>()?;
        Ok(Credentials { slots })
    }

    /// Sets (or replaces) credential `index`.
    pub fn set(&mut self, index: usize, secret: Secret) -> Result<(), ConfigError> {
        let Some((scheme, slot)) = self.slots.get_mut(index) else {
            return Err(ConfigError::Credential {
                header: format!("credential #{index}"),
            });
        };
        *slot = Some(prepare(*scheme, &secret)?);
        Ok(())
    }

    /// Makes credential `index`, a bearer token, come from an OAuth2 flow.
    pub fn set_token_source(
        &mut self,
        index: usize,
        source: Arc<TokenSource>,
    ) -> Result<(), ConfigError> {
        match self.slots.get_mut(index) {
            Some((AuthScheme::Bearer, slot)) => {
                *slot = Some(Prepared::Token(source));
                Ok(())
            }
            _ => Err(ConfigError::Credential {
                header: format!("credential #{index} (not a bearer token)"),
            }),
        }
    }

    /// What the client holds, for `Debug`: each scheme, never a value.
    pub fn held(&self) -> Vec<String> {
        self.slots
            .iter()
            .filter_map(|(scheme, prepared)| match prepared {
                Some(Prepared::Token(source)) => Some(source.describe()),
                Some(_) => Some(scheme.describe()),
                None => None,
            })
            .collect()
    }

    /// The credentials to send for an operation with these `security`
    /// alternatives: the first non-empty alternative the client has all of,
    /// else nothing if an empty alternative (`{}`) allows it. An error names
    /// what is missing.
    pub fn for_operation(&self, security: &[&[usize]]) -> Result<Sent, String> {
        if security.is_empty() {
            return Ok(Sent::default());
        }
        let has_all = |alternative: &&[usize]| {
            alternative
                .iter()
                .all(|index| matches!(self.slots.get(*index), Some((_, Some(_)))))
        };
        let chosen = security
            .iter()
            .find(|alternative| !alternative.is_empty() && has_all(alternative))
            .or_else(|| security.iter().find(|alternative| alternative.is_empty()));
        let Some(chosen) = chosen else {
            let wanted: Vec<String> = security
                .iter()
                .map(|alternative| {
                    alternative
                        .iter()
                        .filter_map(|index| self.slots.get(*index))
                        .map(|(scheme, _)| scheme.describe())
                        .collect::<Vec<_>>()
                        .join(" and ")
                })
                .collect();
            return Err(format!(
                "this operation needs {}, which the client was not given",
                wanted.join(", or ")
            ));
        };
        let mut sent = Sent::default();
        for index in chosen.iter() {
            match self.slots.get(*index) {
                Some((_, Some(Prepared::Header(name, value)))) => {
                    sent.headers.push((name.clone(), value.clone()));
                }
                Some((_, Some(Prepared::Query(name, secret)))) => {
                    sent.query.push((name, secret.clone()));
                }
                Some((_, Some(Prepared::Cookie(pair)))) => sent.cookies.push(pair.clone()),
                Some((_, Some(Prepared::Token(source)))) => sent.tokens.push(source.clone()),
                _ => {}
            }
        }
        Ok(sent)
    }
}

fn prepare(scheme: AuthScheme, secret: &Secret) -> Result<Prepared, ConfigError> {
    let value = secret.expose_secret();
    let header = |name: &str, value: String| {
        let refuse = || ConfigError::Credential {
            header: name.to_string(),
        };
        let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| refuse())?;
        let mut header_value = HeaderValue::from_str(&value).map_err(|_| refuse())?;
        header_value.set_sensitive(true);
        Ok(Prepared::Header(header_name, header_value))
    };
    match scheme {
        AuthScheme::ApiKeyHeader(name) => header(name, value.to_string()),
        AuthScheme::Bearer => header("authorization", format!("Bearer {value}")),
        AuthScheme::Http(name) => header("authorization", format!("{name} {value}")),
        AuthScheme::Basic => {
            let encoded = base64::engine::general_purpose::STANDARD.encode(value);
            header("authorization", format!("Basic {encoded}"))
        }
        AuthScheme::ApiKeyQuery(name) => Ok(Prepared::Query(name, secret.clone())),
        AuthScheme::ApiKeyCookie(name) => {
            // A cookie value cannot carry `;`, `,`, whitespace or controls
            // (RFC 6265 cookie-octet); refused now rather than mangled.
            let valid = value
                .bytes()
                .all(|b| b.is_ascii_graphic() && !matches!(b, b'"' | b',' | b';' | b'\\'));
            if !valid {
                return Err(ConfigError::Credential {
                    header: "cookie".into(),
                });
            }
            Ok(Prepared::Cookie(Secret::new(format!("{name}={value}"))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credentials() -> Credentials {
        Credentials::new(vec![
            (
                AuthScheme::ApiKeyHeader("x-api-key"),
                Some(Secret::new("k")),
            ),
            (AuthScheme::ApiKeyQuery("key"), None),
            (AuthScheme::Basic, Some(Secret::new("ada:pw"))),
        ])
        .unwrap()
    }

    #[test]
    fn the_first_alternative_held_whole_is_sent() {
        let credentials = credentials();
        // The query key is not held: the second alternative is sent.
        let sent = credentials.for_operation(&[&[1], &[0, 2]]).unwrap();
        let headers: Vec<(&str, &str)> = sent
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.to_str().unwrap()))
            .collect();
        assert_eq!(
            headers,
            [("x-api-key", "k"), ("authorization", "Basic YWRhOnB3")]
        );
        assert!(sent.headers.iter().all(|(_, v)| v.is_sensitive()));
        // An empty alternative allows none at all.
        let sent = credentials.for_operation(&[&[1], &[]]).unwrap();
        assert!(sent.headers.is_empty() && sent.query.is_empty());
    }

    #[test]
    fn a_missing_credential_is_named_and_can_be_set_later() {
        let mut credentials = credentials();
        let error = credentials.for_operation(&[&[1]]).err().unwrap();
        assert_eq!(
            error,
            "this operation needs the `key` query parameter, which the client was not given"
        );
        credentials.set(1, Secret::new("q")).unwrap();
        let sent = credentials.for_operation(&[&[1]]).unwrap();
        assert_eq!(sent.query.len(), 1);
        assert_eq!(sent.query[0].1.expose_secret(), "q");
    }

    #[test]
    fn unsendable_values_are_refused_without_echoing_them() {
        for (scheme, secret) in [
            (AuthScheme::Bearer, "tok\nen"),
            (AuthScheme::ApiKeyCookie("session"), "a;b"),
        ] {
            let error = Credentials::new(vec![(scheme, Some(Secret::new(secret)))])
                .err()
                .unwrap();
            assert!(!error.to_string().contains(secret), "{error}");
        }
    }
}

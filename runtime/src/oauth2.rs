//! OAuth2 access tokens the client fetches itself (RFC 6749): the client
//! credentials grant (section 4.4) and the refresh token grant (section 6).
//!
//! A client given an [`OAuth2`] flow instead of a static token asks the
//! token endpoint for an access token when a call first needs one, keeps
//! it, and asks again shortly before it expires, or once when the API
//! answers a call with `401`. Calls made while a token is being fetched
//! wait for that one fetch rather than starting their own. The client
//! secret, the refresh token and the access token never appear in `Debug`,
//! errors or traces: they only leave as sensitive header values or in the
//! token request's body.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use serde::Deserialize;

use crate::{ConfigError, Secret};

/// How a client gets its OAuth2 access tokens. Generated clients build one
/// from the spec's flow (`with_client_credentials`); build your own for
/// other scopes or a confidential client's refresh token.
///
/// ```
/// # use agent_clients_runtime::OAuth2;
/// let flow = OAuth2::client_credentials("https://auth.example/token", "app-1", "s3cret")
///     .scopes(["calls:write"]);
/// let refreshing = OAuth2::refresh_token("https://auth.example/token", "app-1", "rt-1")
///     .client_secret("s3cret");
/// ```
#[derive(Clone)]
pub struct OAuth2 {
    token_url: String,
    client_id: String,
    client_secret: Option<Secret>,
    refresh_token: Option<Secret>,
    scopes: Vec<String>,
    secret_in_body: bool,
}

impl OAuth2 {
    /// The client credentials grant: the client's own id and secret buy
    /// each access token.
    pub fn client_credentials(
        token_url: &str,
        client_id: &str,
        client_secret: impl Into<Secret>,
    ) -> Self {
        OAuth2 {
            token_url: token_url.to_string(),
            client_id: client_id.to_string(),
            client_secret: Some(client_secret.into()),
            refresh_token: None,
            scopes: Vec::new(),
            secret_in_body: false,
        }
    }

    /// The refresh token grant: a refresh token obtained elsewhere (an
    /// authorization code flow) buys each access token. A refresh token
    /// the server sends back replaces it.
    pub fn refresh_token(
        token_url: &str,
        client_id: &str,
        refresh_token: impl Into<Secret>,
    ) -> Self {
        OAuth2 {
            token_url: token_url.to_string(),
            client_id: client_id.to_string(),
            client_secret: None,
            refresh_token: Some(refresh_token.into()),
            scopes: Vec::new(),
            secret_in_body: false,
        }
    }

    /// Authenticates the client to the token endpoint with this secret
    /// (a confidential client refreshing a token).
    pub fn client_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.client_secret = Some(secret.into());
        self
    }

    /// The scopes asked for, sent as `scope` (space-separated); none
    /// leaves them to the server.
    pub fn scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// Sends the client id and secret as form fields of the token request
    /// (`client_secret_post`) instead of in `Authorization: Basic`
    /// (`client_secret_basic`, which RFC 6749 section 2.3.1 says every
    /// server supports).
    pub fn credentials_in_body(mut self) -> Self {
        self.secret_in_body = true;
        self
    }
}

impl fmt::Debug for OAuth2 {
    /// Where and who, never a secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let grant = match self.refresh_token {
            Some(_) => "refresh_token",
            None => "client_credentials",
        };
        f.debug_struct("OAuth2")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("grant", &grant)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

/// Why no access token could be had. A call that needed one fails with
/// [`Error::Token`](crate::Error::Token) carrying it.
#[derive(Debug)]
#[non_exhaustive]
pub enum TokenError {
    /// The token endpoint refused, with an OAuth2 error (RFC 6749 section
    /// 5.2): `invalid_client`, `invalid_grant`, `invalid_scope`, ...
    Refused {
        status: StatusCode,
        /// The error code.
        error: String,
        /// The server's `error_description`, if any.
        description: Option<String>,
    },
    /// The token endpoint answered with a status that carries neither a
    /// token nor an OAuth2 error (a redirect is never followed: it would
    /// take the client secret elsewhere).
    Status(StatusCode),
    /// The answer is not a token response; says what is wrong, never
    /// quoting the body (it may hold a token).
    Malformed(String),
    /// The token is not a bearer token (`token_type`), the one kind the
    /// clients can send.
    UnsupportedTokenType(String),
    /// The token endpoint could not be reached.
    Transport(reqwest::Error),
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenError::Refused {
                status,
                error,
                description,
            } => {
                write!(f, "the token endpoint refused ({status}): `{error}`")?;
                match description {
                    Some(description) => write!(f, ", {description}"),
                    None => Ok(()),
                }
            }
            TokenError::Status(status) => {
                write!(f, "the token endpoint answered {status}, with no token")
            }
            TokenError::Malformed(why) => write!(f, "the token response is malformed: {why}"),
            TokenError::UnsupportedTokenType(kind) => {
                write!(
                    f,
                    "the token endpoint issued a `{kind}` token, not a bearer token"
                )
            }
            TokenError::Transport(error) => {
                write!(f, "the token endpoint could not be reached: {error}")
            }
        }
    }
}

impl std::error::Error for TokenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TokenError::Transport(error) => Some(error),
            _ => None,
        }
    }
}

/// A token endpoint's answer is small; more than this is not one.
const MAX_TOKEN_RESPONSE: usize = 64 * 1024;

/// The longest a token is renewed before it expires; a short-lived one is
/// renewed a tenth of its life early.
const RENEW_EARLY: Duration = Duration::from_secs(30);

/// A flow with its token cache, shared by every handle of one client.
pub(crate) struct TokenSource {
    flow: OAuth2,
    url: reqwest::Url,
    /// Held across a fetch: calls that need a token meanwhile wait for it.
    state: tokio::sync::Mutex<State>,
}

#[derive(Default)]
struct State {
    token: Option<Token>,
    /// The refresh token in use: the flow's, then the latest the server sent.
    refresh: Option<Secret>,
}

struct Token {
    /// `Bearer <access token>`, marked sensitive.
    header: HeaderValue,
    /// When to fetch a new one; `None`: the server gave no lifetime.
    renew_at: Option<Instant>,
}

/// The token endpoint's success answer (RFC 6749 section 5.1).
#[derive(Deserialize)]
struct Issued {
    access_token: String,
    token_type: String,
    /// A number by the RFC; some servers send it as a string.
    #[serde(default, deserialize_with = "lifetime")]
    expires_in: Option<u64>,
    refresh_token: Option<String>,
}

/// The token endpoint's error answer (RFC 6749 section 5.2).
#[derive(Deserialize)]
struct Refusal {
    error: String,
    error_description: Option<String>,
}

fn lifetime<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Seconds {
        Number(u64),
        Text(String),
    }
    Ok(match Option::<Seconds>::deserialize(deserializer)? {
        Some(Seconds::Number(seconds)) => Some(seconds),
        Some(Seconds::Text(text)) => text.trim().parse().ok(),
        None => None,
    })
}

impl TokenSource {
    /// The flow, its token URL resolved against the client's base URL (a
    /// spec may give it relative). The client secret only travels over
    /// `https`, or to this machine.
    pub(crate) fn new(flow: OAuth2, base_url: &str) -> Result<Arc<Self>, ConfigError> {
        let refuse = |reason: &str| ConfigError::TokenUrl {
            url: flow.token_url.clone(),
            reason: reason.to_string(),
        };
        let base = reqwest::Url::parse(&format!("{base_url}/"))
            .map_err(|error| refuse(&error.to_string()))?;
        let url = base
            .join(&flow.token_url)
            .map_err(|error| refuse(&error.to_string()))?;
        let loopback = match url.host_str() {
            Some("localhost") => true,
            Some(host) => host
                .trim_matches(['[', ']'])
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback()),
            None => false,
        };
        match url.scheme() {
            "https" => {}
            "http" if loopback => {}
            "http" => {
                return Err(refuse(
                    "credentials are only sent to a token endpoint over https",
                ));
            }
            _ => return Err(refuse("the scheme must be https")),
        }
        let state = State {
            token: None,
            refresh: flow.refresh_token.clone(),
        };
        Ok(Arc::new(TokenSource {
            flow,
            url,
            state: tokio::sync::Mutex::new(state),
        }))
    }

    /// Where tokens come from, for `Debug` (never a secret).
    pub(crate) fn describe(&self) -> String {
        format!("an OAuth2 token from {}", self.url)
    }

    /// The `Authorization` value to send: the kept token while it is
    /// fresh, else a new one.
    pub(crate) async fn authorization(
        &self,
        http: &reqwest::Client,
    ) -> Result<HeaderValue, TokenError> {
        let mut state = self.state.lock().await;
        if let Some(token) = &state.token
            && token.renew_at.is_none_or(|at| Instant::now() < at)
        {
            return Ok(token.header.clone());
        }
        let (token, refresh) = self.fetch(http, state.refresh.as_ref()).await?;
        let header = token.header.clone();
        state.token = Some(token);
        if refresh.is_some() {
            state.refresh = refresh;
        }
        Ok(header)
    }

    /// The API refused `used` (a `401`): it is dropped, so the next
    /// [`TokenSource::authorization`] fetches another, unless another call
    /// has already replaced it.
    pub(crate) async fn reject(&self, used: &HeaderValue) {
        let mut state = self.state.lock().await;
        if state
            .token
            .as_ref()
            .is_some_and(|token| token.header == *used)
        {
            state.token = None;
        }
    }

    /// The token request's form body, and its `Authorization` where the
    /// client authenticates by `Basic`. (Built apart from the sending: the
    /// form serializer is not `Send`, and must not live across an await.)
    fn token_request(&self, refresh: Option<&Secret>) -> (String, Option<HeaderValue>) {
        let flow = &self.flow;
        let mut form = form_urlencoded::Serializer::new(String::new());
        match refresh {
            Some(token) => form
                .append_pair("grant_type", "refresh_token")
                .append_pair("refresh_token", token.expose_secret()),
            None => form.append_pair("grant_type", "client_credentials"),
        };
        if !flow.scopes.is_empty() {
            form.append_pair("scope", &flow.scopes.join(" "));
        }
        let mut client_auth = None;
        match &flow.client_secret {
            Some(secret) if !flow.secret_in_body => {
                client_auth = Some(basic(&flow.client_id, secret));
            }
            Some(secret) => {
                form.append_pair("client_id", &flow.client_id)
                    .append_pair("client_secret", secret.expose_secret());
            }
            None => {
                form.append_pair("client_id", &flow.client_id);
            }
        }
        (form.finish(), client_auth)
    }

    /// One token request, by the refresh token where there is one.
    async fn fetch(
        &self,
        http: &reqwest::Client,
        refresh: Option<&Secret>,
    ) -> Result<(Token, Option<Secret>), TokenError> {
        let (body, client_auth) = self.token_request(refresh);
        let mut request = http
            .post(self.url.clone())
            .header(ACCEPT, "application/json")
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(value) = client_auth {
            request = request.header(AUTHORIZATION, value);
        }
        let response = request
            .body(body)
            .send()
            .await
            .map_err(TokenError::Transport)?;
        let status = response.status();
        let body = read_small(response).await?;
        if !status.is_success() {
            return Err(match serde_json::from_slice::<Refusal>(&body) {
                Ok(refusal) => TokenError::Refused {
                    status,
                    error: refusal.error,
                    description: refusal.error_description,
                },
                Err(_) => TokenError::Status(status),
            });
        }
        let issued: Issued = serde_json::from_slice(&body).map_err(|error| {
            // serde's message names the field, never the body's values.
            TokenError::Malformed(format!("not an OAuth2 token response ({error})"))
        })?;
        if !issued.token_type.eq_ignore_ascii_case("bearer") {
            return Err(TokenError::UnsupportedTokenType(issued.token_type));
        }
        let mut header = HeaderValue::from_str(&format!("Bearer {}", issued.access_token))
            .map_err(|_| TokenError::Malformed("the access token is not header text".into()))?;
        header.set_sensitive(true);
        let renew_at = issued.expires_in.map(|seconds| {
            let life = Duration::from_secs(seconds);
            Instant::now() + life - RENEW_EARLY.min(life / 10)
        });
        let token = Token { header, renew_at };
        Ok((token, issued.refresh_token.map(Secret::new)))
    }
}

/// `Basic` client authentication: id and secret each form-encoded first,
/// as RFC 6749 section 2.3.1 says.
fn basic(client_id: &str, secret: &Secret) -> HeaderValue {
    let encode = |text: &str| form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>();
    let pair = format!("{}:{}", encode(client_id), encode(secret.expose_secret()));
    let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
    let mut value =
        HeaderValue::from_str(&format!("Basic {encoded}")).expect("base64 is header text");
    value.set_sensitive(true);
    value
}

/// The token endpoint's body, at most [`MAX_TOKEN_RESPONSE`] bytes.
async fn read_small(mut response: reqwest::Response) -> Result<Vec<u8>, TokenError> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(TokenError::Transport)? {
        if body.len() + chunk.len() > MAX_TOKEN_RESPONSE {
            return Err(TokenError::Malformed(format!(
                "larger than {MAX_TOKEN_RESPONSE} bytes"
            )));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_secret_is_printed() {
        let flow = OAuth2::refresh_token("https://auth.example/token", "app", "rt-secret")
            .client_secret("cs-secret");
        let shown = format!("{flow:?}");
        assert!(!shown.contains("secret\""), "{shown}");
        assert!(!shown.contains("rt-secret") && !shown.contains("cs-secret"));
        assert!(shown.contains("refresh_token") && shown.contains("app"));
    }

    #[test]
    fn client_secrets_go_over_https_or_to_this_machine_only() {
        let flow = |url: &str| OAuth2::client_credentials(url, "app", "s");
        let base = "https://api.example/v1";
        assert!(TokenSource::new(flow("https://auth.example/token"), base).is_ok());
        assert!(TokenSource::new(flow("http://127.0.0.1:9/token"), base).is_ok());
        assert!(TokenSource::new(flow("http://localhost/token"), base).is_ok());
        let error = TokenSource::new(flow("http://auth.example/token"), base)
            .err()
            .unwrap();
        assert!(error.to_string().contains("https"), "{error}");
        // A relative token URL is the API's own.
        let source = TokenSource::new(flow("/oauth/token"), base).unwrap();
        assert_eq!(source.url.as_str(), "https://api.example/oauth/token");
        let source = TokenSource::new(flow("oauth/token"), base).unwrap();
        assert_eq!(source.url.as_str(), "https://api.example/v1/oauth/token");
    }

    #[test]
    fn basic_client_authentication_form_encodes_first() {
        let value = basic("app id", &Secret::new("p:w"));
        let encoded = value.to_str().unwrap().strip_prefix("Basic ").unwrap();
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap();
        assert_eq!(decoded, b"app+id:p%3Aw");
        assert!(value.is_sensitive());
    }
}

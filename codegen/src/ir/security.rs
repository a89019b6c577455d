//! Security schemes: which credentials a client takes, and which of them
//! each operation sends.
//!
//! Every scheme an operation can use becomes one credential of the client.
//! Those of the document's first `security` alternative (or, without one,
//! of the first alternative every secured operation shares) are
//! constructor arguments; the others are set with `with_*` methods. An
//! operation lists its alternatives (OpenAPI: any one suffices); the
//! runtime sends the first whose credentials the client has.
//!
//! | scheme | sent as |
//! |---|---|
//! | `apiKey` in `header` / `query` / `cookie` | that header, query parameter or cookie |
//! | `http` `bearer`, `oauth2`, `openIdConnect` | `Authorization: Bearer <token>` |
//! | `http` `basic` | `Authorization: Basic <base64 of "user:password">` |
//! | `http` with another token scheme | `Authorization: <Scheme> <credentials>` |
//!
//! An `oauth2` scheme whose flows include `clientCredentials` (or a
//! refresh: `authorizationCode`, `password`) can also have its tokens
//! fetched by the client itself ([`TokenFlows`]); such a credential is
//! never a constructor argument, since a caller gives either a token or a
//! flow.
//!
//! Refused: `http` `digest`, a challenge and response rather than a
//! credential sent up front. (3.1's `mutualTLS`, a client certificate, is
//! configured on the HTTP client: `ClientConfig::customize_http`.)

use heck::ToSnakeCase;
use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr, SecurityRequirement, SecurityScheme};

use crate::error::{Problem, pointer};
use crate::ir::names::is_rust_keyword;

/// How one security scheme is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    /// The scheme's key in `components.securitySchemes`.
    pub scheme: String,
    /// Constructor argument name, snake case.
    pub arg_name: String,
    pub kind: CredentialKind,
    pub description: Option<String>,
    /// A constructor argument; otherwise set with a `with_*` method.
    pub required: bool,
    /// The token flows of an `oauth2` scheme the client can run itself.
    pub flows: Option<TokenFlows>,
}

/// What an `oauth2` scheme's `flows` let the client do itself.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TokenFlows {
    /// `clientCredentials.tokenUrl`: tokens for the client's id and secret.
    pub client_credentials: Option<String>,
    /// Where a refresh token buys a token: the `refreshUrl`, else the
    /// `tokenUrl`, of the `authorizationCode` (else `password`) flow.
    pub refresh: Option<String>,
    /// The scopes the operations require of the scheme, in the order first
    /// met: what the client asks for.
    pub scopes: Vec<String>,
}

/// How a credential is sent (`kind` below maps the schemes onto these).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialKind {
    /// `apiKey` in a header: the value as it is.
    ApiKeyHeader { header: String },
    /// `apiKey` in the query.
    ApiKeyQuery { name: String },
    /// `apiKey` in a cookie.
    ApiKeyCookie { name: String },
    /// `Authorization: Bearer <token>` (`http` bearer, `oauth2`,
    /// `openIdConnect`).
    Bearer,
    /// `Authorization: Basic <base64 of user:password>`.
    Basic,
    /// `Authorization: <scheme> <credentials>`, another `http` scheme.
    Http { scheme: String },
}

/// The client's credentials, collected as operations name their schemes.
pub struct Credentials<'a> {
    spec: &'a OpenAPI,
    pub list: Vec<Credential>,
}

impl<'a> Credentials<'a> {
    pub fn new(spec: &'a OpenAPI) -> Self {
        Credentials {
            spec,
            list: Vec::new(),
        }
    }

    /// An operation's security alternatives, as indexes into [`Self::list`]:
    /// its own `security`, else the document's. An empty alternative (`{}`)
    /// means the operation may be called without credentials.
    pub fn of_operation(
        &mut self,
        security: Option<&Vec<SecurityRequirement>>,
        at: &str,
        problems: &mut Vec<Problem>,
    ) -> Vec<Vec<usize>> {
        let (requirements, requirements_at) = match security {
            Some(requirements) => (requirements.clone(), format!("{at}/security")),
            None => (
                self.spec.security.clone().unwrap_or_default(),
                "/security".to_string(),
            ),
        };
        let mut alternatives = Vec::new();
        for (n, requirement) in requirements.iter().enumerate() {
            let mut indexes = Vec::new();
            for (scheme_name, scopes) in requirement {
                let at = format!("{requirements_at}/{n}");
                if let Some(index) = self.index(scheme_name, &at, problems) {
                    indexes.push(index);
                    self.add_scopes(index, scopes);
                }
            }
            alternatives.push(indexes);
        }
        alternatives
    }

    /// Marks as required (constructor arguments) the credentials of the
    /// document's first alternative, or else of the first alternative every
    /// secured operation shares.
    pub fn mark_required(&mut self, operations: &[Vec<Vec<usize>>]) {
        let document_first = self
            .spec
            .security
            .as_ref()
            .and_then(|requirements| requirements.first());
        let required: Vec<usize> = match document_first {
            Some(first) => first
                .keys()
                .filter_map(|name| self.list.iter().position(|c| &c.scheme == name))
                .collect(),
            None => {
                let mut firsts = operations
                    .iter()
                    .filter_map(|alternatives| alternatives.first())
                    .filter(|first| !first.is_empty());
                match firsts.next() {
                    Some(first) if firsts.all(|other| other == first) => first.clone(),
                    _ => Vec::new(),
                }
            }
        };
        for index in required {
            let credential = &mut self.list[index];
            let fetchable = credential
                .flows
                .as_ref()
                .is_some_and(|flows| flows.client_credentials.is_some());
            credential.required = !fetchable;
        }
    }

    /// Records scopes an operation requires of credential `index`.
    fn add_scopes(&mut self, index: usize, scopes: &[String]) {
        if let Some(flows) = &mut self.list[index].flows {
            for scope in scopes {
                if !flows.scopes.contains(scope) {
                    flows.scopes.push(scope.clone());
                }
            }
        }
    }

    fn index(&mut self, scheme_name: &str, at: &str, problems: &mut Vec<Problem>) -> Option<usize> {
        if let Some(index) = self.list.iter().position(|c| c.scheme == scheme_name) {
            return Some(index);
        }
        let scheme_at = pointer(["components", "securitySchemes", scheme_name]);
        let scheme = self
            .spec
            .components
            .as_ref()
            .and_then(|c| c.security_schemes.get(scheme_name));
        let scheme = match scheme {
            Some(ReferenceOr::Item(scheme)) => scheme,
            Some(ReferenceOr::Reference { .. }) => {
                problems.push(problem(
                    &scheme_at,
                    "security scheme references are not supported",
                ));
                return None;
            }
            None => {
                problems.push(problem(
                    at,
                    &format!("security scheme `{scheme_name}` is not defined in components"),
                ));
                return None;
            }
        };
        let (kind, description) = match kind(scheme) {
            Ok(kind) => kind,
            Err(message) => {
                problems.push(problem(&scheme_at, &message));
                return None;
            }
        };
        let arg_name = self.arg_name(&kind, scheme_name);
        self.list.push(Credential {
            scheme: scheme_name.to_string(),
            arg_name,
            kind,
            description,
            required: false,
            flows: token_flows(scheme),
        });
        Some(self.list.len() - 1)
    }

    /// The argument name: after what is sent (`x_api_key`, `bearer_token`),
    /// else after the scheme where that is taken, never a collision.
    fn arg_name(&self, kind: &CredentialKind, scheme_name: &str) -> String {
        let by_kind = match kind {
            CredentialKind::ApiKeyHeader { header: name }
            | CredentialKind::ApiKeyQuery { name }
            | CredentialKind::ApiKeyCookie { name } => identifier(name),
            CredentialKind::Bearer => "bearer_token".to_string(),
            CredentialKind::Basic => "basic_credentials".to_string(),
            CredentialKind::Http { scheme } => format!("{}_credentials", identifier(scheme)),
        };
        let taken = |name: &str| self.list.iter().any(|c| c.arg_name == name);
        if !taken(&by_kind) {
            return by_kind;
        }
        let by_scheme = identifier(scheme_name);
        (1..)
            .map(|n| match n {
                1 => by_scheme.clone(),
                n => format!("{by_scheme}_{n}"),
            })
            .find(|name| !taken(name))
            .unwrap_or(by_scheme)
    }
}

/// How a scheme is sent, and its description.
fn kind(scheme: &SecurityScheme) -> Result<(CredentialKind, Option<String>), String> {
    Ok(match scheme {
        SecurityScheme::APIKey {
            location,
            name,
            description,
            ..
        } => {
            let name = name.clone();
            // Header and cookie names are HTTP tokens; a query name is
            // percent-encoded like any query parameter's.
            let kind = match location {
                APIKeyLocation::Header | APIKeyLocation::Cookie
                    if !crate::ir::names::is_http_token(&name) =>
                {
                    let place = if matches!(location, APIKeyLocation::Header) {
                        "header"
                    } else {
                        "cookie"
                    };
                    return Err(format!("`{name}` is not a valid HTTP {place} name"));
                }
                APIKeyLocation::Header => CredentialKind::ApiKeyHeader { header: name },
                APIKeyLocation::Query => CredentialKind::ApiKeyQuery { name },
                APIKeyLocation::Cookie => CredentialKind::ApiKeyCookie { name },
            };
            (kind, description.clone())
        }
        SecurityScheme::HTTP {
            scheme,
            description,
            ..
        } => {
            let kind = match scheme.to_ascii_lowercase().as_str() {
                "bearer" => CredentialKind::Bearer,
                "basic" => CredentialKind::Basic,
                "digest" => {
                    return Err(
                        "`http` `digest` authentication is a challenge and response, \
                                which the clients do not implement"
                            .into(),
                    );
                }
                other
                    if !other.is_empty()
                        && other
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b"-._~+".contains(&b)) =>
                {
                    CredentialKind::Http {
                        scheme: scheme.clone(),
                    }
                }
                _ => {
                    return Err(format!(
                        "`{scheme}` is not an HTTP authentication scheme name"
                    ));
                }
            };
            (kind, description.clone())
        }
        SecurityScheme::OAuth2 { description, .. }
        | SecurityScheme::OpenIDConnect { description, .. } => {
            (CredentialKind::Bearer, description.clone())
        }
    })
}

/// The flows of an `oauth2` scheme the client can run itself; `None` for
/// any other scheme.
fn token_flows(scheme: &SecurityScheme) -> Option<TokenFlows> {
    let SecurityScheme::OAuth2 { flows, .. } = scheme else {
        return None;
    };
    let refresh = flows
        .authorization_code
        .as_ref()
        .map(|flow| (&flow.refresh_url, &flow.token_url))
        .or_else(|| {
            flows
                .password
                .as_ref()
                .map(|flow| (&flow.refresh_url, &flow.token_url))
        })
        .map(|(refresh_url, token_url)| refresh_url.clone().unwrap_or_else(|| token_url.clone()));
    Some(TokenFlows {
        client_credentials: flows
            .client_credentials
            .as_ref()
            .map(|flow| flow.token_url.clone()),
        refresh,
        scopes: Vec::new(),
    })
}

/// A snake-case Rust identifier for a name from the spec.
fn identifier(name: &str) -> String {
    let name = name.to_snake_case();
    if name.is_empty() || is_rust_keyword(&name) || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("key_{name}")
    } else {
        name
    }
}

fn problem(at: &str, message: &str) -> Problem {
    Problem {
        pointer: at.to_string(),
        message: message.to_string(),
    }
}

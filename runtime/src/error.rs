//! The error of every generated call.

use std::fmt;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::redirect::RedirectRefused;
use super::response::{RawResponse, preview};

/// Why a call failed. `E` is the operation's enum of documented error bodies.
///
/// Every variant that saw a response keeps it whole (status, headers, raw
/// body), so nothing the server said is lost even when it could not be typed.
#[non_exhaustive]
pub enum Error<E> {
    /// Nothing was sent: a request value breaks a documented constraint or
    /// cannot be encoded.
    InvalidRequest(Box<InvalidRequest>),
    /// No response was received: connection failure or timeout, after every
    /// attempt the retry policy allowed.
    Transport {
        /// The last failure.
        source: reqwest::Error,
        /// Attempts made.
        attempts: u32,
    },
    /// The server answered with a documented error status; `body` is typed.
    Api {
        /// The documented error, typed (boxed: error bodies can be large,
        /// and the `Ok` path should not pay for them).
        body: Box<E>,
        /// The response it was read from.
        response: RawResponse,
    },
    /// The server answered with a status the spec does not document.
    UnexpectedStatus(RawResponse),
    /// The server redirected, and the redirect was not followed
    /// ([`RedirectPolicy`](super::RedirectPolicy) says which are). Nothing
    /// was sent after it; for a `301`, `302` or `303` to a request other
    /// than `GET` or `HEAD` this means the change was not carried out where
    /// it was sent.
    Redirect {
        /// The redirect response.
        response: RawResponse,
        /// Its `Location`, resolved against the request URL where it could
        /// be; `None` when it sent none.
        location: Option<String>,
        /// Why it was not followed.
        refused: RedirectRefused,
    },
    /// The response body exceeded `ClientConfig::max_response_bytes`; the
    /// rest was not read. `response` holds the status, headers and the part
    /// of the body that was read (empty when the declared length alone was
    /// too large).
    ResponseTooLarge {
        /// The response, its body cut at the limit.
        response: RawResponse,
        /// The limit that was exceeded, in bytes.
        limit: usize,
    },
    /// No OAuth2 access token could be had for the call; nothing was sent
    /// to the API.
    Token(crate::TokenError),
    /// The server answered with a documented status whose body does not
    /// match the documented schema (or is not JSON).
    Decode {
        /// The response that could not be decoded.
        response: RawResponse,
        /// Where and why decoding failed.
        source: serde_json::Error,
    },
}

/// A request rejected before sending, naming the field and the rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidRequest {
    /// The parameter or body field, as a dotted path (`body.name`).
    pub field: String,
    /// The rule it breaks (`maxLength 100`, `format uuid`, ...).
    pub rule: String,
    /// A sentence for people.
    pub message: String,
}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` breaks `{}`: {}",
            self.field, self.rule, self.message
        )
    }
}

impl std::error::Error for InvalidRequest {}

impl<E> From<InvalidRequest> for Error<E> {
    fn from(invalid: InvalidRequest) -> Self {
        Error::InvalidRequest(Box::new(invalid))
    }
}

impl<E> Error<E> {
    /// The response status, when there was a response.
    pub fn status(&self) -> Option<StatusCode> {
        self.response().map(RawResponse::status)
    }

    /// The response headers, when there was a response.
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.response().map(RawResponse::headers)
    }

    /// The raw response, when there was one.
    pub fn response(&self) -> Option<&RawResponse> {
        match self {
            Error::Api { response, .. }
            | Error::UnexpectedStatus(response)
            | Error::Redirect { response, .. }
            | Error::ResponseTooLarge { response, .. }
            | Error::Decode { response, .. } => Some(response),
            Error::InvalidRequest(_) | Error::Transport { .. } | Error::Token(_) => None,
        }
    }

    /// The documented error body, when the status was a documented one.
    pub fn api_error(&self) -> Option<&E> {
        match self {
            Error::Api { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The request id the server assigned, from a header or the body.
    pub fn request_id(&self) -> Option<String> {
        self.response().and_then(RawResponse::request_id)
    }

    pub(crate) fn invalid(
        field: impl Into<String>,
        rule: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Error::InvalidRequest(Box::new(InvalidRequest {
            field: field.into(),
            rule: rule.into(),
            message: message.into(),
        }))
    }
}

impl<E: fmt::Debug> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest(invalid) => {
                f.debug_tuple("InvalidRequest").field(invalid).finish()
            }
            Error::Transport { source, attempts } => f
                .debug_struct("Transport")
                .field("source", source)
                .field("attempts", attempts)
                .finish(),
            Error::Api { body, response } => f
                .debug_struct("Api")
                .field("body", body)
                .field("response", response)
                .finish(),
            Error::UnexpectedStatus(response) => {
                f.debug_tuple("UnexpectedStatus").field(response).finish()
            }
            Error::Redirect {
                response,
                location,
                refused,
            } => f
                .debug_struct("Redirect")
                .field("response", response)
                .field("location", location)
                .field("refused", refused)
                .finish(),
            Error::ResponseTooLarge { response, limit } => f
                .debug_struct("ResponseTooLarge")
                .field("response", response)
                .field("limit", limit)
                .finish(),
            Error::Token(error) => f.debug_tuple("Token").field(error).finish(),
            Error::Decode { response, source } => f
                .debug_struct("Decode")
                .field("response", response)
                .field("source", source)
                .finish(),
        }
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest(invalid) => write!(f, "invalid request, nothing sent: {invalid}"),
            Error::Transport { source, attempts } => {
                write!(f, "no response after {attempts} attempt(s): {source}")
            }
            Error::Api { body, response } => {
                write!(f, "the server answered {}: {body:?}", response.status())
            }
            Error::UnexpectedStatus(response) => write!(
                f,
                "the server answered with undocumented status {}: {}",
                response.status(),
                preview(response.body())
            ),
            Error::Redirect {
                response,
                location,
                refused,
            } => write!(
                f,
                "the server redirected ({}) to {}, not followed: {refused}",
                response.status(),
                location.as_deref().unwrap_or("no location"),
            ),
            Error::ResponseTooLarge { response, limit } => write!(
                f,
                "the {} response is larger than the {limit}-byte limit (ClientConfig::max_response_bytes); the rest was not read",
                response.status()
            ),
            Error::Token(error) => write!(f, "no access token, nothing sent: {error}"),
            Error::Decode { response, source } => write!(
                f,
                "the {} response does not match its documented schema ({source}): {}",
                response.status(),
                preview(response.body())
            ),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            Error::Decode { source, .. } => Some(source),
            Error::InvalidRequest(invalid) => Some(invalid.as_ref()),
            Error::Token(error) => Some(error),
            Error::Api { .. }
            | Error::UnexpectedStatus(_)
            | Error::Redirect { .. }
            | Error::ResponseTooLarge { .. } => None,
        }
    }
}

/// Why a client could not be constructed.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConfigError {
    /// The base URL does not parse or is not an `http`/`https` URL without
    /// query or fragment.
    BaseUrl {
        /// The URL as given.
        url: String,
        /// Why it was refused.
        reason: String,
    },
    /// A credential cannot be sent as an HTTP header value (for example it
    /// contains a line break). The credential itself is not included.
    Credential {
        /// The header it was meant for.
        header: String,
    },
    /// The underlying HTTP client could not be built.
    Http(reqwest::Error),
    /// TLS cannot be set up: no TLS feature is on for an `https://` base
    /// URL, or (`tls-ring`) the platform's certificate verifier is
    /// unavailable.
    Tls(String),
    /// A header of [`crate::CallOptions`] is not valid HTTP (its value is
    /// not included).
    InvalidHeader(String),
    /// An OAuth2 token URL does not parse, or would send the client secret
    /// in the clear (`http` to another machine).
    TokenUrl {
        /// The URL as given.
        url: String,
        /// Why it was refused.
        reason: String,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::BaseUrl { url, reason } => write!(f, "invalid base URL `{url}`: {reason}"),
            ConfigError::Credential { header } => write!(
                f,
                "the credential for the `{header}` header contains characters a header cannot carry"
            ),
            ConfigError::Http(error) => write!(f, "cannot build the HTTP client: {error}"),
            ConfigError::Tls(reason) => write!(f, "cannot configure TLS: {reason}"),
            ConfigError::InvalidHeader(reason) => write!(f, "invalid call option: {reason}"),
            ConfigError::TokenUrl { url, reason } => {
                write!(f, "invalid OAuth2 token URL `{url}`: {reason}")
            }
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConfigError::Http(error) => Some(error),
            _ => None,
        }
    }
}

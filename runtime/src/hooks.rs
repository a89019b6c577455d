//! Hooks: code of the caller's that sees every attempt of every call, for
//! metrics, logging, or signing requests.
//!
//! A hook sees a request as the operation built it, before credentials are
//! added: never an API key, a token, or the `Cookie` header, and a URL
//! without query keys. It may add headers, which are sent as credentials
//! are: on the attempt's request and on redirects to the same origin, never
//! to another. It cannot change where a request goes or which redirects are
//! followed.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};

use crate::ConfigError;

/// Sees each attempt of every call. Both methods do nothing by default.
///
/// ```
/// use agent_clients_runtime::{AttemptInfo, AttemptRequest, ClientConfig, Hook, Outcome};
/// use std::sync::atomic::{AtomicU64, Ordering};
///
/// #[derive(Default)]
/// struct Failures(AtomicU64);
///
/// impl Hook for Failures {
///     fn before(&self, request: &mut AttemptRequest<'_>) {
///         request.header("x-attempt", &request.info().attempt.to_string()).unwrap();
///     }
///     fn after(&self, _info: &AttemptInfo, outcome: Outcome<'_>) {
///         if !matches!(outcome, Outcome::Response { status, .. } if status.is_success()) {
///             self.0.fetch_add(1, Ordering::Relaxed);
///         }
///     }
/// }
///
/// let config = ClientConfig::default().hook(Failures::default());
/// ```
pub trait Hook: Send + Sync + 'static {
    /// Before the attempt is sent.
    fn before(&self, request: &mut AttemptRequest<'_>) {
        let _ = request;
    }

    /// Once the attempt has an answer (its status and headers, the body
    /// read or not) or has failed.
    fn after(&self, info: &AttemptInfo, outcome: Outcome<'_>) {
        let _ = (info, outcome);
    }
}

/// Which call and attempt a hook is seeing.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct AttemptInfo {
    /// The spec's operationId.
    pub operation_id: &'static str,
    pub method: Method,
    /// The path as templated in the spec (never the filled-in path).
    pub path_template: &'static str,
    /// 1 for the first attempt of a call.
    pub attempt: u32,
    /// From sending to the answer, in [`Hook::after`]; zero before.
    pub elapsed: Duration,
}

/// How an attempt ended.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum Outcome<'a> {
    /// The server answered (a redirect not followed included).
    Response {
        status: StatusCode,
        headers: &'a HeaderMap,
    },
    /// No answer: the connection failed, timed out, or broke mid-body.
    Failed(&'a reqwest::Error),
}

/// The request of one attempt, as a hook sees it (no credentials).
pub struct AttemptRequest<'a> {
    pub(crate) info: &'a AttemptInfo,
    /// Without query keys.
    pub(crate) url: &'a reqwest::Url,
    pub(crate) headers: &'a [(&'static str, HeaderValue)],
    pub(crate) body: Option<&'a [u8]>,
    pub(crate) added: Vec<(HeaderName, HeaderValue)>,
}

impl AttemptRequest<'_> {
    pub fn info(&self) -> &AttemptInfo {
        self.info
    }

    /// The URL, query parameters included, query keys not.
    pub fn url(&self) -> &reqwest::Url {
        self.url
    }

    /// The operation's header parameters (no credential, no `Accept`).
    pub fn headers(&self) -> impl Iterator<Item = (&str, &HeaderValue)> {
        self.headers.iter().map(|(name, value)| (*name, value))
    }

    /// The body, as sent, if there is one.
    pub fn body(&self) -> Option<&[u8]> {
        self.body
    }

    /// Adds header `name: value` to this attempt (a signature, a trace
    /// id). It is marked sensitive, and sent where credentials are: never
    /// to another origin. A name or value that is not valid HTTP is
    /// refused.
    pub fn header(&mut self, name: &str, value: &str) -> Result<(), ConfigError> {
        self.added
            .push(crate::options::sensitive_header(name, value)?);
        Ok(())
    }
}

/// The hooks of a client, in the order they were added.
#[derive(Clone, Default)]
pub struct Hooks(pub(crate) Vec<Arc<dyn Hook>>);

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hooks({})", self.0.len())
    }
}

impl Hooks {
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

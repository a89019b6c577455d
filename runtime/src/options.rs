//! Options for some calls only: `client.with_options(options)` is a handle
//! to the same client (the same connections and credentials) whose calls
//! use them. The client itself is unchanged, so a call made without the
//! handle is exactly as before, and a client that never uses options pays
//! nothing for them.

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};

use crate::{ConfigError, RetryPolicy};

/// What a call may change: its time limit, extra headers, its retry policy,
/// and an idempotency key.
///
/// ```
/// # use agent_clients_runtime::{CallOptions, RetryPolicy};
/// # use std::time::Duration;
/// let slow_render = CallOptions::new().timeout(Duration::from_secs(300));
/// let quick_check = CallOptions::new()
///     .timeout(Duration::from_secs(2))
///     .retry(RetryPolicy::disabled());
/// let traced = CallOptions::new().header("x-trace-id", "4bf92f35").unwrap();
/// ```
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) idempotency_key: Option<HeaderValue>,
}

/// The header an idempotency key is sent in (the IETF draft's name, which
/// Stripe and most APIs that take one use).
pub const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";

impl CallOptions {
    pub fn new() -> Self {
        CallOptions::default()
    }

    /// The time limit of each attempt, from sending to the last body byte,
    /// instead of the client's (`ClientConfig::timeout`).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sends header `name: value` too (after the operation's own headers;
    /// a header named like a credential goes only where credentials go). A
    /// name or value that is not valid HTTP is refused here.
    pub fn header(mut self, name: &str, value: &str) -> Result<Self, ConfigError> {
        self.headers.push(sensitive_header(name, value)?);
        Ok(self)
    }

    /// Retries as `policy` says instead of the client's policy
    /// (`RetryPolicy::disabled()`: one attempt only).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Sends `key` on every attempt of each call, and so retries the call
    /// as an idempotent one, whatever its method: the server applies a
    /// key's request once. It goes in the header the operation takes a key
    /// in (a declared `Idempotency-Key` parameter, or one its overlay
    /// names), unless that parameter is given; else in `Idempotency-Key`.
    /// Give each logical call its own key: an operation that takes one
    /// makes a fresh UUIDv4 per call where none is given.
    pub fn idempotency_key(mut self, key: &str) -> Result<Self, ConfigError> {
        let value = HeaderValue::from_str(key).map_err(|_| {
            ConfigError::InvalidHeader("the idempotency key is not header text".into())
        })?;
        self.idempotency_key = Some(value);
        Ok(self)
    }

    /// These options, then `later`'s where it sets one (its headers added).
    pub(crate) fn merged(&self, later: CallOptions) -> CallOptions {
        let mut headers = self.headers.clone();
        headers.extend(later.headers);
        CallOptions {
            timeout: later.timeout.or(self.timeout),
            headers,
            retry: later.retry.or_else(|| self.retry.clone()),
            idempotency_key: later
                .idempotency_key
                .or_else(|| self.idempotency_key.clone()),
        }
    }
}

/// A header a caller adds (call options, a hook), checked to be valid
/// HTTP and marked sensitive: kept out of debug output, whatever it holds.
pub(crate) fn sensitive_header(
    name: &str,
    value: &str,
) -> Result<(HeaderName, HeaderValue), ConfigError> {
    let name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| ConfigError::InvalidHeader(format!("`{name}` is not a header name")))?;
    let mut value = HeaderValue::from_str(value).map_err(|_| {
        ConfigError::InvalidHeader(format!("the value of `{name}` is not header text"))
    })?;
    value.set_sensitive(true);
    Ok((name, value))
}

impl fmt::Debug for CallOptions {
    /// Header names only: a value may be a token.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("CallOptions")
            .field("timeout", &self.timeout)
            .field("headers", &names)
            .field("retry", &self.retry)
            .field("idempotency_key", &self.idempotency_key.is_some())
            .finish()
    }
}

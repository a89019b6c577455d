//! Client configuration: timeouts, retries, the HTTP client.

use std::time::Duration;

/// How a generated client talks HTTP. `ClientConfig::default()` is what
/// `Client::new` uses.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ClientConfig {
    /// Time limit for one attempt, from sending to the last body byte.
    pub timeout: Duration,
    /// Time limit for establishing a connection.
    pub connect_timeout: Duration,
    /// When and how often failed attempts are repeated.
    pub retry: RetryPolicy,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// Responses larger than this are refused (`Error::ResponseTooLarge`)
    /// without reading the rest: memory stays bounded whatever a server
    /// sends. The default, 16 MiB, is far above any documented body.
    pub max_response_bytes: usize,
    /// A preconfigured `reqwest::Client` (proxies, TLS roots, pools). When
    /// set, `timeout`, `connect_timeout` and `user_agent` are not applied to
    /// it: configure them on the client you pass.
    pub http_client: Option<reqwest::Client>,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            max_response_bytes: 16 * 1024 * 1024,
            user_agent: concat!("agent-clients/", env!("CARGO_PKG_VERSION")).to_string(),
            http_client: None,
        }
    }
}

impl ClientConfig {
    /// Sets the per-attempt timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the connect timeout.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the retry policy.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets the `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Sets the largest response body accepted.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Uses a preconfigured `reqwest::Client`.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }
}

/// Retries with exponential backoff and jitter.
///
/// A request is repeated after a connection error, a timeout, or a `408`,
/// `429` or `5xx` response, as long as its method is idempotent (`GET`,
/// `HEAD`, `PUT`, `PATCH`, `DELETE`, `OPTIONS`; the vendors' `PATCH`
/// endpoints set fields to given values, so repeating one is harmless) or
/// [`RetryPolicy::retry_non_idempotent`] is set. A `Retry-After` header
/// (seconds or an HTTP date) is honoured when it fits in the time budget.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first one included; `1` disables retries.
    pub max_attempts: u32,
    /// Delay before the first retry; doubled each time.
    pub initial_backoff: Duration,
    /// Upper bound of one delay.
    pub max_backoff: Duration,
    /// Upper bound of all delays of one call added up.
    pub max_retry_time: Duration,
    /// Adds up to 100% random jitter to each delay, so that many clients
    /// failing together do not retry together.
    pub jitter: bool,
    /// Also retry `POST` (and other non-idempotent methods). Only safe when
    /// the endpoint is known to be idempotent.
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_retry_time: Duration::from_secs(30),
            jitter: true,
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retries.
    pub fn disabled() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Sets the number of attempts, the first included.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the first delay.
    pub fn initial_backoff(mut self, delay: Duration) -> Self {
        self.initial_backoff = delay;
        self
    }

    /// Sets the largest single delay.
    pub fn max_backoff(mut self, delay: Duration) -> Self {
        self.max_backoff = delay;
        self
    }

    /// Sets the budget for all delays of one call.
    pub fn max_retry_time(mut self, budget: Duration) -> Self {
        self.max_retry_time = budget;
        self
    }

    /// Turns jitter on or off.
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// Allows retrying non-idempotent methods such as `POST`.
    pub fn retry_non_idempotent(mut self, allow: bool) -> Self {
        self.retry_non_idempotent = allow;
        self
    }
}

//! Client configuration: timeouts, retries, redirects, the HTTP client.

use std::fmt;
use std::sync::Arc;
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
    /// Which redirects are followed, and how many.
    pub redirect: RedirectPolicy,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// Responses larger than this are refused (`Error::ResponseTooLarge`)
    /// without reading the rest: memory stays bounded whatever a server
    /// sends. The default, 16 MiB, is far above any documented body.
    pub max_response_bytes: usize,
    /// Changes to the `reqwest::ClientBuilder` the runtime builds its HTTP
    /// client with (proxies, TLS roots or a client certificate, pools), set
    /// by [`ClientConfig::customize_http`].
    pub customize_http: Option<HttpCustomizer>,
    /// Code that sees each attempt ([`crate::Hook`]), added by
    /// [`ClientConfig::hook`].
    pub hooks: crate::Hooks,
}

/// A function applied to the runtime's `reqwest::ClientBuilder` before it
/// is built. It runs after `timeout`, `connect_timeout` and `user_agent`
/// are set, so it may change them, and before the runtime turns reqwest's
/// own redirect handling off, so it cannot turn it back on: reqwest would
/// follow a redirect to another origin with an API key header still on it.
#[derive(Clone)]
pub struct HttpCustomizer(
    pub(super) Arc<dyn Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync>,
);

impl fmt::Debug for HttpCustomizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HttpCustomizer(..)")
    }
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            redirect: RedirectPolicy::default(),
            max_response_bytes: 16 * 1024 * 1024,
            user_agent: concat!("agent-clients/", env!("CARGO_PKG_VERSION")).to_string(),
            customize_http: None,
            hooks: crate::Hooks::default(),
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

    /// Sets the redirect policy.
    pub fn redirect(mut self, redirect: RedirectPolicy) -> Self {
        self.redirect = redirect;
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

    /// Adds a hook that sees each attempt of every call (after those
    /// added before it): metrics, logging, request signing. It never sees
    /// a credential, and headers it adds never go to another origin.
    pub fn hook(mut self, hook: impl crate::Hook) -> Self {
        self.hooks.0.push(Arc::new(hook));
        self
    }

    /// Customises the HTTP client the runtime builds, for example with a
    /// proxy, extra root certificates or a client certificate (OpenAPI's
    /// `mutualTLS`):
    ///
    /// ```no_run
    /// let config = agent_clients_runtime::ClientConfig::default()
    ///     .customize_http(|builder| builder.pool_max_idle_per_host(4));
    /// ```
    ///
    /// Redirects stay the runtime's to decide ([`RedirectPolicy`]): whatever
    /// the function sets, reqwest follows none itself.
    pub fn customize_http(
        mut self,
        customize: impl Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync + 'static,
    ) -> Self {
        self.customize_http = Some(HttpCustomizer(Arc::new(customize)));
        self
    }
}

/// Which redirects a client follows (RFC 9110, section 15.4). The runtime
/// decides each hop itself; reqwest follows none.
///
/// - A `301`, `302` or `303` is followed only for `GET` and `HEAD`.
///   Following one for any other method would resend the request as a
///   bodiless `GET` and report that `GET`'s answer as the change's result,
///   so the call fails with [`Error::Redirect`](super::Error::Redirect)
///   instead, carrying the status and `Location`.
/// - A `307` or `308` keeps the method and body.
/// - A redirect is followed to the same origin (scheme, host and port) as
///   the request only, unless [`RedirectPolicy::allow_cross_origin`] is
///   set. Even then no credential (API key in a header, query or cookie,
///   basic, bearer or other `Authorization`), no `Cookie` and no
///   `Authorization` parameter goes to another origin, on that hop or
///   any later one.
/// - An `https` to `http` redirect is never followed.
/// - At most [`RedirectPolicy::max_redirects`] hops per attempt (default
///   5); with the `tracing` feature each hop is an event in the attempt's
///   span.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RedirectPolicy {
    /// Hops followed per attempt; `0` follows none (every redirect is an
    /// [`Error::Redirect`](super::Error::Redirect)).
    pub max_redirects: u32,
    /// Follow redirects to another origin (without credentials).
    pub cross_origin: bool,
}

impl Default for RedirectPolicy {
    fn default() -> Self {
        RedirectPolicy {
            max_redirects: 5,
            cross_origin: false,
        }
    }
}

impl RedirectPolicy {
    /// Follows no redirect: each is an [`Error::Redirect`](super::Error::Redirect)
    /// carrying the response.
    pub fn none() -> Self {
        RedirectPolicy {
            max_redirects: 0,
            ..RedirectPolicy::default()
        }
    }

    /// Sets how many hops one attempt follows.
    pub fn max_redirects(mut self, hops: u32) -> Self {
        self.max_redirects = hops;
        self
    }

    /// Allows redirects to other origins; credentials are never sent there.
    pub fn allow_cross_origin(mut self, allow: bool) -> Self {
        self.cross_origin = allow;
        self
    }
}

/// Retries with exponential backoff and jitter.
///
/// A request is repeated after a connection error, a timeout, or a `408`,
/// `429` or `5xx` response, as long as repeating it is safe:
///
/// - its method is idempotent by RFC 9110 (section 9.2.2): `GET`, `HEAD`,
///   `OPTIONS`, `TRACE`, `PUT`, `DELETE`. `POST` and `PATCH` are not: a
///   `PATCH` may append, increment or move;
/// - or the spec (or its overlay) marks the operation
///   `x-agent-clients-idempotent: true`, as the four vendors' overlays do
///   for their status calls, which set a field to a given value;
/// - or [`RetryPolicy::retry_non_idempotent`] is set.
///
/// Any request, whatever its method, is repeated after a failure that
/// provably sent nothing: the connection could not be made, so no byte of
/// the request left. A `Retry-After` header (seconds or an HTTP date) is
/// honoured when it fits in the time budget.
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
    /// Also retry `POST`, `PATCH` and other operations that are neither
    /// idempotent by method nor marked so. Only safe when every endpoint
    /// the client calls is known to be idempotent.
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

    /// Allows retrying operations that are not idempotent, such as `POST`.
    pub fn retry_non_idempotent(mut self, allow: bool) -> Self {
        self.retry_non_idempotent = allow;
        self
    }
}

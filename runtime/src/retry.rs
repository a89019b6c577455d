//! Sending with retries: exponential backoff with jitter (from `backon`),
//! `Retry-After`, and a total time budget.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use backon::BackoffBuilder;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderName, HeaderValue, RETRY_AFTER};

use super::hooks::{AttemptInfo, AttemptRequest, Outcome};
use super::oauth2::TokenSource;
use super::redirect::{self, Hop, Next, RedirectRefused};
use super::response::BoundedBody;
use super::{ByteStream, Error, RawResponse, Request, Response, Runtime, Secret, auth};

/// What one attempt produced.
enum Attempt {
    Response(RawResponse),
    /// A status the caller streams: headers read, the body left unread.
    Streaming(reqwest::Response),
    Failed {
        error: reqwest::Error,
        /// No byte of the request left: the connection to the attempt's
        /// first destination could not be made.
        sent_nothing: bool,
    },
    TooLarge(RawResponse),
    /// A redirect that was not followed.
    Redirect {
        response: RawResponse,
        location: Option<String>,
        refused: RedirectRefused,
    },
}

/// How a call ended: a status whose body is streamed, or any other
/// response read whole.
#[doc(hidden)]
pub enum Sent {
    Streaming(Response<ByteStream>),
    Buffered(RawResponse),
}

/// Sends `request` until it succeeds or the policy gives up. A response
/// whose status `streams` accepts comes back with its body unread; it is
/// never retried (no retryable status is a success).
pub(super) async fn send<E>(
    runtime: &Runtime,
    request: Request,
    streams: fn(u16) -> bool,
) -> Result<Sent, Error<E>> {
    let policy = runtime.retry_policy();
    let (keyed, idempotency) = idempotency_key(runtime, &request);
    // An idempotency key makes repeating the call safe: the server applies
    // a key's request once.
    let repeatable = policy.retry_non_idempotent || request.operation.idempotent || keyed;
    // Built on the first retryable failure only: most calls never need it.
    let mut delays: Option<backon::ExponentialBackoff> = None;
    let new_delays = || {
        let backoff = backon::ExponentialBuilder::default()
            .with_min_delay(policy.initial_backoff)
            .with_max_delay(policy.max_backoff)
            .with_max_times(policy.max_attempts.saturating_sub(1) as usize)
            .with_total_delay(Some(policy.max_retry_time));
        if policy.jitter {
            backoff.with_jitter()
        } else {
            backoff
        }
        .build()
    };
    let sent = runtime
        .credentials
        .for_operation(request.operation.security)
        .map_err(|message| Error::invalid("credentials", "security", message))?;
    let url = request_url(&request, &sent)?;
    // A key in the query is part of the URL, which reqwest's errors print.
    let hide_url = !sent.query.is_empty();
    let tokens = authorize(runtime, &sent.tokens).await?;
    let mut outgoing = Outgoing {
        sent,
        url,
        idempotency,
        tokens,
    };
    // A fetched token is renewed once per call on a `401`.
    let mut renewed = false;
    let mut waited = Duration::ZERO;
    let mut attempts = 0u32;

    loop {
        attempts += 1;
        let outcome = attempt(runtime, &request, &outgoing, attempts, streams).await;
        if let Attempt::Response(response) = &outcome
            && response.status() == StatusCode::UNAUTHORIZED
            && !outgoing.tokens.is_empty()
            && !renewed
        {
            // The token was revoked or expired early: the request was
            // refused before it was carried out, so it is sent once more
            // with a new token, whatever its method.
            renewed = true;
            for (source, used) in &outgoing.tokens {
                source.reject(used).await;
            }
            outgoing.tokens = authorize(runtime, &outgoing.sent.tokens).await?;
            continue;
        }
        let retry_after = match &outcome {
            Attempt::Response(response) if repeatable && is_retryable_status(response.status()) => {
                Some(retry_after(response.headers().get(RETRY_AFTER)))
            }
            Attempt::Failed {
                error,
                sent_nothing,
            } if (repeatable || *sent_nothing) && is_retryable_error(error) => Some(None),
            _ => None,
        };
        let next_delay = retry_after.and_then(|server_delay| {
            delays
                .get_or_insert_with(new_delays)
                .next()
                .and_then(|backoff_delay| {
                    // The server's wish wins over our backoff when it is longer,
                    // but never beyond the retry budget.
                    let delay = server_delay.map_or(backoff_delay, |s| s.max(backoff_delay));
                    (waited + delay <= policy.max_retry_time).then_some(delay)
                })
        });
        match (outcome, next_delay) {
            (_, Some(delay)) => {
                waited += delay;
                tokio::time::sleep(delay).await;
            }
            (Attempt::Response(response), None) => return Ok(Sent::Buffered(response)),
            (Attempt::Streaming(mut response), None) => {
                let status = response.status();
                let headers = std::mem::take(response.headers_mut());
                let stream = ByteStream::new(response, runtime.max_response_bytes, attempts);
                let raw = RawResponse::new(status, headers, bytes::Bytes::new(), attempts);
                return Ok(Sent::Streaming(Response::new(stream, raw)));
            }
            (Attempt::Failed { error, .. }, None) => {
                let source = if hide_url { error.without_url() } else { error };
                return Err(Error::Transport { source, attempts });
            }
            (Attempt::TooLarge(response), None) => {
                return Err(Error::ResponseTooLarge {
                    response,
                    limit: runtime.max_response_bytes,
                });
            }
            (
                Attempt::Redirect {
                    response,
                    location,
                    refused,
                },
                None,
            ) => {
                return Err(Error::Redirect {
                    response,
                    location,
                    refused,
                });
            }
        }
    }
}

/// What every attempt of one call sends besides the request itself.
struct Outgoing {
    /// The credentials.
    sent: auth::Sent,
    url: reqwest::Url,
    /// An idempotency key header the request does not carry already.
    idempotency: Option<(&'static str, HeaderValue)>,
    /// The `Authorization` value of each OAuth2 flow the call uses.
    tokens: Vec<(Arc<TokenSource>, HeaderValue)>,
}

/// A token from each flow, fetched where none is kept fresh.
async fn authorize<E>(
    runtime: &Runtime,
    sources: &[Arc<TokenSource>],
) -> Result<Vec<(Arc<TokenSource>, HeaderValue)>, Error<E>> {
    let mut tokens = Vec::with_capacity(sources.len());
    for source in sources {
        let header = source
            .authorization(&runtime.http)
            .await
            .map_err(Error::Token)?;
        tokens.push((source.clone(), header));
    }
    Ok(tokens)
}

/// Whether the call carries an idempotency key, and the key header to add:
/// in the operation's own header, a header parameter's value where given,
/// else the call options' key, else a fresh UUIDv4; with no header of its
/// own, the call options' key in `Idempotency-Key`. Chosen once per call,
/// so that every retry sends the same key.
fn idempotency_key(
    runtime: &Runtime,
    request: &Request,
) -> (bool, Option<(&'static str, HeaderValue)>) {
    let given = runtime.call.idempotency_key.clone();
    let Some(name) = request.idempotency_header else {
        let keyed = given.is_some();
        return (keyed, given.map(|key| (crate::IDEMPOTENCY_KEY_HEADER, key)));
    };
    if request.headers.iter().any(|(header, _)| *header == name) {
        return (true, None);
    }
    let key = given.unwrap_or_else(|| {
        let fresh = uuid::Uuid::new_v4().hyphenated().to_string();
        HeaderValue::from_str(&fresh).expect("a UUID is header text")
    });
    (true, Some((name, key)))
}

/// The full URL: base, encoded path, query parameters and query keys.
fn request_url<E>(request: &Request, sent: &auth::Sent) -> Result<reqwest::Url, Error<E>> {
    let mut url = reqwest::Url::parse(&request.url)
        .map_err(|error| Error::invalid("path", "URL", error.to_string()))?;
    if request.link {
        // A server's link may carry the query keys already.
        add_missing_query(&mut url, &sent.query);
    } else if !request.query.is_empty() || !sent.query.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for (name, value) in &request.query {
            pairs.append_pair(name, value);
        }
        for (name, secret) in &sent.query {
            pairs.append_pair(name, secret.expose_secret());
        }
    }
    Ok(url)
}

/// One attempt: the request to `url`, then each redirect the policy
/// follows, until an answer, a refused redirect or a failure.
async fn attempt(
    runtime: &Runtime,
    request: &Request,
    outgoing: &Outgoing,
    attempt: u32,
    streams: fn(u16) -> bool,
) -> Attempt {
    let limit = runtime.max_response_bytes;
    let url = &outgoing.url;
    let mut info = AttemptInfo {
        operation_id: request.operation.operation_id,
        method: request.operation.method.clone(),
        path_template: request.operation.path_template,
        attempt,
        elapsed: Duration::ZERO,
    };
    let added = before_hooks(runtime, request, &info);
    let started = Instant::now();
    let sending = async {
        let mut hop = Hop::first(url.clone(), request.operation.method.clone());
        loop {
            let response = match build(runtime, request, outgoing, &hop, &added).send().await {
                Ok(response) => response,
                Err(error) => {
                    let sent_nothing = hop.followed == 0 && error.is_connect();
                    return Attempt::Failed {
                        error,
                        sent_nothing,
                    };
                }
            };
            let status = response.status();
            match redirect::next(&runtime.redirect, url, &hop, status, response.headers()) {
                Next::Answer if streams(status.as_u16()) => return Attempt::Streaming(response),
                Next::Answer => return read_body(response, limit, attempt).await,
                Next::Follow(next) => {
                    #[cfg(feature = "tracing")]
                    tracing::info!(
                        hop = next.followed,
                        http.status = status.as_u16(),
                        http.method = %next.method,
                        to = %next.url.origin().ascii_serialization(),
                        credentials = next.credentials,
                        "redirect followed"
                    );
                    hop = next;
                }
                Next::Refuse { refused, location } => {
                    #[cfg(feature = "tracing")]
                    tracing::info!(http.status = status.as_u16(), %refused, "redirect not followed");
                    return match read_body(response, limit, attempt).await {
                        Attempt::Response(response) => Attempt::Redirect {
                            response,
                            location,
                            refused,
                        },
                        other => other,
                    };
                }
            }
        }
    };
    #[cfg(feature = "tracing")]
    let sending = traced(request.operation, attempt, sending);
    let result = sending.await;
    if !runtime.hooks.is_empty() {
        info.elapsed = started.elapsed();
        let outcome = match &result {
            Attempt::Response(response)
            | Attempt::TooLarge(response)
            | Attempt::Redirect { response, .. } => Outcome::Response {
                status: response.status(),
                headers: response.headers(),
            },
            Attempt::Streaming(response) => Outcome::Response {
                status: response.status(),
                headers: response.headers(),
            },
            Attempt::Failed { error, .. } => Outcome::Failed(error),
        };
        for hook in &runtime.hooks.0 {
            hook.after(&info, outcome);
        }
    }
    result
}

/// Runs each hook's `before` on the attempt's request, as the operation
/// built it (no credentials, no query keys); the headers they add.
fn before_hooks(
    runtime: &Runtime,
    request: &Request,
    info: &AttemptInfo,
) -> Vec<(HeaderName, HeaderValue)> {
    if runtime.hooks.is_empty() {
        return Vec::new();
    }
    let Ok(url) = request_url::<()>(request, &auth::Sent::default()) else {
        return Vec::new();
    };
    let mut view = AttemptRequest {
        info,
        url: &url,
        headers: &request.headers,
        body: request.body.as_ref().map(|(_, body)| &body[..]),
        added: Vec::new(),
    };
    for hook in &runtime.hooks.0 {
        hook.before(&mut view);
    }
    view.added
}

/// The request of one hop. Credentials, the `Cookie` header and any
/// `Authorization` parameter go only where [`Hop::credentials`] allows;
/// the body only where [`Hop::body`] does.
fn build(
    runtime: &Runtime,
    request: &Request,
    outgoing: &Outgoing,
    hop: &Hop,
    added: &[(HeaderName, HeaderValue)],
) -> reqwest::RequestBuilder {
    let sent = &outgoing.sent;
    let mut url = hop.url.clone();
    if hop.credentials && hop.followed > 0 {
        // A same-origin `Location` is the server's URL, not ours: the query
        // keys go on it as they went on the first request.
        add_missing_query(&mut url, &sent.query);
    }
    let mut builder = runtime.http.request(hop.method.clone(), url).header(
        reqwest::header::ACCEPT,
        HeaderValue::from_static(request.operation.accept),
    );
    if hop.credentials {
        for (name, value) in &sent.headers {
            builder = builder.header(name.clone(), value.clone());
        }
        for (_, value) in &outgoing.tokens {
            builder = builder.header(reqwest::header::AUTHORIZATION, value.clone());
        }
        // A hook's headers may sign the request: they go where credentials go.
        for (name, value) in added {
            builder = builder.header(name.clone(), value.clone());
        }
        if let Some(cookie) = cookie_header(&request.cookies, &sent.cookies) {
            builder = builder.header(reqwest::header::COOKIE, cookie);
        }
    }
    for (name, value) in &request.headers {
        // A header parameter may carry a credential too (a spec that
        // authenticates through an `Authorization` parameter).
        if hop.credentials || !is_credential_header(name) {
            builder = builder.header(*name, value.clone());
        }
    }
    for (name, value) in &runtime.call.headers {
        if hop.credentials || !is_credential_header(name.as_str()) {
            builder = builder.header(name.clone(), value.clone());
        }
    }
    if let Some((name, key)) = &outgoing.idempotency {
        builder = builder.header(*name, key.clone());
    }
    if let Some(timeout) = runtime.call.timeout {
        builder = builder.timeout(timeout);
    }
    match &request.body {
        Some((content_type, body)) if hop.body => builder
            .header(CONTENT_TYPE, content_type.as_ref())
            .body(body.clone()),
        _ => builder,
    }
}

/// Headers that carry credentials by their name (the ones RFC 9110 and
/// RFC 6265 define for it).
fn is_credential_header(name: &str) -> bool {
    ["authorization", "proxy-authorization", "cookie"]
        .iter()
        .any(|credential| name.eq_ignore_ascii_case(credential))
}

/// Appends each query credential the URL does not already carry.
fn add_missing_query(url: &mut reqwest::Url, query: &[(&'static str, Secret)]) {
    let missing: Vec<&(&str, Secret)> = query
        .iter()
        .filter(|(name, _)| !url.query_pairs().any(|(key, _)| key == *name))
        .collect();
    if !missing.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for (name, secret) in missing {
            pairs.append_pair(name, secret.expose_secret());
        }
    }
}

/// The one `Cookie` header: the cookie parameters, then the credentials'
/// cookies, as `name=value` pairs; sensitive when it holds a credential.
fn cookie_header(parameters: &[String], credentials: &[Secret]) -> Option<HeaderValue> {
    if parameters.is_empty() && credentials.is_empty() {
        return None;
    }
    let pairs: Vec<&str> = parameters
        .iter()
        .map(String::as_str)
        .chain(credentials.iter().map(Secret::expose_secret))
        .collect();
    // Every pair is header text: parameter values are percent-encoded, and
    // credentials were checked when the client was built.
    let mut value = HeaderValue::from_str(&pairs.join("; ")).ok()?;
    value.set_sensitive(!credentials.is_empty());
    Some(value)
}

/// Reads a body of at most `limit` bytes, chunk by chunk, so that memory
/// stays bounded whatever the server sends.
async fn read_body(mut response: reqwest::Response, limit: usize, attempt: u32) -> Attempt {
    let status = response.status();
    // Taken, not cloned: the response is consumed for its body.
    let headers = std::mem::take(response.headers_mut());
    if response
        .content_length()
        .is_some_and(|length| length > limit as u64)
    {
        return Attempt::TooLarge(RawResponse::new(
            status,
            headers,
            bytes::Bytes::new(),
            attempt,
        ));
    }
    let mut body = BoundedBody::new(limit, response.content_length());
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if let Err(read) = body.push(chunk) {
                    return Attempt::TooLarge(RawResponse::new(status, headers, read, attempt));
                }
            }
            Ok(None) => {
                return Attempt::Response(RawResponse::new(
                    status,
                    headers,
                    body.finish(),
                    attempt,
                ));
            }
            Err(error) => {
                return Attempt::Failed {
                    error,
                    sent_nothing: false,
                };
            }
        }
    }
}

/// Runs one attempt inside a span carrying the operation, method, path
/// template, attempt number, and, once known, the status and latency. Only
/// static facts and the status are recorded: never headers, bodies or URLs
/// with their path parameters.
#[cfg(feature = "tracing")]
async fn traced(
    operation: &super::Operation,
    attempt: u32,
    sending: impl std::future::Future<Output = Attempt>,
) -> Attempt {
    use tracing::Instrument;
    let span = tracing::info_span!(
        "agent_clients.request",
        operation_id = operation.operation_id,
        http.method = %operation.method,
        http.route = operation.path_template,
        attempt,
        http.status = tracing::field::Empty,
        latency_ms = tracing::field::Empty,
    );
    let started = std::time::Instant::now();
    let result = sending.instrument(span.clone()).await;
    let status = match &result {
        Attempt::Response(response)
        | Attempt::TooLarge(response)
        | Attempt::Redirect { response, .. } => response.status().as_u16(),
        Attempt::Streaming(response) => response.status().as_u16(),
        Attempt::Failed { error, .. } => error.status().map_or(0, |s| s.as_u16()),
    };
    span.record("http.status", status);
    span.record("latency_ms", started.elapsed().as_secs_f64() * 1000.0);
    tracing::debug!(parent: &span, "attempt finished");
    result
}

fn is_retryable_status(status: StatusCode) -> bool {
    status == StatusCode::REQUEST_TIMEOUT
        || status == StatusCode::TOO_MANY_REQUESTS
        || status.is_server_error()
}

fn is_retryable_error(error: &reqwest::Error) -> bool {
    error.is_connect() || error.is_timeout() || error.is_request() || error.is_body()
}

/// Parses `Retry-After`: delta-seconds or an HTTP date.
fn retry_after(value: Option<&HeaderValue>) -> Option<Duration> {
    let text = value?.to_str().ok()?.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(text).ok()?;
    Some(
        date.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        let secs = HeaderValue::from_static("3");
        assert_eq!(retry_after(Some(&secs)), Some(Duration::from_secs(3)));
        let past = HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT");
        assert_eq!(retry_after(Some(&past)), Some(Duration::ZERO));
        let garbage = HeaderValue::from_static("soon");
        assert_eq!(retry_after(Some(&garbage)), None);
        assert_eq!(retry_after(None), None);
    }

    #[test]
    fn retryable_statuses() {
        assert!(is_retryable_status(StatusCode::TOO_MANY_REQUESTS));
        assert!(is_retryable_status(StatusCode::BAD_GATEWAY));
        assert!(!is_retryable_status(StatusCode::NOT_FOUND));
    }
}

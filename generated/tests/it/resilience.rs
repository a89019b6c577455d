//! Timeouts and retries against a local server that fails N times then
//! recovers, one that never recovers, one that asks to be left alone
//! (`Retry-After`), one that hangs up after reading the request, and an
//! address where nothing listens. Which operations are retried at all
//! follows RFC 9110 and the spec's `x-agent-clients-idempotent` marks.

use std::time::{Duration, Instant};

use agent_clients::ravan;
use agent_clients::runtime::{ClientConfig, Error, RetryPolicy};
use wiremock::matchers::{any, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::codegen_snapshots::snapshots::retries;

fn fast_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(attempts)
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(20))
}

fn ravan_client(base: &str, retry: RetryPolicy) -> ravan::Client {
    ravan::Client::with_config(base, "key", ClientConfig::default().retry(retry)).unwrap()
}

fn body() -> ravan::types::UpdateAgentStatusRequest {
    ravan::types::UpdateAgentStatusRequest {
        status: Some(ravan::types::AgentStatus::AgentStatusActive),
    }
}

/// Fails `failures` times with `status`, then answers 200.
async fn flaky_server(failures: u64, status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(status))
        .up_to_n_times(failures)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"success": true}"#))
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

/// Ravan's `PATCH` is retried: its overlay marks it idempotent.
#[tokio::test]
async fn a_marked_patch_is_retried_until_the_server_recovers() {
    for status in [408, 429, 500, 502, 503, 504] {
        let server = flaky_server(2, status).await;
        let response = ravan_client(&server.uri(), fast_retries(3))
            .update_agent_status("a", &body())
            .await
            .unwrap_or_else(|error| panic!("{status}: {error}"));
        assert_eq!(response.success, Some(true));
        assert_eq!(response.raw().attempts(), 3, "{status}");
        assert_eq!(server.received_requests().await.unwrap().len(), 3);
    }
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = flaky_server(1, 404).await;
    let error = ravan_client(&server.uri(), fast_retries(3))
        .update_agent_status("a", &body())
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_server_that_never_recovers_gets_max_attempts_then_the_last_response() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(503).set_body_string("down"))
        .expect(4)
        .mount(&server)
        .await;
    let error = ravan_client(&server.uri(), fast_retries(4))
        .update_agent_status("a", &body())
        .await
        .unwrap_err();
    let Error::UnexpectedStatus(response) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(response.status(), 503);
    assert_eq!(response.attempts(), 4);
    assert_eq!(response.body_text(), "down");
}

#[tokio::test]
async fn the_total_retry_budget_is_respected() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    // Up to 50 attempts, but delays of 40ms against a 100ms budget.
    let retry = RetryPolicy::default()
        .max_attempts(50)
        .initial_backoff(Duration::from_millis(40))
        .max_backoff(Duration::from_millis(40))
        .jitter(false)
        .max_retry_time(Duration::from_millis(100));
    let error = ravan_client(&server.uri(), retry)
        .update_agent_status("a", &body())
        .await
        .unwrap_err();
    let attempts = error.response().unwrap().attempts();
    assert_eq!(
        attempts, 3,
        "two 40ms delays fit in 100ms, a third does not"
    );
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .with_priority(2)
        .mount(&server)
        .await;
    let started = Instant::now();
    ravan_client(&server.uri(), fast_retries(2))
        .update_agent_status("a", &body())
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    // The backoff alone would wait about 5ms; the server asked for a second.
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_retry_after_beyond_the_budget_returns_the_response_at_once() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "3600"))
        .expect(1)
        .mount(&server)
        .await;
    let error = ravan_client(
        &server.uri(),
        fast_retries(5).max_retry_time(Duration::from_secs(2)),
    )
    .update_agent_status("a", &body())
    .await
    .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(error.headers().unwrap()["retry-after"], "3600");
}

#[tokio::test]
async fn connection_errors_are_retried_then_reported() {
    // A port held by a socket that is bound but never listens: connecting is
    // refused, and nobody else can take the port while the test runs. (A
    // port closed after binding could be taken by a concurrent test's server
    // or stay reachable through a listener inherited by a forked child.)
    let (reserved, port) = refusing_port();
    let error = ravan_client(&format!("http://127.0.0.1:{port}"), fast_retries(3))
        .update_agent_status("a", &body())
        .await
        .unwrap_err();
    let Error::Transport { attempts, source } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(*attempts, 3);
    assert!(source.is_connect(), "{source:?}");
    assert!(error.status().is_none());
    drop(reserved);
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let config = ClientConfig::default()
        .timeout(Duration::from_millis(200))
        .retry(RetryPolicy::disabled());
    let client = ravan::Client::with_config(&server.uri(), "key", config).unwrap();
    let error = client.update_agent_status("a", &body()).await.unwrap_err();
    let Error::Transport { source, attempts } = &error else {
        panic!("{error:?}");
    };
    assert!(source.is_timeout(), "{source:?}");
    assert_eq!(*attempts, 1);
}

/// Fails once with a `503` on every route, then answers `204`.
async fn flaky_everywhere() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

fn retries_client(base: &str, retry: RetryPolicy) -> retries::Client {
    retries::Client::with_config(base, ClientConfig::default().retry(retry)).unwrap()
}

/// RFC 9110: a `PATCH` is not idempotent (this one appends), nor is a
/// `POST`; a `PUT` is. A mark of `false` changes nothing.
#[tokio::test]
async fn only_idempotent_or_marked_operations_are_retried() {
    let note = retries::types::AppendNoteBody {
        line: Some("one more line".into()),
    };
    let server = flaky_everywhere().await;
    let client = retries_client(&server.uri(), fast_retries(3));
    let error = client.append_note("n1", &note).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    let server = flaky_everywhere().await;
    let client = retries_client(&server.uri(), fast_retries(3));
    let error = client.create_order().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    let server = flaky_everywhere().await;
    let client = retries_client(&server.uri(), fast_retries(3));
    let text = retries::types::ReplaceNoteBody {
        text: Some("all of it".into()),
    };
    let response = client.replace_note("n1", &text).await.unwrap();
    assert_eq!(response.raw().attempts(), 2);

    // A POST marked `x-agent-clients-idempotent: true` is retried.
    let server = flaky_everywhere().await;
    let client = retries_client(&server.uri(), fast_retries(3));
    let on = retries::types::SetSwitchBody { on: Some(true) };
    let response = client.set_switch("s1", &on).await.unwrap();
    assert_eq!(response.raw().attempts(), 2);
}

#[tokio::test]
async fn retry_non_idempotent_retries_everything() {
    let server = flaky_everywhere().await;
    let client = retries_client(&server.uri(), fast_retries(3).retry_non_idempotent(true));
    let note = retries::types::AppendNoteBody { line: None };
    assert_eq!(
        client
            .append_note("n1", &note)
            .await
            .unwrap()
            .raw()
            .attempts(),
        2
    );
}

/// A held port where nothing listens: every connection is refused.
fn refusing_port() -> (tokio::net::TcpSocket, u16) {
    let reserved = tokio::net::TcpSocket::new_v4().unwrap();
    reserved.set_reuseaddr(false).unwrap();
    reserved.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let port = reserved.local_addr().unwrap().port();
    (reserved, port)
}

/// A refused connection provably sent nothing, so even a non-idempotent
/// `POST` is tried again.
#[tokio::test]
async fn any_request_is_retried_when_nothing_was_sent() {
    let (reserved, port) = refusing_port();
    let client = retries_client(&format!("http://127.0.0.1:{port}"), fast_retries(3));
    let error = client.create_order().await.unwrap_err();
    let Error::Transport { attempts, source } = &error else {
        panic!("{error:?}");
    };
    assert!(source.is_connect(), "{source:?}");
    assert_eq!(*attempts, 3);
    drop(reserved);
}

/// A server that reads each request whole, then hangs up without an
/// answer: the request was sent, and may have been carried out.
async fn hanging_up_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::AsyncReadExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let accepted = std::sync::Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let mut request = Vec::new();
            let mut buffer = [0u8; 4096];
            // The headers' end is enough: these requests have no body or a
            // short one that comes in the same read.
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buffer).await {
                    Ok(0) | Err(_) => break,
                    Ok(read) => request.extend_from_slice(&buffer[..read]),
                }
            }
            drop(stream);
        }
    });
    (format!("http://{address}"), accepted)
}

#[tokio::test]
async fn a_request_that_was_sent_is_retried_only_if_idempotent() {
    use std::sync::atomic::Ordering;
    let (url, accepted) = hanging_up_server().await;
    let client = retries_client(&url, fast_retries(3));
    let error = client.create_order().await.unwrap_err();
    assert!(
        matches!(error, Error::Transport { attempts: 1, .. }),
        "{error:?}"
    );
    assert_eq!(accepted.load(Ordering::SeqCst), 1);

    let (url, accepted) = hanging_up_server().await;
    let client = retries_client(&url, fast_retries(3));
    let text = retries::types::ReplaceNoteBody { text: None };
    let error = client.replace_note("n1", &text).await.unwrap_err();
    assert!(
        matches!(error, Error::Transport { attempts: 3, .. }),
        "{error:?}"
    );
    assert_eq!(accepted.load(Ordering::SeqCst), 3);
}

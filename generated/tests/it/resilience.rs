//! Timeouts and retries against a local server that fails N times then
//! recovers, one that never recovers, one that asks to be left alone
//! (`Retry-After`), and an address where nothing listens.

use std::time::{Duration, Instant};

use agent_clients::runtime::{ClientConfig, Error, RetryPolicy};
use agent_clients::{ravan, selise_blocks};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

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

#[tokio::test]
async fn a_patch_is_retried_until_the_server_recovers() {
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
    let reserved = tokio::net::TcpSocket::new_v4().unwrap();
    reserved.set_reuseaddr(false).unwrap();
    reserved.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let port = reserved.local_addr().unwrap().port();
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

fn selise_body() -> selise_blocks::types::ChangeAgentStatusRequest {
    selise_blocks::types::ChangeAgentStatusRequest {
        agent_id: "a".into(),
        is_disabled: true,
        is_archived: false,
        project_key: "k".into(),
    }
}

#[tokio::test]
async fn a_post_is_retried_only_when_the_caller_opts_in() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"is_success": true}"#))
        .with_priority(2)
        .mount(&server)
        .await;
    let default = selise_blocks::Client::with_config(
        &server.uri(),
        ClientConfig::default().retry(fast_retries(3)),
    )
    .unwrap();
    let error = default
        .change_agent_status(&selise_body())
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    let opted_in = selise_blocks::Client::with_config(
        &server.uri(),
        ClientConfig::default().retry(fast_retries(3).retry_non_idempotent(true)),
    )
    .unwrap();
    let response = opted_in.change_agent_status(&selise_body()).await.unwrap();
    assert_eq!(response.is_success, Some(true));
    assert_eq!(response.raw().attempts(), 2);
}

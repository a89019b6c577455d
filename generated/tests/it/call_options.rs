//! Options for some calls only (`Client::with_options`), against a local
//! server: a time limit, extra headers, a retry policy, an idempotency key.
//! The client itself is never changed by a handle made from it.

use std::time::Duration;

use agent_clients::ravan;
use agent_clients::runtime::{CallOptions, ClientConfig, Error, RetryPolicy};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fast_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(attempts)
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(20))
}

fn client(server: &MockServer, retry: RetryPolicy) -> ravan::Client {
    let config = ClientConfig::default().retry(retry);
    ravan::Client::with_config(&server.uri(), "key", config).unwrap()
}

fn body() -> ravan::types::UpdateAgentStatusRequest {
    ravan::types::UpdateAgentStatusRequest {
        status: Some(ravan::types::AgentStatus::AgentStatusActive),
    }
}

#[tokio::test]
async fn a_call_s_time_limit_fires_where_the_client_s_would_not() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string("{}")
                .set_delay(Duration::from_millis(400)),
        )
        .mount(&server)
        .await;
    let client = client(&server, RetryPolicy::disabled());
    // The client's own limit (30 s) lets the slow answer through.
    client.update_agent_status("a", &body()).await.unwrap();
    let quick = client.with_options(CallOptions::new().timeout(Duration::from_millis(100)));
    let error = quick.update_agent_status("a", &body()).await.unwrap_err();
    let Error::Transport { source, attempts } = &error else {
        panic!("{error:?}");
    };
    assert!(source.is_timeout(), "{source:?}");
    assert_eq!(*attempts, 1);
    // And the client still waits as long as it did.
    client.update_agent_status("a", &body()).await.unwrap();
}

#[tokio::test]
async fn a_header_set_for_one_call_is_absent_on_the_next() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    let client = client(&server, RetryPolicy::disabled());
    let traced = CallOptions::new().header("x-trace-id", "4bf92f35").unwrap();
    client
        .with_options(traced)
        .update_agent_status("a", &body())
        .await
        .unwrap();
    client.update_agent_status("a", &body()).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].headers["x-trace-id"], "4bf92f35");
    assert!(requests[1].headers.get("x-trace-id").is_none());
    // The credential is still sent by the handle, as by the client.
    assert_eq!(requests[0].headers["x-api-key"], "key");
}

#[tokio::test]
async fn a_call_s_retry_policy_replaces_the_client_s() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    // Ravan's status change is marked idempotent: the client retries it.
    let client = client(&server, fast_retries(3));
    let error = client.update_agent_status("a", &body()).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    let once = client.with_options(CallOptions::new().retry(RetryPolicy::disabled()));
    once.update_agent_status("a", &body()).await.unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
}

/// `createOrder` is a `POST` (the retries fixture's), never retried on its
/// own; with a key every attempt carries the same one.
#[tokio::test]
async fn an_idempotency_key_makes_a_change_safe_to_retry_with_the_same_key() {
    use crate::codegen_snapshots::snapshots::retries;

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(3)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let config = ClientConfig::default().retry(fast_retries(3));
    let client = retries::Client::with_config(&server.uri(), config).unwrap();
    // Without a key it is tried once: repeating it may create two orders.
    client.create_order().await.unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    let keyed = CallOptions::new().idempotency_key("order-7f3a").unwrap();
    client.with_options(keyed).create_order().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 4, "two more failures, then the success");
    for request in &requests[1..] {
        assert_eq!(request.headers["idempotency-key"], "order-7f3a");
    }
    assert!(requests[0].headers.get("idempotency-key").is_none());
    // The next call through the client itself has no key, and no retry.
    client.create_order().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert!(requests[4].headers.get("idempotency-key").is_none());
}

#[test]
fn options_refuse_what_http_cannot_carry_and_keep_values_out_of_debug() {
    assert!(CallOptions::new().header("bad name", "x").is_err());
    assert!(CallOptions::new().header("x-ok", "line\nbreak").is_err());
    assert!(CallOptions::new().idempotency_key("a\rb").is_err());
    let options = CallOptions::new()
        .header("authorization", "Bearer sk_live_secret")
        .unwrap()
        .idempotency_key("key-secret")
        .unwrap();
    let shown = format!("{options:?}");
    assert!(
        !shown.contains("sk_live_secret") && !shown.contains("key-secret"),
        "{shown}"
    );
    assert!(shown.contains("authorization"), "{shown}");
}

/// `createPayment` declares an `Idempotency-Key` header: each call sends a
/// fresh UUIDv4 unless given one, the same on each of its retries, and is
/// retried although it is a `POST`.
#[tokio::test]
async fn a_declared_idempotency_header_gets_a_fresh_key_per_call_kept_across_retries() {
    use crate::codegen_snapshots::snapshots::retries;

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let config = ClientConfig::default().retry(fast_retries(3));
    let client = retries::Client::with_config(&server.uri(), config).unwrap();
    let body = retries::types::CreatePaymentBody { cents: Some(1200) };
    client.create_payment(None, &body).await.unwrap();
    client.create_payment(None, &body).await.unwrap();
    client.create_payment(Some("given-1"), &body).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    let keys: Vec<&str> = requests
        .iter()
        .map(|request| request.headers["idempotency-key"].to_str().unwrap())
        .collect();
    assert_eq!(keys.len(), 5, "two failures and a success, then two calls");
    let first = uuid::Uuid::parse_str(keys[0]).expect("a UUID");
    assert_eq!(first.get_version_num(), 4);
    assert_eq!(keys[1], keys[0], "a retry sends the call's key again");
    assert_eq!(keys[2], keys[0]);
    assert_ne!(keys[3], keys[0], "the next call has its own key");
    assert_eq!(uuid::Uuid::parse_str(keys[3]).unwrap().get_version_num(), 4);
    assert_eq!(
        keys[4], "given-1",
        "a key given as the argument is sent as given"
    );
    for request in &requests {
        assert_eq!(request.headers.get_all("idempotency-key").iter().count(), 1);
    }
}

/// `createRefund` takes its key in the header its overlay names: a key set
/// in the call options goes there, and nowhere else.
#[tokio::test]
async fn a_call_options_key_goes_in_the_header_the_operation_names() {
    use crate::codegen_snapshots::snapshots::retries;

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = retries::Client::with_config(&server.uri(), ClientConfig::default()).unwrap();
    let keyed = CallOptions::new().idempotency_key("refund-9").unwrap();
    client.with_options(keyed).create_refund().await.unwrap();
    client.create_refund().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].headers["x-request-key"], "refund-9");
    assert!(requests[0].headers.get("idempotency-key").is_none());
    let fresh = requests[1].headers["x-request-key"].to_str().unwrap();
    assert_eq!(uuid::Uuid::parse_str(fresh).unwrap().get_version_num(), 4);
}

//! Hooks (`ClientConfig::hook`) against local servers: a hook sees every
//! attempt of a call with its outcome, never a credential, and the headers
//! it adds (a signature) go where credentials go, never to another origin.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use agent_clients::ravan;
use agent_clients::runtime::{
    AttemptInfo, AttemptRequest, ClientConfig, Hook, Outcome, RedirectPolicy, RetryPolicy,
};
use wiremock::matchers::{any, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "rk_hook_KEY";

/// Records what it sees, and signs each request with the length of its body.
#[derive(Clone, Default)]
struct Recorder {
    seen: Arc<Mutex<Vec<String>>>,
}

impl Hook for Recorder {
    fn before(&self, request: &mut AttemptRequest<'_>) {
        let headers: Vec<String> = request
            .headers()
            .map(|(name, value)| format!("{name}={}", value.to_str().unwrap_or("?")))
            .collect();
        let line = format!(
            "before {} #{} {} {} [{}]",
            request.info().operation_id,
            request.info().attempt,
            request.info().method,
            request.url(),
            headers.join(",")
        );
        let signature = format!("len={}", request.body().map_or(0, <[u8]>::len));
        request.header("x-signature", &signature).unwrap();
        self.seen.lock().unwrap().push(line);
    }

    fn after(&self, info: &AttemptInfo, outcome: Outcome<'_>) {
        let line = match outcome {
            Outcome::Response { status, .. } => format!("after #{} {status}", info.attempt),
            _ => format!("after #{} failed", info.attempt),
        };
        self.seen.lock().unwrap().push(line);
    }
}

fn body() -> ravan::types::UpdateAgentStatusRequest {
    ravan::types::UpdateAgentStatusRequest {
        status: Some(ravan::types::AgentStatus::AgentStatusActive),
    }
}

fn client(server: &str, recorder: &Recorder, redirect: RedirectPolicy) -> ravan::Client {
    let retry = RetryPolicy::default()
        .initial_backoff(Duration::from_millis(5))
        .jitter(false);
    let config = ClientConfig::default()
        .retry(retry)
        .redirect(redirect)
        .hook(recorder.clone());
    ravan::Client::with_config(server, KEY, config).unwrap()
}

#[tokio::test]
async fn a_hook_sees_each_attempt_and_never_a_credential() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    let recorder = Recorder::default();
    client(&server.uri(), &recorder, RedirectPolicy::default())
        .update_agent_status("a 1", &body())
        .await
        .unwrap();

    let seen = recorder.seen.lock().unwrap().clone();
    let url = format!("{}/api/v1/agents/a%201/status/", server.uri());
    assert_eq!(
        seen,
        [
            format!("before UpdateAgentStatus #1 PATCH {url} []"),
            "after #1 503 Service Unavailable".to_string(),
            format!("before UpdateAgentStatus #2 PATCH {url} []"),
            "after #2 503 Service Unavailable".to_string(),
            format!("before UpdateAgentStatus #3 PATCH {url} []"),
            "after #3 200 OK".to_string(),
        ]
    );
    assert!(seen.iter().all(|line| !line.contains(KEY)));
    // The signature went with every attempt, beside the credential.
    for request in server.received_requests().await.unwrap() {
        let length = request.body.len();
        assert_eq!(request.headers["x-signature"], format!("len={length}"));
        assert_eq!(request.headers["x-api-key"], KEY);
    }
}

#[tokio::test]
async fn a_hook_s_headers_never_go_to_another_origin() {
    let listener = std::net::TcpListener::bind("127.0.0.2:0").expect("bind 127.0.0.2");
    let other = MockServer::builder().listener(listener).start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&other)
        .await;
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("location", format!("{}/elsewhere", other.uri())),
        )
        .mount(&server)
        .await;
    let recorder = Recorder::default();
    let redirect = RedirectPolicy::default().allow_cross_origin(true);
    client(&server.uri(), &recorder, redirect)
        .update_agent_status("a", &body())
        .await
        .unwrap();

    let first = &server.received_requests().await.unwrap()[0];
    assert!(first.headers.get("x-signature").is_some());
    let elsewhere = &other.received_requests().await.unwrap()[0];
    assert!(elsewhere.headers.get("x-signature").is_none());
    assert!(elsewhere.headers.get("x-api-key").is_none());
    // One attempt: the hook sees it once, the redirect inside it.
    assert_eq!(recorder.seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn a_hook_sees_the_query_without_its_keys() {
    use crate::codegen_snapshots::snapshots::security_schemes;

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let recorder = Recorder::default();
    let config = ClientConfig::default().hook(recorder.clone());
    let client = security_schemes::Client::with_config(&server.uri(), "hdr-key", config)
        .unwrap()
        .with_key("qk-secret")
        .unwrap();
    client.get_query(Some(2)).await.unwrap();
    let seen = recorder.seen.lock().unwrap().clone();
    assert!(seen[0].ends_with("/query?page=2 []"), "{seen:?}");
    assert!(seen.iter().all(|line| !line.contains("qk-secret")));
    let sent = &server.received_requests().await.unwrap()[0];
    assert_eq!(sent.url.query(), Some("page=2&key=qk-secret"));
}

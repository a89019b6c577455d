//! The Ravan client against a real HTTP server on 127.0.0.1 (wiremock).

use agent_clients::ravan::{Client, types};
use agent_clients::runtime::{ClientConfig, Error, Open, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "rk_test_secret_value";

/// The 200 example from the vendor's page, verbatim.
const VENDOR_EXAMPLE: &str = r#"{
    "success": true,
    "message": "Agent status updated successfully",
    "data": { "id": "...", "status": "inactive" }
  }"#;

fn client(server: &MockServer) -> Client {
    let config = ClientConfig::default().retry(RetryPolicy::disabled());
    Client::with_config(&server.uri(), KEY, config).unwrap()
}

fn inactive() -> types::UpdateAgentStatusRequest {
    types::UpdateAgentStatusRequest {
        status: Some(types::AgentStatus::AgentStatusInactive),
    }
}

#[tokio::test]
async fn sends_the_documented_request_and_parses_the_vendor_example() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/api/v1/agents/agent%2F42%20x/status/"))
        .and(header("x-api-key", KEY))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"status": "AGENT_STATUS_INACTIVE"})))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/json")
                .insert_header("x-request-id", "req-1")
                .set_body_string(VENDOR_EXAMPLE),
        )
        .expect(1)
        .mount(&server)
        .await;

    let response = client(&server)
        .update_agent_status("agent/42 x", &inactive())
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.request_id().as_deref(), Some("req-1"));
    let body = response.into_inner();
    assert_eq!(body.success, Some(true));
    let data = body.data.expect("data is in the example");
    assert_eq!(data.id.as_deref(), Some("..."));
    assert_eq!(
        data.status,
        Some(Open::Known(types::AgentStatus::AgentStatusInactive))
    );
}

#[tokio::test]
async fn never_sends_an_api_version_header() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    client(&server)
        .update_agent_status("a", &inactive())
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    assert!(requests[0].headers.get("api-version").is_none());
}

#[tokio::test]
async fn base_url_with_or_without_trailing_slash() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/api/v1/agents/a1/status/"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .expect(2)
        .mount(&server)
        .await;
    for base in [server.uri(), format!("{}/", server.uri())] {
        let client = Client::with_base_url(&base, KEY).unwrap();
        assert_eq!(client.base_url(), server.uri());
        client.update_agent_status("a1", &inactive()).await.unwrap();
    }
}

#[tokio::test]
async fn error_statuses_keep_status_headers_and_body() {
    for (status, body) in [
        (401, r#"{"detail":"bad key"}"#),
        (404, r#"{"detail":"no such agent"}"#),
        (500, "upstream exploded"),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("PATCH"))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("x-request-id", "req-err")
                    .set_body_string(body),
            )
            .expect(1)
            .mount(&server)
            .await;
        let error = client(&server)
            .update_agent_status("a", &inactive())
            .await
            .unwrap_err();
        let Error::UnexpectedStatus(response) = &error else {
            panic!("{status}: expected UnexpectedStatus, got {error:?}");
        };
        assert_eq!(response.status(), status);
        assert_eq!(response.body_text(), body);
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(error.request_id().as_deref(), Some("req-err"));
        assert!(error.to_string().contains(&status.to_string()), "{error}");
    }
}

#[tokio::test]
async fn a_200_that_is_not_json_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>maintenance</html>"))
        .mount(&server)
        .await;
    let error = client(&server)
        .update_agent_status("a", &inactive())
        .await
        .unwrap_err();
    let Error::Decode { response, .. } = &error else {
        panic!("expected Decode, got {error:?}");
    };
    assert_eq!(response.status(), 200);
    assert_eq!(response.body_text(), "<html>maintenance</html>");
}

#[tokio::test]
async fn a_200_with_a_wrong_shape_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"success": "yes"}"#))
        .mount(&server)
        .await;
    let error = client(&server)
        .update_agent_status("a", &inactive())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert!(error.to_string().contains("success"), "{error}");
}

#[tokio::test]
async fn the_api_key_never_appears_in_debug_output() {
    let server = MockServer::start().await;
    let client = client(&server);
    let debug = format!("{client:?} {client:#?}");
    assert!(!debug.contains(KEY), "{debug}");
    assert!(
        debug.contains("x-api-key"),
        "the header name is shown: {debug}"
    );
}

#[test]
fn bad_base_urls_are_refused_at_construction() {
    for base in [
        "",
        "api.ravan.ai",
        "ftp://api.ravan.ai",
        "https://api.ravan.ai/?x=1",
    ] {
        let error = Client::with_base_url(base, KEY).unwrap_err();
        assert!(error.to_string().contains("base URL"), "{error}");
    }
    let default = Client::new(KEY).unwrap();
    assert_eq!(default.base_url(), "https://api.ravan.ai");
}

#[test]
fn responses_accept_both_documented_and_example_status_spellings() {
    for (wire, expected) in [
        ("AGENT_STATUS_ACTIVE", types::AgentStatus::AgentStatusActive),
        ("active", types::AgentStatus::AgentStatusActive),
        (
            "AGENT_STATUS_INACTIVE",
            types::AgentStatus::AgentStatusInactive,
        ),
        ("inactive", types::AgentStatus::AgentStatusInactive),
        (
            "AGENT_STATUS_UNSPECIFIED",
            types::AgentStatus::AgentStatusUnspecified,
        ),
    ] {
        let parsed: types::AgentStatus = serde_json::from_value(json!(wire)).unwrap();
        assert_eq!(parsed, expected, "{wire}");
    }
    // Requests send the documented spelling.
    assert_eq!(
        serde_json::to_value(types::AgentStatus::AgentStatusInactive).unwrap(),
        json!("AGENT_STATUS_INACTIVE")
    );
}

#[tokio::test]
async fn an_undocumented_status_value_is_kept_not_rejected() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "success": true,
            "data": {"id": "a", "status": "AGENT_STATUS_SUSPENDED"}
        })))
        .mount(&server)
        .await;
    let response = client(&server)
        .update_agent_status("a", &inactive())
        .await
        .unwrap();
    let data = response.into_inner().data.unwrap();
    assert_eq!(
        data.status,
        Some(Open::Unknown("AGENT_STATUS_SUSPENDED".into()))
    );
    // Written back, it is the exact value received.
    let written = serde_json::to_value(&data).unwrap();
    assert_eq!(written["status"], json!("AGENT_STATUS_SUSPENDED"));
}

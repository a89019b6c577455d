//! The Ayra client against a local HTTP server: bearer auth, the partial
//! update of the page's cURL example, the success example and both
//! documented errors.

use agent_clients::ayra::{Client, UpdateAgentError, types};
use agent_clients::runtime::{ClientConfig, Error, Open, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "sk_live_abc123xyz789";

fn client(server: &MockServer) -> Client {
    let config = ClientConfig::default().retry(RetryPolicy::disabled());
    Client::with_config(&server.uri(), TOKEN, config).unwrap()
}

fn success_example() -> serde_json::Value {
    json!({
        "data": {
            "id": "agent_abc123xyz789",
            "name": "Customer Support Agent",
            "phone_number": "+15551234567",
            "voice_platform": "vapi",
            "voice_id": "voice_professional_female_1",
            "language": "en",
            "system_prompt": "You are a helpful and friendly customer support agent for Acme Corporation...",
            "welcome_message": "Thank you for calling Acme Corporation. This is your AI assistant. How may I help you today?",
            "transfer_number": "+15559876543",
            "business_hours": {"timezone": "America/New_York", "schedule": []},
            "recording_enabled": true,
            "transcription_enabled": true,
            "status": "active",
            "metadata": {"client_id": "client_789", "department": "support", "version": "2.0", "last_updated_by": "john@company.com"},
            "created_at": "2025-01-15T10:30:00Z",
            "updated_at": "2025-01-15T14:22:00Z"
        },
        "meta": {"request_id": "req_update_xyz456", "timestamp": "2025-01-15T14:22:00Z"}
    })
}

#[tokio::test]
async fn a_partial_update_sends_only_the_fields_set() {
    let server = MockServer::start().await;
    let prompt = "You are a helpful and friendly customer support agent for Acme Corporation.";
    let welcome = "Thank you for calling Acme Corporation. This is your AI assistant. How may I help you today?";
    Mock::given(method("PUT"))
        .and(path("/v1/agents/agent_abc123xyz789"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "system_prompt": prompt,
            "welcome_message": welcome,
            "metadata": {"version": "2.0", "last_updated_by": "john@company.com"}
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(success_example()))
        .expect(1)
        .mount(&server)
        .await;

    let mut metadata = serde_json::Map::new();
    metadata.insert("version".into(), json!("2.0"));
    metadata.insert("last_updated_by".into(), json!("john@company.com"));
    let body = types::UpdateAgentRequest {
        system_prompt: Some(prompt.into()),
        welcome_message: Some(welcome.into()),
        metadata: Some(metadata),
        ..Default::default()
    };
    let response = client(&server)
        .update_agent("agent_abc123xyz789", &body)
        .await
        .unwrap();
    assert_eq!(response.request_id().as_deref(), Some("req_update_xyz456"));
    let agent = &response.data;
    assert_eq!(agent.id.as_deref(), Some("agent_abc123xyz789"));
    assert_eq!(agent.status, Some(Open::Known(types::AgentStatus::Active)));
    assert_eq!(agent.transfer_number.as_deref(), Some("+15559876543"));
    assert_eq!(
        agent.updated_at.map(|t| t.to_rfc3339()),
        Some("2025-01-15T14:22:00+00:00".to_string())
    );
    assert_eq!(
        response.meta.as_ref().and_then(|m| m.request_id.as_deref()),
        Some("req_update_xyz456")
    );
}

#[tokio::test]
async fn documented_404_and_400_are_typed_and_keep_their_status() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/v1/agents/agent_invalid123"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "error": {"type": "not_found", "message": "Agent not found", "code": "agent_not_found", "agent_id": "agent_invalid123"}
        })))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/v1/agents/agent_abc123xyz789"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error": {"type": "invalid_request", "message": "Invalid language code", "code": "invalid_parameter", "field": "language"}
        })))
        .mount(&server)
        .await;
    let client = client(&server);
    let body = types::UpdateAgentRequest {
        voice_id: Some("voice_professional_male_1".into()),
        ..Default::default()
    };

    let error = client
        .update_agent("agent_invalid123", &body)
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    let Some(UpdateAgentError::NotFound(not_found)) = error.api_error() else {
        panic!("expected NotFound, got {error:?}");
    };
    assert_eq!(not_found.error.code, "agent_not_found");
    assert_eq!(
        not_found.error.agent_id.as_deref(),
        Some("agent_invalid123")
    );

    let error = client
        .update_agent("agent_abc123xyz789", &body)
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    let Some(UpdateAgentError::BadRequest(bad)) = error.api_error() else {
        panic!("expected BadRequest, got {error:?}");
    };
    assert_eq!(bad.error.field.as_deref(), Some("language"));
    assert_eq!(bad.error.message, "Invalid language code");
}

#[tokio::test]
async fn an_undocumented_status_keeps_headers_and_body() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(
            ResponseTemplate::new(409)
                .insert_header("x-request-id", "req-409")
                .set_body_string("conflict"),
        )
        .mount(&server)
        .await;
    let error = client(&server)
        .update_agent("a", &types::UpdateAgentRequest::default())
        .await
        .unwrap_err();
    let Error::UnexpectedStatus(response) = &error else {
        panic!("expected UnexpectedStatus, got {error:?}");
    };
    assert_eq!(response.status(), 409);
    assert_eq!(response.body_text(), "conflict");
    assert_eq!(error.request_id().as_deref(), Some("req-409"));
}

#[tokio::test]
async fn the_token_never_appears_in_debug_or_errors() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .mount(&server)
        .await;
    let client = client(&server);
    let error = client
        .update_agent("a", &types::UpdateAgentRequest::default())
        .await
        .unwrap_err();
    let printed = format!("{client:?} {client:#?} {error} {error:?}");
    assert!(!printed.contains("abc123xyz789"), "{printed}");
}

#[tokio::test]
async fn a_new_status_value_from_the_server_is_kept() {
    let server = MockServer::start().await;
    let mut example = success_example();
    example["data"]["status"] = json!("deleted");
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_json(example))
        .mount(&server)
        .await;
    let response = client(&server)
        .update_agent("a", &types::UpdateAgentRequest::default())
        .await
        .unwrap();
    assert_eq!(response.data.status, Some(Open::Unknown("deleted".into())));
    assert_eq!(
        serde_json::to_value(&response.data).unwrap()["status"],
        json!("deleted")
    );
}

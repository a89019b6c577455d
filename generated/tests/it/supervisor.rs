//! The Supervisor client against a local HTTP server: bearer auth, the
//! workspace header, the page's example, and null versus absent.

use agent_clients::runtime::{ClientConfig, Nullable, RetryPolicy};
use agent_clients::supervisor::{Client, types};
use agent_clients::uuid::Uuid;
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "sup-token-123";
const AGENT: &str = "5769e110-7267-4cf7-a3ca-2d06e8fffbb3";
const WORKSPACE: &str = "a44bb95e-9f01-4d19-8b62-1f6f2b8e8363";

fn client(server: &MockServer) -> Client {
    let config = ClientConfig::default().retry(RetryPolicy::disabled());
    Client::with_config(&server.uri(), TOKEN, config).unwrap()
}

fn response_example() -> serde_json::Value {
    json!({
        "agentId": AGENT,
        "workspaceId": WORKSPACE,
        "name": "Soporte Voz Latam",
        "agentType": "voice",
        "status": "active",
        "versionId": "b8f60a6d-4c3a-4b9f-8cf3-56ad71d2f2bf",
        "knowledgeBaseIds": [],
        "tools": [],
        "createdAt": "2025-09-20T18:22:04.012Z",
        "updatedAt": "2025-10-09T09:31:45.271Z",
        "metadata": {"statusReason": "Campaña Q4"}
    })
}

#[tokio::test]
async fn sends_the_documented_request_and_parses_the_example() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(format!("/v1/agents/{AGENT}")))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("x-workspace-id", WORKSPACE))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "name": "Soporte Voz Latam",
            "status": "active",
            "metadata": {"statusReason": "SLA firmado"}
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(response_example()))
        .expect(1)
        .mount(&server)
        .await;
    let mut metadata = serde_json::Map::new();
    metadata.insert("statusReason".into(), json!("SLA firmado"));
    let body = types::UpdateAgentRequest {
        name: Some("Soporte Voz Latam".into()),
        status: Some(types::AgentStatus::Active),
        metadata: Some(metadata),
        ..Default::default()
    };
    let agent = client(&server)
        .update_agent(&AGENT.parse().unwrap(), &WORKSPACE.parse().unwrap(), &body)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(agent.agent_id, AGENT.parse::<Uuid>().unwrap());
    assert_eq!(agent.agent_type, types::AgentType::Voice);
    assert_eq!(agent.status, types::AgentStatus::Active);
    assert_eq!(agent.knowledge_base_ids, Some(vec![]));
    // Absent in the example, so absent here: not "null", not a value.
    assert_eq!(agent.description, Nullable::Absent);
    assert_eq!(agent.tags, None);
}

#[tokio::test]
async fn null_clears_absent_leaves_and_value_sets() {
    let server = MockServer::start().await;
    let tone: Uuid = "0d2b5b8e-7c0e-4a57-9c9b-0b3f3a5e9d11".parse().unwrap();
    Mock::given(method("PATCH"))
        .and(body_json(json!({
            "description": null,
            "toneId": tone,
            "debounceDelayMs": 250,
            "ownerUserId": null,
            "tags": []
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(response_example()))
        .expect(1)
        .mount(&server)
        .await;
    let body = types::UpdateAgentRequest {
        description: Nullable::Null,
        tone_id: Nullable::Value(tone),
        debounce_delay_ms: 250.into(),
        owner_user_id: Nullable::Null,
        // An empty list is sent (it clears the tags), unlike a `None`.
        tags: Some(vec![]),
        // message_style_id is left out entirely.
        ..Default::default()
    };
    client(&server)
        .update_agent(&AGENT.parse().unwrap(), &WORKSPACE.parse().unwrap(), &body)
        .await
        .unwrap();
    let received = server.received_requests().await.unwrap();
    let sent: serde_json::Value = serde_json::from_slice(&received[0].body).unwrap();
    assert!(sent.get("messageStyleId").is_none(), "{sent}");
    assert!(sent.get("name").is_none(), "{sent}");
}

#[tokio::test]
async fn responses_tell_null_from_absent() {
    let server = MockServer::start().await;
    let mut example = response_example();
    example["description"] = serde_json::Value::Null;
    example["debounceDelayMs"] = json!(0);
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_json(example))
        .mount(&server)
        .await;
    let agent = client(&server)
        .update_agent(
            &AGENT.parse().unwrap(),
            &WORKSPACE.parse().unwrap(),
            &types::UpdateAgentRequest::default(),
        )
        .await
        .unwrap()
        .into_inner();
    assert_eq!(agent.description, Nullable::Null);
    assert_eq!(agent.debounce_delay_ms, Nullable::Value(0));
    assert_eq!(agent.avatar_url, Nullable::Absent);
}

#[tokio::test]
async fn a_missing_required_response_field_is_a_decode_error_with_the_body() {
    let server = MockServer::start().await;
    let mut example = response_example();
    example.as_object_mut().unwrap().remove("workspaceId");
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_json(example))
        .mount(&server)
        .await;
    let error = client(&server)
        .update_agent(
            &AGENT.parse().unwrap(),
            &WORKSPACE.parse().unwrap(),
            &types::UpdateAgentRequest::default(),
        )
        .await
        .unwrap_err();
    assert!(error.to_string().contains("workspaceId"), "{error}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    assert!(
        error
            .response()
            .unwrap()
            .body_text()
            .contains("Soporte Voz Latam")
    );
}

//! Each vendor's typed mock server (`mock` feature), driven by its own
//! client over HTTP: typed matchers on path, header and body; typed
//! successes and errors; raw answers; call counts verified.

use std::time::Duration;

use agent_clients::runtime::{ClientConfig, Error, RetryPolicy};
use agent_clients::{ayra, ravan, selise_blocks, supervisor};
use serde_json::json;

fn no_retries() -> ClientConfig {
    ClientConfig::default().retry(RetryPolicy::disabled())
}

fn ayra_request() -> ayra::types::UpdateAgentRequest {
    ayra::types::UpdateAgentRequest {
        name: Some("Support".to_string()),
        status: Some(ayra::types::AgentStatus::Paused),
        ..Default::default()
    }
}

fn ayra_response(id: &str) -> ayra::types::UpdateAgentResponse {
    ayra::types::UpdateAgentResponse {
        data: ayra::types::Agent {
            id: Some(id.to_string()),
            name: Some("Support".to_string()),
            ..Default::default()
        },
        meta: None,
    }
}

#[tokio::test]
async fn a_typed_expectation_answers_the_typed_success_once() {
    let server = ayra::mock::MockServer::start().await;
    server
        .update_agent()
        .agent_id("agent 7/b")
        .body(&ayra_request())
        .respond_ok(&ayra_response("agent 7/b"))
        .expect(1)
        .mount()
        .await;
    let client = ayra::Client::with_config(&server.uri(), "token", no_retries()).unwrap();
    let updated = client
        .update_agent("agent 7/b", &ayra_request())
        .await
        .unwrap();
    assert_eq!(updated.status().as_u16(), 200);
    assert_eq!(updated.into_inner(), ayra_response("agent 7/b"));
    server.verify().await;
}

#[tokio::test]
async fn a_typed_error_reaches_the_client_as_its_error_variant() {
    let server = ayra::mock::MockServer::start().await;
    let missing = ayra::types::ErrorResponse {
        error: ayra::types::ErrorDetail {
            code: "agent_not_found".to_string(),
            message: "no such agent".to_string(),
            type_: "not_found".to_string(),
            agent_id: Some("gone".to_string()),
            field: None,
        },
    };
    server
        .update_agent()
        .agent_id("gone")
        .respond_not_found(&missing)
        .expect(1)
        .mount()
        .await;
    let client = ayra::Client::with_config(&server.uri(), "token", no_retries()).unwrap();
    let error = client
        .update_agent("gone", &ayra_request())
        .await
        .unwrap_err();
    match error.api_error() {
        Some(ayra::UpdateAgentError::NotFound(body)) => assert_eq!(*body, missing),
        other => panic!("expected the typed 404, got {other:?} from {error}"),
    }
}

#[tokio::test]
async fn a_request_the_matchers_refuse_is_not_answered_and_the_count_fails() {
    let server = ayra::mock::MockServer::start().await;
    server
        .update_agent()
        .agent_id("a1")
        .body(&ayra_request())
        .respond_ok(&ayra_response("a1"))
        .expect(1)
        .mount()
        .await;
    let client = ayra::Client::with_config(&server.uri(), "token", no_retries()).unwrap();
    let other_body = ayra::types::UpdateAgentRequest {
        name: Some("Sales".to_string()),
        ..Default::default()
    };
    let error = client.update_agent("a1", &other_body).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404), "{error}");
    let error = client
        .update_agent("a2", &ayra_request())
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404), "{error}");
    // The expectation was never met: verifying says so, naming it.
    let verified = tokio::spawn(async move { server.verify().await }).await;
    let panic = verified.expect_err("an unmet expectation fails verification");
    let message = panic.into_panic();
    let message = message
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(message.contains("updateAgent"), "{message}");
}

#[tokio::test]
async fn uuid_path_and_header_matchers_are_typed() {
    let server = supervisor::mock::MockServer::start().await;
    let agent_id = uuid::Uuid::from_u128(7);
    let workspace = uuid::Uuid::from_u128(42);
    let agent: supervisor::types::Agent = serde_json::from_value(json!({
        "agentId": agent_id,
        "agentType": "chat",
        "createdAt": "2026-01-01T00:00:00Z",
        "name": "Support",
        "status": "active",
        "updatedAt": "2026-01-02T00:00:00Z",
        "workspaceId": workspace,
    }))
    .unwrap();
    let request = supervisor::types::UpdateAgentRequest {
        status: Some(supervisor::types::AgentStatus::Active),
        ..Default::default()
    };
    server
        .update_agent()
        .agent_id(&agent_id)
        .x_workspace_id(&workspace)
        .body(&request)
        .respond_ok(&agent)
        .expect(1)
        .mount()
        .await;
    let client = supervisor::Client::with_config(&server.uri(), "token", no_retries()).unwrap();
    let updated = client
        .update_agent(&agent_id, &workspace, &request)
        .await
        .unwrap();
    assert_eq!(updated.into_inner(), agent);
    // Another workspace is another request.
    let error = client
        .update_agent(&agent_id, &uuid::Uuid::from_u128(1), &request)
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404), "{error}");
}

#[tokio::test]
async fn raw_answers_and_bounded_expectations_drive_a_retry() {
    let server = ravan::mock::MockServer::start().await;
    let body = ravan::types::UpdateAgentStatusRequest {
        status: Some(ravan::types::AgentStatus::AgentStatusInactive),
    };
    // The first attempt finds the server busy, the retry succeeds.
    server
        .update_agent_status()
        .id("a1")
        .respond_raw(503, "busy")
        .up_to_n_times(1)
        .expect(1)
        .mount()
        .await;
    server
        .update_agent_status()
        .id("a1")
        .body(&body)
        .respond_ok(&ravan::types::UpdateAgentStatusResponse {
            success: Some(true),
            ..Default::default()
        })
        .expect(1)
        .mount()
        .await;
    let retry = RetryPolicy::default()
        .initial_backoff(Duration::from_millis(1))
        .jitter(false);
    let config = ClientConfig::default().retry(retry);
    let client = ravan::Client::with_config(&server.uri(), "key", config).unwrap();
    let response = client.update_agent_status("a1", &body).await.unwrap();
    assert_eq!(response.into_inner().success, Some(true));
    assert_eq!(server.received_requests().await.len(), 2);
}

#[tokio::test]
async fn a_validation_error_is_answered_typed() {
    let server = selise_blocks::mock::MockServer::start().await;
    let request = selise_blocks::types::ChangeAgentStatusRequest {
        agent_id: "a1".to_string(),
        is_archived: false,
        is_disabled: true,
        project_key: "p1".to_string(),
    };
    let invalid: selise_blocks::types::ValidationErrorResponse = serde_json::from_value(json!({
        "detail": [{"loc": ["body", "project_key"], "msg": "unknown project", "type": "value_error"}]
    }))
    .unwrap();
    server
        .change_agent_status()
        .body(&request)
        .respond_unprocessable_entity(&invalid)
        .expect(1)
        .mount()
        .await;
    let client = selise_blocks::Client::with_config(&server.uri(), no_retries()).unwrap();
    let error = client.change_agent_status(&request).await.unwrap_err();
    assert!(matches!(error, Error::Api { .. }), "{error}");
    match error.api_error() {
        Some(selise_blocks::ChangeAgentStatusError::UnprocessableEntity(body)) => {
            assert_eq!(*body, invalid)
        }
        other => panic!("expected the typed 422, got {other:?}"),
    }
}

//! The Selise Blocks client against a local HTTP server: the request the
//! vendor's page shows, its success example, and its 422 error.

use agent_clients::runtime::{ClientConfig, Error, RetryPolicy};
use agent_clients::selise_blocks::{ChangeAgentStatusError, Client, types};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn request() -> types::ChangeAgentStatusRequest {
    types::ChangeAgentStatusRequest {
        agent_id: "a1b2c3d4-e5f6-7890-abcd-ef1234567890".into(),
        is_disabled: false,
        is_archived: false,
        project_key: "YOUR_PROJECT_KEY".into(),
    }
}

#[tokio::test]
async fn sends_the_documented_request_and_parses_the_success_example() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/agents/change-status"))
        .and(header("accept", "application/json"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "agent_id": "a1b2c3d4-e5f6-7890-abcd-ef1234567890",
            "is_disabled": false,
            "is_archived": false,
            "project_key": "YOUR_PROJECT_KEY"
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "is_success": true,
            "item_id": "a1b2c3d4-e5f6-7890-abcd-ef1234567890",
            "detail": "Agent status updated successfully",
            "error": {}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri()).unwrap();
    let response = client.change_agent_status(&request()).await.unwrap();
    assert_eq!(response.is_success, Some(true));
    assert_eq!(
        response.item_id.as_deref(),
        Some("a1b2c3d4-e5f6-7890-abcd-ef1234567890")
    );
    assert_eq!(response.error.as_ref().map(|e| e.len()), Some(0));

    // The page documents no credential, and none is sent.
    let received = server.received_requests().await.unwrap();
    assert!(received[0].headers.get("authorization").is_none());
}

#[tokio::test]
async fn the_documented_422_is_a_typed_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({
            "detail": [{"loc": ["body", "agent_id"], "msg": "field required", "type": "value_error.missing"}]
        })))
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri()).unwrap();
    let error = client.change_agent_status(&request()).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(422));
    let Some(ChangeAgentStatusError::UnprocessableEntity(body)) = error.api_error() else {
        panic!("expected the typed 422, got {error:?}");
    };
    assert_eq!(body.detail.len(), 1);
    assert_eq!(body.detail[0].msg, "field required");
    assert_eq!(body.detail[0].type_, "value_error.missing");
    assert_eq!(
        body.detail[0].loc,
        vec![
            types::ValidationErrorLocItem::String("body".into()),
            types::ValidationErrorLocItem::String("agent_id".into())
        ]
    );
}

#[tokio::test]
async fn a_422_with_another_shape_keeps_the_raw_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(422).set_body_string("not json"))
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri()).unwrap();
    let error = client.change_agent_status(&request()).await.unwrap_err();
    let Error::Decode { response, .. } = &error else {
        panic!("expected Decode, got {error:?}");
    };
    assert_eq!(response.status(), 422);
    assert_eq!(response.body_text(), "not json");
}

/// A `POST`, yet retried: the overlay marks the status change idempotent
/// (it sets two flags to given values), with its reason.
#[tokio::test]
async fn the_status_post_is_retried_through_its_idempotent_mark() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .expect(3)
        .mount(&server)
        .await;
    let retry = RetryPolicy::default()
        .max_attempts(3)
        .initial_backoff(std::time::Duration::from_millis(1));
    let config = ClientConfig::default().retry(retry);
    let client = Client::with_config(&server.uri(), config).unwrap();
    let error = client.change_agent_status(&request()).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(error.response().unwrap().attempts(), 3);
}

//! Documented request constraints are checked before any byte is sent, with
//! an error naming the field and the rule; responses are never rejected for
//! breaking a request-side constraint.

use agent_clients::runtime::{ClientConfig, Error, Nullable, RetryPolicy};
use agent_clients::{ayra, supervisor};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn config() -> ClientConfig {
    ClientConfig::default().retry(RetryPolicy::disabled())
}

async fn nothing_may_arrive() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    server
}

fn invalid<E: std::fmt::Debug>(error: Error<E>) -> (String, String) {
    match error {
        Error::InvalidRequest(invalid) => (invalid.field, invalid.rule),
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}

#[tokio::test]
async fn ayra_constraints_are_checked_before_sending() {
    let server = nothing_may_arrive().await;
    let client = ayra::Client::with_config(&server.uri(), "tok", config()).unwrap();
    let cases = [
        (
            ayra::types::UpdateAgentRequest {
                name: Some("x".repeat(101)),
                ..Default::default()
            },
            ("body.name", "maxLength 100"),
        ),
        (
            ayra::types::UpdateAgentRequest {
                system_prompt: Some("p".repeat(10_001)),
                ..Default::default()
            },
            ("body.system_prompt", "maxLength 10000"),
        ),
        (
            ayra::types::UpdateAgentRequest {
                welcome_message: Some("w".repeat(501)),
                ..Default::default()
            },
            ("body.welcome_message", "maxLength 500"),
        ),
        (
            ayra::types::UpdateAgentRequest {
                transfer_number: Some("555-0100".into()),
                ..Default::default()
            },
            ("body.transfer_number", r"pattern ^\+[1-9][0-9]{1,14}$"),
        ),
        (
            ayra::types::UpdateAgentRequest {
                language: Some("eng".into()),
                ..Default::default()
            },
            ("body.language", "pattern ^[a-z]{2}$"),
        ),
    ];
    for (body, (field, rule)) in cases {
        let error = client.update_agent("agent_1", &body).await.unwrap_err();
        assert!(error.to_string().contains(field), "{error}");
        assert_eq!(invalid(error), (field.to_string(), rule.to_string()));
    }
    // At the limits, everything passes validation (and reaches the server,
    // which here answers 200 with an empty body: a decode error, not an
    // invalid request).
    let ok = ayra::types::UpdateAgentRequest {
        name: Some("é".repeat(100)),
        transfer_number: Some("+15559876543".into()),
        language: Some("en".into()),
        ..Default::default()
    };
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {}})))
        .expect(1)
        .mount(&server)
        .await;
    let client = ayra::Client::with_config(&server.uri(), "tok", config()).unwrap();
    client.update_agent("agent_1", &ok).await.unwrap();
}

#[tokio::test]
async fn supervisor_minimum_is_checked() {
    let server = nothing_may_arrive().await;
    let client = supervisor::Client::with_config(&server.uri(), "tok", config()).unwrap();
    let body = supervisor::types::UpdateAgentRequest {
        debounce_delay_ms: Nullable::Value(-1),
        ..Default::default()
    };
    let agent = "5769e110-7267-4cf7-a3ca-2d06e8fffbb3".parse().unwrap();
    let workspace = "a44bb95e-9f01-4d19-8b62-1f6f2b8e8363".parse().unwrap();
    let error = client
        .update_agent(&agent, &workspace, &body)
        .await
        .unwrap_err();
    assert_eq!(
        invalid(error),
        ("body.debounceDelayMs".to_string(), "minimum 0".to_string())
    );
}

#[tokio::test]
async fn responses_are_not_held_to_request_constraints() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": {"name": "n".repeat(300), "transfer_number": "ext. 42", "language": "english"}
        })))
        .mount(&server)
        .await;
    let client = ayra::Client::with_config(&server.uri(), "tok", config()).unwrap();
    let response = client
        .update_agent("agent_1", &ayra::types::UpdateAgentRequest::default())
        .await
        .unwrap();
    assert_eq!(response.data.transfer_number.as_deref(), Some("ext. 42"));
    assert_eq!(response.data.name.as_ref().map(|n| n.len()), Some(300));
}

//! The portable status call against local HTTP servers: each vendor's
//! mapping as it goes on the wire, the refusal of what a vendor cannot
//! express, and how each kind of failure is reported.

#![cfg(feature = "portable")]

use agent_clients::portable::{Agent, Clients, ErrorKind, Status, Vendor};
use agent_clients::runtime::{ClientConfig, RetryPolicy};
use agent_clients::{ayra, ravan, selise_blocks, supervisor};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SUPERVISOR_AGENT: &str = "6f1d7a52-4c2b-4d8e-9a7f-1b2c3d4e5f60";
const WORKSPACE: &str = "0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d";

fn config() -> ClientConfig {
    ClientConfig::default().retry(RetryPolicy::disabled())
}

/// Clients for all four vendors, each pointed at `server`.
fn clients(server: &MockServer) -> Clients {
    let url = server.uri();
    Clients {
        ravan: Some(ravan::Client::with_config(&url, "ravan-key", config()).unwrap()),
        selise_blocks: Some(selise_blocks::Client::with_config(&url, config()).unwrap()),
        ayra: Some(ayra::Client::with_config(&url, "ayra-token", config()).unwrap()),
        supervisor: Some(supervisor::Client::with_config(&url, "sv-token", config()).unwrap()),
    }
}

fn supervisor_agent() -> Agent {
    Agent::Supervisor {
        id: SUPERVISOR_AGENT.parse().unwrap(),
        workspace_id: WORKSPACE.parse().unwrap(),
    }
}

fn supervisor_response(status: &str) -> serde_json::Value {
    json!({
        "agentId": SUPERVISOR_AGENT,
        "workspaceId": WORKSPACE,
        "name": "Soporte",
        "agentType": "voice",
        "status": status,
        "createdAt": "2025-09-20T18:22:04.012Z",
        "updatedAt": "2025-10-09T09:31:45.271Z"
    })
}

/// Each portable status, as each vendor receives it: the request the
/// mapping table promises, once, and the portable result back.
#[tokio::test]
async fn each_vendor_receives_its_own_spelling_of_each_status() {
    let server = MockServer::start().await;
    for (status, ravan_value) in [
        (Status::Active, "AGENT_STATUS_ACTIVE"),
        (Status::Paused, "AGENT_STATUS_INACTIVE"),
    ] {
        Mock::given(method("PATCH"))
            .and(path("/api/v1/agents/agt_1/status/"))
            .and(header("x-api-key", "ravan-key"))
            .and(body_json(json!({"status": ravan_value})))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("x-request-id", format!("rv-{status}"))
                    .set_body_json(json!({"success": true, "data": {"id": "agt_1"}})),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    for (disabled, archived) in [(false, false), (true, false), (true, true)] {
        Mock::given(method("POST"))
            .and(path("/agents/change-status"))
            .and(body_json(json!({
                "agent_id": "sel-9",
                "project_key": "proj-42",
                "is_disabled": disabled,
                "is_archived": archived,
            })))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"is_success": true, "item_id": "sel-9"})),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    for status in ["active", "paused", "archived"] {
        Mock::given(method("PUT"))
            .and(path("/v1/agents/ay-7"))
            .and(header("authorization", "Bearer ayra-token"))
            .and(body_json(json!({"status": status})))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "data": {"id": "ay-7", "status": status},
                "meta": {"request_id": format!("req_{status}")}
            })))
            .expect(1)
            .mount(&server)
            .await;
    }
    for status in ["active", "inactive", "archived"] {
        Mock::given(method("PATCH"))
            .and(path(format!("/v1/agents/{SUPERVISOR_AGENT}")))
            .and(header("x-workspace-id", WORKSPACE))
            .and(body_json(json!({"status": status})))
            .respond_with(ResponseTemplate::new(200).set_body_json(supervisor_response(status)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let clients = clients(&server);
    let selise = Agent::SeliseBlocks {
        id: "sel-9".into(),
        project_key: "proj-42".into(),
    };
    for status in Status::ALL {
        let mut agents = vec![
            selise.clone(),
            Agent::Ayra { id: "ay-7".into() },
            supervisor_agent(),
        ];
        if status != Status::Archived {
            agents.push(Agent::Ravan { id: "agt_1".into() });
        }
        for agent in agents {
            let change = clients.set_status(&agent, status).await.unwrap();
            assert_eq!(change.vendor, agent.vendor());
            assert_eq!(change.agent_id, agent.id());
            assert_eq!(change.status, status);
            assert_eq!(
                change.vendor_value,
                agent.vendor().vendor_value(status).unwrap()
            );
            match agent.vendor() {
                Vendor::Ravan => assert_eq!(change.request_id, Some(format!("rv-{status}"))),
                Vendor::Ayra => assert_eq!(change.request_id, Some(format!("req_{status}"))),
                _ => assert_eq!(change.request_id, None),
            }
        }
    }
    // `expect(1)` on every mock: each request went out exactly once.
}

/// Each vendor's status call is retried after a `503`: Ravan's and
/// Supervisor's `PATCH` and Selise Blocks' `POST` only because their
/// overlays mark them `x-agent-clients-idempotent` (RFC 9110 would not
/// retry them), Ayra's `PUT` by its method and its mark.
#[tokio::test]
async fn each_vendors_status_call_is_retried_through_its_idempotent_mark() {
    let server = MockServer::start().await;
    let calls = [
        (
            "PATCH",
            "/api/v1/agents/agt_1/status/".to_string(),
            json!({"success": true}),
        ),
        (
            "POST",
            "/agents/change-status".to_string(),
            json!({"is_success": true}),
        ),
        (
            "PUT",
            "/v1/agents/ay-7".to_string(),
            json!({"data": {"id": "ay-7"}}),
        ),
        (
            "PATCH",
            format!("/v1/agents/{SUPERVISOR_AGENT}"),
            supervisor_response("inactive"),
        ),
    ];
    for (verb, route, success) in &calls {
        Mock::given(method(*verb))
            .and(path(route))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(method(*verb))
            .and(path(route))
            .respond_with(ResponseTemplate::new(200).set_body_json(success))
            .with_priority(2)
            .mount(&server)
            .await;
    }
    let retry = RetryPolicy::default()
        .max_attempts(2)
        .initial_backoff(std::time::Duration::from_millis(1));
    let config = || ClientConfig::default().retry(retry.clone());
    let url = server.uri();
    let clients = Clients {
        ravan: Some(ravan::Client::with_config(&url, "ravan-key", config()).unwrap()),
        selise_blocks: Some(selise_blocks::Client::with_config(&url, config()).unwrap()),
        ayra: Some(ayra::Client::with_config(&url, "ayra-token", config()).unwrap()),
        supervisor: Some(supervisor::Client::with_config(&url, "sv-token", config()).unwrap()),
    };
    let agents = [
        Agent::Ravan { id: "agt_1".into() },
        Agent::SeliseBlocks {
            id: "sel-9".into(),
            project_key: "proj-42".into(),
        },
        Agent::Ayra { id: "ay-7".into() },
        supervisor_agent(),
    ];
    for agent in &agents {
        let change = clients.set_status(agent, Status::Paused).await;
        assert!(change.is_ok(), "{agent:?}: {change:?}");
    }
    let requests = server.received_requests().await.unwrap();
    for (verb, route, _) in &calls {
        let sent = requests
            .iter()
            .filter(|r| r.method.as_str() == *verb && r.url.path() == route.as_str())
            .count();
        assert_eq!(sent, 2, "{verb} {route}: the 503, then the retry");
    }
}

/// What a vendor cannot express, or has no client for, is refused before
/// anything is sent.
#[tokio::test]
async fn what_cannot_be_sent_is_refused_without_a_request() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let clients = clients(&server);
    let ravan = Agent::Ravan { id: "agt_1".into() };
    let error = clients
        .set_status(&ravan, Status::Archived)
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Unsupported);
    assert_eq!(
        error.to_string(),
        "ravan agent agt_1: cannot set archived: ravan has no such status"
    );

    let only_ayra = Clients {
        ayra: clients.ayra.clone(),
        ..Clients::default()
    };
    let error = only_ayra
        .set_status(&supervisor_agent(), Status::Paused)
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::NoClient);
    assert!(
        error.to_string().contains("no supervisor client"),
        "{error}"
    );
}

/// Failures map to portable kinds and keep the vendor's answer: status,
/// body, and the typed error underneath.
#[tokio::test]
async fn failures_map_to_portable_kinds_and_keep_the_vendors_answer() {
    let server = MockServer::start().await;
    let cases = [
        (
            "/v1/agents/missing",
            404,
            json!({"error": {"type": "not_found", "code": "agent_not_found", "message": "no agent", "agent_id": "missing"}}),
        ),
        (
            "/v1/agents/bad",
            400,
            json!({"error": {"type": "invalid_request", "code": "invalid_field", "message": "bad voice", "field": "voice_id"}}),
        ),
        ("/v1/agents/locked", 401, json!({"error": "invalid token"})),
        ("/v1/agents/busy", 429, json!({"error": "slow down"})),
        ("/v1/agents/broken", 503, json!({"error": "maintenance"})),
    ];
    for (route, status, body) in &cases {
        Mock::given(method("PUT"))
            .and(path(*route))
            .respond_with(ResponseTemplate::new(*status).set_body_json(body.clone()))
            .mount(&server)
            .await;
    }
    Mock::given(method("POST"))
        .and(path("/agents/change-status"))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({
            "detail": [{"loc": ["body", "agent_id"], "msg": "unknown agent", "type": "value_error"}]
        })))
        .mount(&server)
        .await;
    let clients = clients(&server);
    let expectations = [
        ("missing", ErrorKind::NotFound, 404),
        (
            "bad",
            ErrorKind::InvalidRequest {
                field: Some("voice_id".into()),
            },
            400,
        ),
        ("locked", ErrorKind::Unauthorized, 401),
        ("busy", ErrorKind::RateLimited, 429),
        ("broken", ErrorKind::Server, 503),
    ];
    for (id, kind, status) in expectations {
        let agent = Agent::Ayra { id: id.into() };
        let error = clients
            .set_status(&agent, Status::Paused)
            .await
            .unwrap_err();
        assert_eq!(error.kind, kind, "{id}");
        let response = error
            .response
            .as_ref()
            .expect("the vendor's answer is kept");
        assert_eq!(response.status().as_u16(), status);
        assert!(!response.body().is_empty());
        // The typed error of the Ayra client is underneath.
        let source = error.source.as_ref().unwrap();
        assert!(
            source
                .downcast_ref::<agent_clients::runtime::Error<ayra::UpdateAgentError>>()
                .is_some(),
            "{source:?}"
        );
    }
    let selise = Agent::SeliseBlocks {
        id: "ghost".into(),
        project_key: "proj-42".into(),
    };
    let error = clients
        .set_status(&selise, Status::Active)
        .await
        .unwrap_err();
    assert_eq!(
        error.kind,
        ErrorKind::InvalidRequest {
            field: Some("agent_id".into())
        }
    );
    assert!(error.to_string().contains("(HTTP 422)"), "{error}");
}

/// A vendor that cannot be reached is a transport failure, not a hang.
#[tokio::test]
async fn an_unreachable_vendor_is_a_transport_failure() {
    // A port that was just free: nothing listens on it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let clients = Clients {
        ravan: Some(ravan::Client::with_config(&url, "k", config()).unwrap()),
        ..Clients::default()
    };
    let error = clients
        .set_status(&Agent::Ravan { id: "agt_1".into() }, Status::Active)
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Transport);
    assert!(error.response.is_none());
}

/// The portable call against Ayra's typed mock server (`mock` feature):
/// the expectation is written in Ayra's own types, so it cannot drift from
/// the spec, and both the typed success and the typed 404 come back as
/// the portable layer reports them.
#[cfg(feature = "mock")]
#[tokio::test]
async fn ayras_typed_mock_server_answers_the_portable_call() {
    use ayra::types::{Agent as AyraAgent, AgentStatus, UpdateAgentRequest, UpdateAgentResponse};
    let server = ayra::mock::MockServer::start().await;
    let paused = UpdateAgentRequest {
        status: Some(AgentStatus::Paused),
        ..Default::default()
    };
    server
        .update_agent()
        .agent_id("ay-1")
        .body(&paused)
        .respond_ok(&UpdateAgentResponse {
            data: AyraAgent {
                id: Some("ay-1".into()),
                status: Some(AgentStatus::Paused.into()),
                ..Default::default()
            },
            meta: None,
        })
        .expect(1)
        .mount()
        .await;
    let missing = ayra::types::ErrorResponse {
        error: ayra::types::ErrorDetail {
            type_: "not_found".into(),
            code: "agent_not_found".into(),
            message: "no agent".into(),
            agent_id: Some("ay-2".into()),
            field: None,
        },
    };
    server
        .update_agent()
        .agent_id("ay-2")
        .respond_not_found(&missing)
        .expect(1)
        .mount()
        .await;
    let clients = Clients {
        ayra: Some(ayra::Client::with_config(&server.uri(), "ayra-token", config()).unwrap()),
        ..Clients::default()
    };
    let change = clients
        .set_status(&Agent::Ayra { id: "ay-1".into() }, Status::Paused)
        .await
        .unwrap();
    assert_eq!(
        (change.vendor, change.vendor_value.as_str()),
        (Vendor::Ayra, "paused")
    );
    let error = clients
        .set_status(&Agent::Ayra { id: "ay-2".into() }, Status::Paused)
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::NotFound);
    server.verify().await;
}

/// Options for some calls reach every vendor through the portable clients,
/// and the clients they came from are unchanged.
#[tokio::test]
async fn call_options_reach_every_vendor_through_the_portable_clients() {
    use agent_clients::runtime::CallOptions;

    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let clients = clients(&server);
    let traced = clients.with_options(CallOptions::new().header("x-trace-id", "t-42").unwrap());
    let agents = [
        Agent::Ravan { id: "r1".into() },
        Agent::SeliseBlocks {
            id: "s1".into(),
            project_key: "p".into(),
        },
        Agent::Ayra { id: "a1".into() },
        supervisor_agent(),
    ];
    for agent in &agents {
        // Each vendor answers 500: only the request matters here.
        traced.set_status(agent, Status::Active).await.unwrap_err();
        clients.set_status(agent, Status::Active).await.unwrap_err();
    }
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 8);
    for pair in requests.chunks(2) {
        assert_eq!(pair[0].headers["x-trace-id"], "t-42", "{}", pair[0].url);
        assert!(
            pair[1].headers.get("x-trace-id").is_none(),
            "{}",
            pair[1].url
        );
    }
}

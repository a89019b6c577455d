//! Contract test against a real peer nobody here wrote: Prism
//! (`@stoplight/prism-cli`, pinned in package-lock.json) serves each spec as
//! a mock on 127.0.0.1 and validates every request against it. Each generated
//! client must get a success answer; a deliberately invalid request must be
//! rejected in the same test, proving the validation is live.
//!
//! `cargo xtask ci` installs Prism (`npm ci`) and sets
//! `AGENT_CLIENTS_REQUIRE_PRISM=1`, so there a missing Prism is a failure.
//! Under plain `cargo test` without `node_modules`, the test prints a notice
//! and skips.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use agent_clients::runtime::{ClientConfig, Nullable, RetryPolicy};
use agent_clients::{ayra, ravan, selise_blocks, supervisor};
use serde_json::json;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A Prism mock server for one spec, stopped on drop.
struct Prism {
    child: Child,
    base_url: String,
}

impl Prism {
    fn start(spec: &str) -> Option<Prism> {
        let root = workspace_root();
        let binary = root.join("node_modules/.bin/prism");
        if !binary.exists() {
            if std::env::var_os("AGENT_CLIENTS_REQUIRE_PRISM").is_some() {
                panic!(
                    "{} is missing; run `npm ci` at the workspace root",
                    binary.display()
                );
            }
            eprintln!(
                "NOTICE: {} is absent (run `npm ci`); skipping the Prism contract test",
                binary.display()
            );
            return None;
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(&binary)
            .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
            .arg(root.join("specs").join(spec))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("prism starts");
        let prism = Prism {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
        };
        // Prism takes a few seconds to load a spec; wait until it listens.
        let deadline = Instant::now() + Duration::from_secs(90);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "prism did not start on {spec} within 90s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Some(prism)
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn config() -> ClientConfig {
    // Prism's verdict is what is under test; a retry would only hide it.
    ClientConfig::default().retry(RetryPolicy::disabled())
}

/// Sends a raw request and returns its status and Prism's violations: in the
/// `sl-violations` header when the spec documents an error response Prism
/// can answer with, else in its own problem+json body.
async fn raw(
    method: &str,
    url: String,
    headers: &[(&str, &str)],
    body: serde_json::Value,
) -> (u16, String) {
    let client = reqwest::Client::new();
    let mut request = client
        .request(method.parse().unwrap(), url)
        .header("content-type", "application/json")
        .body(body.to_string());
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let mut violations = response
        .headers()
        .get("sl-violations")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = response.text().await.unwrap();
    if body.contains("\"validation\"") {
        violations.push_str(&body);
    }
    (status, violations)
}

fn assert_accepted<T>(response: &agent_clients::runtime::Response<T>) {
    assert!(response.status().is_success());
    assert!(
        response.headers().get("sl-violations").is_none(),
        "prism reported violations: {:?}",
        response.headers().get("sl-violations")
    );
}

#[tokio::test]
async fn ravan_client_conforms() {
    let Some(prism) = Prism::start("ravan.yaml") else {
        return;
    };
    let client = ravan::Client::with_config(&prism.base_url, "key", config()).unwrap();
    let body = ravan::types::UpdateAgentStatusRequest {
        status: Some(ravan::types::AgentStatus::AgentStatusInactive),
    };
    let response = client
        .update_agent_status("agent 1/2", &body)
        .await
        .unwrap();
    assert_accepted(&response);

    let (status, violations) = raw(
        "PATCH",
        format!("{}/api/v1/agents/a/status/", prism.base_url),
        &[("x-api-key", "key")],
        json!({"status": "paused"}),
    )
    .await;
    assert!((400..500).contains(&status), "{status}");
    assert!(violations.contains("status"), "{violations}");
}

#[tokio::test]
async fn selise_blocks_client_conforms() {
    let Some(prism) = Prism::start("selise-blocks.yaml") else {
        return;
    };
    let client = selise_blocks::Client::with_config(&prism.base_url, config()).unwrap();
    let body = selise_blocks::types::ChangeAgentStatusRequest {
        agent_id: "a1b2c3d4-e5f6-7890-abcd-ef1234567890".into(),
        is_disabled: true,
        is_archived: false,
        project_key: "YOUR_PROJECT_KEY".into(),
    };
    let response = client.change_agent_status(&body).await.unwrap();
    assert_accepted(&response);
    assert_eq!(response.is_success, Some(true));

    // A missing required field is rejected, with the documented 422.
    let (status, violations) = raw(
        "POST",
        format!("{}/agents/change-status", prism.base_url),
        &[],
        json!({"agent_id": "x", "is_disabled": true, "is_archived": false}),
    )
    .await;
    assert_eq!(status, 422);
    assert!(violations.contains("project_key"), "{violations}");
}

#[tokio::test]
async fn ayra_client_conforms() {
    let Some(prism) = Prism::start("ayra.yaml") else {
        return;
    };
    let client = ayra::Client::with_config(&prism.base_url, "sk_test", config()).unwrap();
    let body = ayra::types::UpdateAgentRequest {
        name: Some("Support".into()),
        language: Some("en".into()),
        transfer_number: Some("+15559876543".into()),
        status: Some(ayra::types::AgentStatus::Paused),
        ..Default::default()
    };
    let response = client
        .update_agent("agent_abc123xyz789", &body)
        .await
        .unwrap();
    assert_accepted(&response);
    assert_eq!(response.request_id().as_deref(), Some("req_update_xyz456"));

    // A wrong enum value is rejected.
    let (status, violations) = raw(
        "PUT",
        format!("{}/v1/agents/agent_abc123xyz789", prism.base_url),
        &[("authorization", "Bearer sk_test")],
        json!({"status": "deleted"}),
    )
    .await;
    assert_eq!(status, 400);
    assert!(violations.contains("status"), "{violations}");
}

#[tokio::test]
async fn supervisor_client_conforms() {
    let Some(prism) = Prism::start("supervisor.yaml") else {
        return;
    };
    let client = supervisor::Client::with_config(&prism.base_url, "tok", config()).unwrap();
    let agent = "5769e110-7267-4cf7-a3ca-2d06e8fffbb3".parse().unwrap();
    let workspace = "a44bb95e-9f01-4d19-8b62-1f6f2b8e8363".parse().unwrap();
    let body = supervisor::types::UpdateAgentRequest {
        name: Some("Soporte Voz Latam".into()),
        status: Some(supervisor::types::AgentStatus::Training),
        // An explicit null is valid for a nullable field, and Prism says so.
        description: Nullable::Null,
        debounce_delay_ms: Nullable::Value(0),
        tags: Some(vec![]),
        ..Default::default()
    };
    let response = client
        .update_agent(&agent, &workspace, &body)
        .await
        .unwrap();
    assert_accepted(&response);
    assert_eq!(response.agent_id, agent);

    // The required workspace header is missing: rejected.
    let (status, violations) = raw(
        "PATCH",
        format!("{}/v1/agents/{agent}", prism.base_url),
        &[("authorization", "Bearer tok")],
        json!({"name": "x"}),
    )
    .await;
    assert!((400..500).contains(&status), "{status}");
    assert!(violations.contains("x-workspace-id"), "{violations}");

    // A negative debounce delay breaks `minimum: 0`: rejected.
    let (status, violations) = raw(
        "PATCH",
        format!("{}/v1/agents/{agent}", prism.base_url),
        &[
            ("authorization", "Bearer tok"),
            ("x-workspace-id", "a44bb95e-9f01-4d19-8b62-1f6f2b8e8363"),
        ],
        json!({"debounceDelayMs": -1}),
    )
    .await;
    assert!((400..500).contains(&status), "{status}");
    assert!(violations.contains("debounceDelayMs"), "{violations}");
}

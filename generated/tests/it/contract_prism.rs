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

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use agent_clients::portable::{Agent, Clients, Status};
use agent_clients::runtime::{ClientConfig, Nullable, RetryPolicy};
use agent_clients::{ayra, ravan, selise_blocks, supervisor};
use serde_json::json;

/// Read at run time: a test binary built in another clone sharing the
/// target directory must serve this clone's specs with this clone's Prism.
fn workspace_root() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .expect("CARGO_MANIFEST_DIR is set: run this through cargo")
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Prism's executable, or `None` (with a notice) when it is not installed
/// and the caller does not require it.
fn prism_binary() -> Option<PathBuf> {
    let binary = workspace_root().join("node_modules/.bin/prism");
    if binary.exists() {
        return Some(binary);
    }
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
    None
}

/// How long Prism may take to load a spec and listen, on a loaded machine.
const START_TIMEOUT: Duration = Duration::from_secs(90);
/// Lines of Prism's output kept for failure reports.
const KEPT_LINES: usize = 80;

/// A Prism mock server for one spec, stopped on drop.
///
/// Prism binds a port of its own choosing (`--port 0`) and prints it, so no
/// port is picked here and handed over later. (That was the cause of
/// "connection refused" flakes: a port found free by binding and releasing
/// it can still accept a connection from a listener that a concurrent
/// `fork` in another test thread inherited, so a TCP connect "saw" Prism
/// before it had even started.) Ready means Prism answered an HTTP request.
///
/// Prism's output is kept (the last lines of both streams); when a test
/// fails while its Prism runs, the report is printed with the failure.
struct Prism {
    child: Child,
    spec: PathBuf,
    base_url: String,
    output: Arc<Mutex<VecDeque<String>>>,
    /// The threads copying Prism's stdout and stderr into `output`.
    readers: Vec<JoinHandle<()>>,
}

impl Prism {
    /// Starts Prism on `specs/<spec>`; `None` when Prism is not installed and
    /// not required. A Prism that cannot start fails the test with its own
    /// output.
    fn start(spec: &str) -> Option<Prism> {
        let binary = prism_binary()?;
        let spec = workspace_root().join("specs").join(spec);
        Some(Prism::try_start(&binary, &spec).unwrap_or_else(|report| panic!("{report}")))
    }

    /// Starts Prism and waits until it answers HTTP; on failure, a report
    /// with Prism's exit status and the last lines of its output.
    fn try_start(binary: &Path, spec: &Path) -> Result<Prism, String> {
        let mut child = Command::new(binary)
            .args(["mock", "--host", "127.0.0.1", "--port", "0"])
            .arg(spec)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|error| format!("cannot run {}: {error}", binary.display()))?;
        let output = Arc::new(Mutex::new(VecDeque::new()));
        let (address_tx, address_rx) = mpsc::channel();
        let readers = vec![
            keep_lines(child.stdout.take(), "out", &output, Some(address_tx)),
            keep_lines(child.stderr.take(), "err", &output, None),
        ];
        let mut prism = Prism {
            child,
            spec: spec.to_path_buf(),
            base_url: String::new(),
            output,
            readers,
        };
        let deadline = Instant::now() + START_TIMEOUT;
        prism.base_url = prism.wait_for_address(&address_rx, deadline)?;
        prism.wait_until_answering(deadline)?;
        Ok(prism)
    }

    /// The address from Prism's "Prism is listening on URL" line.
    fn wait_for_address(
        &mut self,
        address: &mpsc::Receiver<String>,
        deadline: Instant,
    ) -> Result<String, String> {
        loop {
            if let Ok(url) = address.recv_timeout(Duration::from_millis(50)) {
                return Ok(url);
            }
            if let Some(status) = self.exit_status() {
                return Err(self.report(&format!("Prism exited with {status} before listening")));
            }
            if Instant::now() > deadline {
                return Err(self.report(&format!(
                    "Prism did not listen within {}s",
                    START_TIMEOUT.as_secs()
                )));
            }
        }
    }

    /// Polls until an HTTP request to Prism gets an HTTP answer.
    fn wait_until_answering(&mut self, deadline: Instant) -> Result<(), String> {
        loop {
            let error = match http_status_line(&self.base_url) {
                Ok(_) => return Ok(()),
                Err(error) => error,
            };
            if let Some(status) = self.exit_status() {
                return Err(self.report(&format!("Prism exited with {status} before answering")));
            }
            if Instant::now() > deadline {
                return Err(self.report(&format!(
                    "Prism printed its address but did not answer HTTP within {}s: {error}",
                    START_TIMEOUT.as_secs()
                )));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn exit_status(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// What went wrong, where, and what Prism itself said.
    fn report(&mut self, what: &str) -> String {
        let state = match self.exit_status() {
            Some(status) => {
                // Its last words may still be in the pipes: let the readers
                // reach the end (bounded: a grandchild could hold a pipe).
                let until = Instant::now() + Duration::from_secs(2);
                while Instant::now() < until && !self.readers.iter().all(|r| r.is_finished()) {
                    std::thread::sleep(Duration::from_millis(10));
                }
                format!("exited with {status}")
            }
            None => "still running".to_string(),
        };
        let address = if self.base_url.is_empty() {
            "no address yet"
        } else {
            &self.base_url
        };
        let lines = self.output.lock().unwrap();
        let mut report = format!(
            "{what}\nPrism serving {} (pid {}, {address}): {state}\n\
             --- last {} lines of Prism's output ---\n",
            self.spec.display(),
            self.child.id(),
            lines.len()
        );
        for line in lines.iter() {
            report.push_str(line);
            report.push('\n');
        }
        report.push_str("--- end of Prism's output ---");
        report
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        // A test failing while this Prism runs gets Prism's side of the story
        // (libtest shows a failed test's output).
        if std::thread::panicking() {
            let report = self.report("the test failed while this Prism was running");
            eprintln!("{report}");
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Copies a child's stream into `kept` (the last `KEPT_LINES` lines, tagged
/// with the stream's name) on a thread of its own; sends the address once
/// Prism says where it listens.
fn keep_lines(
    stream: Option<impl Read + Send + 'static>,
    tag: &'static str,
    kept: &Arc<Mutex<VecDeque<String>>>,
    address: Option<mpsc::Sender<String>>,
) -> JoinHandle<()> {
    let kept = kept.clone();
    std::thread::spawn(move || {
        let Some(stream) = stream else { return };
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { return };
            if let Some(address) = &address
                && let Some((_, url)) = line.split_once("Prism is listening on ")
            {
                let _ = address.send(url.trim().to_string());
            }
            let mut kept = kept.lock().unwrap();
            if kept.len() == KEPT_LINES {
                kept.pop_front();
            }
            kept.push_back(format!("{tag}| {line}"));
        }
    })
}

/// Sends `GET /` and returns the status line of the answer: proof that an
/// HTTP server, not merely an open port, is there.
fn http_status_line(base_url: &str) -> Result<String, String> {
    let authority = base_url
        .strip_prefix("http://")
        .ok_or_else(|| format!("not an http URL: {base_url}"))?;
    let mut stream = TcpStream::connect(authority).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .map_err(|e| e.to_string())?;
    write!(
        stream,
        "GET / HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut status_line = String::new();
    BufReader::new(stream)
        .read_line(&mut status_line)
        .map_err(|e| e.to_string())?;
    if status_line.starts_with("HTTP/1.") {
        Ok(status_line.trim_end().to_string())
    } else {
        Err(format!("not an HTTP answer: {status_line:?}"))
    }
}

#[test]
fn a_prism_that_cannot_start_shows_its_own_error() {
    let Some(binary) = prism_binary() else {
        return;
    };
    let spec = workspace_root().join("specs/does-not-exist.yaml");
    let Err(report) = Prism::try_start(&binary, &spec) else {
        panic!("Prism started on a spec that does not exist");
    };
    assert!(
        report.contains("Prism exited with exit status: 1 before listening"),
        "{report}"
    );
    assert!(report.contains("does-not-exist.yaml"), "{report}");
    // Prism's own words, from its output.
    assert!(
        report.contains("ENOENT: no such file or directory"),
        "{report}"
    );
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

/// The portable call (`agent_clients::portable`) for `agent`, with every
/// status its vendor can express, through `clients` pointed at Prism: each
/// mapping must be a request Prism accepts (a refused request is an error,
/// so `Ok` is Prism's acceptance).
async fn portable_statuses_accepted(clients: Clients, agent: Agent) {
    for status in Status::ALL {
        if agent.vendor().vendor_value(status).is_none() {
            continue;
        }
        let change = clients
            .set_status(&agent, status)
            .await
            .unwrap_or_else(|error| panic!("{error}: {:?}", error.response));
        assert_eq!(change.status, status);
    }
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
    let clients = Clients {
        ravan: Some(client),
        ..Clients::default()
    };
    portable_statuses_accepted(
        clients,
        Agent::Ravan {
            id: "agent 1/2".into(),
        },
    )
    .await;

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
    let clients = Clients {
        selise_blocks: Some(client),
        ..Clients::default()
    };
    let agent = Agent::SeliseBlocks {
        id: "a1b2c3d4-e5f6-7890-abcd-ef1234567890".into(),
        project_key: "YOUR_PROJECT_KEY".into(),
    };
    portable_statuses_accepted(clients, agent).await;

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
    let clients = Clients {
        ayra: Some(client.clone()),
        ..Clients::default()
    };
    let agent = Agent::Ayra {
        id: "agent_abc123xyz789".into(),
    };
    portable_statuses_accepted(clients, agent).await;

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
    let clients = Clients {
        supervisor: Some(client),
        ..Clients::default()
    };
    let address = Agent::Supervisor {
        id: agent,
        workspace_id: workspace,
    };
    portable_statuses_accepted(clients, address).await;

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

//! `agentctl` end to end: the built binary, run as a user runs it, against
//! local HTTP servers (wiremock on 127.0.0.1) standing in for the vendors.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{Value, json};
use wiremock::matchers::{any, body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const RAVAN_KEY: &str = "rv-secret-key-0001";
const AYRA_TOKEN: &str = "ayra-secret-token-0002";
const SUPERVISOR_TOKEN: &str = "sv-secret-token-0003";
const WORKSPACE: &str = "0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d";

/// Runs `agentctl` with every vendor's credentials in its environment.
async fn agentctl(args: &[&str]) -> Output {
    agentctl_with(
        args,
        &[
            ("AGENTCTL_RAVAN_API_KEY", RAVAN_KEY),
            ("AGENTCTL_AYRA_TOKEN", AYRA_TOKEN),
            ("AGENTCTL_SUPERVISOR_TOKEN", SUPERVISOR_TOKEN),
        ],
    )
    .await
}

/// Runs `agentctl` with only `env` of the credential variables set.
async fn agentctl_with(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_agentctl"));
    command.args(args);
    for variable in [
        "AGENTCTL_RAVAN_API_KEY",
        "AGENTCTL_AYRA_TOKEN",
        "AGENTCTL_SUPERVISOR_TOKEN",
    ] {
        command.env_remove(variable);
    }
    command.envs(env.iter().copied());
    command.output().await.expect("agentctl runs")
}

fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Nothing a run prints holds a credential.
fn assert_no_secrets(output: &Output) {
    let (stdout, stderr) = text(output);
    for secret in [RAVAN_KEY, AYRA_TOKEN, SUPERVISOR_TOKEN] {
        assert!(!stdout.contains(secret) && !stderr.contains(secret));
    }
}

fn json_lines(output: &Output) -> Vec<Value> {
    text(output)
        .0
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect()
}

/// A fresh directory for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("agentctl-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, contents: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path.display().to_string()
}

/// A port nothing listens on.
fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

fn supervisor_id(n: usize) -> String {
    format!("6f1d7a52-4c2b-4d8e-9a7f-{n:012}")
}

#[tokio::test]
async fn status_set_sends_one_request_and_reports_it() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/v1/agents/ay-1"))
        .and(header(
            "authorization",
            format!("Bearer {AYRA_TOKEN}").as_str(),
        ))
        .and(body_json(json!({"status": "paused"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": {"id": "ay-1", "status": "paused"},
            "meta": {"request_id": "req_1"}
        })))
        // Once per run below: the JSON run and the table run.
        .expect(2)
        .mount(&server)
        .await;
    let url = format!("ayra={}", server.uri());
    let output = agentctl(&[
        "status",
        "set",
        "ayra",
        "ay-1",
        "paused",
        "--json",
        "--base-url",
        &url,
    ])
    .await;
    assert_eq!(output.status.code(), Some(0), "{:?}", text(&output));
    assert_eq!(
        json_lines(&output),
        [json!({
            "vendor": "ayra", "agent": "ay-1", "status": "paused", "ok": true,
            "vendor_value": "paused", "request_id": "req_1"
        })]
    );
    assert_no_secrets(&output);

    // The table for people says the same.
    let output = agentctl(&[
        "status",
        "set",
        "ayra",
        "ay-1",
        "paused",
        "--base-url",
        &url,
    ])
    .await;
    let (stdout, _) = text(&output);
    assert!(
        stdout.contains("ayra") && stdout.contains("sent paused (request req_1)"),
        "{stdout}"
    );
    assert!(stdout.contains("all 1 agents ok"), "{stdout}");
}

/// 100 agents, 25 per vendor, 16 at a time: Supervisor is down and Ayra
/// rate-limits. Ravan's and Selise Blocks' agents are each set once; Ayra's
/// are each tried exactly as often as `--attempts` allows; every failure is
/// named with its kind, and the exit status says some failed.
#[tokio::test]
async fn a_fleet_with_one_vendor_down_and_one_rate_limited() {
    let server = MockServer::start().await;
    let mut fleet = String::new();
    for n in 0..25 {
        fleet.push_str(&format!(
            "[[agent]]\nvendor = \"ravan\"\nid = \"rv-{n}\"\nlabels = {{ team = \"support\" }}\n\n\
             [[agent]]\nvendor = \"selise-blocks\"\nid = \"sel-{n}\"\nproject_key = \"P-1\"\nlabels = {{ team = \"support\" }}\n\n\
             [[agent]]\nvendor = \"ayra\"\nid = \"ay-{n}\"\nlabels = {{ team = \"support\" }}\n\n\
             [[agent]]\nvendor = \"supervisor\"\nid = \"{}\"\nworkspace_id = \"{WORKSPACE}\"\nlabels = {{ team = \"support\" }}\n\n",
            supervisor_id(n)
        ));
        Mock::given(method("PATCH"))
            .and(path(format!("/api/v1/agents/rv-{n}/status/")))
            .and(header("x-api-key", RAVAN_KEY))
            .and(body_json(json!({"status": "AGENT_STATUS_INACTIVE"})))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true})))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/agents/change-status"))
            .and(body_json(json!({
                "agent_id": format!("sel-{n}"), "project_key": "P-1",
                "is_disabled": true, "is_archived": false
            })))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"is_success": true})))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("PUT"))
            .and(path(format!("/v1/agents/ay-{n}")))
            .respond_with(
                ResponseTemplate::new(429)
                    .insert_header("retry-after", "0")
                    .set_body_json(json!({"error": "slow down"})),
            )
            .expect(2)
            .mount(&server)
            .await;
    }
    let dir = scratch("fleet");
    let fleet = write(&dir, "fleet.toml", &fleet);
    let (ravan, selise, ayra) = (
        format!("ravan={}", server.uri()),
        format!("selise-blocks={}", server.uri()),
        format!("ayra={}", server.uri()),
    );
    let supervisor = format!("supervisor={}", closed_port_url());
    let output = agentctl(&[
        "fleet",
        "set-status",
        "paused",
        "--fleet",
        &fleet,
        "--select",
        "team=support",
        "--concurrency",
        "16",
        "--attempts",
        "2",
        "--json",
        "--base-url",
        &ravan,
        "--base-url",
        &selise,
        "--base-url",
        &ayra,
        "--base-url",
        &supervisor,
    ])
    .await;
    assert_eq!(output.status.code(), Some(1), "{:?}", text(&output));
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 100);
    let count = |vendor: &str, ok: bool, kind: Option<&str>| {
        lines
            .iter()
            .filter(|l| {
                l["vendor"] == vendor && l["ok"] == ok && kind.is_none_or(|k| l["kind"] == k)
            })
            .count()
    };
    assert_eq!(count("ravan", true, None), 25);
    assert_eq!(count("selise-blocks", true, None), 25);
    assert_eq!(count("ayra", false, Some("rate_limited")), 25);
    assert_eq!(count("supervisor", false, Some("transport")), 25);
    assert!(
        lines
            .iter()
            .filter(|l| l["vendor"] == "ayra")
            .all(|l| l["http_status"] == 429)
    );
    // Every agent of the file is reported, in the file's order.
    assert_eq!(lines[0]["agent"], "rv-0");
    assert_eq!(lines[99]["agent"], supervisor_id(24));
    assert_no_secrets(&output);
    // The mocks' `expect` counts are checked when `server` drops: one call
    // per Ravan and Selise agent, two per Ayra agent (two attempts).
}

#[tokio::test]
async fn a_dry_run_sends_nothing() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    let dir = scratch("dry");
    let fleet = write(
        &dir,
        "fleet.toml",
        "[[agent]]\nvendor = \"ravan\"\nid = \"rv-1\"\n\n[[agent]]\nvendor = \"ayra\"\nid = \"ay-1\"\n",
    );
    let ravan = format!("ravan={}", server.uri());
    let ayra = format!("ayra={}", server.uri());
    let output = agentctl(&[
        "fleet",
        "set-status",
        "paused",
        "--fleet",
        &fleet,
        "--dry-run",
        "--json",
        "--base-url",
        &ravan,
        "--base-url",
        &ayra,
    ])
    .await;
    assert_eq!(output.status.code(), Some(0), "{:?}", text(&output));
    let lines = json_lines(&output);
    assert_eq!(lines[0]["vendor_value"], "AGENT_STATUS_INACTIVE");
    assert_eq!(lines[1]["vendor_value"], "paused");
    assert!(lines.iter().all(|l| l["dry_run"] == true));

    // What a vendor cannot express fails the dry run too, by name.
    let output = agentctl(&[
        "fleet",
        "set-status",
        "archived",
        "--fleet",
        &fleet,
        "--dry-run",
        "--base-url",
        &ravan,
        "--base-url",
        &ayra,
    ])
    .await;
    assert_eq!(output.status.code(), Some(1));
    let (stdout, _) = text(&output);
    assert!(
        stdout.contains("1 of 2 agents failed:\n  ravan rv-1: ravan has no `archived` status"),
        "{stdout}"
    );
}

#[tokio::test]
async fn bad_input_is_refused_with_its_place_before_anything_is_sent() {
    let dir = scratch("bad");
    let malformed = write(
        &dir,
        "malformed.toml",
        "[[agent]]\nvendor = \"ravan\"\nid = \"rv-1\"\n\n[[agent]]\nvendor = \"supervisor\"\nid = \"not-a-uuid\"\nworkspace_id = \"0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d\"\n",
    );
    let output = agentctl(&["fleet", "set-status", "paused", "--fleet", &malformed]).await;
    assert_eq!(output.status.code(), Some(2));
    let (stdout, stderr) = text(&output);
    assert!(stdout.is_empty());
    assert!(stderr.contains("malformed.toml"), "{stderr}");
    assert!(
        stderr.contains("line 7, field `id`: `not-a-uuid` is not a UUID"),
        "{stderr}"
    );

    let unknown = write(
        &dir,
        "unknown.toml",
        "[[agent]]\nvendor = \"retell\"\nid = \"r\"\n",
    );
    let output = agentctl(&["fleet", "set-status", "paused", "--fleet", &unknown]).await;
    assert_eq!(output.status.code(), Some(2));
    let (_, stderr) = text(&output);
    assert!(
        stderr.contains("line 2, field `vendor`: unknown vendor `retell`"),
        "{stderr}"
    );

    let output = agentctl(&["status", "set", "ravan", "rv-1", "sleeping"]).await;
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output).1.contains("unknown status `sleeping`"));

    let output = agentctl(&["status", "set", "supervisor", &supervisor_id(1), "paused"]).await;
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output)
            .1
            .contains("supervisor agents need --workspace-id")
    );
}

/// Credentials from the file the fleet file names, where the environment
/// has none; the environment wins where it has one; a broken credentials
/// file is reported without its contents.
#[tokio::test]
async fn credentials_come_from_the_environment_or_the_fleet_files_credentials_file() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/v1/agents/ay-1"))
        .and(header("authorization", "Bearer from-the-file"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {"id": "ay-1"}})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/api/v1/agents/rv-1/status/"))
        .and(header("x-api-key", RAVAN_KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true})))
        .expect(1)
        .mount(&server)
        .await;
    let dir = scratch("credentials");
    write(
        &dir,
        "secrets.toml",
        "ayra_token = \"from-the-file\"\nravan_api_key = \"not-this-one\"\n",
    );
    let fleet = write(
        &dir,
        "fleet.toml",
        "credentials = \"secrets.toml\"\n\n[[agent]]\nvendor = \"ayra\"\nid = \"ay-1\"\n\n\
         [[agent]]\nvendor = \"ravan\"\nid = \"rv-1\"\n\n\
         [[agent]]\nvendor = \"supervisor\"\nid = \"6f1d7a52-4c2b-4d8e-9a7f-000000000001\"\n\
         workspace_id = \"0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d\"\n",
    );
    let (ayra, ravan) = (
        format!("ayra={}", server.uri()),
        format!("ravan={}", server.uri()),
    );
    let output = agentctl_with(
        &[
            "fleet",
            "set-status",
            "active",
            "--fleet",
            &fleet,
            "--json",
            "--base-url",
            &ayra,
            "--base-url",
            &ravan,
        ],
        &[("AGENTCTL_RAVAN_API_KEY", RAVAN_KEY)],
    )
    .await;
    // Supervisor has no credentials anywhere: its agent fails, by name.
    assert_eq!(output.status.code(), Some(1), "{:?}", text(&output));
    let lines = json_lines(&output);
    assert_eq!(lines[0]["ok"], true);
    assert_eq!(lines[1]["ok"], true);
    assert_eq!(lines[2]["kind"], "no_credentials");
    assert!(
        lines[2]["error"]
            .as_str()
            .unwrap()
            .contains("AGENTCTL_SUPERVISOR_TOKEN")
    );
    let (stdout, stderr) = text(&output);
    for secret in ["from-the-file", "not-this-one", RAVAN_KEY] {
        assert!(!stdout.contains(secret) && !stderr.contains(secret));
    }

    write(
        &dir,
        "secrets.toml",
        "ayra_token = \"half-a-secret\nravan = 1\n",
    );
    let output = agentctl_with(&["fleet", "set-status", "active", "--fleet", &fleet], &[]).await;
    assert_eq!(output.status.code(), Some(2));
    let (_, stderr) = text(&output);
    assert!(stderr.contains("secrets.toml at line 1"), "{stderr}");
    assert!(!stderr.contains("half-a-secret"), "{stderr}");
}

/// `fleet set-status` over 40 Ravan agents, each answered after `delay`,
/// started in the background with `--concurrency 4 --json`.
async fn slow_fleet_run(
    name: &str,
    delay: std::time::Duration,
    extra: &[&str],
) -> (MockServer, tokio::process::Child) {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"success": true}))
                .set_delay(delay),
        )
        .mount(&server)
        .await;
    let dir = scratch(name);
    let fleet: String = (0..40)
        .map(|n| format!("[[agent]]\nvendor = \"ravan\"\nid = \"rv-{n}\"\n\n"))
        .collect();
    let fleet = write(&dir, "fleet.toml", &fleet);
    let url = format!("ravan={}", server.uri());
    let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_agentctl"))
        .args([
            "fleet",
            "set-status",
            "paused",
            "--fleet",
            &fleet,
            "--concurrency",
            "4",
            "--json",
            "--base-url",
            &url,
        ])
        .args(extra)
        .env("AGENTCTL_RAVAN_API_KEY", RAVAN_KEY)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("agentctl starts");
    (server, child)
}

/// Waits until the server has received at least `count` requests.
async fn wait_for_requests(server: &MockServer, count: usize) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while server.received_requests().await.unwrap().len() < count {
        assert!(
            std::time::Instant::now() < deadline,
            "agentctl never got going"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

fn interrupt(child: &tokio::process::Child) {
    let pid = child.id().expect("agentctl is running").to_string();
    let status = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    assert!(status.success());
}

/// The first Ctrl-C starts no new request, lets those in flight end, and
/// still reports every agent: those that ended as they ended, the others as
/// not attempted. Exit status 130.
#[cfg(unix)]
#[tokio::test]
async fn the_first_ctrl_c_stops_new_requests_and_still_reports_every_agent() {
    let (server, child) =
        slow_fleet_run("sigint", std::time::Duration::from_millis(400), &[]).await;
    // Two rounds of four have been sent: some agents are done, four in flight.
    wait_for_requests(&server, 8).await;
    interrupt(&child);
    let output = child.wait_with_output().await.unwrap();
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("interrupted: starting no new request"),
        "{stderr}"
    );
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 40, "one row per agent");
    let sent = server.received_requests().await.unwrap().len();
    let done: Vec<&Value> = lines.iter().filter(|l| l["ok"] == true).collect();
    let not_attempted = lines
        .iter()
        .filter(|l| l["ok"] == false && l["kind"] == "not_attempted")
        .count();
    // Every request the vendor received was reported as done (the ones in
    // flight were let finish), and nothing else was sent.
    assert_eq!(done.len(), sent, "{lines:?}");
    assert!((8..40).contains(&sent), "{sent} sent");
    assert_eq!(not_attempted, 40 - sent, "{lines:?}");
    for line in done {
        assert_eq!(line["vendor_value"], "AGENT_STATUS_INACTIVE");
    }
    assert_no_secrets(&output);
}

/// A second Ctrl-C does not wait for the requests in flight.
#[cfg(unix)]
#[tokio::test]
async fn a_second_ctrl_c_exits_at_once() {
    let (server, child) =
        slow_fleet_run("sigint-twice", std::time::Duration::from_secs(20), &[]).await;
    wait_for_requests(&server, 4).await;
    let started = std::time::Instant::now();
    interrupt(&child);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    interrupt(&child);
    let output = child.wait_with_output().await.unwrap();
    assert_eq!(output.status.code(), Some(130), "{:?}", text(&output));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "it waited for the requests in flight"
    );
    let (stdout, stderr) = text(&output);
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("interrupted again"), "{stderr}");
}

/// Requests still in flight when `--timeout` has passed since the first
/// Ctrl-C are abandoned and reported as `interrupted`: the vendor may or
/// may not have applied them.
#[cfg(unix)]
#[tokio::test]
async fn requests_still_in_flight_after_the_grace_are_reported_as_interrupted() {
    // Each attempt times out after a second and is retried (Ravan's status
    // call is marked idempotent), so the first four are still at it when
    // the second of grace is over.
    let (server, child) = slow_fleet_run(
        "sigint-grace",
        std::time::Duration::from_secs(20),
        &["--timeout", "1", "--attempts", "5"],
    )
    .await;
    wait_for_requests(&server, 4).await;
    interrupt(&child);
    let output = child.wait_with_output().await.unwrap();
    assert_eq!(output.status.code(), Some(130), "{:?}", text(&output));
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 40);
    let kinds: Vec<&str> = lines.iter().map(|l| l["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "interrupted").count(),
        4,
        "{kinds:?}"
    );
    assert_eq!(kinds.iter().filter(|k| **k == "not_attempted").count(), 36);
    for line in lines.iter().filter(|l| l["kind"] == "interrupted") {
        assert!(line["error"].as_str().unwrap().contains("may or may not"));
    }
}

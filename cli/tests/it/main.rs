//! The CLI as a user runs it, on a spec that is not in this workspace: it
//! writes a crate into a directory outside the workspace, `--check` tells
//! current from stale, and the crate builds against the local runtime
//! (`--runtime`, a path dependency) and calls a local server.

mod readme_ways;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The workspace root, read at run time (cargo sets `CARGO_MANIFEST_DIR`
/// for a test run), so that a binary built in another clone sharing the
/// target directory tests this clone.
fn root() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .expect("CARGO_MANIFEST_DIR is set: run this through cargo")
        .join("..")
}

/// A spec of `../shared/corpus/`, or `None` (with a notice) where the
/// corpus is not beside the workspace, as in a user's clone.
fn corpus_spec(name: &str) -> Option<PathBuf> {
    let spec = root().join("../shared/corpus").join(name);
    if spec.exists() {
        Some(spec)
    } else {
        eprintln!(
            "skipped: {} is absent (the shared corpus is not here)",
            spec.display()
        );
        None
    }
}

/// The CLI, run from a directory outside any checkout (so that where the
/// runtime comes from is what the arguments say).
fn cli(args: &[&Path]) -> Output {
    cli_in(&std::env::temp_dir(), args)
}

fn cli_in(dir: &Path, args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_agent-clients-codegen"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the CLI runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A directory of this test's own, outside the workspace.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn check_tells_a_current_crate_from_a_stale_one() {
    let Some(spec) = corpus_spec("progenitor/keeper.json") else {
        return;
    };
    let scratch = Scratch::new("agent-clients-cli-check");
    let out = scratch.0.join("keeper");
    let check = |out: &Path| cli(&[&spec, Path::new("--out"), out, Path::new("--check")]);

    let missing = check(&out);
    assert!(!missing.status.success());
    assert!(
        stderr(&missing).contains("Cargo.toml: missing"),
        "{}",
        stderr(&missing)
    );

    let written = cli(&[&spec, Path::new("--out"), &out]);
    assert!(written.status.success(), "{}", stderr(&written));
    assert!(stderr(&written).contains("2 of 2 files written"));
    assert!(check(&out).status.success());

    // A hand edit is drift; writing again puts the crate back.
    let lib = out.join("src/lib.rs");
    let source = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(
        &lib,
        source.replace("pub async fn ping", "pub async fn pong"),
    )
    .unwrap();
    let stale = check(&out);
    assert!(!stale.status.success());
    assert!(
        stderr(&stale).contains("lib.rs: stale"),
        "{}",
        stderr(&stale)
    );
    assert!(cli(&[&spec, Path::new("--out"), &out]).status.success());
    assert!(check(&out).status.success());
    assert_eq!(std::fs::read_to_string(&lib).unwrap(), source);
}

#[test]
fn a_broken_spec_is_an_error_naming_where_and_writes_nothing() {
    let scratch = Scratch::new("agent-clients-cli-broken");
    std::fs::create_dir_all(&scratch.0).unwrap();
    let spec = scratch.0.join("broken.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: 7\n",
    )
    .unwrap();
    let out = scratch.0.join("broken-client");
    let output = cli(&[&spec, Path::new("--out"), &out]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("broken.yaml"),
        "{}",
        stderr(&output)
    );
    assert!(!out.exists(), "nothing is written for a spec that fails");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_corpus_spec_becomes_a_crate_that_builds_and_calls_a_server() {
    let Some(spec) = corpus_spec("progenitor/keeper.json") else {
        return;
    };
    let scratch = Scratch::new("agent-clients-cli-build");
    let out = generated_crate(&spec, &scratch, "keeper");
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("agent-clients-runtime = { path = "),
        "{manifest}"
    );
    assert!(manifest.contains("chrono"), "keeper's types hold dates");
    std::fs::create_dir_all(out.join("examples")).unwrap();
    std::fs::write(out.join("examples/call.rs"), call_program("keeper::Client")).unwrap();

    let output = call_keeper_ping(out.clone()).await;
    assert_eq!(output, "host=h1 ok=true");

    // A consumer's test, written only against the crate's `mock` module.
    let consumer = r#"use keeper::{Client, mock::MockServer, types};

#[tokio::test]
async fn enrolling_then_pinging_goes_as_the_mock_expects() {
    let server = MockServer::start().await;
    let enrol = types::EnrolBody { host: "h1".into(), key: "k1".into() };
    server.enrol().authorization("Bearer t").body(&enrol).respond_created().expect(1).mount().await;
    server
        .ping()
        .authorization("Bearer t")
        .respond_created(&types::PingResponse { host: "h1".into(), ok: true })
        .expect(1)
        .mount()
        .await;
    let client = Client::with_base_url(&server.uri()).unwrap();
    client.enrol("Bearer t", &enrol).await.unwrap();
    let pong = client.ping("Bearer t").await.unwrap().into_inner();
    assert_eq!((pong.host.as_str(), pong.ok), ("h1", true));
    // Another key is another request: nothing answers it.
    let other = types::EnrolBody { host: "h1".into(), key: "k2".into() };
    let error = client.enrol("Bearer t", &other).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
}
"#;
    run_consumer_test(&out, consumer).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_voice_vendors_crate_is_tested_through_its_mock_module() {
    let Some(spec) = corpus_spec("voice/deepgram.yaml") else {
        return;
    };
    let scratch = Scratch::new("agent-clients-cli-mock");
    let out = generated_crate(&spec, &scratch, "deepgram");
    let consumer = r#"use deepgram::{Client, ProjectsUpdateError, mock::MockServer, types};

#[tokio::test]
async fn renaming_a_project_answers_typed_success_and_typed_error() {
    let server = MockServer::start().await;
    let rename = types::UpdateProjectV1Request { name: Some("voice-bots".into()) };
    server
        .projects_update()
        .project_id("p 1")
        .authorization("Token k")
        .body(&rename)
        .respond_ok(&types::UpdateProjectV1Response { message: Some("renamed".into()) })
        .expect(1)
        .mount()
        .await;
    let refused = serde_json::from_value(serde_json::json!({"err_code": "BAD", "err_msg": "no"})).unwrap();
    server.projects_update().project_id("p2").respond_bad_request(&refused).expect(1).mount().await;
    let client = Client::with_base_url(&server.uri()).unwrap();
    let renamed = client.projects_update("p 1", "Token k", Some(&rename)).await.unwrap();
    assert_eq!(renamed.into_inner().message.as_deref(), Some("renamed"));
    let error = client.projects_update("p2", "Token k", None).await.unwrap_err();
    assert!(matches!(error.api_error(), Some(ProjectsUpdateError::BadRequest(body)) if *body == refused));
}
"#;
    run_consumer_test(&out, consumer).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_split_client_builds_with_each_feature_alone_and_leaves_the_others_out() {
    let spec = root().join("codegen/tests/fixtures/features-per-tag.yaml");
    let scratch = Scratch::new("agent-clients-cli-split");
    let out = generated_crate(&spec, &scratch, "pets");
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("default = [\"tls-aws-lc\", \"full\"]"),
        "{manifest}"
    );
    assert!(
        manifest.contains("full = [\"pets\", \"stores\", \"health\"]"),
        "{manifest}"
    );
    assert!(
        manifest.contains("pets = []  # tag `Pets`, 2 operations"),
        "{manifest}"
    );

    // Every feature alone, all of them, none, and one with `mock`: each
    // builds with no warning.
    let dir = out.clone();
    let checked = tokio::task::spawn_blocking(move || {
        ["pets", "stores", "health", "full", "", "stores,mock"]
            .into_iter()
            .map(|features| {
                let output = cargo_in(&dir)
                    .args(["clippy", "--quiet", "--no-default-features"])
                    .args(["--features", features, "--", "-D", "warnings"])
                    .output()
                    .expect("cargo runs");
                (features, output)
            })
            .collect::<Vec<_>>()
    })
    .await
    .unwrap();
    for (features, output) in checked {
        assert!(
            output.status.success(),
            "features `{features}`: {}",
            stderr(&output)
        );
    }

    // With `stores` alone, `pets`' operations are not there.
    std::fs::create_dir_all(out.join("examples")).unwrap();
    std::fs::write(
        out.join("examples/uses_pets.rs"),
        "fn main() {\n    let client = features_per_tag::Client::with_base_url(\"http://127.0.0.1:9\").unwrap();\n    \
         drop(client.get_pet(\"p1\"));\n}\n",
    )
    .unwrap();
    let dir = out.clone();
    let (without, with) = tokio::task::spawn_blocking(move || {
        let check = |features: &str| {
            cargo_in(&dir)
                .args([
                    "check",
                    "--quiet",
                    "--example",
                    "uses_pets",
                    "--no-default-features",
                ])
                .args(["--features", features])
                .output()
                .expect("cargo runs")
        };
        (check("stores"), check("pets"))
    })
    .await
    .unwrap();
    assert!(!without.status.success(), "`get_pet` must need `pets`");
    assert!(stderr(&without).contains("get_pet"), "{}", stderr(&without));
    assert!(with.status.success(), "{}", stderr(&with));

    // A consumer's test with `pets` and `mock` on, nothing else.
    let consumer = r#"use features_per_tag::{Client, GetPetError, mock::MockServer, types};

#[tokio::test]
async fn a_pet_is_fetched_and_a_missing_one_is_a_typed_error() {
    let server = MockServer::start().await;
    let rex = types::Pet { name: "Rex".into(), owner: None, price: None };
    server.get_pet().pet_id("p1").respond_ok(&rex).expect(1).mount().await;
    let gone = types::Problem { detail: Some("sold".into()) };
    server.get_pet().pet_id("p2").respond_not_found(&gone).expect(1).mount().await;
    let client = Client::with_base_url(&server.uri()).unwrap();
    assert_eq!(client.get_pet("p1").await.unwrap().into_inner(), rex);
    let error = client.get_pet("p2").await.unwrap_err();
    assert!(matches!(error.api_error(), Some(GetPetError::NotFound(body)) if *body == gone));
}
"#;
    run_consumer_test_with(&out, consumer, "pets,mock").await;
}

/// The crate the CLI writes for `spec` in `scratch`, with the runtime of
/// this checkout (`--runtime`), tokio for the tests written into it, and
/// the workspace's lock file so that no new version is resolved.
fn generated_crate(spec: &Path, scratch: &Scratch, name: &str) -> PathBuf {
    let out = scratch.0.join(name);
    let written = cli(&[
        spec,
        Path::new("--out"),
        &out,
        Path::new("--runtime"),
        &root(),
    ]);
    assert!(written.status.success(), "{}", stderr(&written));
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    let manifest = format!(
        "{manifest}\n[dev-dependencies]\ntokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n"
    );
    std::fs::write(out.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(root().join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    out
}

/// Runs `source` as the integration test `tests/consumer.rs` of the crate
/// at `dir`, with its `mock` feature on.
async fn run_consumer_test(dir: &Path, source: &str) {
    run_consumer_test_with(dir, source, "mock").await;
}

/// [`run_consumer_test`], with `features` (and no default feature) on.
async fn run_consumer_test_with(dir: &Path, source: &str, features: &'static str) {
    std::fs::create_dir_all(dir.join("tests")).unwrap();
    std::fs::write(dir.join("tests/consumer.rs"), source).unwrap();
    let dir = dir.to_path_buf();
    let run = tokio::task::spawn_blocking(move || {
        cargo_in(&dir)
            .args([
                "test",
                "--quiet",
                "--test",
                "consumer",
                "--no-default-features",
            ])
            .args(["--features", features])
            .output()
            .expect("cargo runs")
    })
    .await
    .unwrap();
    assert!(
        run.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&run.stdout),
        stderr(&run)
    );
    assert!(
        String::from_utf8_lossy(&run.stdout).contains("1 passed"),
        "{}",
        String::from_utf8_lossy(&run.stdout)
    );
}

/// Cargo in the crate at `dir`, with a target directory of its own inside
/// the workspace's (`CARGO_TARGET_DIR`'s where that is set), kept between
/// runs and shared by every crate these tests build, so that only the
/// first builds the dependencies.
fn cargo_in(dir: &Path) -> Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root().join("target"), PathBuf::from)
        .join("cli-test");
    let mut command = Command::new(cargo);
    command.env("CARGO_TARGET_DIR", target).current_dir(dir);
    command
}

#[test]
fn the_runtime_is_the_one_named_or_the_checkout_run_from_or_crates_io() {
    let spec = root().join("codegen/tests/fixtures/features-per-tag.yaml");
    let scratch = Scratch::new("agent-clients-cli-runtime");
    let out = scratch.0.join("pets");
    let runtime_line = |args: &[&Path], from: &Path| {
        let mut all = vec![spec.as_path(), Path::new("--out"), out.as_path()];
        all.extend_from_slice(args);
        let output = cli_in(from, &all);
        assert!(output.status.success(), "{}", stderr(&output));
        let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
        let line = manifest
            .lines()
            .find(|line| line.starts_with("agent-clients-runtime = "))
            .unwrap()
            .to_string();
        (line, stderr(&output))
    };
    let outside = std::env::temp_dir();
    // Outside any checkout, with no --runtime: crates.io, and a note.
    let (line, note) = runtime_line(&[], &outside);
    assert_eq!(
        line,
        "agent-clients-runtime = { version = \"0.1.0\", default-features = false }"
    );
    assert!(note.contains("pass --runtime PATH"), "{note}");
    // The checkout's root or its runtime/: the same path dependency, which
    // resolves from the crate's directory.
    let runtime = root().join("runtime");
    let (by_root, _) = runtime_line(&[Path::new("--runtime"), &root()], &outside);
    let (by_dir, note) = runtime_line(&[Path::new("--runtime"), &runtime], &outside);
    assert_eq!(by_root, by_dir);
    assert!(!note.contains("crates.io"), "{note}");
    let path = by_dir
        .split_once("path = \"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(path, _)| path)
        .unwrap();
    assert_eq!(
        out.join(path).canonicalize().unwrap(),
        runtime.canonicalize().unwrap()
    );
    // Run from inside the checkout: its runtime.
    let (from_checkout, _) = runtime_line(&[], &root().join("cli"));
    assert_eq!(from_checkout, by_dir);
    // Anything else is refused, naming it.
    let wrong = cli(&[
        &spec,
        Path::new("--out"),
        &out,
        Path::new("--runtime"),
        &outside,
    ]);
    assert!(!wrong.status.success());
    assert!(
        stderr(&wrong).contains("is the agent-clients-runtime crate"),
        "{}",
        stderr(&wrong)
    );
}

/// The program `examples/call.rs` of the crate at `dir`, run with cargo
/// against a local server that answers keeper's `GET /ping` once: what it
/// printed.
async fn call_keeper_ping(dir: PathBuf) -> String {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/ping"))
        .and(header("authorization", "Bearer token"))
        .respond_with(
            // keeper documents its successes as 201.
            ResponseTemplate::new(201).set_body_json(serde_json::json!({"host": "h1", "ok": true})),
        )
        .expect(1)
        .mount(&server)
        .await;
    // Plain HTTP, so no TLS feature.
    let uri = server.uri();
    let run = tokio::task::spawn_blocking(move || {
        cargo_in(&dir)
            .args([
                "run",
                "--quiet",
                "--example",
                "call",
                "--no-default-features",
                "--",
            ])
            .arg(uri)
            .output()
            .expect("cargo runs")
    })
    .await
    .unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    server.verify().await;
    String::from_utf8_lossy(&run.stdout).trim().to_string()
}

/// The program that calls keeper's `ping` with the client at `client`.
fn call_program(client: &str) -> String {
    format!(
        r#"#[tokio::main(flavor = "current_thread")]
async fn main() {{
    let base_url = std::env::args().nth(1).expect("a base URL");
    let client = {client}::with_base_url(&base_url).expect("a client");
    let pong = client.ping("Bearer token").await.expect("a typed answer");
    println!("host={{}} ok={{}}", pong.host, pong.ok);
}}
"#
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_build_script_generates_the_module_it_includes() {
    let Some(spec) = corpus_spec("progenitor/keeper.json") else {
        return;
    };
    let scratch = Scratch::new("agent-clients-build-rs");
    let dir = scratch.0.join("uses-keeper");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::create_dir_all(dir.join("examples")).unwrap();
    let path_of = |crate_dir: &str| {
        format!(
            "{:?}",
            root()
                .join(crate_dir)
                .canonicalize()
                .unwrap()
                .display()
                .to_string()
        )
    };
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"uses-keeper\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\nagent-clients-runtime = {{ path = {}, default-features = false }}\n\
             chrono = {{ version = \"0.4\", default-features = false, features = [\"serde\", \"std\"] }}\n\
             serde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n\n\
             [build-dependencies]\nagent-clients-codegen = {{ path = {} }}\n\n\
             [dev-dependencies]\ntokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n",
            path_of("runtime"),
            path_of("codegen"),
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("build.rs"),
        format!(
            "fn main() {{\n    let out = std::path::Path::new(&std::env::var(\"OUT_DIR\").unwrap()).join(\"keeper.rs\");\n    \
             if let Err(error) = agent_clients_codegen::build_rs::generate({:?}.as_ref(), &out) {{\n        panic!(\"{{error}}\");\n    }}\n}}\n",
            spec.display().to_string()
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("src/lib.rs"),
        "#[allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]\n\
         pub mod keeper {\n    include!(concat!(env!(\"OUT_DIR\"), \"/keeper.rs\"));\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("examples/call.rs"),
        call_program("uses_keeper::keeper::Client"),
    )
    .unwrap();
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let output = call_keeper_ping(dir).await;
    assert_eq!(output, "host=h1 ok=true");
}

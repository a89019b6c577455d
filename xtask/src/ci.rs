//! `cargo xtask ci`: every check CI makes, runnable on any machine with the
//! Rust toolchain and Node.js. Steps run in the order that fails fastest.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// One command of the CI run.
struct Step {
    name: &'static str,
    program: String,
    args: Vec<&'static str>,
    env: Vec<(&'static str, &'static str)>,
}

fn cargo(name: &'static str, args: &[&'static str]) -> Step {
    Step {
        name,
        program: crate::cargo(),
        args: args.to_vec(),
        env: Vec::new(),
    }
}

fn steps() -> Vec<Step> {
    vec![
        cargo("formatting", &["fmt", "--all", "--", "--check"]),
        cargo(
            "drift check",
            &[
                "run",
                "--quiet",
                "--package",
                "xtask",
                "--",
                "codegen",
                "--check",
                "-v",
            ],
        ),
        // A breaking spec change since the previous commit needs a version
        // bump or an acknowledgement (generated/breaking-changes.yaml).
        cargo(
            "spec gate",
            &["run", "--quiet", "--package", "xtask", "--", "spec-gate"],
        ),
        // The pinned spec tools (package-lock.json): Redocly CLI and Prism.
        Step {
            name: "install spec tools",
            program: "npm".to_string(),
            args: vec!["ci", "--no-audit", "--no-fund", "--ignore-scripts"],
            env: Vec::new(),
        },
        Step {
            name: "lint specs (Redocly, redocly.yaml)",
            program: "node_modules/.bin/redocly".to_string(),
            args: vec!["lint"],
            env: vec![
                ("REDOCLY_TELEMETRY", "off"),
                ("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true"),
            ],
        },
        cargo(
            "clippy",
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--features",
                "agent-clients/tracing,agent-clients/tls-ring,agent-clients/mock,agent-clients/webhooks,xtask/sync",
                "--",
                "-D",
                "warnings",
            ],
        ),
        // The real-world specs of ../shared/corpus/ that CI runs (the
        // `progenitor/` and `voice/` sets) generated, checked with clippy in
        // scratch crates and driven against Prism (skipped with a notice
        // where the corpus is absent).
        cargo(
            "corpus",
            &["run", "--quiet", "--package", "xtask", "--", "corpus"],
        ),
        // Unit, integration (local HTTP servers and Prism), snapshot-compile
        // and doc tests (README included), the drift check as a #[test], and
        // the fuzz targets' smoke runs. Every feature but the fuzz crate's
        // `libfuzzer` (the long runs build that with cargo-fuzz).
        Step {
            env: vec![("AGENT_CLIENTS_REQUIRE_PRISM", "1")],
            ..cargo(
                "tests",
                &[
                    "test",
                    "--workspace",
                    "--features",
                    "agent-clients/tracing,agent-clients/mock,agent-clients/webhooks,xtask/sync",
                ],
            )
        },
        // The runtime with ring as its only TLS provider: its client must
        // speak TLS without aws-lc-rs to fall back on.
        cargo(
            "TLS with ring alone",
            &[
                "test",
                "--package",
                "agent-clients-runtime",
                "--no-default-features",
                "--features",
                "tls-ring",
                "--lib",
            ],
        ),
        // The crates a user can depend on package, license files included,
        // and build from their packages; the CLI against the other two
        // through cargo's temporary local registry (cargo 1.90 or newer).
        // About 3 s warm, 2.5 min with nothing built yet (2026-12-07); last,
        // so that it finds most dependencies built.
        cargo(
            "package",
            &[
                "package",
                "--allow-dirty",
                "--package",
                "agent-clients-runtime",
                "--package",
                "agent-clients-codegen",
                "--package",
                "agent-clients-codegen-cli",
            ],
        ),
    ]
}

pub fn run(root: &Path) -> Result<(), String> {
    for step in steps() {
        let started = Instant::now();
        eprintln!(
            "==> {}: {} {}",
            step.name,
            step.program,
            step.args.join(" ")
        );
        let status = Command::new(&step.program)
            .args(&step.args)
            // A CI build is built once and thrown away: incremental data
            // would only fill the disk (5 of 10 GB in a full run).
            .env("CARGO_INCREMENTAL", "0")
            .envs(step.env.iter().copied())
            .current_dir(root)
            .status()
            .map_err(|error| format!("cannot run {}: {error}", step.program))?;
        if !status.success() {
            return Err(format!(
                "{} failed ({} {})",
                step.name,
                step.program,
                step.args.join(" ")
            ));
        }
        eprintln!(
            "==> {}: ok in {:.1}s{}",
            step.name,
            started.elapsed().as_secs_f64(),
            disk_left(root)
        );
    }
    Ok(())
}

/// How much disk is left where the build writes, as `df` tells it (empty
/// where there is no `df`): a run that fills the disk fails in a linker
/// with a bus error, and this line says where the space went.
fn disk_left(root: &Path) -> String {
    let Ok(output) = Command::new("df")
        .args(["-Pk", "."])
        .current_dir(root)
        .output()
    else {
        return String::new();
    };
    let text = String::from_utf8_lossy(&output.stdout);
    let available = text
        .lines()
        .nth(1)
        .and_then(|line| line.split_whitespace().nth(3))
        .and_then(|kib| kib.parse::<u64>().ok());
    match available {
        Some(kib) => format!(", {:.1} GB of disk left", kib as f64 / 1e6 * 1.024),
        None => String::new(),
    }
}

//! `cargo xtask`: the project's own commands.
//!
//! - `cargo xtask codegen [--check] [-v] [VENDOR...]`: regenerate the client
//!   modules and codegen snapshots from the specs, or (with `--check`) report
//!   every stale, missing or orphaned file and write nothing.
//! - `cargo xtask ci`: everything CI runs, in the order that fails fastest.
//! - `cargo xtask bench`: benchmarks, written to BENCHMARKS.md.
//! - `cargo xtask corpus`: generate and type-check every real-world spec in
//!   `../shared/corpus/`; writes CORPUS.md.
//! - `cargo xtask flake-hunt`: every test binary run many times, failures
//!   counted per test.

mod bench;
mod ci;
mod codegen;
mod corpus;
#[cfg(test)]
mod drift_tests;
mod flake_hunt;
mod prism;
mod prism_spec;
mod spec_diff;
#[cfg(test)]
mod spec_gate_tests;
mod sync;
#[cfg(test)]
mod sync_tests;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage:
  cargo xtask codegen [--check] [-v|--verbose] [VENDOR...]
      Regenerate generated/src/vendors/*.rs and codegen snapshots from specs/.
      --check      write nothing; fail if any generated file is stale, missing or orphaned
      -v           with --check, print a unified diff of each stale file
      VENDOR       only these vendors (file stems in specs/, e.g. ravan)
  cargo xtask ci
      Run every check and test (what .ci/run runs).
  cargo xtask spec-diff [--base REV] [--json] [VENDOR...]
  cargo xtask spec-diff OLD NEW [--json]
      Classify every spec change (breaking or not) and the semver bump it needs;
      exits non-zero on a breaking change. REV defaults to HEAD.
  cargo xtask spec-gate [REV]
      Fail on a breaking spec change since REV (default HEAD~1) unless
      generated/Cargo.toml's version is bumped or generated/breaking-changes.yaml
      acknowledges it.
  cargo xtask sync-specs [--check] [VENDOR...]
      Download vendor-published specs (x-agent-clients-upstream in the overlay);
      --check reports drift with its spec-diff classification and writes nothing.
  cargo xtask bench
      Run the benchmarks (release builds; minutes) and write BENCHMARKS.md.
  cargo xtask corpus [--corpus DIR] [--no-check] [SPEC...]
      Generate every spec under ../shared/corpus/ (or DIR) into scratch crates
      in target/corpus/, check each with clippy -D warnings, write CORPUS.md.
      Fails on a panic, a client that does not pass clippy, or a spec that
      CORPUS.md recorded as ok and now fails. SPEC or --no-check print the
      report instead of writing CORPUS.md.
  cargo xtask flake-hunt [--runs N] [--load] [--timeout-secs S] [BINARY...]
      Run every test binary N times (default 50), in rounds, and count
      failures per test. --load keeps every core busy meanwhile; BINARY keeps
      only binaries whose label (package::target) contains it. Logs of failed
      runs go to target/flake-hunt/logs/.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen::parse_args(&args[1..])
            .and_then(|options| codegen::run(&workspace_root(), &options)),
        Some("ci") if args.len() == 1 => ci::run(&workspace_root()),
        Some("bench") if args.len() == 1 => bench::run_all(&workspace_root()),
        Some("spec-diff") => spec_diff::parse_args(&args[1..])
            .and_then(|options| spec_diff::run(&workspace_root(), &options)),
        Some("spec-gate") => spec_gate(&args[1..]),
        Some("sync-specs") => {
            sync::parse_args(&args[1..]).and_then(|options| sync::run(&workspace_root(), &options))
        }
        Some("corpus") => corpus::parse_args(&args[1..])
            .and_then(|options| corpus::run(&workspace_root(), &options)),
        Some("flake-hunt") => flake_hunt::parse_args(&args[1..])
            .and_then(|options| flake_hunt::run(&workspace_root(), &options)),
        Some("help" | "-h" | "--help") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!(
            "unknown command or arguments `{}`\n\n{USAGE}",
            [other]
                .iter()
                .chain(args[1..].iter().map(|s| &**s).collect::<Vec<_>>().iter())
                .copied()
                .collect::<Vec<_>>()
                .join(" ")
        )),
        None => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn spec_gate(args: &[String]) -> Result<(), String> {
    let root = workspace_root();
    let base = match args {
        [] => "HEAD~1".to_string(),
        [rev] => rev.clone(),
        _ => return Err(format!("spec-gate takes at most one revision\n\n{USAGE}")),
    };
    // A first commit has nothing to compare with.
    let has_base = std::process::Command::new("git")
        .args([
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{base}^{{commit}}"),
        ])
        .current_dir(&root)
        .output()
        .map(|output| output.status.success())
        .unwrap_or(false);
    if !has_base {
        println!("spec gate: `{base}` does not exist here; nothing to compare");
        return Ok(());
    }
    spec_diff::gate(&root, &base)
}

/// The cargo that runs this xtask (`CARGO`), so every step uses the same
/// toolchain; plain `cargo` when run by hand.
fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

/// A fresh, private scratch directory, removed when dropped (on every return
/// path). Private matters: tests run in parallel threads of one process, so a
/// name made of the process id alone would be shared between them.
fn scratch_dir(purpose: &str) -> Result<tempfile::TempDir, String> {
    tempfile::Builder::new()
        .prefix(&format!("agent-clients-{purpose}-"))
        .tempdir()
        .map_err(|error| format!("cannot create a scratch directory: {error}"))
}

/// The workspace root, wherever `cargo xtask` is run from.
///
/// Read at run time first: cargo sets `CARGO_MANIFEST_DIR` for `cargo run`,
/// and a binary reused from a shared `CARGO_TARGET_DIR` (or copied) would
/// otherwise act on the tree it was compiled in. The compile-time value is
/// only a fallback for running the binary by hand.
fn workspace_root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}

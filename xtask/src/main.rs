//! `cargo xtask`: the project's own commands.
//!
//! - `cargo xtask codegen [--check] [-v] [VENDOR...]`: regenerate the client
//!   modules and codegen snapshots from the specs, or (with `--check`) report
//!   every stale, missing or orphaned file and write nothing.
//! - `cargo xtask ci`: everything CI runs, in the order that fails fastest.
//! - `cargo xtask bench`: benchmarks, written to BENCHMARKS.md.
//! - `cargo xtask check-cost`: compile time and memory of generated crates,
//!   ours against ploidy's, to BENCHMARKS.md section 5.
//! - `cargo xtask corpus`: generate and type-check every real-world spec in
//!   `../shared/corpus/`; writes CORPUS.md.
//! - `cargo xtask flake-hunt`: every test binary run many times, failures
//!   counted per test.

mod bench;
mod check_cost;
mod ci;
mod codegen;
mod corpus;
mod flake_hunt;
mod prism;
mod prism_spec;
mod spec_diff;
mod sync;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// The project's own commands.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
enum Cli {
    /// Regenerate generated/src/vendors/*.rs and the codegen snapshots from
    /// specs/ (or, with --check, report drift and write nothing).
    Codegen(codegen::Options),
    /// Run every check and test: what .ci/run runs.
    Ci,
    /// Classify every spec change (breaking or not) and the semver bump it
    /// needs; exits non-zero on a breaking change. Compares the specs with
    /// --base (default HEAD), or two files OLD NEW.
    SpecDiff(spec_diff::Args),
    /// Fail on a breaking spec change since REV unless generated/Cargo.toml's
    /// version is bumped or generated/breaking-changes.yaml acknowledges it.
    SpecGate {
        #[arg(default_value = "HEAD~1")]
        rev: String,
    },
    /// Download vendor-published specs (x-agent-clients-upstream in the
    /// overlay). Builds xtask's `sync` feature (HTTP, TLS) on first use.
    SyncSpecs(sync::Options),
    /// Run the benchmarks (release builds; minutes) and write BENCHMARKS.md.
    Bench,
    /// Check each generated crate, ours and ploidy 0.15's, side by side on
    /// construct specs and the corpus (those whose names contain a FILTER);
    /// time and peak memory to BENCHMARKS.md section 5. Many minutes.
    CheckCost { filters: Vec<String> },
    /// Generate every spec under ../shared/corpus/ (or --corpus DIR) into
    /// scratch crates in target/corpus/, check each with clippy -D warnings,
    /// drive a sample of calls against Prism, write CORPUS.md. Fails on a
    /// panic, a client that does not pass clippy, or a spec or sample that
    /// CORPUS.md recorded as passing and now fails.
    Corpus(corpus::Options),
    /// Run every test binary --runs times, in rounds, and count failures per
    /// test; logs of failed runs go to target/flake-hunt/logs/.
    FlakeHunt(flake_hunt::Args),
}

fn main() -> ExitCode {
    let root = workspace_root();
    let result = match Cli::parse() {
        Cli::Codegen(options) => codegen::run(&root, &options),
        Cli::Ci => ci::run(&root),
        Cli::SpecDiff(args) => args
            .options()
            .and_then(|options| spec_diff::run(&root, &options)),
        Cli::SpecGate { rev } => spec_gate(&rev),
        Cli::SyncSpecs(options) => sync::run(&root, &options),
        Cli::Bench => bench::run_all(&root),
        Cli::CheckCost { filters } => check_cost::run(&root, &filters),
        Cli::Corpus(options) => corpus::run(&root, &options),
        Cli::FlakeHunt(args) => flake_hunt::run(&root, &args.into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn spec_gate(base: &str) -> Result<(), String> {
    let root = workspace_root();
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
    spec_diff::gate(&root, base)
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
/// Found at run time only: cargo sets `CARGO_MANIFEST_DIR` for `cargo run`
/// (the `cargo xtask` alias), and a binary reused from a shared
/// `CARGO_TARGET_DIR` (or copied) must act on the tree it is run for, never
/// on the one it was compiled in. Run by hand, without that variable, the
/// root is the nearest directory at or above the current one that holds
/// `xtask/Cargo.toml`.
fn workspace_root() -> PathBuf {
    if let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from) {
        return manifest_dir
            .parent()
            .map(PathBuf::from)
            .unwrap_or(manifest_dir);
    }
    let here = std::env::current_dir().unwrap_or_default();
    here.ancestors()
        .find(|dir| dir.join("xtask/Cargo.toml").is_file())
        .map(PathBuf::from)
        .unwrap_or(here)
}

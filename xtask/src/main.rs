//! `cargo xtask`: the project's own commands.
//!
//! - `cargo xtask codegen [--check] [-v] [VENDOR...]`: regenerate the client
//!   modules and codegen snapshots from the specs, or (with `--check`) report
//!   every stale, missing or orphaned file and write nothing.
//! - `cargo xtask ci`: everything CI runs, in the order that fails fastest.
//! - `cargo xtask bench`: benchmarks, written to BENCHMARKS.md.

mod bench;
mod ci;
mod codegen;
#[cfg(test)]
mod drift_tests;

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
  cargo xtask bench
      Run the benchmarks (release builds, ~15 min) and write BENCHMARKS.md.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen::parse_args(&args[1..])
            .and_then(|options| codegen::run(&workspace_root(), &options)),
        Some("ci") if args.len() == 1 => ci::run(&workspace_root()),
        Some("bench") if args.len() == 1 => bench::run_all(&workspace_root()),
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

/// The workspace root, wherever `cargo xtask` is run from.
fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}

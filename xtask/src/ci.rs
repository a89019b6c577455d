//! `cargo xtask ci`: every check CI makes, runnable on any machine with the
//! Rust toolchain. Steps run in the order that fails fastest.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

pub fn run(root: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let steps: Vec<(&str, Vec<&str>)> = vec![
        ("formatting", vec!["fmt", "--all", "--", "--check"]),
        (
            "drift check",
            vec![
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
        (
            "clippy",
            vec![
                "clippy",
                "--workspace",
                "--all-targets",
                "--all-features",
                "--",
                "-D",
                "warnings",
            ],
        ),
        // Unit, integration, snapshot-compile and doc tests (README included),
        // and the drift check again as a #[test].
        ("tests", vec!["test", "--workspace", "--all-features"]),
    ];
    for (name, args) in steps {
        let started = Instant::now();
        eprintln!("==> {name}: cargo {}", args.join(" "));
        let status = Command::new(&cargo)
            .args(&args)
            .current_dir(root)
            .status()
            .map_err(|error| format!("cannot run cargo: {error}"))?;
        if !status.success() {
            return Err(format!("{name} failed (cargo {})", args.join(" ")));
        }
        eprintln!("==> {name}: ok in {:.1}s", started.elapsed().as_secs_f64());
    }
    Ok(())
}

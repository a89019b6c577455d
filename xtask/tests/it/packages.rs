//! The crates a user depends on ship both license files of their
//! `MIT OR Apache-2.0` license (cargo follows the symlinks in each crate's
//! directory to the root's files), as `cargo package --list` shows.

use std::path::PathBuf;
use std::process::Command;

fn workspace_root() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .expect("CARGO_MANIFEST_DIR is set: run this through cargo")
        .parent()
        .unwrap()
        .to_path_buf()
}

#[test]
fn every_published_crate_packs_both_license_files() {
    let root = workspace_root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    for package in [
        "agent-clients-runtime",
        "agent-clients-codegen",
        "agent-clients-codegen-cli",
        "agent-clients",
    ] {
        let output = Command::new(&cargo)
            .args([
                "package",
                "--list",
                "--allow-dirty",
                "--offline",
                "--package",
                package,
            ])
            .current_dir(&root)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{package}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let files: Vec<&str> = stdout.lines().collect();
        for license in ["LICENSE-MIT", "LICENSE-APACHE"] {
            assert!(
                files.contains(&license),
                "{package} lacks {license}: {files:?}"
            );
        }
    }
    let apache = std::fs::read_to_string(root.join("LICENSE-APACHE")).unwrap();
    assert!(apache.contains("Apache License\n                        Version 2.0, January 2004"));
    let mit = std::fs::read_to_string(root.join("LICENSE-MIT")).unwrap();
    assert!(mit.contains("Copyright (c) the agent-clients contributors"));
}

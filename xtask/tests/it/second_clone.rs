//! A binary built in one clone and run for another (several clones or git
//! worktrees sharing one `CARGO_TARGET_DIR`) acts on the tree cargo names
//! at run time in `CARGO_MANIFEST_DIR`, not the one it was compiled in.

use std::path::{Path, PathBuf};
use std::process::Command;

/// This clone's root.
fn this_clone() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .expect("CARGO_MANIFEST_DIR is set: run this through cargo")
        .parent()
        .unwrap()
        .to_path_buf()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The parts of a clone `cargo xtask codegen --check` reads.
fn second_clone() -> tempfile::TempDir {
    let clone = tempfile::Builder::new()
        .prefix("agent-clients-second-clone-")
        .tempdir()
        .unwrap();
    let root = this_clone();
    for dir in [
        "specs",
        "codegen/tests/fixtures",
        "codegen/tests/snapshots",
        "generated/src/vendors",
        "xtask",
    ] {
        copy_dir(&root.join(dir), &clone.path().join(dir));
    }
    std::fs::copy(
        root.join("generated/Cargo.toml"),
        clone.path().join("generated/Cargo.toml"),
    )
    .unwrap();
    clone
}

fn check(clone: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--check"])
        .env("CARGO_MANIFEST_DIR", clone.join("xtask"))
        .output()
        .unwrap()
}

#[test]
fn the_drift_check_reads_the_clone_cargo_names_at_run_time() {
    let clone = second_clone();
    let output = check(clone.path());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    // Drift in the second clone, and only there (this clone's ravan.rs is
    // untouched): a stale verdict can only come from the second clone.
    let module = clone.path().join("generated/src/vendors/ravan.rs");
    let mut text = std::fs::read_to_string(&module).unwrap();
    text.push_str("// edited by hand\n");
    std::fs::write(&module, text).unwrap();
    let output = check(clone.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("generated/src/vendors/ravan.rs is stale"),
        "{stderr}"
    );

    // A clone that is gone: the error names the directory that is missing.
    let gone = clone.path().join("gone");
    let output = check(&gone);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains(&format!("cannot list {}", gone.join("specs").display())),
        "{stderr}"
    );
}

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

/// codegen's unit-test binary (built by cargo for this test if it is not
/// yet), as `cargo test` would run it.
fn codegen_unit_tests() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let output = Command::new(cargo)
        .args(["test", "--offline", "--no-run", "--message-format=json"])
        .args(["--package", "agent-clients-codegen", "--lib"])
        .current_dir(this_clone())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .find_map(|message| {
            let is_lib = message["target"]["kind"]
                .as_array()
                .is_some_and(|kinds| kinds.iter().any(|kind| kind == "lib"));
            let executable = message["executable"].as_str()?;
            is_lib.then(|| PathBuf::from(executable))
        })
        .expect("cargo names codegen's unit-test binary")
}

/// codegen's unit tests whose names contain `filter`, run for the clone
/// whose codegen package is `manifest_dir`.
fn run_unit_tests(binary: &Path, manifest_dir: &Path, filter: &str) -> std::process::Output {
    Command::new(binary)
        .args([filter, "--quiet"])
        .env("CARGO_MANIFEST_DIR", manifest_dir)
        .output()
        .unwrap()
}

/// The unit tests that read a spec (build_rs' and ir::features') read the
/// clone cargo names at run time: a second clone whose fixture differs
/// makes them fail, and one without the specs makes build_rs' fail.
#[test]
fn codegen_unit_tests_read_the_clone_cargo_names_at_run_time() {
    let binary = codegen_unit_tests();
    let here = this_clone().join("codegen");
    for filter in ["ir::features::tests", "build_rs::tests"] {
        let output = run_unit_tests(&binary, &here, filter);
        assert!(
            output.status.success(),
            "{filter}: {}",
            String::from_utf8_lossy(&output.stdout)
        );
    }

    let clone = tempfile::Builder::new()
        .prefix("agent-clients-second-clone-")
        .tempdir()
        .unwrap();
    let fixtures = clone.path().join("codegen/tests/fixtures");
    std::fs::create_dir_all(&fixtures).unwrap();
    let fixture = std::fs::read_to_string(here.join("tests/fixtures/features-per-tag.yaml"))
        .unwrap()
        .replace("Pets", "Animals");
    std::fs::write(fixtures.join("features-per-tag.yaml"), fixture).unwrap();
    let elsewhere = clone.path().join("codegen");
    let features = run_unit_tests(&binary, &elsewhere, "ir::features::tests");
    let stdout = String::from_utf8_lossy(&features.stdout);
    assert!(!features.status.success(), "{stdout}");
    assert!(stdout.contains("animals"), "{stdout}");
    let build_rs = run_unit_tests(&binary, &elsewhere, "build_rs::tests");
    assert!(!build_rs.status.success());
}

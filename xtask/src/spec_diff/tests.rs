//! The spec gate and `spec-diff --base` against a scratch git repository.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::spec_diff::{diff_against, gate};

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=test",
            "-c",
            "user.email=test@example.invalid",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

/// A scratch repo with the real specs and manifest, committed once.
fn scratch_repo() -> tempfile::TempDir {
    let source = crate::workspace_root();
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    fs::create_dir_all(root.join("specs")).unwrap();
    fs::create_dir_all(root.join("generated")).unwrap();
    for entry in fs::read_dir(source.join("specs")).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), root.join("specs").join(entry.file_name())).unwrap();
    }
    fs::copy(
        source.join("generated/Cargo.toml"),
        root.join("generated/Cargo.toml"),
    )
    .unwrap();
    git(root, &["init", "--quiet"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "--quiet", "-m", "base"]);
    temp
}

fn edit(path: &Path, find: &str, replace: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(find), "`{find}` not in {}", path.display());
    fs::write(path, text.replacen(find, replace, 1)).unwrap();
}

fn commit(root: &Path, message: &str) {
    git(root, &["add", "-A"]);
    git(root, &["commit", "--quiet", "-m", message]);
}

#[test]
fn an_unchanged_tree_passes_the_gate() {
    let temp = scratch_repo();
    let results = diff_against(temp.path(), "HEAD", &[]).unwrap();
    assert!(results.iter().all(|r| r.changes.is_empty()));
    gate(temp.path(), "HEAD").unwrap();
}

#[test]
fn a_breaking_change_without_a_bump_fails_naming_rule_and_path() {
    let temp = scratch_repo();
    let root = temp.path();
    edit(
        &root.join("specs/ayra.yaml"),
        "          maxLength: 100\n",
        "          maxLength: 50\n",
    );
    commit(root, "tighten name");
    let error = gate(root, "HEAD~1").unwrap_err();
    assert!(error.contains("specs/ayra.yaml#/paths/~1v1~1agents~1{agent_id}/put/requestBody/properties/name/maxLength"), "{error}");
    assert!(error.contains("[constraint-tightened]"), "{error}");
    assert!(error.contains("to at least 0.2.0"), "{error}");
}

#[test]
fn the_matching_version_bump_satisfies_the_gate() {
    let temp = scratch_repo();
    let root = temp.path();
    edit(
        &root.join("specs/ayra.yaml"),
        "          maxLength: 100\n",
        "          maxLength: 50\n",
    );
    edit(
        &root.join("generated/Cargo.toml"),
        "version = \"0.1.0\"",
        "version = \"0.1.1\"",
    );
    commit(root, "tighten name, patch bump");
    assert!(
        gate(root, "HEAD~1").is_err(),
        "a patch bump is not enough at 0.x"
    );
    edit(
        &root.join("generated/Cargo.toml"),
        "version = \"0.1.1\"",
        "version = \"0.2.0\"",
    );
    commit(root, "minor bump");
    gate(root, "HEAD~2").unwrap();
}

#[test]
fn an_acknowledgement_satisfies_the_gate_only_for_its_change() {
    let temp = scratch_repo();
    let root = temp.path();
    edit(
        &root.join("specs/ayra.yaml"),
        "          maxLength: 100\n",
        "          maxLength: 50\n",
    );
    fs::write(
        root.join("generated/breaking-changes.yaml"),
        "- spec: specs/ayra.yaml\n  rule: constraint-tightened\n  pointer: /paths/~1v1~1agents~1{agent_id}/put/requestBody/properties/name/maxLength\n  reason: The vendor's server already rejected names over 50 characters.\n",
    )
    .unwrap();
    commit(root, "tighten name, acknowledged");
    gate(root, "HEAD~1").unwrap();

    // Another breaking change is not covered by that acknowledgement.
    edit(
        &root.join("specs/supervisor.yaml"),
        "    AgentType:\n      type: string\n      enum: [chat, voice]",
        "    AgentType:\n      type: string\n      enum: [chat, voice, sms]",
    );
    commit(root, "new agent type");
    let error = gate(root, "HEAD~2").unwrap_err();
    assert!(error.contains("[response-enum-value-added]"), "{error}");
    assert!(!error.contains("maxLength"), "{error}");
}

#[test]
fn non_breaking_changes_pass_and_report_a_minor_change() {
    let temp = scratch_repo();
    let root = temp.path();
    edit(
        &root.join("specs/ayra.yaml"),
        "        voice_id:\n          type: string\n          description: Voice to use from the platform's voice library.\n",
        "        voice_id:\n          type: string\n          description: Voice to use from the platform's voice library.\n        nickname:\n          type: string\n",
    );
    edit(
        &root.join("specs/ayra.yaml"),
        "description: Agent name. Maximum 100 characters.",
        "description: The agent's name, at most 100 characters.",
    );
    commit(root, "add nickname");
    gate(root, "HEAD~1").unwrap();
    let results = diff_against(root, "HEAD~1", &["ayra".into()]).unwrap();
    let changes = &results[0].changes;
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(changes[0].rule, "property-added");
    assert!(!changes[0].breaking);
}

#[test]
fn overlay_changes_count() {
    // The effective spec is the vendor's file plus our overlay: a correction
    // that removes a response property is as breaking as a vendor edit.
    let temp = scratch_repo();
    let root = temp.path();
    let overlay = root.join("specs/ravan.overlay.yaml");
    let text = fs::read_to_string(&overlay).unwrap();
    let action = "  - target: $.components.schemas.Agent.properties.voice_id\n    description: Test removal.\n    remove: true\n";
    let at = text.find("# Where the vendor publishes").unwrap();
    fs::write(&overlay, format!("{}{action}{}", &text[..at], &text[at..])).unwrap();
    commit(root, "overlay removes voice_id");
    let results = diff_against(root, "HEAD~1", &["ravan".into()]).unwrap();
    let change = &results[0].changes[0];
    assert_eq!(change.rule, "response-property-removed");
    assert_eq!(
        change.pointer,
        "/paths/~1api~1v1~1agents~1{id}~1status~1/patch/responses/200/properties/data/properties/voice_id"
    );
}

#[test]
fn a_bad_revision_is_a_clear_error() {
    let temp = scratch_repo();
    let error = diff_against(temp.path(), "no-such-rev", &[])
        .map(|_| ())
        .unwrap_err();
    assert!(
        error.contains("`no-such-rev` is not a git revision"),
        "{error}"
    );
}

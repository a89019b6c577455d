//! `cargo xtask spec-diff`: what changed in the specs since a git revision
//! (or between two files), classified for callers of the generated code,
//! and the CI gate that refuses an unannounced breaking change.

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::diff::{Bump, Change, diff, version_satisfies};

use crate::codegen::discover_specs;

/// Parsed `spec-diff` arguments.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Options {
    pub base: Option<String>,
    pub json: bool,
    /// Two files to compare, instead of the specs against `base`.
    pub files: Option<(PathBuf, PathBuf)>,
    pub vendors: Vec<String>,
}

/// `cargo xtask spec-diff` arguments, as given.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The git revision to compare the specs with.
    #[arg(long, value_name = "REV")]
    base: Option<String>,
    /// One JSON object per change.
    #[arg(long)]
    json: bool,
    /// Vendors (spec file stems); or two spec files OLD NEW to compare.
    #[arg(value_name = "VENDOR | OLD NEW")]
    positional: Vec<String>,
}

impl Args {
    /// Two existing files are compared with each other; anything else names
    /// vendors.
    pub fn options(self) -> Result<Options, String> {
        let mut options = Options {
            base: self.base,
            json: self.json,
            ..Options::default()
        };
        let looks_like_files =
            self.positional.len() == 2 && self.positional.iter().all(|p| Path::new(p).is_file());
        if looks_like_files {
            if options.base.is_some() {
                return Err("spec-diff OLD NEW compares two files; --base does not apply".into());
            }
            options.files = Some((
                PathBuf::from(&self.positional[0]),
                PathBuf::from(&self.positional[1]),
            ));
        } else {
            options.vendors = self.positional;
        }
        Ok(options)
    }
}

/// The changes of one spec.
pub struct SpecChanges {
    pub spec: String,
    pub changes: Vec<Change>,
}

fn git(root: &Path, args: &[&str]) -> Result<Option<String>, String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .map_err(|error| format!("cannot run git: {error}"))?;
    Ok(output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned()))
}

/// The text of `path` (root-relative) at `rev`, or `None` if it did not
/// exist there.
fn file_at(root: &Path, rev: &str, path: &str) -> Result<Option<String>, String> {
    git(root, &["show", &format!("{rev}:{path}")])
}

/// Compares every spec (or the named vendors) with its version at `base`.
pub fn diff_against(
    root: &Path,
    base: &str,
    vendors: &[String],
) -> Result<Vec<SpecChanges>, String> {
    if git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{base}^{{commit}}"),
        ],
    )?
    .is_none()
    {
        return Err(format!(
            "`{base}` is not a git revision of {}",
            root.display()
        ));
    }
    let specs = discover_specs(&root.join("specs"))?;
    let scratch = crate::scratch_dir("spec-diff")?;
    let mut results = Vec::new();
    let wanted = |spec: &crate::codegen::Spec| {
        vendors.is_empty() || vendors.iter().any(|v| spec.is_named(v))
    };
    for spec in specs.iter().filter(|s| wanted(s)) {
        let file_name = spec
            .path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let relative = format!("specs/{file_name}");
        let new =
            codegen::load::load_as(&spec.path, Path::new(&relative)).map_err(|e| e.to_string())?;
        let Some(old_text) = file_at(root, base, &relative)? else {
            results.push(SpecChanges {
                spec: relative.clone(),
                changes: vec![Change {
                    rule: "spec-added",
                    pointer: String::new(),
                    breaking: false,
                    message: format!("new vendor module `{}`", spec.module),
                }],
            });
            continue;
        };
        // The old spec with its old overlay, loaded like the new one.
        let old_path = scratch.path().join(&file_name);
        std::fs::write(&old_path, old_text).map_err(|e| e.to_string())?;
        let overlay_name = codegen::load::overlay::path_for(Path::new(&relative));
        let overlay_relative = overlay_name.to_string_lossy().into_owned();
        let old_overlay = codegen::load::overlay::path_for(&old_path);
        match file_at(root, base, &overlay_relative)? {
            Some(text) => std::fs::write(&old_overlay, text).map_err(|e| e.to_string())?,
            None => {
                let _ = std::fs::remove_file(&old_overlay);
            }
        }
        let old = codegen::load::load_as(&old_path, Path::new(&format!("{relative}@{base}")))
            .map_err(|e| e.to_string())?;
        let changes = diff(&old, &new).map_err(|e| e.to_string())?;
        results.push(SpecChanges {
            spec: relative,
            changes,
        });
    }
    // Specs that existed at `base` and are gone: their module disappears.
    if vendors.is_empty()
        && let Some(listing) = git(root, &["ls-tree", "--name-only", base, "specs/"])?
    {
        for path in listing.lines() {
            let is_spec = (path.ends_with(".yaml") || path.ends_with(".json"))
                && !codegen::load::overlay::is_overlay_file(path);
            if is_spec && !root.join(path).exists() {
                results.push(SpecChanges {
                    spec: path.to_string(),
                    changes: vec![Change {
                        rule: "spec-removed",
                        pointer: String::new(),
                        breaking: true,
                        message: "the spec was removed: its module and cargo feature disappear"
                            .into(),
                    }],
                });
            }
        }
    }
    Ok(results)
}

/// Human or JSON report; `Ok(true)` when something is breaking.
fn report(results: &[SpecChanges], version: &str, json: bool) -> bool {
    let all: Vec<Change> = results.iter().flat_map(|r| r.changes.clone()).collect();
    let bump = Bump::of(&all).for_version(version);
    let breaking = all.iter().any(|c| c.breaking);
    if json {
        let specs: Vec<serde_json::Value> = results
            .iter()
            .map(|r| serde_json::json!({"spec": r.spec, "changes": r.changes}))
            .collect();
        let out = serde_json::json!({
            "specs": specs,
            "breaking": breaking,
            "bump": bump,
            "current_version": version,
            "next_version": bump.apply(version),
        });
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        return breaking;
    }
    for result in results {
        if result.changes.is_empty() {
            println!("{}: no changes", result.spec);
            continue;
        }
        println!("{}:", result.spec);
        for change in &result.changes {
            println!(
                "  {:<12} {}#{} [{}] {}",
                if change.breaking {
                    "BREAKING"
                } else {
                    "non-breaking"
                },
                result.spec,
                change.pointer,
                change.rule,
                change.message
            );
        }
    }
    match bump {
        Bump::None => println!("agent-clients needs no version bump ({version})"),
        bump => println!(
            "agent-clients needs a {:?} bump: {version} -> {}",
            bump,
            bump.apply(version)
        ),
    }
    breaking
}

fn crate_version(manifest: &str) -> Option<String> {
    manifest
        .lines()
        .skip_while(|line| line.trim() != "[package]")
        .find_map(|line| line.trim().strip_prefix("version = "))
        .map(|value| value.trim_matches('"').to_string())
}

pub fn run(root: &Path, options: &Options) -> Result<(), String> {
    let manifest =
        std::fs::read_to_string(root.join("generated/Cargo.toml")).map_err(|e| e.to_string())?;
    let version = crate_version(&manifest).unwrap_or_else(|| "0.0.0".into());
    let results = match &options.files {
        Some((old, new)) => {
            let old_doc = codegen::load::load(old).map_err(|e| e.to_string())?;
            let new_doc = codegen::load::load(new).map_err(|e| e.to_string())?;
            vec![SpecChanges {
                spec: new.display().to_string(),
                changes: diff(&old_doc, &new_doc).map_err(|e| e.to_string())?,
            }]
        }
        None => diff_against(
            root,
            options.base.as_deref().unwrap_or("HEAD"),
            &options.vendors,
        )?,
    };
    if report(&results, &version, options.json) {
        Err("breaking changes (see above)".into())
    } else {
        Ok(())
    }
}

/// One acknowledged breaking change in `generated/breaking-changes.yaml`.
#[derive(Debug, serde::Deserialize)]
struct Acknowledgement {
    spec: String,
    rule: String,
    pointer: String,
    reason: String,
}

/// The CI gate: a breaking spec change since `base` needs the matching
/// version bump in `generated/Cargo.toml`, or an entry in
/// `generated/breaking-changes.yaml` naming it and saying why it is accepted.
pub fn gate(root: &Path, base: &str) -> Result<(), String> {
    let results = diff_against(root, base, &[])?;
    let breaking: Vec<(&str, &Change)> = results
        .iter()
        .flat_map(|r| {
            r.changes
                .iter()
                .filter(|c| c.breaking)
                .map(move |c| (r.spec.as_str(), c))
        })
        .collect();
    if breaking.is_empty() {
        println!("spec gate: no breaking spec change since {base}");
        return Ok(());
    }
    let new_version = crate_version(
        &std::fs::read_to_string(root.join("generated/Cargo.toml")).map_err(|e| e.to_string())?,
    )
    .unwrap_or_default();
    let old_version = file_at(root, base, "generated/Cargo.toml")?
        .and_then(|text| crate_version(&text))
        .unwrap_or_else(|| new_version.clone());
    let needed = Bump::Major.for_version(&old_version);
    if version_satisfies(&old_version, &new_version, needed) {
        println!(
            "spec gate: breaking changes since {base} are covered by the version bump {old_version} -> {new_version}"
        );
        return Ok(());
    }
    let acknowledgements: Vec<Acknowledgement> =
        match std::fs::read_to_string(root.join("generated/breaking-changes.yaml")) {
            Ok(text) => serde_yaml_ng::from_str::<Option<Vec<Acknowledgement>>>(&text)
                .map_err(|error| format!("generated/breaking-changes.yaml: {error}"))?
                .unwrap_or_default(),
            Err(_) => Vec::new(),
        };
    let unacknowledged: Vec<String> = breaking
        .iter()
        .filter(|(spec, change)| {
            !acknowledgements.iter().any(|ack| {
                ack.spec == *spec
                    && ack.rule == change.rule
                    && ack.pointer == change.pointer
                    && !ack.reason.trim().is_empty()
            })
        })
        .map(|(spec, change)| {
            format!(
                "  {spec}#{} [{}] {}",
                change.pointer, change.rule, change.message
            )
        })
        .collect();
    if unacknowledged.is_empty() {
        println!(
            "spec gate: every breaking change since {base} is acknowledged in generated/breaking-changes.yaml"
        );
        return Ok(());
    }
    Err(format!(
        "breaking spec changes since {base} without a version bump:\n{}\nbump `version` in generated/Cargo.toml to at least {} (a {:?} bump from {old_version}), or acknowledge each change in generated/breaking-changes.yaml with `spec`, `rule`, `pointer` and `reason`",
        unacknowledged.join("\n"),
        needed.apply(&old_version),
        needed
    ))
}

// The spec gate and `spec-diff --base` against a scratch git repository.
#[cfg(test)]
mod tests;

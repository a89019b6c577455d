//! `cargo xtask corpus`: generate every spec of the real-world corpus
//! (`../shared/corpus/`, published specs that stay outside this repository),
//! type-check each generated client with clippy in a scratch crate outside
//! `generated/`, and write CORPUS.md.
//!
//! Each spec gets a crate of its own under `target/corpus/`, so a spec's
//! check time and its errors are its own; the crates share the workspace's
//! target directory, so the dependencies CI has already built are reused.
//!
//! Each client that passes is then driven against Prism serving its own
//! spec: a program written by `codegen::driver` calls a sample of its
//! operations (one per body kind, response kind, parameter style and
//! security scheme the spec uses, where a value can be built) and reports
//! whether Prism accepted each request.
//!
//! The run fails on what must never happen: a panic, or a generated client
//! that does not compile or is not clippy-clean. A spec the generator
//! refuses is a failure in CORPUS.md (with its diagnostics) but fails the run
//! only when the CORPUS.md being replaced recorded it as passing: the
//! ratchet that keeps coverage from going backwards.
//!
//! The corpus is split in sets, its top-level folders. By default (and in
//! CI) only [`CI_SETS`] run; `--all` runs every set and is the run that
//! writes CORPUS.md.

use std::fmt::Write as _;
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The sets CI runs: progenitor's samples and the voice vendors, which all
/// pass. `more/` (16 specs of other domains, up to 3.5 MB each) is issue
/// #24's target: it would add most of the CI time budget and does not pass
/// yet, so it runs with `--all`.
const CI_SETS: [&str; 2] = ["progenitor", "voice"];

/// `cargo xtask corpus` arguments.
#[derive(Debug, clap::Args)]
pub struct Options {
    /// The corpus directory; `../shared/corpus` beside the workspace when
    /// not given.
    #[arg(long, value_name = "DIR")]
    pub corpus: Option<PathBuf>,
    /// Every set of the corpus (`more/` too), not only the ones CI runs
    /// (`progenitor/`, `voice/`); the run that writes CORPUS.md.
    #[arg(long)]
    pub all: bool,
    /// Skip the clippy check (generation only); prints the report instead
    /// of writing CORPUS.md.
    #[arg(long)]
    pub no_check: bool,
    /// Only specs whose path (relative to the corpus) contains one of these;
    /// prints the report instead of writing CORPUS.md.
    #[arg(value_name = "SPEC")]
    pub only: Vec<String>,
}

/// One corpus spec and what became of it.
struct Entry {
    /// Path relative to the corpus directory, `/`-separated.
    name: String,
    version: String,
    operations: Option<usize>,
    generation: Duration,
    outcome: Outcome,
    /// What the driver exercises and what it could not (none where the
    /// spec was not generated).
    plan: Option<PlanSummary>,
    /// The driver's run against Prism, once it ran.
    sample: Option<Result<Vec<Driven>, String>>,
    /// How the copy of the spec Prism served differs from the spec
    /// (`prism_spec`); empty when Prism served the spec itself.
    served_copy: Vec<String>,
    /// Where the spec breaks OpenAPI and was read leniently or in part
    /// ignored (`codegen::normalize`): `pointer: message`.
    warnings: Vec<String>,
    /// Whether progenitor 0.15, the reference, generates the spec (and why
    /// not); `None` where it was not asked (`--no-check`).
    progenitor: Option<Result<(), String>>,
}

struct PlanSummary {
    uncovered: Vec<String>,
}

/// One call the driver made, as it reported it.
struct Driven {
    operation: String,
    covers: Vec<String>,
    accepted: bool,
    status: u64,
    detail: String,
}

enum Outcome {
    /// Generated; `check` is filled in after clippy ran.
    Generated { lines: usize, check: Option<Check> },
    /// The generator refused the spec with diagnostics.
    Refused { problems: Vec<String> },
    /// The generator panicked: always a bug.
    Panicked { message: String },
}

struct Check {
    took: Duration,
    /// The compiler's and clippy's error lines, when it failed.
    errors: Vec<String>,
}

impl Entry {
    fn passed(&self) -> bool {
        matches!(
            &self.outcome,
            Outcome::Generated { check: Some(check), .. } if check.errors.is_empty()
        )
    }

    /// The Prism sample in a few words, as CORPUS.md's table shows it.
    fn sample_summary(&self) -> String {
        match &self.sample {
            None => "-".into(),
            Some(Err(_)) => "**cannot run**".into(),
            Some(Ok(calls)) => {
                let rejected = calls.iter().filter(|call| !call.accepted).count();
                if rejected == 0 {
                    format!("all {} accepted", calls.len())
                } else {
                    format!("**{rejected} of {} rejected**", calls.len())
                }
            }
        }
    }

    /// Whether a sample ran and Prism accepted every request.
    fn sample_accepted(&self) -> bool {
        matches!(&self.sample, Some(Ok(calls)) if calls.iter().all(|call| call.accepted))
    }

    /// The outcome in a few words, as CORPUS.md's table shows it.
    fn summary(&self) -> String {
        match &self.outcome {
            Outcome::Generated { check: None, .. } => "generated (not checked)".into(),
            Outcome::Generated { check: Some(c), .. } if c.errors.is_empty() => "ok".into(),
            Outcome::Generated { .. } => "**fails to compile**".into(),
            Outcome::Refused { problems } => format!(
                "refused ({} problem{})",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" }
            ),
            Outcome::Panicked { .. } => "**panicked**".into(),
        }
    }
}

pub fn run(root: &Path, options: &Options) -> Result<(), String> {
    let corpus = options
        .corpus
        .clone()
        .unwrap_or_else(|| root.join("../shared/corpus"));
    if !corpus.is_dir() {
        println!(
            "NOTICE: the corpus directory {} is absent; skipping the corpus run",
            corpus.display()
        );
        return Ok(());
    }
    let sets: &[&str] = if options.all { &[] } else { &CI_SETS };
    let specs = discover(&corpus, sets, &options.only)?;
    if specs.is_empty() {
        return Err(format!("no spec in {} matches", corpus.display()));
    }
    let corpus_md = root.join("CORPUS.md");
    let previous = fs::read_to_string(&corpus_md).unwrap_or_default();
    let previously_ok = previously_passing(&previous, 4, "ok");
    let previously_accepted = previously_passing(&previous, 8, "all ");

    let scratch = root.join("target/corpus");
    let mut entries = Vec::new();
    for (name, path) in &specs {
        eprintln!("==> generating {name}");
        let (entry, sources) = generate(root, name, path);
        if let Some(sources) = sources {
            write_crate(&scratch, root, name, &sources)?;
        }
        entries.push(entry);
    }
    write_workspace(&scratch, root, &entries)?;
    if !options.no_check {
        check_all(root, &scratch, &specs, &mut entries)?;
        reference_all(root, &specs, &mut entries)?;
    }

    let report = report(&entries);
    // A partial run (some sets, filtered or unchecked) must not replace the
    // record.
    if options.all && options.only.is_empty() && !options.no_check {
        crate::codegen::write_atomically(&corpus_md, &report)?;
        eprintln!("wrote {}", corpus_md.display());
    } else {
        println!("{report}");
    }
    verdict(&entries, &previously_ok, &previously_accepted)
}

/// Asks progenitor 0.15 whether it generates each spec, one process per
/// spec (`codegen/examples/progenitor_reference.rs`; a stack overflow
/// in it aborts only that process), for CORPUS.md's progenitor column.
fn reference_all(
    root: &Path,
    specs: &[(String, PathBuf)],
    entries: &mut [Entry],
) -> Result<(), String> {
    eprintln!("==> progenitor 0.15 on each spec");
    let target = root.join("target");
    let status = Command::new(crate::cargo())
        .args(["build", "--quiet", "-p", "agent-clients-codegen"])
        .args(["--example", "progenitor_reference"])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(root)
        .status()
        .map_err(|error| format!("cannot build progenitor_reference: {error}"))?;
    if !status.success() {
        return Err("progenitor_reference does not build".into());
    }
    let program = target.join("debug/examples/progenitor_reference");
    for ((_, path), entry) in specs.iter().zip(entries.iter_mut()) {
        let output = Command::new(&program)
            .arg(path)
            .output()
            .map_err(|error| format!("cannot run {}: {error}", program.display()))?;
        let line = String::from_utf8_lossy(&output.stdout);
        let answer: Option<serde_json::Value> = serde_json::from_str(line.trim()).ok();
        entry.progenitor = Some(match answer {
            Some(answer) if answer["generates"] == true => Ok(()),
            Some(answer) => Err(answer["why"].as_str().unwrap_or("?").to_string()),
            None => Err(format!("crashed ({})", output.status)),
        });
    }
    Ok(())
}

/// The corpus specs, sorted by relative path: the `.json`, `.yaml` and
/// `.yml` files that are OpenAPI documents of their own, in `sets` (every
/// set when empty). The other files of a multi-file spec are what its
/// entry document refers to, not specs.
pub(crate) fn discover(
    corpus: &Path,
    sets: &[&str],
    only: &[String],
) -> Result<Vec<(String, PathBuf)>, String> {
    let mut found = Vec::new();
    let mut dirs = vec![corpus.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let listing =
            fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        for entry in listing {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let is_spec = matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml" | "yml")
            );
            let name = path
                .strip_prefix(corpus)
                .unwrap_or(&path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let in_sets =
                sets.is_empty() || sets.iter().any(|set| name.starts_with(&format!("{set}/")));
            let wanted = only.is_empty() || only.iter().any(|f| name.contains(f.as_str()));
            if is_spec && in_sets && wanted && is_entry_document(&path) {
                found.push((name, path));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Whether a file is an OpenAPI document rather than a part of one: it has
/// the top-level `openapi` field, which YAML writes at the start of a line
/// and JSON as a key (a part never has it; the field is required).
fn is_entry_document(path: &Path) -> bool {
    let Ok(text) = fs::read_to_string(path) else {
        // Unreadable: reported by the generator, with the reason.
        return true;
    };
    text.lines()
        .any(|line| line.starts_with("openapi:") || line.trim_start().starts_with("\"openapi\""))
        || text.trim_start().starts_with("{\"openapi\"")
}

/// Where the overlays of corpus specs are kept, relative to the workspace.
const CORPUS_OVERLAYS: &str = "corpus-overlays";

/// What a generated spec's scratch crate is written from.
struct Sources {
    client: String,
    driver: String,
    /// The `[features]` lines of a client split into features.
    features: String,
}

/// Generates one spec, catching any panic; the entry and, when generated,
/// the client's source and its driver's.
fn generate(root: &Path, name: &str, path: &Path) -> (Entry, Option<Sources>) {
    let (version, mut operations) = census(path);
    let started = Instant::now();
    // Diagnostics name the spec by its place in the corpus, so CORPUS.md
    // reads the same on every machine.
    // The document is read once, for the client and for its driver.
    let mut warnings = Vec::new();
    let result = quietly_catching_panics(|| {
        // Our corrections to a corpus spec (which is not ours to add a file
        // beside) are in corpus-overlays/, at the spec's place in the corpus.
        let overlay = codegen::load::overlay::path_for(Path::new(name));
        let document = codegen::load::load_with_overlay(
            path,
            Path::new(name),
            &root.join(CORPUS_OVERLAYS).join(&overlay),
            &Path::new(CORPUS_OVERLAYS).join(&overlay),
        )?;
        // A multi-file spec's path items are in other files.
        operations = operation_count(&document.raw).or(operations);
        warnings = document
            .warnings
            .iter()
            .map(|w| format!("{}: {}", w.pointer, w.message))
            .collect();
        let generated = codegen::generate(&document)?;
        warnings = generated
            .warnings
            .iter()
            .map(|w| format!("{}: {}", w.pointer, w.message))
            .collect();
        let features = codegen::ir::features::manifest_lines(&generated.features);
        Ok::<_, codegen::Error>((generated.source, features, document))
    });
    let generation = started.elapsed();
    let library = crate_name(name).replace('-', "_");
    let driven = match &result {
        Ok(Ok((_, _, document))) => {
            quietly_catching_panics(|| codegen::driver_document(document, &library))
        }
        // No client, no driver: the entry says why.
        _ => Err(String::new()),
    };
    let (driver, plan) = match driven {
        Ok(Ok((source, plan))) => (
            source,
            Some(PlanSummary {
                uncovered: plan.uncovered,
            }),
        ),
        // The Prism step reports the program's message as its outcome.
        Ok(Err(error)) => (failing_driver(&error.to_string()), None),
        Err(panic) => (
            failing_driver(&format!("the driver generator panicked: {panic}")),
            None,
        ),
    };
    let (outcome, source) = match result {
        Ok(Ok((source, features, _))) => (
            Outcome::Generated {
                lines: source.lines().count(),
                check: None,
            },
            Some(Sources {
                client: source,
                driver,
                features,
            }),
        ),
        Ok(Err(error)) => (
            Outcome::Refused {
                problems: error.to_string().lines().map(str::to_string).collect(),
            },
            None,
        ),
        Err(message) => (Outcome::Panicked { message }, None),
    };
    let entry = Entry {
        name: name.to_string(),
        version,
        operations,
        generation,
        outcome,
        plan,
        sample: None,
        served_copy: Vec::new(),
        warnings,
        progenitor: None,
    };
    (entry, source)
}

/// A driver that only says why there is no real one.
fn failing_driver(why: &str) -> String {
    format!(
        "fn main() {{\n    eprintln!(\"no driver: {{}}\", {why:?});\n    std::process::exit(2);\n}}\n"
    )
}

/// The `openapi` version and the number of operations, read from the raw
/// document (which may be a version the generator refuses).
fn census(path: &Path) -> (String, Option<usize>) {
    let Ok(text) = fs::read_to_string(path) else {
        return ("?".into(), None);
    };
    let Ok(raw) = codegen::load::parse_text(path, &text) else {
        return ("?".into(), None);
    };
    let version = raw["openapi"].as_str().unwrap_or("?").to_string();
    (version, operation_count(&raw))
}

/// The operations under `paths`.
fn operation_count(document: &serde_json::Value) -> Option<usize> {
    document["paths"].as_object().map(|paths| {
        paths
            .values()
            .map(|item| {
                codegen::ir::model::HttpMethod::ALL
                    .iter()
                    .filter(|m| item.get(m.key()).is_some())
                    .count()
            })
            .sum()
    })
}

/// Runs `f`, turning a panic into its message without printing it (the
/// report shows it).
fn quietly_catching_panics<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let message = Arc::new(Mutex::new(String::new()));
    let previous = std::panic::take_hook();
    let slot = message.clone();
    std::panic::set_hook(Box::new(move |info| {
        *slot.lock().unwrap() = info.to_string();
    }));
    let result = catch_unwind(AssertUnwindSafe(f));
    std::panic::set_hook(previous);
    result.map_err(|_| message.lock().unwrap().clone())
}

/// A crate name for a corpus spec: `progenitor/api.github.com.json` becomes
/// `corpus-progenitor-api-github-com`.
fn crate_name(name: &str) -> String {
    let stem = name
        .rsplit_once('.')
        .map_or(name, |(stem, _)| stem)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>();
    format!("corpus-{stem}")
}

fn write_crate(scratch: &Path, root: &Path, name: &str, sources: &Sources) -> Result<(), String> {
    let split = &sources.features;
    let dir = scratch.join("crates").join(crate_name(name));
    // A generated module needs only the runtime crate and the crates its
    // types name, as in a user's own crate.
    let runtime = root.join("runtime");
    let manifest = format!(
        r#"# Written by `cargo xtask corpus`; the client generated from corpus spec
# {name}.
[package]
name = "{crate_name}"
version = "0.0.0"
edition = "2024"
publish = false

[lib]
path = "lib.rs"

# Calls a sample of the client's operations against Prism.
[[bin]]
name = "{crate_name}-drive"
path = "drive.rs"

# The client's typed mock server and its `webhooks` module; clippy checks
# the crate with both on, and with every feature of a client split into
# features.
[features]
default = [{full}]
mock = ["agent-clients-runtime/mock"]
webhooks = ["agent-clients-runtime/webhooks"]
{split}
[dependencies]
agent-clients-runtime = {{ path = "{runtime}", default-features = false, features = ["sse"] }}
chrono = {{ version = "0.4", default-features = false, features = ["serde", "std"] }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
tokio = {{ version = "1", features = ["macros", "rt"] }}
uuid = {{ version = "1", default-features = false, features = ["serde", "std"] }}
"#,
        crate_name = crate_name(name),
        runtime = runtime.display(),
        full = if split.is_empty() { "" } else { "\"full\"" },
    );
    crate::codegen::write_atomically(&dir.join("Cargo.toml"), &manifest)?;
    crate::codegen::write_atomically(&dir.join("lib.rs"), &sources.client)?;
    crate::codegen::write_atomically(&dir.join("drive.rs"), &sources.driver)
}

/// The scratch workspace: the generated crates only, with the main
/// workspace's lock file so dependency versions are the ones CI tests.
fn write_workspace(scratch: &Path, root: &Path, entries: &[Entry]) -> Result<(), String> {
    let members: Vec<String> = entries
        .iter()
        .filter(|e| matches!(e.outcome, Outcome::Generated { .. }))
        .map(|e| format!("    \"crates/{}\",\n", crate_name(&e.name)))
        .collect();
    let manifest = format!(
        "# Written by `cargo xtask corpus`.\n[workspace]\nresolver = \"3\"\nmembers = [\n{}]\n",
        members.concat()
    );
    crate::codegen::write_atomically(&scratch.join("Cargo.toml"), &manifest)?;
    let lock = fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    if !scratch.join("Cargo.lock").exists() {
        crate::codegen::write_atomically(&scratch.join("Cargo.lock"), &lock)?;
    }
    Ok(())
}

/// `cargo clippy -- -D warnings` on one generated crate: type-checks it and
/// holds it to the same lint bar as the vendor modules.
fn clippy(root: &Path, scratch: &Path, name: &str) -> Result<Check, String> {
    let cargo = crate::cargo();
    let started = Instant::now();
    let output = Command::new(&cargo)
        .args([
            "clippy",
            "--quiet",
            "--package",
            &crate_name(name),
            "--features",
            "mock,webhooks",
        ])
        .args(["--message-format=short", "--", "-D", "warnings"])
        .env("CARGO_TARGET_DIR", root.join("target"))
        .current_dir(scratch)
        .output()
        .map_err(|error| format!("cannot run {cargo}: {error}"))?;
    let took = started.elapsed();
    let errors = if output.status.success() {
        Vec::new()
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let errors: Vec<String> = stderr
            .lines()
            .filter(|line| line.contains("error") || line.contains("warning"))
            .map(str::to_string)
            .collect();
        if errors.is_empty() {
            vec![format!("clippy failed: {}", stderr.trim())]
        } else {
            errors
        }
    };
    Ok(Check { took, errors })
}

/// Checks each generated crate with clippy, drives it against Prism where
/// it passed, then removes its build outputs: the corpus's crates build to
/// about 2 GB together, and a CI machine's disk is not ours to fill, so a
/// run's peak holds one spec's outputs, not all of them.
fn check_all(
    root: &Path,
    scratch: &Path,
    specs: &[(String, PathBuf)],
    entries: &mut [Entry],
) -> Result<(), String> {
    let prism = root.join("node_modules/.bin/prism");
    if !prism.exists() {
        println!(
            "NOTICE: {} is absent (`npm ci` installs it); skipping the Prism samples",
            prism.display()
        );
    }
    for (entry, (_, spec)) in entries.iter_mut().zip(specs) {
        let Outcome::Generated { check, .. } = &mut entry.outcome else {
            continue;
        };
        eprintln!("==> clippy {}", entry.name);
        *check = Some(clippy(root, scratch, &entry.name)?);
        if entry.passed() && prism.exists() {
            eprintln!("==> prism sample {}", entry.name);
            let mut served_copy = Vec::new();
            let sample = drive(root, scratch, &prism, &entry.name, spec, &mut served_copy);
            for note in &served_copy {
                eprintln!("    Prism serves a copy: {note}");
            }
            entry.sample = Some(sample);
            entry.served_copy = served_copy;
        }
        clean(root, scratch, &entry.name)?;
    }
    Ok(())
}

/// `cargo clean --package` on one generated crate: its library, driver and
/// their fingerprints go; the shared dependencies stay for the next spec.
fn clean(root: &Path, scratch: &Path, name: &str) -> Result<(), String> {
    let cargo = crate::cargo();
    let output = Command::new(&cargo)
        .args(["clean", "--quiet", "--package", &crate_name(name)])
        .env("CARGO_TARGET_DIR", root.join("target"))
        .current_dir(scratch)
        .output()
        .map_err(|error| format!("cannot run {cargo}: {error}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "cannot remove {name}'s build outputs: {}",
            last_lines(&String::from_utf8_lossy(&output.stderr), 4)
        ))
    }
}

/// Builds the driver of one client and runs it against Prism serving
/// `spec`: each call it made, or why it could not run. `served_copy` gets
/// how the copy Prism served differs from the spec, if it does.
fn drive(
    root: &Path,
    scratch: &Path,
    prism: &Path,
    name: &str,
    spec: &Path,
    served_copy: &mut Vec<String>,
) -> Result<Vec<Driven>, String> {
    let cargo = crate::cargo();
    let binary = format!("{}-drive", crate_name(name));
    let built = Command::new(&cargo)
        .args([
            "build",
            "--quiet",
            "--package",
            &crate_name(name),
            "--bin",
            &binary,
        ])
        .env("CARGO_TARGET_DIR", root.join("target"))
        .current_dir(scratch)
        .output()
        .map_err(|error| format!("cannot run {cargo}: {error}"))?;
    if !built.status.success() {
        return Err(format!(
            "the driver does not build: {}",
            last_lines(&String::from_utf8_lossy(&built.stderr), 8)
        ));
    }
    let served = prism_spec(scratch, name, spec, served_copy)?;
    let server = crate::prism::Prism::start(prism, &served)?;
    let ran = Command::new(root.join("target/debug").join(&binary))
        .arg(&server.base_url)
        .output()
        .map_err(|error| format!("cannot run the driver: {error}"))?;
    let stdout = String::from_utf8_lossy(&ran.stdout);
    let calls: Vec<Driven> = stdout.lines().filter_map(driven).collect();
    if ran.status.code() == Some(2) || (calls.is_empty() && !ran.status.success()) {
        return Err(server.report(&format!(
            "the driver stopped: {}",
            last_lines(&String::from_utf8_lossy(&ran.stderr), 8)
        )));
    }
    Ok(calls)
}

/// The spec as Prism is given it: the spec itself, or a copy that Prism can
/// serve (see `prism_spec`), whose differences are added to `notes`.
fn prism_spec(
    scratch: &Path,
    name: &str,
    spec: &Path,
    notes: &mut Vec<String>,
) -> Result<PathBuf, String> {
    let text =
        fs::read_to_string(spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let mut document = codegen::load::parse_text(spec, &text).map_err(|error| error.to_string())?;
    notes.clear();
    // Prism reads one file: a multi-file spec is served bundled, as the
    // generator reads it.
    if codegen::load::bundle::refers_to_other_files(&document) {
        let bundle = codegen::load::bundle::bundle(
            spec,
            Path::new(name),
            document,
            String::new(),
            &codegen::load::read_normalised,
            None,
        )
        .map_err(|error| error.to_string())?;
        document = bundle.document;
        notes.push(
            "the spec's files bundled into one document (`codegen/src/load/bundle.rs`)".into(),
        );
    }
    notes.extend(crate::prism_spec::prepare(&mut document));
    if notes.is_empty() {
        return Ok(spec.to_path_buf());
    }
    let path = scratch
        .join("prism")
        .join(format!("{}.json", crate_name(name)));
    let json = serde_json::to_string(&document).map_err(|error| error.to_string())?;
    crate::codegen::write_atomically(&path, &json)?;
    Ok(path)
}

/// One line of the driver's output.
fn driven(line: &str) -> Option<Driven> {
    let value: serde_json::Value = serde_json::from_str(line).ok()?;
    Some(Driven {
        operation: value["operation"].as_str()?.to_string(),
        covers: value["covers"]
            .as_array()?
            .iter()
            .filter_map(|c| c.as_str().map(String::from))
            .collect(),
        accepted: value["accepted"].as_bool()?,
        status: value["status"].as_u64().unwrap_or(0),
        detail: value["detail"].as_str().unwrap_or("").to_string(),
    })
}

fn last_lines(text: &str, count: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(count)..].join("\n")
}

/// Specs the CORPUS.md being replaced records as passing: its table's
/// `column` (1-based, as `|` splits a row: `| spec | OpenAPI | operations
/// | outcome | ...`) starts with `passing`.
fn previously_passing(corpus_md: &str, column: usize, passing: &str) -> Vec<String> {
    corpus_md
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            (cells.len() > column && cells[column].starts_with(passing))
                .then(|| cells[1].trim_matches('`').to_string())
        })
        .collect()
}

fn report(entries: &[Entry]) -> String {
    let passed = entries.iter().filter(|e| e.passed()).count();
    let mut out = String::from(
        "# Corpus\n\n\
         Written by `cargo xtask corpus --all` (CI runs the `progenitor/` and\n\
         `voice/` sets): every spec of the real-world corpus in\n\
         `../shared/corpus/` (published specs kept outside this repository;\n\
         its README says where each comes from) generated by\n\
         `agent-clients-codegen`, then type-checked in a scratch crate outside\n\
         `generated/` with `cargo clippy -- -D warnings`. Generation is timed\n\
         in-process in the debug build `cargo xtask` runs (see BENCHMARKS.md for\n\
         release timings); the check time is clippy's wall time for that crate\n\
         alone, dependencies already built. The Prism sample is a program\n\
         (`codegen::driver`) that calls one operation for each request body kind,\n\
         response kind, parameter style and security scheme the spec uses, with\n\
         values built from the schemas, against Prism serving the same spec;\n\
         Prism validates every request. What each call exercised, and what no\n\
         call could, is listed below the table.\n\n",
    );
    let _ = writeln!(
        out,
        "**{passed} of {} specs generate and pass the check.**\n",
        entries.len()
    );
    out.push_str(
        "| spec | OpenAPI | operations | outcome | generation | generated lines | check | Prism sample | progenitor 0.15 |\n\
         |---|---|---|---|---|---|---|---|---|\n",
    );
    for entry in entries {
        let (lines, check) = match &entry.outcome {
            Outcome::Generated { lines, check } => (
                lines.to_string(),
                check
                    .as_ref()
                    .map_or("-".into(), |c| format!("{:.1} s", c.took.as_secs_f64())),
            ),
            _ => ("-".into(), "-".into()),
        };
        let progenitor = match &entry.progenitor {
            None => "-",
            Some(Ok(())) => "generates",
            Some(Err(_)) => "fails",
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {:.2} s | {lines} | {check} | {} | {progenitor} |",
            entry.name,
            entry.version,
            entry.operations.map_or("?".into(), |n| n.to_string()),
            entry.summary(),
            entry.generation.as_secs_f64(),
            entry.sample_summary(),
        );
    }
    reference_section(&mut out, entries);
    samples_section(&mut out, entries);
    warnings_section(&mut out, entries);
    // Unchecked (`--no-check`) clients have nothing to report yet.
    let unchecked = |e: &&Entry| matches!(e.outcome, Outcome::Generated { check: None, .. });
    let failures: Vec<&Entry> = entries
        .iter()
        .filter(|e| !e.passed() && !unchecked(e))
        .collect();
    if !failures.is_empty() {
        out.push_str("\n## Why each failure fails\n\nThe first diagnostics of each, as the generator or the compiler gave them.\n");
        for entry in failures {
            let _ = writeln!(out, "\n### `{}`\n\n```text", entry.name);
            let lines: Vec<String> = match &entry.outcome {
                Outcome::Refused { problems } => problems.clone(),
                Outcome::Panicked { message } => vec![format!("panic: {message}")],
                Outcome::Generated { check, .. } => {
                    check.as_ref().map(|c| c.errors.clone()).unwrap_or_default()
                }
            };
            for line in lines.iter().take(12) {
                let _ = writeln!(out, "{line}");
            }
            if lines.len() > 12 {
                let _ = writeln!(out, "... and {} more", lines.len() - 12);
            }
            out.push_str("```\n");
        }
    }
    out
}

/// Why progenitor 0.15 does not generate each spec it refuses: its first
/// error or panic.
fn reference_section(out: &mut String, entries: &[Entry]) {
    let refused: Vec<(&str, &str)> = entries
        .iter()
        .filter_map(|entry| match &entry.progenitor {
            Some(Err(why)) => Some((entry.name.as_str(), why.as_str())),
            _ => None,
        })
        .collect();
    if refused.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n## The reference: progenitor 0.15\n\nprogenitor is what we measure against (BENCHMARKS.md times both side by side). Run on each file as its user would (read, parse as OpenAPI, generate, print), it generates {} of these {} specs. Where it does not, its first error:\n",
        entries.len() - refused.len(),
        entries.len()
    );
    for (name, why) in refused {
        let why: String = why.lines().next().unwrap_or("").chars().take(160).collect();
        let _ = writeln!(out, "- `{name}`: {}", why.replace('|', "\\|"));
    }
}

/// Each spec's warnings: where it breaks OpenAPI, and how it was read.
fn warnings_section(out: &mut String, entries: &[Entry]) {
    if entries.iter().all(|entry| entry.warnings.is_empty()) {
        return;
    }
    out.push_str(
        "\n## Read leniently, left out or degraded\n\nEvery warning of each spec: where it breaks \
         OpenAPI and how the generator read it (`codegen/src/normalize`), an operation left out \
         or a schema read as untyped JSON (`codegen/src/ir`); each is also in the generated \
         file's header.\n",
    );
    for entry in entries.iter().filter(|entry| !entry.warnings.is_empty()) {
        let count = entry.warnings.len();
        let _ = writeln!(
            out,
            "\n### `{}`: {count} warning{}\n\n```text",
            entry.name,
            if count == 1 { "" } else { "s" }
        );
        for line in &entry.warnings {
            let _ = writeln!(out, "{line}");
        }
        out.push_str("```\n");
    }
}

/// Each spec's calls: what each exercised and Prism's answer; then what
/// no call could exercise.
fn samples_section(out: &mut String, entries: &[Entry]) {
    if entries.iter().all(|entry| entry.sample.is_none()) {
        return;
    }
    out.push_str("\n## Prism samples\n");
    for entry in entries {
        let Some(sample) = &entry.sample else {
            continue;
        };
        let _ = writeln!(out, "\n### `{}`\n", entry.name);
        for note in &entry.served_copy {
            let _ = writeln!(out, "Prism serves a copy of the spec: {note}.\n");
        }
        match sample {
            Err(why) => {
                let _ = writeln!(out, "```text\n{why}\n```");
            }
            Ok(calls) => {
                out.push_str("| operation | exercises | status | Prism |\n|---|---|---|---|\n");
                for call in calls {
                    let verdict = if call.accepted && call.detail.is_empty() {
                        "accepted".to_string()
                    } else if call.accepted {
                        format!(
                            "accepted ({})",
                            call.detail.replace('|', "\\|").replace('\n', " ")
                        )
                    } else {
                        format!(
                            "**rejected**: {}",
                            call.detail.replace('|', "\\|").replace('\n', " ")
                        )
                    };
                    let _ = writeln!(
                        out,
                        "| `{}` | {} | {} | {verdict} |",
                        call.operation,
                        call.covers.join("; "),
                        call.status
                    );
                }
            }
        }
        if let Some(plan) = entry
            .plan
            .as_ref()
            .filter(|plan| !plan.uncovered.is_empty())
        {
            let _ = writeln!(
                out,
                "\nNot exercised (no operation using it could be given values): {}.",
                plan.uncovered.join("; ")
            );
        }
    }
}

/// Fails on a panic, on a generated client that does not pass the check, and
/// on a spec that used to pass (or whose Prism sample Prism used to accept
/// whole) and no longer does.
fn verdict(
    entries: &[Entry],
    previously_ok: &[String],
    previously_accepted: &[String],
) -> Result<(), String> {
    let mut failures = Vec::new();
    for entry in entries {
        if entry.sample.is_some()
            && !entry.sample_accepted()
            && previously_accepted.contains(&entry.name)
        {
            failures.push(format!(
                "{}: CORPUS.md recorded its Prism sample as accepted; now: {}",
                entry.name,
                entry.sample_summary()
            ));
        }
        match &entry.outcome {
            Outcome::Panicked { message } => {
                failures.push(format!("{}: the generator panicked: {message}", entry.name));
            }
            Outcome::Generated { check: Some(c), .. } if !c.errors.is_empty() => {
                failures.push(format!(
                    "{}: the generated client does not pass clippy:\n{}",
                    entry.name,
                    c.errors.join("\n")
                ));
            }
            _ if !entry.passed() && previously_ok.contains(&entry.name) => {
                failures.push(format!(
                    "{}: CORPUS.md recorded it as ok; now: {}",
                    entry.name,
                    entry.summary()
                ));
            }
            _ => {}
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_are_valid_package_names() {
        assert_eq!(
            crate_name("progenitor/api.github.com.json"),
            "corpus-progenitor-api-github-com"
        );
        assert_eq!(crate_name("voice/vapi.yaml"), "corpus-voice-vapi");
    }

    #[test]
    fn the_ratchet_reads_passing_specs_from_corpus_md() {
        let md = "\
| spec | OpenAPI | operations | outcome | generation | generated lines | check | Prism sample |
|---|---|---|---|---|---|---|---|
| `progenitor/keeper.json` | 3.0.3 | 6 | ok | 0.10 s | 900 | 2.0 s | all 2 accepted |
| `progenitor/nexus.json` | 3.0.3 | 193 | ok | 0.31 s | 19882 | 5.6 s | **1 of 5 rejected** |
| `voice/vapi.yaml` | 3.0.0 | 86 | refused (3 problems) | 0.50 s | - | - | - |
";
        assert_eq!(
            previously_passing(md, 4, "ok"),
            ["progenitor/keeper.json", "progenitor/nexus.json"]
        );
        assert_eq!(
            previously_passing(md, 8, "all "),
            ["progenitor/keeper.json"]
        );
    }

    fn entry(name: &str, outcome: Outcome) -> Entry {
        Entry {
            name: name.into(),
            version: "3.0.3".into(),
            operations: Some(1),
            generation: Duration::ZERO,
            outcome,
            plan: None,
            sample: None,
            served_copy: Vec::new(),
            warnings: Vec::new(),
            progenitor: None,
        }
    }

    #[test]
    fn panics_compile_errors_and_regressions_fail_the_run() {
        let ok = || Outcome::Generated {
            lines: 1,
            check: Some(Check {
                took: Duration::ZERO,
                errors: vec![],
            }),
        };
        let refused = || Outcome::Refused {
            problems: vec!["x.json: /paths: no".into()],
        };
        // A refusal is only a failure in the report...
        assert!(verdict(&[entry("a", ok()), entry("b", refused())], &[], &[]).is_ok());
        // ...until the spec was recorded as passing.
        let regression = verdict(&[entry("b", refused())], &["b".to_string()], &[]).unwrap_err();
        assert!(regression.contains("recorded it as ok"), "{regression}");
        let panic = Outcome::Panicked {
            message: "boom".into(),
        };
        assert!(
            verdict(&[entry("c", panic)], &[], &[])
                .unwrap_err()
                .contains("boom")
        );
        let broken = Outcome::Generated {
            lines: 1,
            check: Some(Check {
                took: Duration::ZERO,
                errors: vec!["error[E0425]: x".into()],
            }),
        };
        assert!(
            verdict(&[entry("d", broken)], &[], &[])
                .unwrap_err()
                .contains("E0425")
        );
        // A Prism sample that was accepted whole must stay so.
        let call = |accepted| Driven {
            operation: "op".into(),
            covers: vec!["request body json".into()],
            accepted,
            status: if accepted { 200 } else { 422 },
            detail: String::new(),
        };
        let mut rejected = entry("e", ok());
        rejected.sample = Some(Ok(vec![call(true), call(false)]));
        assert!(verdict(std::slice::from_ref(&rejected), &[], &[]).is_ok());
        let regression = verdict(&[rejected], &[], &["e".to_string()]).unwrap_err();
        assert!(regression.contains("1 of 2 rejected"), "{regression}");
        let mut cannot_run = entry("f", ok());
        cannot_run.sample = Some(Err("Prism did not listen".into()));
        assert!(verdict(&[cannot_run], &[], &["f".to_string()]).is_err());
    }
}

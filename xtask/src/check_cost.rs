//! `cargo xtask check-cost [FILTER...]`: what a user pays to compile a
//! generated client, ours against ploidy 0.15's, side by side.
//!
//! For each construct spec this writes (one costly construct alone, at
//! scale) and each corpus spec ploidy generates: both crates are generated
//! as their users would (our CLI, `ploidy generate rust`), their
//! dependencies built once, then each crate alone is checked (`cargo
//! check` after touching its sources, without incremental compilation,
//! which would reuse the last check's work) in three interleaved rounds, under
//! `/usr/bin/time` for the elapsed time and the peak memory of the largest
//! process (rustc). Medians go to section 5 of BENCHMARKS.md. Without
//! ploidy on the PATH (`cargo install ploidy --version 0.15.0`) it says so
//! and stops.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Map, Value, json};

/// Rounds per spec, each checking ours then ploidy's.
const ROUNDS: usize = 3;

/// The heading this section of BENCHMARKS.md starts with; `bench` keeps
/// the file from here on (this command's sections) when it rewrites the rest.
pub const HEADING: &str = "## 5. Compile cost against ploidy";

/// One spec's measurements: (seconds, peak KiB) per round, per generator.
struct Measured {
    name: String,
    operations: usize,
    ours: Result<Vec<(f64, u64)>, String>,
    ploidy: Result<Vec<(f64, u64)>, String>,
}

pub fn run(root: &Path, filters: &[String]) -> Result<(), String> {
    if Command::new("ploidy").arg("--version").output().is_err() {
        println!(
            "ploidy is not on the PATH: nothing to compare (`cargo install ploidy --version 0.15.0`)"
        );
        return Ok(());
    }
    let work = root.join("target/check-cost");
    let specs_dir = work.join("specs");
    fs::create_dir_all(&specs_dir).map_err(|e| e.to_string())?;
    let mut specs = write_construct_specs(&specs_dir)?;
    specs.extend(corpus_specs(root)?);
    specs.retain(|(name, _)| filters.is_empty() || filters.iter().any(|f| name.contains(f)));
    let generator = build_generator(root)?;
    let mut rows = Vec::new();
    for (name, spec) in &specs {
        eprintln!("==> {name}");
        rows.push(measure(&generator, root, name, spec));
    }
    let section = report(&rows, filters);
    println!("{section}");
    write_section(&root.join("BENCHMARKS.md"), &section)
}

/// Our CLI, built as its users install it.
fn build_generator(root: &Path) -> Result<PathBuf, String> {
    let status = Command::new(crate::cargo())
        .args(["build", "--release", "-p", "agent-clients-codegen-cli"])
        .current_dir(root)
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("cannot build the generator".into());
    }
    Ok(root.join("target/release/agent-clients-codegen"))
}

/// The corpus specs (`../shared/corpus/`), by relative path.
fn corpus_specs(root: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let corpus = root.join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("no ../shared/corpus/: the construct specs only");
        return Ok(Vec::new());
    }
    crate::corpus::discover(&corpus, &[], &[])
}

fn measure(generator: &Path, root: &Path, name: &str, spec: &Path) -> Measured {
    let work = root.join("target/check-cost");
    let slug: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let ours_dir = work.join("ours").join(&slug);
    let ploidy_dir = work.join("ploidy").join(&slug);
    let ours = generate(
        generator.to_str().unwrap_or_default(),
        &[spec.to_str().unwrap_or_default(), "--out"],
        &ours_dir,
        &["--runtime", &root.to_string_lossy()],
    );
    let ploidy = generate(
        "ploidy",
        &["generate", "rust", spec.to_str().unwrap_or_default(), "-o"],
        &ploidy_dir,
        &[],
    );
    // One entry per operation in the client's operation table.
    let operations = fs::read_to_string(ours_dir.join("src/lib.rs"))
        .map(|text| text.matches(": Operation = ").count())
        .unwrap_or(0);
    let target = work.join("target");
    let ours = ours.and_then(|()| check(&ours_dir, &target));
    let ploidy = ploidy
        .and_then(|()| every_operation(&ploidy_dir, operations))
        .and_then(|()| check(&ploidy_dir, &target));
    let mut measured = Measured {
        name: name.to_string(),
        operations,
        ours: ours.map(|()| Vec::new()),
        ploidy: ploidy.map(|()| Vec::new()),
    };
    // Interleaved, so that a slower spell of a shared machine falls on both.
    for _ in 0..ROUNDS {
        for (dir, result) in [
            (&ours_dir, &mut measured.ours),
            (&ploidy_dir, &mut measured.ploidy),
        ] {
            if let Ok(rounds) = result {
                match timed_check(dir, &target) {
                    Ok(round) => rounds.push(round),
                    Err(error) => *result = Err(error),
                }
            }
        }
    }
    measured
}

/// Writes a crate into `out` (emptied first) with `program`.
fn generate(program: &str, before: &[&str], out: &Path, after: &[&str]) -> Result<(), String> {
    let _ = fs::remove_dir_all(out);
    let output = Command::new(program)
        .args(before)
        .arg(out)
        .args(after)
        .output()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if !output.status.success() {
        return Err(error_line(&output.stderr, "generation failed"));
    }
    // A crate of its own, not a member of the workspace it is written in.
    let manifest = out.join("Cargo.toml");
    let text = fs::read_to_string(&manifest).map_err(|e| e.to_string())?;
    if !text.contains("[workspace]") {
        fs::write(&manifest, format!("{text}\n[workspace]\n")).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Whether ploidy's crate in `dir` has a method for the spec's operations:
/// a crate that leaves them all out (open-meteo's one operation) costs
/// nothing to check and compares with nothing, so it counts as a failure.
fn every_operation(dir: &Path, operations: usize) -> Result<(), String> {
    let methods = rust_files(&dir.join("src"))
        .iter()
        .filter_map(|file| fs::read_to_string(file).ok())
        .map(|text| text.matches("async fn ").count())
        .sum::<usize>();
    if methods == 0 && operations > 0 {
        let plural = if operations == 1 { "" } else { "s" };
        return Err(format!(
            "generates none of its {operations} operation{plural} (an empty client)"
        ));
    }
    Ok(())
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
    files
}

/// Builds the crate's dependencies, and checks that it compiles at all.
fn check(dir: &Path, target: &Path) -> Result<(), String> {
    let output = Command::new(crate::cargo())
        .args(["check", "--quiet"])
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .current_dir(dir)
        .output()
        .map_err(|e| e.to_string())?;
    if output.status.success() {
        Ok(())
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let error = stderr
            .lines()
            .find(|line| line.starts_with("error"))
            .unwrap_or("cargo check failed");
        Err(format!("does not compile: {error}"))
    }
}

/// One check of the crate alone (its sources touched): seconds, peak KiB.
fn timed_check(dir: &Path, target: &Path) -> Result<(f64, u64), String> {
    touch_sources(&dir.join("src"))?;
    let times = dir.join("check-cost.time");
    let status = Command::new("/usr/bin/time")
        .arg("-o")
        .arg(&times)
        .args(["-f", "%e %M"])
        .arg(crate::cargo())
        .args(["check", "--quiet"])
        .env("CARGO_TARGET_DIR", target)
        // A first build's cost: incremental compilation would reuse the
        // last check's work on sources that did not change.
        .env("CARGO_INCREMENTAL", "0")
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run /usr/bin/time: {e}"))?;
    if !status.status.success() {
        return Err("cargo check failed".into());
    }
    let text = fs::read_to_string(&times).map_err(|e| e.to_string())?;
    let mut fields = text.split_whitespace();
    let seconds = fields.next().and_then(|s| s.parse().ok());
    let kib = fields.next().and_then(|s| s.parse().ok());
    seconds
        .zip(kib)
        .ok_or_else(|| format!("unreadable timing: {text}"))
}

fn touch_sources(dir: &Path) -> Result<(), String> {
    let now = std::time::SystemTime::now();
    for entry in fs::read_dir(dir).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            touch_sources(&path)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            let file = fs::File::options()
                .append(true)
                .open(&path)
                .map_err(|e| e.to_string())?;
            file.set_modified(now).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// The line of a generator's output that says what failed: the first
/// that names an error, else the last.
fn error_line(bytes: &[u8], fallback: &str) -> String {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    lines
        .iter()
        .find(|line| line.contains("rror") || line.starts_with('×'))
        .or(lines.last())
        .map_or(fallback.to_string(), |line| line.to_string())
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn report(rows: &[Measured], filters: &[String]) -> String {
    let scope = if filters.is_empty() {
        "every construct spec and corpus spec".to_string()
    } else {
        format!("the specs whose names contain `{}`", filters.join("`, `"))
    };
    let mut out = format!(
        "{HEADING}\n\nMethod: `cargo xtask check-cost`. Each spec is generated as its user would (our CLI with every operation on; `ploidy generate rust`), each crate's dependencies are built once, then the crate alone is checked (`cargo check` after touching its sources, incremental compilation off, as on a first build) in {ROUNDS} interleaved rounds, ours then ploidy's, under `/usr/bin/time`: elapsed time and the peak memory of the largest process (rustc). Medians. The construct specs are written by the command, each one costly construct alone at scale. Ratio = ours / ploidy; targets (#34): ≤ 1.0 on every spec both generate, ≤ 0.7 in geometric mean.\n\nThis run: {scope}, on {}.\n\n| spec | operations | ours | ploidy | ours / ploidy | ours, peak | ploidy, peak |\n|---|---|---|---|---|---|---|\n",
        crate::bench::machine()
    );
    let mut ratios = Vec::new();
    for row in rows {
        let cell = |result: &Result<Vec<(f64, u64)>, String>| match result {
            Ok(rounds) if !rounds.is_empty() => {
                let seconds = median(rounds.iter().map(|r| r.0).collect());
                let peak = median(rounds.iter().map(|r| r.1 as f64).collect());
                (
                    format!("{seconds:.1} s"),
                    format!("{:.2} GB", peak / 1_048_576.0),
                    Some(seconds),
                )
            }
            Ok(_) => ("-".into(), "-".into(), None),
            Err(error) => (
                format!("fails: {}", error.replace('|', "\\|")),
                "-".into(),
                None,
            ),
        };
        let (ours, ours_peak, ours_s) = cell(&row.ours);
        let (ploidy, ploidy_peak, ploidy_s) = cell(&row.ploidy);
        let ratio = match (ours_s, ploidy_s) {
            (Some(a), Some(b)) if b > 0.0 => {
                ratios.push(a / b);
                format!("{:.2}", a / b)
            }
            _ => "-".into(),
        };
        out.push_str(&format!(
            "| `{}` | {} | {ours} | {ploidy} | {ratio} | {ours_peak} | {ploidy_peak} |\n",
            row.name, row.operations
        ));
    }
    if !ratios.is_empty() {
        let geomean = (ratios.iter().map(|r| r.ln()).sum::<f64>() / ratios.len() as f64).exp();
        let worst = ratios.iter().copied().fold(0.0, f64::max);
        out.push_str(&format!(
            "\n| target | result | |\n|---|---|---|\n| ours / ploidy ≤ 1.0 on every spec both compile | worst {worst:.2} | {} |\n| geometric mean ≤ 0.7 | {geomean:.2} over {} specs | {} |\n",
            if worst <= 1.0 { "met" } else { "not met" },
            ratios.len(),
            if geomean <= 0.7 { "met" } else { "not met" },
        ));
    }
    out
}

/// Replaces this section of BENCHMARKS.md (from its heading to the next
/// `## `), or appends it.
fn write_section(path: &Path, section: &str) -> Result<(), String> {
    let text = fs::read_to_string(path).unwrap_or_default();
    let new = match text.find(HEADING) {
        Some(start) => {
            let rest = &text[start + HEADING.len()..];
            let end = rest
                .find("\n## ")
                .map_or(text.len(), |at| start + HEADING.len() + at + 1);
            format!("{}{section}\n{}", &text[..start], &text[end..])
        }
        None => format!(
            "{}\n{section}",
            text.trim_end_matches('\n').to_string() + "\n"
        ),
    };
    crate::codegen::write_atomically(path, &new)
}

/// The construct specs, each one costly construct alone at scale.
fn write_construct_specs(dir: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let specs = [
        ("construct/untagged-unions", untagged_unions()),
        ("construct/deep-all-of", deep_all_of()),
        ("construct/small-enums", small_enums()),
        ("construct/error-bodies", error_bodies()),
        ("construct/nullable-fields", nullable_fields()),
    ];
    let mut written = Vec::new();
    for (name, spec) in specs {
        let path = dir.join(format!("{}.json", name.trim_start_matches("construct/")));
        let text = serde_json::to_string_pretty(&spec).map_err(|e| e.to_string())?;
        fs::write(&path, text).map_err(|e| e.to_string())?;
        written.push((name.to_string(), path));
    }
    Ok(written)
}

/// A document with `schemas`, and one `GET /thing{n}` per `returns` entry
/// answering that schema.
fn document(title: &str, schemas: Map<String, Value>, returns: &[String]) -> Value {
    let mut paths = Map::new();
    for (n, schema) in returns.iter().enumerate() {
        paths.insert(
            format!("/thing{n}"),
            json!({"get": {
                "operationId": format!("getThing{n}"),
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": format!("#/components/schemas/{schema}")}}}}}
            }}),
        );
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": title, "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    })
}

fn object(properties: Value) -> Value {
    json!({"type": "object", "properties": properties})
}

/// 30 unions, each `oneOf` 12 objects without a discriminator.
fn untagged_unions() -> Value {
    let mut schemas = Map::new();
    let mut returns = Vec::new();
    for u in 0..30 {
        let alternatives: Vec<Value> = (0..12)
            .map(|a| {
                let mut properties = Map::new();
                properties.insert(format!("kind{a}"), json!({"type": "string"}));
                properties.insert("value".into(), json!({"type": "integer"}));
                properties.insert(format!("extra{a}"), json!({"type": "boolean"}));
                json!({"type": "object", "required": [format!("kind{a}")], "properties": properties})
            })
            .collect();
        schemas.insert(format!("Union{u}"), json!({"oneOf": alternatives}));
        returns.push(format!("Union{u}"));
    }
    document("Untagged unions", schemas, &returns)
}

/// 40 objects, each an `allOf` of the one before and its own properties.
fn deep_all_of() -> Value {
    let mut schemas = Map::new();
    let mut returns = Vec::new();
    schemas.insert("Level0".into(), object(json!({"id": {"type": "string"}})));
    for n in 1..40 {
        let mut own = Map::new();
        for p in 0..4 {
            own.insert(format!("field{n}_{p}"), json!({"type": "string"}));
        }
        schemas.insert(
            format!("Level{n}"),
            json!({"allOf": [{"$ref": format!("#/components/schemas/Level{}", n - 1)},
                             {"type": "object", "properties": own}]}),
        );
        returns.push(format!("Level{n}"));
    }
    document("Deep allOf", schemas, &returns)
}

/// 50 objects of 8 inline string enums (4 values) each.
fn small_enums() -> Value {
    let mut schemas = Map::new();
    let mut returns = Vec::new();
    for o in 0..50 {
        let mut properties = Map::new();
        for e in 0..8 {
            properties.insert(
                format!("setting{e}"),
                json!({"type": "string", "enum": ["off", "low", "medium", format!("high{o}_{e}")]}),
            );
        }
        schemas.insert(format!("Settings{o}"), object(Value::Object(properties)));
        returns.push(format!("Settings{o}"));
    }
    document("Small enums", schemas, &returns)
}

/// 120 operations, each with four error statuses of distinct bodies.
fn error_bodies() -> Value {
    let mut schemas = Map::new();
    for e in 0..4 {
        schemas.insert(
            format!("Error{e}"),
            object(
                json!({"code": {"type": "string"}, "message": {"type": "string"},
                          format!("detail{e}"): {"type": "string"}}),
            ),
        );
    }
    schemas.insert("Thing".into(), object(json!({"id": {"type": "string"}})));
    let mut paths = Map::new();
    for n in 0..120 {
        let mut responses = Map::new();
        responses.insert(
            "200".into(),
            json!({"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Thing"}}}}),
        );
        for (e, status) in ["400", "404", "409", "500"].iter().enumerate() {
            responses.insert(
                status.to_string(),
                json!({"description": "error", "content": {"application/json": {
                    "schema": {"$ref": format!("#/components/schemas/Error{e}")}}}}),
            );
        }
        paths.insert(
            format!("/things/{n}"),
            json!({"post": {"operationId": format!("changeThing{n}"), "responses": responses}}),
        );
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Error bodies", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    })
}

/// 40 objects of 15 optional nullable fields each.
fn nullable_fields() -> Value {
    let mut schemas = Map::new();
    let mut returns = Vec::new();
    for o in 0..40 {
        let mut properties = Map::new();
        for f in 0..15 {
            let ty = ["string", "integer", "boolean"][f % 3];
            properties.insert(format!("field{f}"), json!({"type": ty, "nullable": true}));
        }
        schemas.insert(format!("Record{o}"), object(Value::Object(properties)));
        returns.push(format!("Record{o}"));
    }
    document("Nullable fields", schemas, &returns)
}

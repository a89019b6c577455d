//! Codegen speed: the four vendor specs, and synthetic specs of growing size
//! to fit the growth exponent; then ours against plain progenitor on the
//! same files (the vendor specs and every corpus spec in
//! `../shared/corpus/`, where present). A plain harness (no criterion): run
//! by `cargo xtask bench`, or `cargo bench -p agent-clients-codegen`. The
//! last line is `BENCH_JSON {...}` for the xtask to record.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Times `run` `count` times after one warm-up run; the median.
fn time(count: usize, mut run: impl FnMut()) -> Duration {
    run();
    median(
        (0..count)
            .map(|_| {
                let started = Instant::now();
                run();
                started.elapsed()
            })
            .collect(),
    )
}

/// A realistic synthetic spec with `n` operations: per operation a request
/// body with constraints, a nullable field, an array and a nested ref; a
/// response with a shared enum; and two error schemas (400, 404).
fn synthetic(n: usize) -> String {
    let mut paths = serde_json::Map::new();
    let mut schemas = serde_json::Map::new();
    for k in 0..10 {
        schemas.insert(
            format!("Status{k}"),
            json!({"type": "string", "enum": ["active", "paused", format!("archived{k}")]}),
        );
    }
    schemas.insert("Problem".into(), json!({
        "type": "object", "required": ["code"],
        "properties": {"code": {"type": "string"}, "detail": {"type": "string"}, "fields": {"type": "array", "items": {"type": "string"}}}
    }));
    schemas.insert("Missing".into(), json!({
        "type": "object", "required": ["error"],
        "properties": {"error": {"type": "object", "properties": {"type": {"type": "string"}, "id": {"type": "string"}}}}
    }));
    for i in 0..n {
        let status = format!("#/components/schemas/Status{}", i % 10);
        schemas.insert(format!("Child{i}"), json!({
            "type": "object",
            "properties": {"label": {"type": "string", "maxLength": 50}, "weight": {"type": "number", "minimum": 0}}
        }));
        schemas.insert(
            format!("Thing{i}Update"),
            json!({
                "type": "object",
                "properties": {
                    "name": {"type": "string", "maxLength": 100},
                    "phone": {"type": "string", "pattern": "^\\+[1-9][0-9]{1,14}$"},
                    "status": {"$ref": status},
                    "note": {"type": "string", "nullable": true},
                    "tags": {"type": "array", "items": {"type": "string", "format": "uuid"}},
                    "child": {"$ref": format!("#/components/schemas/Child{i}")},
                    "delay": {"type": "integer", "minimum": 0, "nullable": true}
                }
            }),
        );
        schemas.insert(format!("Thing{i}"), json!({
            "type": "object",
            "required": ["id", "status", "createdAt"],
            "properties": {
                "id": {"type": "string", "format": "uuid"},
                "name": {"type": "string"},
                "status": {"$ref": status},
                "createdAt": {"type": "string", "format": "date-time"},
                "note": {"type": "string", "nullable": true},
                "children": {"type": "array", "items": {"$ref": format!("#/components/schemas/Child{i}")}},
                "metadata": {"type": "object", "additionalProperties": true}
            }
        }));
        let json_body = |name: &str| json!({"content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{name}")}}}});
        paths.insert(format!("/v1/things{i}/{{thingId}}"), json!({
            "patch": {
                "operationId": format!("updateThing{i}"),
                "parameters": [
                    {"name": "thingId", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}},
                    {"name": "x-workspace-id", "in": "header", "required": true, "schema": {"type": "string"}}
                ],
                "requestBody": {"required": true, "content": json_body(&format!("Thing{i}Update"))["content"].clone()},
                "responses": {
                    "200": {"description": "ok", "content": json_body(&format!("Thing{i}"))["content"].clone()},
                    "400": {"description": "bad", "content": json_body("Problem")["content"].clone()},
                    "404": {"description": "missing", "content": json_body("Missing")["content"].clone()}
                }
            }
        }));
    }
    let spec: Value = json!({
        "openapi": "3.0.3",
        "info": {"title": "Synthetic", "version": "1.0.0"},
        "servers": [{"url": "https://synthetic.example"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}}
    });
    serde_json::to_string(&spec).unwrap()
}

/// What a progenitor 0.15 user runs: parse the file as OpenAPI, generate,
/// print with prettyplease. `None` when progenitor refuses or panics.
fn progenitor_generate(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let spec: openapiv3::OpenAPI = if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).ok()?
    } else {
        serde_yaml_ng::from_str(&text).ok()?
    };
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(|| {
        let mut generator =
            progenitor_impl::Generator::new(&progenitor_impl::GenerationSettings::default());
        let tokens = generator.generate_tokens(&spec).ok()?;
        let file = syn::parse2::<syn::File>(tokens).ok()?;
        Some(prettyplease::unparse(&file))
    });
    std::panic::set_hook(previous);
    result.ok().flatten()
}

/// Ours against progenitor on each spec both can generate: medians of runs
/// interleaved (ours, theirs, ours, ...) so that the machine's drift hits
/// both alike.
fn versus_progenitor(specs: &[(String, PathBuf)]) -> Vec<Value> {
    let mut rows = Vec::new();
    for (name, path) in specs {
        let ours_ok = codegen::generate_file(path).is_ok();
        let theirs_ok = progenitor_generate(path).is_some();
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let runs = if size > 1_000_000 { 3 } else { 9 };
        if !(ours_ok && theirs_ok) {
            // Nothing to compare; ours is still timed where it generates.
            let ours = ours_ok.then(|| {
                time(runs, || {
                    let _ = codegen::generate_file(path);
                })
                .as_secs_f64()
                    * 1e3
            });
            println!(
                "versus {name}: ours {}, progenitor {}: not compared",
                ours.map_or("fails".to_string(), |ms| format!("{ms:.1} ms")),
                if theirs_ok { "generates" } else { "fails" }
            );
            rows.push(json!({
                "spec": name, "ours_ok": ours_ok, "progenitor_ok": theirs_ok, "ours_alone_ms": ours,
            }));
            continue;
        }
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            let started = Instant::now();
            let _ = codegen::generate_file(path);
            ours.push(started.elapsed());
            let started = Instant::now();
            let _ = progenitor_generate(path);
            theirs.push(started.elapsed());
        }
        let (ours, theirs) = (median(ours), median(theirs));
        let ratio = ours.as_secs_f64() / theirs.as_secs_f64();
        println!(
            "versus {name}: ours {:.1} ms, progenitor {:.1} ms, ratio {ratio:.2} (median of {runs} interleaved)",
            ours.as_secs_f64() * 1e3,
            theirs.as_secs_f64() * 1e3
        );
        rows.push(json!({
            "spec": name, "ours_ok": true, "progenitor_ok": true,
            "ours_ms": ours.as_secs_f64() * 1e3, "progenitor_ms": theirs.as_secs_f64() * 1e3,
            "ratio": ratio, "runs": runs,
        }));
    }
    rows
}

/// The corpus specs beside the project, sorted; none where it is absent.
fn corpus_specs(root: &Path) -> Vec<(String, PathBuf)> {
    let corpus = root.join("../shared/corpus");
    let mut found = Vec::new();
    for dir in ["progenitor", "voice"] {
        let Ok(listing) = std::fs::read_dir(corpus.join(dir)) else {
            continue;
        };
        for entry in listing.flatten() {
            let path = entry.path();
            if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml" | "yml")
            ) {
                let name = format!("{dir}/{}", entry.file_name().to_string_lossy());
                found.push((name, path));
            }
        }
    }
    if found.is_empty() {
        println!(
            "NOTICE: {} is absent; comparing the vendor specs only",
            corpus.display()
        );
    }
    found.sort();
    found
}

#[path = "../tests/common/mod.rs"]
mod common;

fn main() {
    let root: PathBuf = common::manifest_dir().parent().unwrap().to_path_buf();
    let specs = [
        "specs/ravan.yaml",
        "specs/selise-blocks.yaml",
        "specs/ayra.yaml",
        "specs/supervisor.yaml",
    ];
    // Bench harness flags (`--bench`) are ignored; sizes can be narrowed
    // with AGENT_CLIENTS_BENCH_SIZES=10,100.
    let sizes: Vec<usize> = std::env::var("AGENT_CLIENTS_BENCH_SIZES")
        .ok()
        .map(|list| {
            list.split(',')
                .filter_map(|s| s.trim().parse().ok())
                .collect()
        })
        .unwrap_or_else(|| vec![10, 100, 1000, 5000]);

    let mut vendor_times = Vec::new();
    for spec in specs {
        let path = root.join(spec);
        let elapsed = time(25, || {
            codegen::generate_file(&path).expect("vendor spec generates");
        });
        println!(
            "codegen {spec}: median {:.2} ms of 25 runs",
            elapsed.as_secs_f64() * 1e3
        );
        vendor_times.push(json!({"spec": spec, "ms": elapsed.as_secs_f64() * 1e3}));
    }
    let all_four = time(25, || {
        for spec in specs {
            codegen::generate_file(&root.join(spec)).expect("vendor spec generates");
        }
    });
    println!(
        "codegen all four specs: median {:.2} ms of 25 runs",
        all_four.as_secs_f64() * 1e3
    );

    let mut points = Vec::new();
    for &n in &sizes {
        let text = synthetic(n);
        let runs = match n {
            0..=100 => 9,
            101..=1000 => 5,
            _ => 1,
        };
        let elapsed = time(runs, || {
            let document = codegen::load::load_str(Path::new("synthetic.json"), &text)
                .expect("synthetic spec loads");
            codegen::generate_document(&document).expect("synthetic spec generates");
        });
        println!(
            "codegen synthetic {n} operations ({} KiB of JSON): median {:.1} ms of {runs} run(s)",
            text.len() / 1024,
            elapsed.as_secs_f64() * 1e3
        );
        let document = codegen::load::load_str(Path::new("synthetic.json"), &text)
            .expect("synthetic spec loads");
        let (_, stages) =
            codegen::generate_document_timed(&document).expect("synthetic spec generates");
        println!("  one run by stage: {stages:?}");
        points.push((n as f64, elapsed.as_secs_f64()));
    }
    // Least-squares slope of log(time) against log(size).
    let exponent = if points.len() >= 2 {
        let logs: Vec<(f64, f64)> = points.iter().map(|(n, t)| (n.ln(), t.ln())).collect();
        let mean_x = logs.iter().map(|p| p.0).sum::<f64>() / logs.len() as f64;
        let mean_y = logs.iter().map(|p| p.1).sum::<f64>() / logs.len() as f64;
        let cov: f64 = logs.iter().map(|(x, y)| (x - mean_x) * (y - mean_y)).sum();
        let var: f64 = logs.iter().map(|(x, _)| (x - mean_x).powi(2)).sum();
        cov / var
    } else {
        f64::NAN
    };
    println!("fitted growth exponent (time ~ n^k): k = {exponent:.3}");

    let mut compared: Vec<(String, PathBuf)> = specs
        .iter()
        .map(|spec| (spec.to_string(), root.join(spec)))
        .collect();
    compared.extend(corpus_specs(&root));
    let versus = versus_progenitor(&compared);

    let report = json!({
        "versus_progenitor": versus,
        "vendor_specs": vendor_times,
        "all_four_ms": all_four.as_secs_f64() * 1e3,
        "synthetic": points.iter().map(|(n, t)| json!({"operations": n, "ms": t * 1e3})).collect::<Vec<_>>(),
        "exponent": exponent,
    });
    println!("BENCH_JSON {report}");
}

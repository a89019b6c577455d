//! Codegen speed: the four vendor specs, and synthetic specs of growing size
//! to fit the growth exponent. A plain harness (no criterion): run by
//! `cargo xtask bench`, or `cargo bench -p agent-clients-codegen`. The last
//! line is `BENCH_JSON {...}` for the xtask to record.

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

fn main() {
    let root: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf();
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
    let report = json!({
        "vendor_specs": vendor_times,
        "all_four_ms": all_four.as_secs_f64() * 1e3,
        "synthetic": points.iter().map(|(n, t)| json!({"operations": n, "ms": t * 1e3})).collect::<Vec<_>>(),
        "exponent": exponent,
    });
    println!("BENCH_JSON {report}");
}

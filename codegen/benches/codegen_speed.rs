//! Codegen speed: the four vendor specs, and synthetic specs of growing size
//! (`cargo xtask bench` fits their growth exponent); then ours against plain progenitor on the
//! same files (the vendor specs and every corpus spec in
//! `../shared/corpus/`, where present). A plain harness (no criterion): run
//! by `cargo xtask bench`, or `cargo bench -p agent-clients-codegen`. The
//! last line is `BENCH_JSON {...}` for the xtask to record.

// The library is `agent_clients_codegen`; the code here calls it `codegen`.
extern crate agent_clients_codegen as codegen;

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
/// print with prettyplease; with `mocks`, also its httpmock test doubles
/// (`Generator::httpmock`), printed the same way. `None` when progenitor
/// refuses or panics.
fn progenitor_generate(path: &Path, mocks: bool) -> Option<String> {
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
        let mut printed = prettyplease::unparse(&file);
        if mocks {
            let tokens = generator.httpmock(&spec, "crate").ok()?;
            let file = syn::parse2::<syn::File>(tokens).ok()?;
            printed.push_str(&prettyplease::unparse(&file));
        }
        Some(printed)
    });
    std::panic::set_hook(previous);
    result.ok().flatten()
}

/// Ours on the spec at `path`: the client alone (`mock: false`, what
/// progenitor's `generate_tokens` makes), or with its `mock` module, our
/// default.
fn ours_generate(path: &Path, mock: bool) -> Result<String, codegen::Error> {
    let document = codegen::load::load(path)?;
    let options = codegen::Options {
        mock,
        ..codegen::Options::default()
    };
    codegen::generate_with(&document, &options).map(|generated| generated.source)
}

/// How long syn takes to parse our output for the spec at `path` and
/// prettyplease to print it again (median of `runs`): the share of a
/// generation that goes through a token parse and a print, which both
/// generators pay.
fn parse_and_print(path: &Path, runs: usize) -> Duration {
    let source = codegen::generate_file(path).expect("generated before");
    time(runs, || {
        let file = syn::parse_file(&source).expect("our output parses");
        prettyplease::unparse(&file);
    })
}

/// Ours against progenitor on each spec both can generate: medians of runs
/// interleaved (ours, theirs, ours, ...) so that the machine's drift hits
/// both alike; the clients alone, and with their test doubles.
fn versus_progenitor(specs: &[(String, PathBuf)]) -> Vec<Value> {
    let mut rows = Vec::new();
    for (name, path) in specs {
        let operations = operation_count(path);
        let generated = codegen::generate_file(path).ok();
        let ours_ok = generated.is_some();
        // What the time follows besides the operations: the spec's size and
        // the output's.
        let lines = generated.map_or(0, |source| source.lines().count());
        let theirs_ok = progenitor_generate(path, false).is_some();
        let theirs_mocks_ok = progenitor_generate(path, true).is_some();
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let runs = if size > 1_000_000 { 3 } else { 9 };
        if !(ours_ok && theirs_ok) {
            // Nothing to compare; ours is still timed where it generates.
            let ours = ours_ok.then(|| {
                time(runs, || {
                    let _ = ours_generate(path, false);
                })
                .as_secs_f64()
                    * 1e3
            });
            let ours_mock = ours_ok.then(|| {
                time(runs, || {
                    let _ = ours_generate(path, true);
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
                "spec": name, "operations": operations, "ours_ok": ours_ok,
                "progenitor_ok": theirs_ok, "ours_alone_ms": ours,
                "ours_mock_alone_ms": ours_mock, "bytes": size, "lines": lines,
            }));
            continue;
        }
        let mut samples: [Vec<Duration>; 4] = Default::default();
        for _ in 0..runs {
            let started = Instant::now();
            let _ = ours_generate(path, false);
            samples[0].push(started.elapsed());
            let started = Instant::now();
            let _ = progenitor_generate(path, false);
            samples[1].push(started.elapsed());
            let started = Instant::now();
            let _ = ours_generate(path, true);
            samples[2].push(started.elapsed());
            if theirs_mocks_ok {
                let started = Instant::now();
                let _ = progenitor_generate(path, true);
                samples[3].push(started.elapsed());
            }
        }
        let [ours, theirs, ours_mock, theirs_mock] =
            samples.map(|runs| (!runs.is_empty()).then(|| median(runs).as_secs_f64() * 1e3));
        let ratio = |a: Option<f64>, b: Option<f64>| Some(a? / b?);
        let floor = parse_and_print(path, runs);
        println!(
            "versus {name}: ours {:.1} ms, progenitor {:.1} ms, ratio {:.2}; with test doubles ours {:.1} ms, progenitor {} (median of {runs} interleaved); syn parse + prettyplease of our output {:.1} ms",
            ours.unwrap_or(f64::NAN),
            theirs.unwrap_or(f64::NAN),
            ratio(ours, theirs).unwrap_or(f64::NAN),
            ours_mock.unwrap_or(f64::NAN),
            theirs_mock.map_or("fails".to_string(), |ms| format!("{ms:.1} ms")),
            floor.as_secs_f64() * 1e3,
        );
        rows.push(json!({
            "spec": name, "operations": operations, "ours_ok": true, "progenitor_ok": true,
            "ours_ms": ours, "progenitor_ms": theirs, "ratio": ratio(ours, theirs),
            "ours_mock_ms": ours_mock, "progenitor_mock_ms": theirs_mock,
            "ratio_mock": ratio(ours_mock, theirs_mock),
            "runs": runs, "parse_print_ms": floor.as_secs_f64() * 1e3,
            "bytes": size, "lines": lines,
        }));
    }
    rows
}

/// How many operations the spec at `path` documents (0 where it cannot
/// be read).
fn operation_count(path: &Path) -> usize {
    codegen::load::load(path)
        .map(|document| operations_in(&document.raw))
        .unwrap_or(0)
}

/// The operations of a spec read as JSON: each method of each path item.
fn operations_in(spec: &Value) -> usize {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    spec["paths"]
        .as_object()
        .into_iter()
        .flat_map(|paths| paths.values())
        .map(|item| METHODS.iter().filter(|m| item.get(**m).is_some()).count())
        .sum()
}

/// `spec` with `copies` copies of every path and component. Copy `k`
/// (counted from one) prefixes its paths with `/copy{k}`, suffixes its
/// operationIds with `_copy{k}` and its component names with `Copy{k}`,
/// and points its references at its own components. Security schemes, tags and webhooks
/// stay as they are. The result documents `copies` times the operations
/// and types, which is what a growth measurement needs.
fn replicate(spec: &Value, copies: usize) -> Value {
    let mut out = spec.clone();
    for k in 1..copies {
        let copy = |value: &Value| renamed(value, k);
        if let (Some(paths), Some(original)) = (
            out.get_mut("paths").and_then(Value::as_object_mut),
            spec["paths"].as_object(),
        ) {
            for (path, item) in original {
                let mut item = copy(item);
                for operation in item
                    .as_object_mut()
                    .into_iter()
                    .flat_map(|i| i.values_mut())
                {
                    if let Some(Value::String(id)) = operation.get_mut("operationId") {
                        id.push_str(&format!("_copy{k}"));
                    }
                }
                paths.insert(format!("/copy{k}{path}"), item);
            }
        }
        let Some(components) = spec["components"].as_object() else {
            continue;
        };
        for (kind, entries) in components {
            let (Some(entries), false) = (entries.as_object(), kind == "securitySchemes") else {
                continue;
            };
            let target = out["components"][kind]
                .as_object_mut()
                .expect("copied kind");
            for (name, value) in entries {
                target.insert(format!("{name}Copy{k}"), copy(value));
            }
        }
    }
    out
}

/// `value` with every local reference (`$ref`, a discriminator's mapping)
/// pointing at copy `k`'s component or path.
fn renamed(value: &Value, k: usize) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, value)| {
                    let value = match (key.as_str(), value) {
                        ("$ref", Value::String(target)) => Value::String(retarget(target, k)),
                        ("mapping", Value::Object(mapping)) => Value::Object(
                            mapping
                                .iter()
                                .map(|(name, target)| {
                                    let target = match target.as_str() {
                                        Some(t) if t.starts_with('#') => retarget(t, k),
                                        Some(bare) => format!("{bare}Copy{k}"),
                                        None => return (name.clone(), target.clone()),
                                    };
                                    (name.clone(), Value::String(target))
                                })
                                .collect(),
                        ),
                        _ => renamed(value, k),
                    };
                    (key.clone(), value)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| renamed(v, k)).collect()),
        other => other.clone(),
    }
}

/// `#/components/{kind}/{name}...` to `{name}Copy{k}`, `#/paths/{path}...`
/// to `/copy{k}{path}`; other references unchanged.
fn retarget(target: &str, k: usize) -> String {
    let segments: Vec<&str> = target.split('/').collect();
    match segments.as_slice() {
        ["#", "components", kind, name, rest @ ..] if *kind != "securitySchemes" => {
            let mut out = format!("#/components/{kind}/{name}Copy{k}");
            rest.iter().for_each(|s| out.push_str(&format!("/{s}")));
            out
        }
        ["#", "paths", path, rest @ ..] => {
            let mut out = format!("#/paths/~1copy{k}{path}");
            rest.iter().for_each(|s| out.push_str(&format!("/{s}")));
            out
        }
        _ => target.to_string(),
    }
}

/// Set to `PATH:COPIES` to make this binary only generate the spec at
/// `PATH` replicated `COPIES` times, once, and print its peak memory: a
/// fresh process, so nothing an earlier measurement allocated counts.
const PEAK_ENV: &str = "AGENT_CLIENTS_BENCH_PEAK";

/// The peak resident memory of one generation of `path` ×`copies`, in a
/// child process (this binary, with [`PEAK_ENV`]); `None` where it cannot
/// be measured (`VmHWM` is Linux's).
fn peak_memory(path: &Path, copies: usize) -> Option<u64> {
    let output = std::process::Command::new(std::env::current_exe().ok()?)
        .env(PEAK_ENV, format!("{}:{copies}", path.display()))
        .output()
        .ok()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    stdout
        .lines()
        .find_map(|line| line.strip_prefix("PEAK ")?.parse().ok())
}

/// The child's side of [`peak_memory`]: the process's peak resident set
/// (`VmHWM`) after generating, replicated text included.
fn print_peak_memory(request: &str) {
    let (path, copies) = request.rsplit_once(':').expect("PATH:COPIES");
    let copies: usize = copies.parse().expect("COPIES is a number");
    let text = std::fs::read_to_string(path).expect("the spec is readable");
    let spec: Value = serde_json::from_str(&text).expect("the spec is JSON");
    let text = serde_json::to_string(&replicate(&spec, copies)).expect("serializes");
    drop(spec);
    let document = codegen::load::load_str(Path::new("replicated.json"), &text)
        .expect("the replicated spec loads");
    let source = codegen::generate_document(&document).expect("generates");
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak_kb: Option<u64> = status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .and_then(|line| line.split_whitespace().nth(1)?.parse().ok());
    if let Some(kb) = peak_kb {
        println!("PEAK {}", kb * 1024);
    }
    drop(source);
}

/// The spec at `path`, ×1, ×2 and ×4: size, operations, median generation
/// time (load from text and generate) and peak memory of one run.
fn replicated_growth(name: &str, path: &Path) -> Vec<Value> {
    let Ok(text) = std::fs::read_to_string(path) else {
        println!("NOTICE: {} is absent; no replication", path.display());
        return Vec::new();
    };
    let spec: Value = serde_json::from_str(&text).expect("the replicated spec is JSON");
    let mut rows = Vec::new();
    for copies in [1, 2, 4] {
        let text = serde_json::to_string(&replicate(&spec, copies)).expect("serializes");
        let generate = || {
            let document = codegen::load::load_str(Path::new("replicated.json"), &text)
                .expect("the replicated spec loads");
            codegen::generate_document(&document).expect("the replicated spec generates")
        };
        let source = generate();
        let peak = peak_memory(path, copies);
        let elapsed = time(3, || {
            generate();
        });
        let operations = operations_in(&serde_json::from_str(&text).expect("JSON"));
        println!(
            "codegen {name} x{copies}: {:.1} MB, {operations} operations, {} lines: median {:.0} ms of 3 runs, peak memory {}",
            text.len() as f64 / 1e6,
            source.lines().count(),
            elapsed.as_secs_f64() * 1e3,
            peak.map_or("unknown".to_string(), |bytes| format!(
                "{:.0} MB",
                bytes as f64 / 1e6
            )),
        );
        rows.push(json!({
            "spec": name, "copies": copies, "bytes": text.len(), "operations": operations,
            "ms": elapsed.as_secs_f64() * 1e3, "peak_bytes": peak,
        }));
    }
    rows
}

/// Writes the modules generated from the spec at `path` ×1, ×2 and ×4 to
/// `dir` (`x1.rs`, ...), for `cargo xtask bench` to type-check; their
/// operation counts.
fn replicated_modules(path: &Path, dir: &Path) -> Vec<Value> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let spec: Value = serde_json::from_str(&text).expect("the replicated spec is JSON");
    std::fs::create_dir_all(dir).expect("the check directory can be made");
    [1, 2, 4]
        .into_iter()
        .map(|copies| {
            let replicated = replicate(&spec, copies);
            let text = serde_json::to_string(&replicated).expect("serializes");
            let document = codegen::load::load_str(Path::new("replicated.json"), &text)
                .expect("the replicated spec loads");
            // Checked whole: not split into features.
            let options = codegen::Options {
                features: Some(codegen::load::FeatureSplit::Off),
                ..codegen::Options::default()
            };
            let source = codegen::generate_with(&document, &options)
                .expect("generates")
                .source;
            let file = dir.join(format!("x{copies}.rs"));
            std::fs::write(&file, source).expect("the module can be written");
            json!({"copies": copies, "operations": operations_in(&replicated), "module": file})
        })
        .collect()
}

/// The corpus specs beside the project, sorted; none where it is absent.
/// A folder in a set is a multi-file spec whose entry is `openapi.yaml`.
fn corpus_specs(root: &Path) -> Vec<(String, PathBuf)> {
    let corpus = root.join("../shared/corpus");
    let mut found = Vec::new();
    for dir in ["progenitor", "voice", "more"] {
        let Ok(listing) = std::fs::read_dir(corpus.join(dir)) else {
            continue;
        };
        for entry in listing.flatten() {
            let path = entry.path();
            let name = format!("{dir}/{}", entry.file_name().to_string_lossy());
            if path.is_dir() {
                let entry_document = path.join("openapi.yaml");
                if entry_document.is_file() {
                    found.push((format!("{name}/openapi.yaml"), entry_document));
                }
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml" | "yml")
            ) {
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
    if let Ok(request) = std::env::var(PEAK_ENV) {
        print_peak_memory(&request);
        return;
    }
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
    let mut compared: Vec<(String, PathBuf)> = specs
        .iter()
        .map(|spec| (spec.to_string(), root.join(spec)))
        .collect();
    compared.extend(corpus_specs(&root));
    let versus = versus_progenitor(&compared);

    let corpus = root.join("../shared/corpus");
    let growth = replicated_growth(
        "progenitor/api.github.com.json",
        &corpus.join("progenitor/api.github.com.json"),
    );
    let check_modules = replicated_modules(
        &corpus.join("progenitor/nexus.json"),
        &root.join("target/bench-check"),
    );

    let report = json!({
        "versus_progenitor": versus,
        "replicated": growth,
        "check_modules": check_modules,
        "vendor_specs": vendor_times,
        "all_four_ms": all_four.as_secs_f64() * 1e3,
        "synthetic": points.iter().map(|(n, t)| json!({"operations": n, "ms": t * 1e3})).collect::<Vec<_>>(),
    });
    println!("BENCH_JSON {report}");
}

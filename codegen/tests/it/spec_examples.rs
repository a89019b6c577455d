//! Every example in every spec (request and response bodies, parameters,
//! schema-level examples) validates against its own schema, checked by a
//! real JSON Schema validator with format checking on.

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::common;

fn workspace_root() -> PathBuf {
    common::manifest_dir().parent().unwrap().to_path_buf()
}

/// OpenAPI 3.0 schema objects are not quite JSON Schema: `nullable` becomes
/// a `null` type, and OpenAPI-only keywords are dropped.
fn to_json_schema(schema: &Value) -> Value {
    let Value::Object(map) = schema else {
        return schema.clone();
    };
    let mut out = serde_json::Map::new();
    for (key, value) in map {
        if key.starts_with("x-")
            || matches!(
                key.as_str(),
                "example" | "nullable" | "discriminator" | "xml" | "externalDocs" | "deprecated"
            )
        {
            continue;
        }
        let converted = match key.as_str() {
            "properties" => Value::Object(
                value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, schema)| (name.clone(), to_json_schema(schema)))
                    .collect(),
            ),
            "items" | "additionalProperties" | "not" => to_json_schema(value),
            "allOf" | "oneOf" | "anyOf" => Value::Array(
                value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(to_json_schema)
                    .collect(),
            ),
            _ => value.clone(),
        };
        out.insert(key.clone(), converted);
    }
    // 3.0's boolean `exclusiveMinimum`/`exclusiveMaximum` qualify the bound
    // beside them; in JSON Schema 2020-12 they are the bound.
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        match out.get(exclusive) {
            Some(Value::Bool(true)) => {
                if let Some(value) = out.remove(bound) {
                    out.insert(exclusive.into(), value);
                } else {
                    out.remove(exclusive);
                }
            }
            Some(Value::Bool(false)) => {
                out.remove(exclusive);
            }
            _ => {}
        }
    }
    if map.get("nullable") == Some(&Value::Bool(true)) {
        if let Some(Value::String(ty)) = out.get("type").cloned() {
            out.insert("type".into(), json!([ty, "null"]));
        }
        if let Some(Value::Array(values)) = out.get_mut("enum") {
            values.push(Value::Null);
        }
        // Beside a composition with no `type` (`allOf: [$ref]`), `null` is
        // one more alternative, as the generator reads it.
        if !out.contains_key("type")
            && ["allOf", "oneOf", "anyOf"]
                .iter()
                .any(|keyword| out.contains_key(*keyword))
        {
            return json!({"anyOf": [Value::Object(out), {"type": "null"}]});
        }
    }
    Value::Object(out)
}

struct Example {
    pointer: String,
    value: Value,
    schema: Value,
}

fn collect_examples(document: &Value) -> Vec<Example> {
    let mut found = Vec::new();
    let mut media = |at: String, media_type: &Value| {
        let Some(schema) = media_type.get("schema") else {
            return;
        };
        if let Some(example) = media_type.get("example") {
            found.push(Example {
                pointer: format!("{at}/example"),
                value: example.clone(),
                schema: schema.clone(),
            });
        }
        for (name, example) in media_type
            .get("examples")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if let Some(value) = example.get("value") {
                found.push(Example {
                    pointer: format!("{at}/examples/{name}/value"),
                    value: value.clone(),
                    schema: schema.clone(),
                });
            }
        }
    };
    for (path, item) in document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let at = format!(
                "/paths/{}/{method}",
                path.replace('~', "~0").replace('/', "~1")
            );
            for (media_type, value) in operation
                .pointer("/requestBody/content")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                media(
                    format!("{at}/requestBody/content/{}", media_type.replace('/', "~1")),
                    value,
                );
            }
            for (status, response) in operation
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                for (media_type, value) in response
                    .get("content")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    media(
                        format!(
                            "{at}/responses/{status}/content/{}",
                            media_type.replace('/', "~1")
                        ),
                        value,
                    );
                }
            }
        }
    }
    let mut params = Vec::new();
    for (path, item) in document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (method, operation) in item.as_object().into_iter().flatten() {
            for (index, parameter) in operation
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                if let (Some(example), Some(schema)) =
                    (parameter.get("example"), parameter.get("schema"))
                {
                    params.push(Example {
                        pointer: format!(
                            "/paths/{}/{method}/parameters/{index}/example",
                            path.replace('/', "~1")
                        ),
                        value: example.clone(),
                        schema: schema.clone(),
                    });
                }
            }
        }
    }
    found.extend(params);
    // Schema-level `example`s, anywhere under components.
    let mut stack = vec![(
        "/components/schemas".to_string(),
        document
            .pointer("/components/schemas")
            .cloned()
            .unwrap_or(Value::Null),
    )];
    while let Some((at, node)) = stack.pop() {
        let Value::Object(map) = &node else { continue };
        for (key, value) in map {
            if key == "example" {
                found.push(Example {
                    pointer: format!("{at}/example"),
                    value: value.clone(),
                    schema: node.clone(),
                });
            } else if value.is_object() {
                stack.push((format!("{at}/{key}"), value.clone()));
            }
        }
    }
    found
}

/// Validates `value` against an OpenAPI `schema` of `document`; the error
/// messages, if any.
fn validate(document: &Value, schema: &Value, value: &Value) -> Vec<String> {
    let components: serde_json::Map<String, Value> = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, schema)| (name.clone(), to_json_schema(schema)))
        .collect();
    // `#/components/schemas/X` references resolve against this root. Draft
    // 2020-12 because it knows the `uuid` format; OpenAPI 3.0 uses no
    // keyword whose meaning changed (such as boolean `exclusiveMinimum`).
    let root = json!({
        "allOf": [to_json_schema(schema)],
        "components": {"schemas": components},
    });
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&root)
        .expect("the spec's schema compiles as JSON Schema");
    validator
        .iter_errors(value)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect()
}

fn spec_paths() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(workspace_root().join("specs"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.extension().is_some_and(|ext| ext == "yaml")
                && !path.to_string_lossy().ends_with(".overlay.yaml")
        })
        .collect();
    paths.sort();
    // The generated-shapes fixture's samples, every shape under every
    // presence (written by `cargo xtask codegen`).
    paths.push(workspace_root().join("codegen/tests/fixtures/generated-shapes.json"));
    paths
}

#[test]
fn every_example_matches_its_schema() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in spec_paths() {
        let document = codegen::load::load(&path).unwrap().raw;
        for example in collect_examples(&document) {
            checked += 1;
            for error in validate(&document, &example.schema, &example.value) {
                failures.push(format!("{}#{}: {error}", path.display(), example.pointer));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The three hand-written specs carry the docs' examples (Ravan's
    // published spec has none): request and response bodies, errors,
    // parameters.
    assert!(checked >= 12, "only {checked} examples found");
}

#[test]
fn the_check_fails_on_a_bad_example() {
    // A negative control: the same machinery rejects examples that break
    // the schema, so the test above can fail.
    let document: Value = serde_yaml_ng::from_str(
        "components:\n  schemas:\n    S:\n      type: object\n      required: [id]\n      properties:\n        id: {type: string, format: uuid}\n        n: {type: integer, minimum: 0, nullable: true}\n        s: {type: string, maxLength: 3}\n",
    )
    .unwrap();
    let schema = json!({"$ref": "#/components/schemas/S"});
    assert!(
        validate(
            &document,
            &schema,
            &json!({"id": "5769e110-7267-4cf7-a3ca-2d06e8fffbb3", "n": null})
        )
        .is_empty()
    );
    assert!(!validate(&document, &schema, &json!({"id": "not-a-uuid"})).is_empty());
    assert!(!validate(&document, &schema, &json!({"n": 1})).is_empty());
    assert!(
        !validate(
            &document,
            &schema,
            &json!({"id": "5769e110-7267-4cf7-a3ca-2d06e8fffbb3", "n": -1})
        )
        .is_empty()
    );
    assert!(
        !validate(
            &document,
            &schema,
            &json!({"id": "5769e110-7267-4cf7-a3ca-2d06e8fffbb3", "s": "toolong"})
        )
        .is_empty()
    );
}

/// The specs a sample is drawn from: ours, and the real-world corpus beside
/// the project when it is there.
fn sampled_specs() -> Vec<PathBuf> {
    let mut paths = spec_paths();
    let corpus = workspace_root().join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!(
            "note: {} is absent; sampling only specs/ (the corpus lives beside the project, not in it)",
            corpus.display()
        );
        return paths;
    }
    for folder in ["progenitor", "voice"] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(corpus.join(folder))
            .into_iter()
            .flatten()
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| {
                path.extension()
                    .is_some_and(|ext| ext == "json" || ext == "yaml")
            })
            .collect();
        found.sort();
        paths.extend(found);
    }
    paths
}

/// `codegen::driver::sample` builds an instance of a schema or says it cannot: every
/// instance it builds for a component schema of every spec, the corpus's
/// included, validates against that schema (a real JSON Schema validator,
/// formats checked), and it builds one for most of them.
#[test]
fn every_sample_matches_its_schema() {
    let mut failures = Vec::new();
    let (mut sampled, mut total, mut controls) = (0usize, 0usize, 0usize);
    for path in sampled_specs() {
        let document = codegen::load::load(&path).unwrap().raw;
        let Some(schemas) = document
            .pointer("/components/schemas")
            .and_then(Value::as_object)
        else {
            continue;
        };
        let components: std::collections::BTreeMap<String, Value> = schemas
            .iter()
            .map(|(name, schema)| (name.clone(), schema.clone()))
            .collect();
        let converted: serde_json::Map<String, Value> = schemas
            .iter()
            .map(|(name, schema)| (name.clone(), to_json_schema(schema)))
            .collect();
        // One validator for the whole spec: a property per schema, each a
        // reference to it; a sample is checked as `{NAME: sample}`.
        let root = json!({
            "type": "object",
            "properties": schemas
                .keys()
                .map(|name| (name.clone(), json!({"$ref": format!("#/components/schemas/{name}")})))
                .collect::<serde_json::Map<String, Value>>(),
            "components": {"schemas": converted},
        });
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(&root)
            .expect("the spec's schemas compile as JSON Schema");
        let (mut spec_sampled, spec_total) = (0usize, schemas.len());
        for (name, schema) in schemas {
            let Some(sample) = codegen::driver::sample::value(schema, &components) else {
                continue;
            };
            spec_sampled += 1;
            // A control: the same validator rejects a wrong value there.
            if schema.get("type") == Some(&json!("object")) {
                controls += 1;
                assert!(
                    !validator.is_valid(&json!({ name: [] })),
                    "{}: the validator accepts an array as the object {name}",
                    path.display()
                );
            }
            let instance = json!({ name: sample });
            for error in validator.iter_errors(&instance) {
                failures.push(format!(
                    "{}#/components/schemas/{name}: {sample} fails: {error} at {}",
                    path.display(),
                    error.instance_path()
                ));
            }
        }
        eprintln!(
            "{}: {spec_sampled} of {spec_total} schemas sampled",
            path.display()
        );
        sampled += spec_sampled;
        total += spec_total;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        sampled * 10 >= total * 9,
        "only {sampled} of {total} schemas sampled"
    );
    assert!(controls > 0, "no object schema served as a control");
}

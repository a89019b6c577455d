//! Which component schemas a request body or a response can contain.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::model::Api;

/// Component schema names reachable from request bodies.
pub fn request_schemas(api: &Api) -> BTreeSet<String> {
    let roots = api
        .operations
        .iter()
        .filter_map(|op| op.body.as_ref().map(|b| b.schema.clone()));
    reachable(api, roots)
}

/// Component schema names reachable from success and error responses.
pub fn response_schemas(api: &Api) -> BTreeSet<String> {
    let roots = api.operations.iter().flat_map(|op| {
        op.success_schema
            .iter()
            .cloned()
            .chain(op.errors.iter().filter_map(|case| case.schema.clone()))
            .collect::<Vec<_>>()
    });
    reachable(api, roots)
}

fn reachable(api: &Api, roots: impl Iterator<Item = String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut queue: Vec<String> = roots.collect();
    while let Some(name) = queue.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(schema) = api.schemas.get(&name) {
            let value = serde_json::to_value(schema).unwrap_or_default();
            collect_refs(&value, &mut queue);
        }
    }
    seen
}

/// Pushes the component names of every `#/components/schemas/...` reference
/// in `value`.
pub fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                out.push(name.to_string());
            }
            map.values().for_each(|child| collect_refs(child, out));
        }
        Value::Array(items) => items.iter().for_each(|child| collect_refs(child, out)),
        _ => {}
    }
}

//! Document-wide checks of the validate stage: references resolve, `allOf`
//! never cycles, and our `x-` extensions are well formed. Per-operation
//! checks happen while the model is built (`model.rs`).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::error::{Problem, pointer};

/// Every `$ref` in the document must resolve inside it: external references
/// are not supported and a dangling one would otherwise surface later as an
/// engine error without a location.
pub fn check_refs(raw: &Value, problems: &mut Vec<Problem>) {
    let mut stack = vec![(raw, String::new())];
    while let Some((node, at)) = stack.pop() {
        match node {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref") {
                    match reference.as_str() {
                        Some(reference) => {
                            let resolves = reference
                                .strip_prefix('#')
                                .is_some_and(|target| raw.pointer(target).is_some());
                            if !resolves {
                                problems.push(Problem {
                                    pointer: format!("{at}/$ref"),
                                    message: format!(
                                        "`{reference}` does not resolve inside this document"
                                    ),
                                });
                            }
                        }
                        None => problems.push(Problem {
                            pointer: format!("{at}/$ref"),
                            message: "`$ref` must be a string".into(),
                        }),
                    }
                }
                for (key, value) in map {
                    if key == "example" || key == "examples" {
                        continue;
                    }
                    stack.push((
                        value,
                        format!("{at}/{}", crate::error::escape_pointer_token(key)),
                    ));
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    stack.push((item, format!("{at}/{index}")));
                }
            }
            _ => {}
        }
    }
    problems.sort_by(|a, b| a.pointer.cmp(&b.pointer));
}

/// A component whose `allOf` reaches back to the component itself (through
/// any chain of references) cannot be merged: the types engine would recurse
/// forever and overflow the stack, which no `catch_unwind` can turn into a
/// diagnostic. Found by fuzzing (`fuzz/regressions/spec_mutations`).
pub fn check_all_of_cycles(raw: &Value, problems: &mut Vec<Problem>) {
    let Some(schemas) = raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return;
    };
    // Direct references of each component, then reachability by search.
    let edges: BTreeMap<&str, Vec<String>> = schemas
        .iter()
        .map(|(name, schema)| {
            let mut refs = Vec::new();
            crate::reach::collect_refs(schema, &mut refs);
            (name.as_str(), refs)
        })
        .collect();
    let reaches = |from: &str, to: &str| -> bool {
        let mut seen = BTreeSet::new();
        let mut queue = vec![from.to_string()];
        while let Some(next) = queue.pop() {
            if next == to {
                return true;
            }
            if seen.insert(next.clone()) {
                queue.extend(edges.get(next.as_str()).into_iter().flatten().cloned());
            }
        }
        false
    };
    for (name, schema) in schemas {
        let mut stack = vec![(schema, pointer(["components", "schemas", name]))];
        while let Some((node, at)) = stack.pop() {
            match node {
                Value::Object(map) => {
                    if let Some(Value::Array(members)) = map.get("allOf") {
                        for (index, member) in members.iter().enumerate() {
                            let Some(target) = member
                                .get("$ref")
                                .and_then(Value::as_str)
                                .and_then(|r| r.strip_prefix("#/components/schemas/"))
                            else {
                                continue;
                            };
                            if reaches(target, name) {
                                problems.push(Problem {
                                    pointer: format!("{at}/allOf/{index}"),
                                    message: format!(
                                        "`allOf` refers to `{target}`, which leads back to `{name}`: a schema cannot be merged with itself"
                                    ),
                                });
                            }
                        }
                    }
                    for (key, child) in map {
                        stack.push((
                            child,
                            format!("{at}/{}", crate::error::escape_pointer_token(key)),
                        ));
                    }
                }
                Value::Array(items) => {
                    for (index, child) in items.iter().enumerate() {
                        stack.push((child, format!("{at}/{index}")));
                    }
                }
                _ => {}
            }
        }
    }
}

/// Reads `x-enum-aliases` (canonical value to accepted alternatives) from
/// component schemas.
pub fn enum_aliases(
    raw: &Value,
    problems: &mut Vec<Problem>,
) -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let mut out = BTreeMap::new();
    let Some(schemas) = raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return out;
    };
    for (name, schema) in schemas {
        let Some(aliases) = schema.get("x-enum-aliases") else {
            continue;
        };
        let at = pointer(["components", "schemas", name, "x-enum-aliases"]);
        let values: Vec<&str> = schema
            .get("enum")
            .and_then(Value::as_array)
            .map(|values| values.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let Some(aliases) = aliases.as_object() else {
            problems.push(Problem {
                pointer: at,
                message: "`x-enum-aliases` must map enum values to lists of aliases".into(),
            });
            continue;
        };
        let mut map = BTreeMap::new();
        for (canonical, list) in aliases {
            if !values.contains(&canonical.as_str()) {
                problems.push(Problem {
                    pointer: at.clone(),
                    message: format!("`{canonical}` is not one of the schema's enum values"),
                });
                continue;
            }
            let list: Option<Vec<String>> = list.as_array().and_then(|items| {
                items
                    .iter()
                    .map(|item| item.as_str().map(String::from))
                    .collect()
            });
            match list {
                Some(list) => {
                    map.insert(canonical.clone(), list);
                }
                None => problems.push(Problem {
                    pointer: at.clone(),
                    message: format!("the aliases of `{canonical}` must be a list of strings"),
                }),
            }
        }
        out.insert(name.clone(), map);
    }
    out
}

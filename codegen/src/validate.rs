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
    let first = problems.len();
    crate::reach::visit_refs(raw, "", &mut |at, reference| {
        let message = match reference.as_str() {
            Some(reference) => {
                let resolves = reference
                    .strip_prefix('#')
                    .is_some_and(|target| raw.pointer(target).is_some());
                if resolves {
                    return;
                }
                format!("`{reference}` does not resolve inside this document")
            }
            None => "`$ref` must be a string".into(),
        };
        problems.push(Problem {
            pointer: at.to_string(),
            message,
        });
    });
    problems[first..].sort_by(|a, b| a.pointer.cmp(&b.pointer));
}

/// A merging `allOf` inside a component that reaches back to the component
/// itself (through any chain of references) cannot be merged: the types
/// engine would recurse forever and overflow the stack, which no
/// `catch_unwind` can turn into a diagnostic. Found by fuzzing
/// (`fuzz/regressions/spec_mutations`).
///
/// An `allOf` of one reference with only annotations beside it
/// (`nullable`, `description`, ...) is not merged: the engine reads it as
/// the referenced type, so recursion through it is ordinary recursion
/// (boxed like any other), as in `parent: {nullable: true, allOf: [{$ref:
/// Node}]}`.
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
        let at = pointer(["components", "schemas", name]);
        crate::reach::visit_objects(schema, &mut Vec::new(), &mut |path, map| {
            let Some(Value::Array(members)) = map.get("allOf") else {
                return;
            };
            if !is_merging_all_of(map, members) {
                return;
            }
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
                        pointer: format!("{}/allOf/{index}", crate::reach::pointer_below(&at, path)),
                        message: format!(
                            "`allOf` refers to `{target}`, which leads back to `{name}`: a schema cannot be merged with itself"
                        ),
                    });
                }
            }
        });
    }
}

/// Keywords that only annotate a schema: an `allOf` of one member with
/// nothing else beside it is that member, not a merge.
const ANNOTATIONS: [&str; 11] = [
    "title",
    "description",
    "nullable",
    "default",
    "example",
    "examples",
    "readOnly",
    "writeOnly",
    "deprecated",
    "externalDocs",
    "$comment",
];

/// Whether the engine must merge this `allOf` (several members, or one with
/// constraining keywords beside it) rather than read it as its one member.
fn is_merging_all_of(schema: &serde_json::Map<String, Value>, members: &[Value]) -> bool {
    members.len() != 1
        || schema.keys().any(|key| {
            key != "allOf" && !key.starts_with("x-") && !ANNOTATIONS.contains(&key.as_str())
        })
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

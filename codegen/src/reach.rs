//! Which component schemas a request body or a response can contain.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// The component schemas reachable from `roots` (component names),
/// through every reference, roots included.
pub fn reachable(
    schemas: &BTreeMap<String, Value>,
    roots: impl Iterator<Item = String>,
) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut queue: Vec<String> = roots.collect();
    while let Some(name) = queue.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(schema) = schemas.get(&name) {
            collect_refs(schema, &mut queue);
        }
    }
    seen
}

/// Pushes the component names of every `#/components/schemas/...` reference
/// in `value`.
pub fn collect_refs(value: &Value, out: &mut Vec<String>) {
    visit_refs(value, "", &mut |_, reference| {
        if let Some(name) = reference.as_str().and_then(crate::refs::component_name) {
            out.push(name.to_string());
        }
    });
}

/// Calls `visit` with the JSON pointer (below `at`) and the value of every
/// `$ref` that is a reference: not one that is the name of a property (GitHub
/// has a property called `$ref`), and not one inside data (examples, enum
/// values, defaults, `x-` extensions).
pub fn visit_refs<'a>(value: &'a Value, at: &str, visit: &mut impl FnMut(&str, &'a Value)) {
    let mut path = Vec::new();
    walk(value, false, &mut path, &mut |path, reference| {
        visit(&pointer_below(at, path), reference)
    });
}

/// One step of a JSON pointer.
pub enum Token<'a> {
    Key(&'a str),
    Index(usize),
}

/// The JSON pointer `at` followed by `path`.
pub fn pointer_below(at: &str, path: &[Token]) -> String {
    let mut pointer = at.to_string();
    for token in path {
        pointer.push('/');
        match token {
            Token::Key(key) => pointer.push_str(&crate::error::escape_pointer_token(key)),
            Token::Index(index) => pointer.push_str(&index.to_string()),
        }
    }
    pointer
}

/// Calls `visit` with every object in `value` (itself included) and its
/// path below `value`, keys of every kind included.
pub fn visit_objects<'a>(
    value: &'a Value,
    path: &mut Vec<Token<'a>>,
    visit: &mut impl FnMut(&[Token<'a>], &'a serde_json::Map<String, Value>),
) {
    match value {
        Value::Object(map) => {
            visit(path, map);
            for (key, child) in map {
                path.push(Token::Key(key));
                visit_objects(child, path, visit);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                path.push(Token::Index(index));
                visit_objects(item, path, visit);
                path.pop();
            }
        }
        _ => {}
    }
}

/// The walk behind [`visit_refs`]: `path` holds the keys and indices below
/// the start, so a pointer is spelled out only for the references found.
/// Recursion is bounded: loaded documents nest at most
/// [`crate::load::MAX_DEPTH`] levels.
fn walk<'a>(
    node: &'a Value,
    keys_are_names: bool,
    path: &mut Vec<Token<'a>>,
    visit: &mut impl FnMut(&[Token<'a>], &'a Value),
) {
    match node {
        Value::Object(map) => {
            for (key, child) in map {
                path.push(Token::Key(key));
                if keys_are_names {
                    walk(child, false, path, visit);
                } else if key == "$ref" {
                    visit(path, child);
                } else if !is_data_keyword(key) {
                    walk(child, holds_names(key), path, visit);
                }
                path.pop();
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                path.push(Token::Index(index));
                walk(item, false, path, visit);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Replaces each reference (as [`visit_refs`] finds them) for which
/// `rename` gives a new value.
pub fn rewrite_refs(value: &mut Value, rename: &impl Fn(&str) -> Option<String>) {
    rewrite(value, false, rename);
}

/// The walk of [`walk`], on a value it may change.
fn rewrite(node: &mut Value, keys_are_names: bool, rename: &impl Fn(&str) -> Option<String>) {
    match node {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if keys_are_names {
                    rewrite(child, false, rename);
                } else if key == "$ref" {
                    if let Some(new) = child.as_str().and_then(rename) {
                        *child = Value::String(new);
                    }
                } else if !is_data_keyword(key) {
                    rewrite(child, holds_names(key), rename);
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| rewrite(item, false, rename)),
        _ => {}
    }
}

/// Keys whose value maps names to schemas or OpenAPI objects: there a key
/// is a name (a property `$ref`, a response `default`), never a keyword.
fn holds_names(key: &str) -> bool {
    crate::subschemas::is_schema_map(key) || crate::subschemas::is_name_map(key)
}

/// Keywords whose value is data, not OpenAPI structure.
fn is_data_keyword(key: &str) -> bool {
    matches!(key, "example" | "examples" | "enum" | "const" | "default") || key.starts_with("x-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_property_named_ref_is_not_a_reference() {
        let schema = serde_json::json!({
            "type": "object",
            "properties": {
                "$ref": {"type": "string"},
                "example": {"$ref": "#/components/schemas/Example"},
                "owner": {"$ref": "#/components/schemas/User"},
            },
            "example": {"$ref": "#/components/schemas/NotAReference"},
            "x-note": {"$ref": "#/components/schemas/NotAReferenceEither"},
        });
        let mut refs = Vec::new();
        collect_refs(&schema, &mut refs);
        refs.sort();
        assert_eq!(refs, ["Example", "User"]);
        let mut pointers = Vec::new();
        visit_refs(&schema, "/s", &mut |at, _| pointers.push(at.to_string()));
        pointers.sort();
        assert_eq!(
            pointers,
            ["/s/properties/example/$ref", "/s/properties/owner/$ref"]
        );
    }
}

//! Which component schemas a request body or a response can contain.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{ReferenceOr, Schema};
use serde_json::Value;

/// The component schemas reachable from `roots` (component names),
/// through every reference, roots included.
pub fn reachable(
    schemas: &BTreeMap<String, ReferenceOr<Schema>>,
    roots: impl Iterator<Item = String>,
) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut queue: Vec<String> = roots.collect();
    while let Some(name) = queue.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(schema) = schemas.get(&name) {
            let value = serde_json::to_value(schema).unwrap_or_default();
            collect_refs(&value, &mut queue);
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
    // (node, its pointer, whether its keys are names rather than keywords)
    let mut stack = vec![(value, at.to_string(), false)];
    while let Some((node, at, keys_are_names)) = stack.pop() {
        match node {
            Value::Object(map) => {
                for (key, child) in map {
                    let child_at = format!("{at}/{}", crate::error::escape_pointer_token(key));
                    if keys_are_names {
                        stack.push((child, child_at, false));
                    } else if key == "$ref" {
                        visit(&child_at, child);
                    } else if !is_data_keyword(key) {
                        stack.push((child, child_at, crate::subschemas::is_schema_map(key)));
                    }
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    stack.push((item, format!("{at}/{index}"), false));
                }
            }
            _ => {}
        }
    }
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

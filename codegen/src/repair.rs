//! Contradictions in published specs that the engine cannot take, resolved
//! as their authors evidently meant, and each one reported.
//!
//! These are not extensions of OpenAPI: each rewrite keeps every instance
//! the spec's author could have meant valid, and the generated file's
//! header lists every rewrite made (pointer and reason), so nothing changes
//! silently. Found in real specs:
//!
//! - a schema with both `anyOf` and `oneOf` (ElevenLabs writes the same
//!   list under both): typify asserts that a schema has at most one;
//! - an `enum` none of whose values has the schema's `type` (Vapi's
//!   `groupBy: {type: array, enum: [strings], items: {enum: [strings]}}`):
//!   no value satisfies it, and typify fails on it;
//! - a `default` that the schema itself rejects (Vapi's `sipVerb: {type:
//!   object, default: "refer"}`): typify checks defaults and fails.

use serde_json::{Map, Value};

use crate::error::pointer;

/// One rewrite of the engine's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// Where, as a JSON pointer into the spec.
    pub pointer: String,
    /// What was done and why.
    pub note: String,
}

/// Repairs every component schema in place; the repairs made, in order.
pub fn apply(schemas: &mut Map<String, Value>) -> Vec<Repair> {
    let mut repairs = Vec::new();
    for (name, schema) in schemas.iter_mut() {
        let at = vec!["components".to_string(), "schemas".into(), name.clone()];
        repair(schema, at, &mut repairs);
    }
    repairs
}

fn repair(schema: &mut Value, at: Vec<String>, repairs: &mut Vec<Repair>) {
    let Value::Object(map) = schema else {
        return;
    };
    let mut report = |note: String| {
        repairs.push(Repair {
            pointer: pointer(at.iter().map(String::as_str)),
            note,
        });
    };
    if map.contains_key("anyOf") && map.contains_key("oneOf") {
        let note = if map["anyOf"] == map["oneOf"] {
            "`anyOf` dropped: it repeats `oneOf`"
        } else {
            "`anyOf` dropped beside `oneOf`: the engine takes one of them per schema"
        };
        map.remove("anyOf");
        report(note.to_string());
    }
    if enum_contradicts_type(map) {
        map.remove("enum");
        report("`enum` dropped: none of its values has the schema's `type`".to_string());
    }
    if default_contradicts_schema(map) {
        map.remove("default");
        report("`default` dropped: the schema's `type` or `enum` rejects it".to_string());
    }
    for (tokens, child) in crate::subschemas::children_at_mut(map) {
        let mut child_at = at.clone();
        child_at.extend(tokens);
        repair(child, child_at, repairs);
    }
}

/// Whether a schema lists enum values of which none has its `type`.
fn enum_contradicts_type(map: &Map<String, Value>) -> bool {
    let (Some(Value::String(ty)), Some(Value::Array(values))) = (map.get("type"), map.get("enum"))
    else {
        return false;
    };
    !values.is_empty() && !values.iter().any(|value| has_type(ty, value))
}

/// Whether a schema's `default` is not of its `type`, or not one of its
/// `enum` values.
fn default_contradicts_schema(map: &Map<String, Value>) -> bool {
    let Some(default) = map.get("default") else {
        return false;
    };
    let wrong_type = match map.get("type") {
        Some(Value::String(ty)) => !has_type(ty, default),
        _ => false,
    };
    let not_listed = match map.get("enum") {
        Some(Value::Array(values)) => !values.contains(default),
        _ => false,
    };
    wrong_type || not_listed
}

/// Whether `value` is of JSON Schema type `ty` (`null` passes: `nullable`
/// decides that, not `type`).
fn has_type(ty: &str, value: &Value) -> bool {
    match (ty, value) {
        (_, Value::Null) => true,
        ("string", Value::String(_)) | ("boolean", Value::Bool(_)) => true,
        ("number", Value::Number(_)) => true,
        ("integer", Value::Number(n)) => n.is_i64() || n.is_u64(),
        ("array", Value::Array(_)) | ("object", Value::Object(_)) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn contradictions_are_resolved_and_reported_with_their_pointer() {
        let mut schemas = json!({
            "Query": {"type": "object", "properties": {
                "groupBy": {"type": "array", "enum": ["a", "b"], "items": {"type": "string", "enum": ["a", "b"]}},
                "limit": {"type": "integer", "enum": [1, 2], "default": 1},
                "verb": {"type": "object", "default": "refer"},
                "columns": {"type": "string", "enum": ["a", "b"], "default": ["a"]},
                "mode": {"type": "string", "enum": ["a", "b"], "default": "c"},
            }},
            "Either": {"anyOf": [{"$ref": "#/components/schemas/Query"}], "oneOf": [{"$ref": "#/components/schemas/Query"}]},
        });
        let repairs = apply(schemas.as_object_mut().unwrap());
        assert_eq!(
            repairs,
            [
                Repair {
                    pointer: "/components/schemas/Either".into(),
                    note: "`anyOf` dropped: it repeats `oneOf`".into(),
                },
                Repair {
                    pointer: "/components/schemas/Query/properties/columns".into(),
                    note: "`default` dropped: the schema's `type` or `enum` rejects it".into(),
                },
                Repair {
                    pointer: "/components/schemas/Query/properties/groupBy".into(),
                    note: "`enum` dropped: none of its values has the schema's `type`".into(),
                },
                Repair {
                    pointer: "/components/schemas/Query/properties/mode".into(),
                    note: "`default` dropped: the schema's `type` or `enum` rejects it".into(),
                },
                Repair {
                    pointer: "/components/schemas/Query/properties/verb".into(),
                    note: "`default` dropped: the schema's `type` or `enum` rejects it".into(),
                },
            ]
        );
        assert_eq!(
            schemas["Query"]["properties"]["groupBy"]["items"]["enum"],
            json!(["a", "b"])
        );
        assert_eq!(schemas["Query"]["properties"]["groupBy"].get("enum"), None);
        assert_eq!(
            schemas["Query"]["properties"]["limit"]["enum"],
            json!([1, 2])
        );
        assert_eq!(schemas["Query"]["properties"]["limit"]["default"], json!(1));
        assert_eq!(schemas["Either"].get("anyOf"), None);
    }
}

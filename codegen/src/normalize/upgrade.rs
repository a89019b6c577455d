//! OpenAPI 3.1 documents, rewritten into the 3.0 shape the rest of the
//! generator (and its engine, typify through progenitor) reads.
//!
//! Why a normalising pass and not a 3.1 parser: `openapiv3` and typify are
//! the engine and both speak 3.0; a second model would mean a second engine.
//! OpenAPI 3.1 schemas are JSON Schema 2020-12, and the parts real specs use
//! have a 3.0 form with the same meaning. The pass touches schema objects only
//! (it knows where schemas sit in the document), so a parameter's `examples`
//! map or a property named `const` is left alone. 3.0 documents never reach
//! it, so their output is unchanged.
//!
//! | 3.1 | 3.0 |
//! |---|---|
//! | `type: [T, "null"]` | `type: T, nullable: true` |
//! | `type: [T, U]` | `anyOf: [{type: T}, {type: U}]` |
//! | `anyOf`/`oneOf` with a `{type: "null"}` member | that member removed, `nullable: true`; a single member left is merged in (or `allOf: [it]`) |
//! | `const: v` | `enum: [v]` |
//! | `examples: [a, ...]` (in a schema) | `example: a` |
//! | `exclusiveMinimum: n` (a number) | `minimum: n, exclusiveMinimum: true` (likewise maximum) |
//! | `contentEncoding: base64` | `format: byte` |
//! | `contentMediaType` (binary) on a string | `format: binary` |
//! | `prefixItems` without `items` | `items: {}` (any item) |
//!
//! Not rewritten, because 3.0 tools already read them the way 3.1 means:
//! `$ref` with sibling annotations (`description`, `default`), which are
//! kept in the document and ignored by the engine as in 3.0.

use serde_json::{Map, Value};

/// Whether `version` is an OpenAPI 3.1 version string.
pub fn is_openapi_31(version: &str) -> bool {
    version == "3.1" || version.starts_with("3.1.")
}

/// Rewrites a 3.1 document in place into the 3.0 shape (see the module
/// docs); `openapi` becomes `3.0.3`.
pub fn from_3_1(document: &mut Value) {
    let Some(root) = document.as_object_mut() else {
        return;
    };
    root.insert("openapi".into(), Value::String("3.0.3".into()));
    // 3.1 allows a document with only webhooks; 3.0 requires `paths`.
    root.entry("paths")
        .or_insert_with(|| Value::Object(Map::new()));
    for (_, schema) in crate::subschemas::document_schemas_mut(root) {
        schema_31_to_30(schema);
    }
}

/// Rewrites one schema and every schema inside it.
fn schema_31_to_30(schema: &mut Value) {
    let Value::Object(map) = schema else {
        return;
    };
    rewrite_keywords(map);
    for child in crate::subschemas::children_mut(map) {
        schema_31_to_30(child);
    }
}

/// The 3.1 keywords of one schema object, in their 3.0 form.
fn rewrite_keywords(map: &mut Map<String, Value>) {
    if let Some(Value::Array(types)) = map.get("type").cloned() {
        let nullable = types.iter().any(|t| t == "null");
        let rest: Vec<Value> = types.into_iter().filter(|t| t != "null").collect();
        map.remove("type");
        match rest.as_slice() {
            [] => {}
            [only] => {
                map.insert("type".into(), only.clone());
            }
            several => {
                let members = several
                    .iter()
                    .map(|t| Value::Object(Map::from_iter([("type".to_string(), t.clone())])))
                    .collect();
                map.insert("anyOf".into(), Value::Array(members));
            }
        }
        if nullable {
            map.insert("nullable".into(), Value::Bool(true));
        }
    } else {
        nulls_to_nullable(map);
    }
    if let Some(value) = map.remove("const") {
        map.entry("enum")
            .or_insert_with(|| Value::Array(vec![value]));
    }
    if let Some(Value::Array(examples)) = map.remove("examples")
        && let Some(first) = examples.into_iter().next()
    {
        map.entry("example").or_insert(first);
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(Value::Number(limit)) = map.get(exclusive).cloned() {
            map.insert(bound.into(), Value::Number(limit));
            map.insert(exclusive.into(), Value::Bool(true));
        }
    }
    if map.remove("contentEncoding").is_some_and(|e| e == "base64") {
        map.entry("format").or_insert_with(|| "byte".into());
    }
    if let Some(media_type) = map.remove("contentMediaType") {
        let is_text = media_type
            .as_str()
            .is_some_and(|m| m.starts_with("text/") || m.contains("json"));
        if !is_text && map.get("type").is_some_and(|t| t == "string") {
            map.entry("format").or_insert_with(|| "binary".into());
        }
    }
    if map.contains_key("prefixItems") && !map.contains_key("items") {
        map.insert("items".into(), Value::Object(Map::new()));
    }
}

/// `type: "null"`, and `{type: "null"}` members of `anyOf`/`oneOf`, in
/// their 3.0 form, `nullable: true`; true if there was any. (3.0 documents
/// that use them anyway go through this too, as a repair: `normalize`.)
pub fn nulls_to_nullable(map: &mut Map<String, Value>) -> bool {
    let mut found = false;
    if map.get("type").is_some_and(|t| t == "null") {
        map.remove("type");
        map.insert("nullable".into(), Value::Bool(true));
        found = true;
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(members)) = map.get_mut(key) {
            let before = members.len();
            members.retain(|member| !is_null_schema(member));
            if members.len() != before {
                map.insert("nullable".into(), Value::Bool(true));
                // `anyOf: [X]` after removing null is X, nullable.
                unwrap_single_member(map, key);
                found = true;
            }
        }
    }
    found
}

/// `{type: "null"}` (or `type: ["null"]`, or `enum: [null]`).
fn is_null_schema(schema: &Value) -> bool {
    let Some(map) = schema.as_object() else {
        return false;
    };
    let type_is_null = match map.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(types)) => types.iter().all(|t| t == "null"),
        _ => false,
    };
    let enum_is_null = map
        .get("enum")
        .and_then(Value::as_array)
        .is_some_and(|values| values.iter().all(Value::is_null));
    type_is_null || enum_is_null
}

/// Replaces `key: [only]` by that member's keywords, or by `allOf: [only]`
/// (one member, read as that member), so that `nullable` on this schema
/// applies to it.
fn unwrap_single_member(map: &mut Map<String, Value>, key: &str) {
    let Some(Value::Array(members)) = map.get(key) else {
        return;
    };
    let [member] = members.as_slice() else {
        return;
    };
    // An inline member whose keywords the schema does not already have is
    // merged into it: `{anyOf: [{type: string}, {type: null}], enum: [...]}`
    // is a nullable string enum, which an `allOf` wrapper would hide from
    // the engine.
    if let Value::Object(inline) = member
        && !inline.contains_key("$ref")
        && !inline.keys().any(|keyword| map.contains_key(keyword))
    {
        let inline = inline.clone();
        map.remove(key);
        map.extend(inline);
    } else if !map.contains_key("allOf") {
        let members = map.remove(key).unwrap_or_default();
        map.insert("allOf".into(), members);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn upgraded(schema: Value) -> Value {
        let mut document = json!({
            "openapi": "3.1.0",
            "components": {"schemas": {"S": schema}},
        });
        from_3_1(&mut document);
        assert_eq!(document["openapi"], "3.0.3");
        document["components"]["schemas"]["S"].take()
    }

    #[test]
    fn type_arrays_become_nullable_or_any_of() {
        assert_eq!(
            upgraded(json!({"type": ["string", "null"], "maxLength": 3})),
            json!({"type": "string", "nullable": true, "maxLength": 3})
        );
        assert_eq!(
            upgraded(json!({"type": ["string", "integer"]})),
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})
        );
    }

    #[test]
    fn a_null_member_of_any_of_makes_the_schema_nullable() {
        assert_eq!(
            upgraded(json!({"anyOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}]})),
            json!({"allOf": [{"$ref": "#/components/schemas/T"}], "nullable": true})
        );
        assert_eq!(
            upgraded(json!({"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]})),
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}], "nullable": true})
        );
        // An inline member is merged (pydantic's `Optional[Literal[...]]`).
        assert_eq!(
            upgraded(json!({"anyOf": [{"type": "string"}, {"type": "null"}], "enum": ["a", "b"]})),
            json!({"type": "string", "nullable": true, "enum": ["a", "b"]})
        );
        // Unless it would overwrite a keyword of the schema.
        assert_eq!(
            upgraded(
                json!({"anyOf": [{"type": "string", "description": "inner"}, {"type": "null"}], "description": "outer"})
            ),
            json!({"allOf": [{"type": "string", "description": "inner"}], "description": "outer", "nullable": true})
        );
    }

    #[test]
    fn keywords_take_their_30_form_at_every_depth() {
        assert_eq!(
            upgraded(json!({
                "type": "object",
                "properties": {
                    "kind": {"const": "agent", "examples": ["agent"]},
                    "speed": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 4},
                    "audio": {"type": "string", "contentMediaType": "audio/mpeg"},
                    "blob": {"type": "string", "contentEncoding": "base64"},
                    "pair": {"type": "array", "prefixItems": [{"type": "string"}]},
                    // A property *named* const is a name, not a keyword.
                    "const": {"type": ["integer", "null"]},
                },
            })),
            json!({
                "type": "object",
                "properties": {
                    "kind": {"enum": ["agent"], "example": "agent"},
                    "speed": {
                        "type": "number",
                        "minimum": 0, "exclusiveMinimum": true,
                        "maximum": 4, "exclusiveMaximum": true,
                    },
                    "audio": {"type": "string", "format": "binary"},
                    "blob": {"type": "string", "format": "byte"},
                    "pair": {"type": "array", "prefixItems": [{"type": "string"}], "items": {}},
                    "const": {"type": "integer", "nullable": true},
                },
            })
        );
    }

    #[test]
    fn schemas_in_operations_are_found_and_examples_maps_are_left_alone() {
        let mut document = json!({
            "openapi": "3.1.0",
            "paths": {"/a": {"get": {
                "parameters": [{
                    "name": "q", "in": "query",
                    "schema": {"type": ["string", "null"]},
                    "examples": {"one": {"value": "x"}},
                }],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"items": {"const": 1}, "type": "array"},
                }}}},
            }}},
        });
        from_3_1(&mut document);
        let operation = &document["paths"]["/a"]["get"];
        assert_eq!(
            operation["parameters"][0]["schema"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            operation["parameters"][0]["examples"],
            json!({"one": {"value": "x"}})
        );
        assert_eq!(
            operation["responses"]["200"]["content"]["application/json"]["schema"]["items"],
            json!({"enum": [1]})
        );
    }

    #[test]
    fn a_document_without_paths_gets_an_empty_one() {
        let mut document = json!({"openapi": "3.1.0", "webhooks": {}});
        from_3_1(&mut document);
        assert_eq!(document["paths"], json!({}));
    }
}

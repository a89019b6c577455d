//! Where schemas sit inside a schema: JSON Schema's applicator keywords.
//! One list, so every pass that walks schemas (the 3.1 upgrade, the
//! validation strip, enum stand-ins, the reference walk) agrees on it.

use serde_json::{Map, Value};

use crate::error::{escape_pointer_token, pointer};

/// Keywords whose value maps user-chosen names to schemas: a key there is a
/// name (a property may be called `$ref` or `const`), never a keyword.
pub fn is_schema_map(keyword: &str) -> bool {
    matches!(
        keyword,
        "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas"
    )
}

/// Outside schemas, the OpenAPI fields whose value maps user-chosen names
/// (status codes, media types, component and header names) to objects: a
/// key there is a name, never a field. A response may be `default` and a
/// parameter component may be called `schema` or `example`.
pub fn is_name_map(field: &str) -> bool {
    matches!(
        field,
        "paths"
            | "webhooks"
            | "schemas"
            | "responses"
            | "parameters"
            | "requestBodies"
            | "headers"
            | "examples"
            | "securitySchemes"
            | "links"
            | "callbacks"
            | "pathItems"
            | "content"
            | "encoding"
    )
}

/// Keywords whose value is a list of schemas.
fn is_schema_list(keyword: &str) -> bool {
    matches!(keyword, "allOf" | "anyOf" | "oneOf" | "prefixItems")
}

/// Keywords whose value is one schema (when it is an object:
/// `additionalProperties` may also be a boolean).
fn is_single_schema(keyword: &str) -> bool {
    matches!(
        keyword,
        "items"
            | "additionalProperties"
            | "not"
            | "contains"
            | "propertyNames"
            | "if"
            | "then"
            | "else"
            | "unevaluatedItems"
            | "unevaluatedProperties"
    )
}

/// The schemas directly inside a schema object.
pub fn children_mut(schema: &mut Map<String, Value>) -> Vec<&mut Value> {
    children_at_mut(schema)
        .into_iter()
        .map(|(_, child)| child)
        .collect()
}

/// The schemas directly inside a schema object, each with the JSON pointer
/// tokens that lead to it (`["properties", "name"]`, `["allOf", "0"]`).
pub fn children_at_mut(schema: &mut Map<String, Value>) -> Vec<(Vec<String>, &mut Value)> {
    let mut children = Vec::new();
    for (keyword, value) in schema.iter_mut() {
        if is_schema_map(keyword) {
            if let Some(named) = value.as_object_mut() {
                children.extend(
                    named
                        .iter_mut()
                        .map(|(name, child)| (vec![keyword.clone(), name.clone()], child)),
                );
            }
        } else if is_schema_list(keyword) {
            if let Some(list) = value.as_array_mut() {
                children.extend(
                    list.iter_mut()
                        .enumerate()
                        .map(|(index, child)| (vec![keyword.clone(), index.to_string()], child)),
                );
            }
        } else if is_single_schema(keyword) && value.is_object() {
            children.push((vec![keyword.clone()], value));
        }
    }
    children
}

/// Every schema that sits directly in the document (outside other
/// schemas), with its JSON pointer: component schemas, and the `schema` of
/// parameters, headers and media types, wherever those are.
pub fn document_schemas_mut(root: &mut Map<String, Value>) -> Vec<(String, &mut Value)> {
    let mut slots = Vec::new();
    // Each node with whether its keys are names (`is_name_map`).
    let mut stack: Vec<(String, &mut Value, bool)> = Vec::new();
    for (key, value) in root.iter_mut() {
        match key.as_str() {
            "components" => {
                let Some(components) = value.as_object_mut() else {
                    continue;
                };
                for (kind, entries) in components.iter_mut() {
                    let at = pointer(["components", kind]);
                    if kind != "schemas" {
                        stack.push((at, entries, true));
                    } else if let Some(schemas) = entries.as_object_mut() {
                        slots.extend(schemas.iter_mut().map(|(name, schema)| {
                            (format!("{at}/{}", escape_pointer_token(name)), schema)
                        }));
                    }
                }
            }
            "paths" | "webhooks" => stack.push((pointer([key.as_str()]), value, true)),
            _ => {}
        }
    }
    // Outside schemas, a `schema` key holds a schema; data (`example`,
    // `examples`, extensions) is not searched. In a map of names, a key is
    // a name: a parameter component called `schema` is a parameter.
    while let Some((at, node, names)) = stack.pop() {
        match node {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    let child_at = format!("{at}/{}", escape_pointer_token(key));
                    if names {
                        stack.push((child_at, child, false));
                    } else if key == "schema" {
                        slots.push((child_at, child));
                    } else if key != "example" && key != "examples" && !key.starts_with("x-") {
                        stack.push((child_at, child, is_name_map(key)));
                    }
                }
            }
            Value::Array(items) => stack.extend(
                items
                    .iter_mut()
                    .enumerate()
                    .map(|(index, item)| (format!("{at}/{index}"), item, false)),
            ),
            _ => {}
        }
    }
    slots
}

/// Calls `visit` on `schema` and on every schema inside it, each with its
/// JSON pointer, parents before children.
pub fn visit_mut(
    schema: &mut Value,
    at: &str,
    visit: &mut impl FnMut(&mut Map<String, Value>, &str),
) {
    let Value::Object(map) = schema else {
        return;
    };
    visit(map, at);
    for (tokens, child) in children_at_mut(map) {
        let mut child_at = at.to_string();
        for token in &tokens {
            child_at.push('/');
            child_at.push_str(&escape_pointer_token(token));
        }
        visit_mut(child, &child_at, visit);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn children_are_found_under_every_applicator_and_only_there() {
        let mut schema = json!({
            "properties": {"a": {"type": "string"}, "$ref": {"type": "integer"}},
            "allOf": [{"title": "first"}],
            "items": {"title": "item"},
            "additionalProperties": false,
            "example": {"title": "not a schema"},
        });
        let map = schema.as_object_mut().unwrap();
        let mut found: Vec<String> = children_mut(map)
            .into_iter()
            .map(|child| child.to_string())
            .collect();
        found.sort();
        assert_eq!(
            found,
            [
                r#"{"title":"first"}"#,
                r#"{"title":"item"}"#,
                r#"{"type":"integer"}"#,
                r#"{"type":"string"}"#,
            ]
        );
    }
}

//! Parameters: a path parameter is always required.

use serde_json::Value;

use super::Findings;
use crate::error::escape_pointer_token;

/// "If the parameter location is `path`, this property is REQUIRED and its
/// value MUST be `true`" (OpenAPI 3.0 and 3.1, Parameter Object). A path
/// without its parameter's value cannot be requested, so a path parameter
/// that says otherwise is read as required, with a warning.
pub(super) fn path_parameters_required(document: &mut Value, findings: &mut Findings) {
    for (at, parameter) in parameter_slots(document) {
        let Some(map) = parameter.as_object_mut() else {
            continue;
        };
        if map.get("in").and_then(Value::as_str) != Some("path") {
            continue;
        }
        match map.get("required") {
            Some(Value::Bool(true)) => {}
            said => {
                let said = said.map_or("nothing".to_string(), Value::to_string);
                findings.warn(
                    format!("{at}/required"),
                    format!(
                        "a path parameter must be `required: true`; the spec says {said}, read as required"
                    ),
                );
                map.insert("required".into(), Value::Bool(true));
            }
        }
    }
}

/// Every parameter object written in place (not a `$ref`), with its
/// pointer: those of path items and operations, and the components'.
fn parameter_slots(document: &mut Value) -> Vec<(String, &mut Value)> {
    let mut slots = Vec::new();
    let Some(root) = document.as_object_mut() else {
        return slots;
    };
    for (key, value) in root.iter_mut() {
        match key.as_str() {
            "paths" | "webhooks" => {
                let Some(items) = value.as_object_mut() else {
                    continue;
                };
                for (path, item) in items.iter_mut() {
                    let item_at = format!("/{key}/{}", escape_pointer_token(path));
                    let Some(item) = item.as_object_mut() else {
                        continue;
                    };
                    for (field, node) in item.iter_mut() {
                        let list = if field == "parameters" {
                            Some((format!("{item_at}/parameters"), node))
                        } else {
                            let at =
                                format!("{item_at}/{}/parameters", escape_pointer_token(field));
                            node.get_mut("parameters").map(|list| (at, list))
                        };
                        if let Some((at, Value::Array(list))) = list {
                            slots.extend(
                                list.iter_mut()
                                    .enumerate()
                                    .map(|(index, p)| (format!("{at}/{index}"), p)),
                            );
                        }
                    }
                }
            }
            "components" => {
                if let Some(Value::Object(parameters)) = value.get_mut("parameters") {
                    slots.extend(parameters.iter_mut().map(|(name, p)| {
                        (
                            format!("/components/parameters/{}", escape_pointer_token(name)),
                            p,
                        )
                    }));
                }
            }
            _ => {}
        }
    }
    slots
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn path_parameters_become_required_with_a_warning() {
        let mut document = json!({
            "paths": {"/a/{id}": {
                "parameters": [{"name": "id", "in": "path", "schema": {}}],
                "get": {"parameters": [
                    {"name": "id", "in": "path", "required": false},
                    {"name": "q", "in": "query"},
                    {"$ref": "#/components/parameters/Id"},
                ]},
            }},
            "components": {"parameters": {"Id": {"name": "id", "in": "path", "required": true}}},
        });
        let mut findings = Findings::default();
        path_parameters_required(&mut document, &mut findings);
        let pointers: Vec<&str> = findings
            .warnings
            .iter()
            .map(|w| w.pointer.as_str())
            .collect();
        assert_eq!(
            pointers,
            [
                "/paths/~1a~1{id}/get/parameters/0/required",
                "/paths/~1a~1{id}/parameters/0/required",
            ]
        );
        assert!(findings.warnings[0].message.contains("says false"));
        assert_eq!(
            document["paths"]["/a/{id}"]["parameters"][0]["required"],
            true
        );
        assert_eq!(
            document["paths"]["/a/{id}"]["get"]["parameters"][0]["required"],
            true
        );
        assert!(
            document["paths"]["/a/{id}"]["get"]["parameters"][1]
                .get("required")
                .is_none()
        );
    }
}

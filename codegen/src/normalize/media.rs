//! Media types without a `schema`: "any content" (OpenAPI 3.0 and 3.1,
//! Media Type Object: the schema is optional). Valid, so a repair: a JSON
//! body of any shape is any JSON value, and a form body is an object of
//! any fields. Other media types are read as bytes or text whatever their
//! schema, and are left alone.

use serde_json::{Map, Value};

use super::Findings;
use crate::error::escape_pointer_token;
use crate::media_kind::MediaKind;

pub(super) fn any_content(document: &mut Value, findings: &mut Findings) {
    let mut stack: Vec<(String, &mut Value)> = Vec::new();
    if let Some(root) = document.as_object_mut() {
        for (key, value) in root.iter_mut() {
            if matches!(key.as_str(), "paths" | "webhooks" | "components") {
                stack.push((format!("/{}", escape_pointer_token(key)), value));
            }
        }
    }
    while let Some((at, node)) = stack.pop() {
        let Value::Object(map) = node else {
            if let Value::Array(items) = node {
                stack.extend(
                    items
                        .iter_mut()
                        .enumerate()
                        .map(|(index, item)| (format!("{at}/{index}"), item)),
                );
            }
            continue;
        };
        for (key, child) in map.iter_mut() {
            let child_at = format!("{at}/{}", escape_pointer_token(key));
            match key.as_str() {
                "content" => any_schema(child, &child_at, findings),
                // Schemas, data and extensions hold no media type.
                "schema" | "schemas" | "example" | "examples" => {}
                _ if key.starts_with("x-") => {}
                _ => stack.push((child_at, child)),
            }
        }
    }
}

/// Gives each media type of one `content` map without a schema the schema
/// of any content its kind reads.
fn any_schema(content: &mut Value, at: &str, findings: &mut Findings) {
    let Some(media_types) = content.as_object_mut() else {
        return;
    };
    for (media_type, media) in media_types.iter_mut() {
        let Some(media) = media.as_object_mut() else {
            continue;
        };
        if media.contains_key("schema") {
            continue;
        }
        let schema = match MediaKind::of(media_type) {
            MediaKind::Json => Map::new(),
            MediaKind::Form | MediaKind::MultipartForm => {
                Map::from_iter([("type".to_string(), Value::from("object"))])
            }
            _ => continue,
        };
        let note = format!(
            "no schema: any content, given the schema `{}`",
            Value::Object(schema.clone())
        );
        media.insert("schema".into(), Value::Object(schema));
        findings.repair(format!("{at}/{}", escape_pointer_token(media_type)), note);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_and_form_bodies_without_a_schema_take_any_content() {
        let mut document = json!({"paths": {"/a": {"post": {
            "requestBody": {"content": {
                "application/json": {},
                "application/x-www-form-urlencoded": {},
                "application/octet-stream": {},
                "text/plain": {"schema": {"type": "string"}},
            }},
            "responses": {"200": {"description": "ok", "content": {"application/problem+json": {}}}},
        }}}});
        let mut findings = Findings::default();
        any_content(&mut document, &mut findings);
        let post = &document["paths"]["/a"]["post"];
        assert_eq!(
            post["requestBody"]["content"]["application/json"]["schema"],
            json!({})
        );
        assert_eq!(
            post["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"],
            json!({"type": "object"})
        );
        assert!(
            post["requestBody"]["content"]["application/octet-stream"]
                .get("schema")
                .is_none()
        );
        assert_eq!(
            post["responses"]["200"]["content"]["application/problem+json"]["schema"],
            json!({})
        );
        assert_eq!(findings.repairs.len(), 3);
        assert!(findings.warnings.is_empty());
    }
}

//! Security requirements: each is a map of scheme names to lists of
//! scopes (OpenAPI 3.0 and 3.1, Security Requirement Object: "Each name
//! MUST correspond to a security scheme ... the value MUST be an array").
//! Published specs write `oauth2: null` for "no scopes" (Square); read
//! strictly, that one node refused the whole spec at deserialization. A
//! value that is not a list is read as no scopes, a scope that is not a
//! string is dropped, and a requirement that is not a map is dropped, each
//! with a warning.

use serde_json::{Map, Value};

use super::{Findings, METHODS};
use crate::error::escape_pointer_token;

/// Reads every `security` list leniently: the document's own, and each
/// operation's, under `paths`, `webhooks`, the components' path items and
/// callbacks, and each operation's callbacks.
pub(super) fn requirements(document: &mut Value, findings: &mut Findings) {
    let Some(root) = document.as_object_mut() else {
        return;
    };
    if let Some(security) = root.get_mut("security") {
        requirement_list(security, "/security", findings);
    }
    for key in ["paths", "webhooks"] {
        if let Some(Value::Object(items)) = root.get_mut(key) {
            path_items(items, &format!("/{key}"), findings);
        }
    }
    if let Some(Value::Object(components)) = root.get_mut("components") {
        if let Some(Value::Object(items)) = components.get_mut("pathItems") {
            path_items(items, "/components/pathItems", findings);
        }
        if let Some(Value::Object(callbacks)) = components.get_mut("callbacks") {
            callback_map(callbacks, "/components/callbacks", findings);
        }
    }
}

/// A map of path items (`paths`, `webhooks`, a callback's expressions).
fn path_items(items: &mut Map<String, Value>, at: &str, findings: &mut Findings) {
    for (name, item) in items.iter_mut() {
        let item_at = format!("{at}/{}", escape_pointer_token(name));
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for method in METHODS {
            let Some(Value::Object(operation)) = item.get_mut(method) else {
                continue;
            };
            let operation_at = format!("{item_at}/{method}");
            if let Some(security) = operation.get_mut("security") {
                requirement_list(security, &format!("{operation_at}/security"), findings);
            }
            if let Some(Value::Object(callbacks)) = operation.get_mut("callbacks") {
                callback_map(callbacks, &format!("{operation_at}/callbacks"), findings);
            }
        }
    }
}

/// A map of callbacks, each a map of path items.
fn callback_map(callbacks: &mut Map<String, Value>, at: &str, findings: &mut Findings) {
    for (name, callback) in callbacks.iter_mut() {
        if let Value::Object(items) = callback {
            path_items(
                items,
                &format!("{at}/{}", escape_pointer_token(name)),
                findings,
            );
        }
    }
}

/// One `security` list: each requirement a map, each value a list of
/// strings.
fn requirement_list(security: &mut Value, at: &str, findings: &mut Findings) {
    let Value::Array(requirements) = security else {
        findings.warn(
            at,
            format!("`security` is a list of requirements; the spec says {security}, ignored"),
        );
        *security = Value::Array(Vec::new());
        return;
    };
    let mut index = 0;
    requirements.retain_mut(|requirement| {
        let requirement_at = format!("{at}/{index}");
        index += 1;
        let Value::Object(schemes) = requirement else {
            findings.warn(
                requirement_at,
                format!("a security requirement is a map of scheme names to scopes; the spec says {requirement}, ignored"),
            );
            return false;
        };
        for (scheme, scopes) in schemes.iter_mut() {
            scope_list(scopes, &format!("{requirement_at}/{}", escape_pointer_token(scheme)), findings);
        }
        true
    });
}

/// A scheme's scopes: a list of strings.
fn scope_list(scopes: &mut Value, at: &str, findings: &mut Findings) {
    let Value::Array(list) = scopes else {
        findings.warn(
            at,
            format!(
                "a security requirement's scopes are a list; the spec says {scopes}, read as none"
            ),
        );
        *scopes = Value::Array(Vec::new());
        return;
    };
    let before = list.len();
    list.retain(Value::is_string);
    if list.len() != before {
        findings.warn(at, "a scope that is not a string is ignored");
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn every_security_list_is_read_leniently_where_operations_are() {
        let mut document = json!({
            "security": [{"oauth2": null}, "apiKey"],
            "paths": {"/a": {"post": {
                "security": [{"oauth2": ["read", 7], "key": []}],
                "callbacks": {"done": {"{$request.body#/url}": {"post": {
                    "security": {"oauth2": []}
                }}}}
            }}},
            "webhooks": {"ping": {"get": {"security": [{"k": "one"}]}}},
            "components": {
                "pathItems": {"P": {"put": {"security": [{"k": null}]}}},
                "callbacks": {"C": {"x": {"delete": {"security": [{"k": null}]}}}}
            }
        });
        let mut findings = Findings::default();
        requirements(&mut document, &mut findings);
        assert_eq!(document["security"], json!([{"oauth2": []}]));
        assert_eq!(
            document["paths"]["/a"]["post"]["security"],
            json!([{"oauth2": ["read"], "key": []}])
        );
        let callback = &document["paths"]["/a"]["post"]["callbacks"]["done"];
        assert_eq!(
            callback["{$request.body#/url}"]["post"]["security"],
            json!([])
        );
        assert_eq!(
            document["webhooks"]["ping"]["get"]["security"],
            json!([{"k": []}])
        );
        assert_eq!(
            document["components"]["pathItems"]["P"]["put"]["security"],
            json!([{"k": []}])
        );
        assert_eq!(
            document["components"]["callbacks"]["C"]["x"]["delete"]["security"],
            json!([{"k": []}])
        );
        let pointers: Vec<&str> = findings
            .warnings
            .iter()
            .map(|w| w.pointer.as_str())
            .collect();
        assert_eq!(pointers.len(), 7, "{pointers:?}");
        assert!(pointers.contains(&"/security/0/oauth2"));
        assert!(pointers.contains(&"/security/1"));
        assert!(pointers.contains(&"/paths/~1a/post/security/0/oauth2"));
    }

    #[test]
    fn valid_requirements_are_left_alone() {
        let mut document = json!({
            "security": [{}, {"oauth2": ["a", "b"]}],
            "paths": {"/a": {"get": {"security": []}}}
        });
        let before = document.clone();
        let mut findings = Findings::default();
        requirements(&mut document, &mut findings);
        assert_eq!(document, before);
        assert!(findings.warnings.is_empty());
    }
}

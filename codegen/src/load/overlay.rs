//! Documented corrections to a vendor's spec, kept apart from the vendor's
//! file in the OpenAPI Overlay 1.0 format.
//!
//! `specs/ravan.yaml` stays byte-for-byte what the vendor published; where the
//! vendor's own examples contradict its schema, `specs/ravan.overlay.yaml`
//! says what we change and why. Only the plain-path subset of JSONPath is
//! supported as a target (`$.a.b`, `$['a']['b']`), which is all a correction
//! to a named node needs; anything else is refused with a diagnostic.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, escape_pointer_token};

/// The overlay for `specs/NAME.yaml` is `specs/NAME.overlay.yaml`.
pub fn path_for(spec: &Path) -> PathBuf {
    let stem = spec
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    spec.with_file_name(format!("{stem}.overlay.yaml"))
}

/// True for file names that are overlays rather than specs.
pub fn is_overlay_file(name: &str) -> bool {
    name.ends_with(".overlay.yaml")
}

/// Applies every action of `overlay` to `document`, in order.
pub fn apply(overlay_path: &Path, overlay: &Value, document: &mut Value) -> Result<(), Error> {
    if overlay.get("overlay").and_then(Value::as_str).is_none() {
        return Err(Error::new(
            overlay_path,
            "",
            "an overlay must declare its version in an `overlay` field (1.0.0)",
        ));
    }
    let Some(actions) = overlay.get("actions").and_then(Value::as_array) else {
        return Err(Error::new(
            overlay_path,
            "/actions",
            "an overlay must have an `actions` list",
        ));
    };
    for (index, action) in actions.iter().enumerate() {
        let at = format!("/actions/{index}");
        let description = action.get("description").and_then(Value::as_str);
        if description.is_none_or(|text| text.trim().is_empty()) {
            // A correction without its reason is exactly the silent
            // invention this file exists to prevent.
            return Err(Error::new(
                overlay_path,
                at,
                "every action needs a `description` giving the reason for the correction",
            ));
        }
        let Some(target) = action.get("target").and_then(Value::as_str) else {
            return Err(Error::new(
                overlay_path,
                format!("{at}/target"),
                "the action has no `target`",
            ));
        };
        let tokens = parse_target(target)
            .map_err(|reason| Error::new(overlay_path, format!("{at}/target"), reason))?;
        let pointer: String = tokens
            .iter()
            .map(|token| format!("/{}", escape_pointer_token(token)))
            .collect();

        if action.get("remove").and_then(Value::as_bool) == Some(true) {
            remove(document, &tokens).ok_or_else(|| {
                Error::new(
                    overlay_path,
                    format!("{at}/target"),
                    format!("the target {target} (pointer {pointer}) is not in the spec"),
                )
            })?;
            continue;
        }
        let Some(update) = action.get("update") else {
            return Err(Error::new(
                overlay_path,
                at,
                "the action has neither `update` nor `remove: true`",
            ));
        };
        let Some(node) = document.pointer_mut(&pointer) else {
            return Err(Error::new(
                overlay_path,
                format!("{at}/target"),
                format!("the target {target} (pointer {pointer}) is not in the spec"),
            ));
        };
        merge(node, update);
    }
    Ok(())
}

/// Overlay 1.0 merge: objects merge key by key, arrays are appended to, and
/// anything else is replaced.
fn merge(node: &mut Value, update: &Value) {
    match (node, update) {
        (Value::Object(node), Value::Object(update)) => {
            for (key, value) in update {
                match node.get_mut(key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        node.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (Value::Array(node), Value::Array(update)) => node.extend(update.iter().cloned()),
        (node, update) => *node = update.clone(),
    }
}

fn remove(document: &mut Value, tokens: &[String]) -> Option<()> {
    let (last, parents) = tokens.split_last()?;
    let mut node = document;
    for token in parents {
        node = match node {
            Value::Object(map) => map.get_mut(token)?,
            Value::Array(items) => items.get_mut(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    match node {
        Value::Object(map) => map.remove(last).map(|_| ()),
        Value::Array(items) => {
            let index = last.parse::<usize>().ok()?;
            (index < items.len()).then(|| {
                items.remove(index);
            })
        }
        _ => None,
    }
}

/// Parses `$.a.b['c/d'][0]` into its tokens.
fn parse_target(target: &str) -> Result<Vec<String>, String> {
    let unsupported = || {
        format!(
            "the target `{target}` is not a plain JSONPath; use `$.name` and `$['name']` segments only"
        )
    };
    let rest = target.strip_prefix('$').ok_or_else(unsupported)?;
    let mut tokens = Vec::new();
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                let mut name = String::new();
                while let Some(&next) = chars.peek() {
                    if next == '.' || next == '[' {
                        break;
                    }
                    name.push(next);
                    chars.next();
                }
                if name.is_empty() || name == "*" {
                    return Err(unsupported());
                }
                tokens.push(name);
            }
            '[' => {
                let quote = chars.next().ok_or_else(unsupported)?;
                let mut name = String::new();
                if quote == '\'' || quote == '"' {
                    loop {
                        match chars.next() {
                            Some(c) if c == quote => break,
                            Some(c) => name.push(c),
                            None => return Err(unsupported()),
                        }
                    }
                } else if quote.is_ascii_digit() {
                    name.push(quote);
                    while let Some(&next) = chars.peek() {
                        if !next.is_ascii_digit() {
                            break;
                        }
                        name.push(next);
                        chars.next();
                    }
                } else {
                    return Err(unsupported());
                }
                if chars.next() != Some(']') {
                    return Err(unsupported());
                }
                tokens.push(name);
            }
            _ => return Err(unsupported()),
        }
    }
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn targets_parse() {
        assert_eq!(
            parse_target("$.paths['/a/{id}'].patch").unwrap(),
            ["paths", "/a/{id}", "patch"]
        );
        assert_eq!(parse_target("$.tags[0]").unwrap(), ["tags", "0"]);
        assert!(parse_target("$..status").is_err());
        assert!(parse_target("$.paths[*]").is_err());
        assert!(parse_target("paths").is_err());
    }

    #[test]
    fn update_merges_and_remove_removes() {
        let mut doc = json!({"a": {"b": 1, "list": [1]}, "c": 2});
        let overlay = json!({
            "overlay": "1.0.0",
            "actions": [
                {"target": "$.a", "description": "why", "update": {"x-note": "n", "list": [2]}},
                {"target": "$.c", "description": "why", "remove": true}
            ]
        });
        apply(Path::new("o.yaml"), &overlay, &mut doc).unwrap();
        assert_eq!(doc, json!({"a": {"b": 1, "list": [1, 2], "x-note": "n"}}));
    }

    #[test]
    fn missing_reason_or_target_is_an_error() {
        let mut doc = json!({"a": {}});
        let no_reason = json!({"overlay": "1.0.0", "actions": [{"target": "$.a", "update": {}}]});
        let message = apply(Path::new("o.yaml"), &no_reason, &mut doc)
            .unwrap_err()
            .to_string();
        assert_eq!(
            message,
            "o.yaml#/actions/0: every action needs a `description` giving the reason for the correction"
        );
        let missing = json!({"overlay": "1.0.0", "actions": [{"target": "$.zz", "description": "d", "update": {}}]});
        let message = apply(Path::new("o.yaml"), &missing, &mut doc)
            .unwrap_err()
            .to_string();
        assert!(message.contains("#/actions/0/target"), "{message}");
    }
}

//! Path items given by reference.
//!
//! A Path Item Object may be a `$ref` (OpenAPI 3.0 and 3.1; 3.1 adds
//! `components/pathItems` as its usual target). The later stages read path
//! items in place, so each reference is replaced by a copy of the path item
//! it names: valid, rewritten with its meaning kept, a repair.

use serde_json::{Map, Value};

use super::Findings;
use crate::error::pointer;

/// Replaces each path item that is a `$ref` with a copy of its target.
/// The referring object's own fields (3.1 allows `summary` and
/// `description` beside the reference) win over the target's. A reference
/// that leads nowhere is left as it is, for the model to report.
pub(super) fn inline_references(document: &mut Value, findings: &mut Findings) {
    let Some(paths) = document.get("paths").and_then(Value::as_object) else {
        return;
    };
    let mut inlined = Vec::new();
    for (path, item) in paths {
        let Some(reference) = item.get("$ref").and_then(Value::as_str) else {
            continue;
        };
        let Some(target) = resolve(document, reference) else {
            continue;
        };
        let mut copy = target.clone();
        for (key, value) in item.as_object().into_iter().flatten() {
            if key != "$ref" {
                copy.insert(key.clone(), value.clone());
            }
        }
        inlined.push((path.clone(), reference.to_string(), copy));
    }
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, reference, copy) in inlined {
        findings.repair(
            pointer(["paths", path.as_str()]),
            format!("the path item `{reference}` refers to, inlined"),
        );
        paths.insert(path, Value::Object(copy));
    }
}

/// The path item object `reference` leads to ([`crate::refs::follow`]);
/// `None` where it leads nowhere, outside the document, or round in a
/// circle.
fn resolve<'a>(document: &'a Value, reference: &str) -> Option<&'a Map<String, Value>> {
    crate::refs::follow(document, reference).ok()?.0.as_object()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_referenced_path_item_is_inlined_with_its_own_fields_kept() {
        let mut document = json!({
            "paths": {
                "/a": {"$ref": "#/components/pathItems/A", "summary": "Mine."},
                "/b": {"$ref": "#/components/pathItems/Nope"},
                "/c": {"$ref": "#/paths/~1a"},
            },
            "components": {"pathItems": {
                "A": {"summary": "Theirs.", "get": {"operationId": "getA", "responses": {}}}
            }}
        });
        let mut findings = Findings::default();
        inline_references(&mut document, &mut findings);
        assert_eq!(
            document["paths"]["/a"],
            json!({"summary": "Mine.", "get": {"operationId": "getA", "responses": {}}})
        );
        // A chain is followed; a reference to nothing is left to the model.
        assert_eq!(document["paths"]["/c"]["get"]["operationId"], "getA");
        assert_eq!(
            document["paths"]["/b"],
            json!({"$ref": "#/components/pathItems/Nope"})
        );
        let notes: Vec<(&str, &str)> = findings
            .repairs
            .iter()
            .map(|r| (r.pointer.as_str(), r.note.as_str()))
            .collect();
        assert_eq!(
            notes,
            [
                (
                    "/paths/~1a",
                    "the path item `#/components/pathItems/A` refers to, inlined"
                ),
                (
                    "/paths/~1c",
                    "the path item `#/paths/~1a` refers to, inlined"
                ),
            ]
        );
    }
}

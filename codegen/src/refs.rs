//! The one resolver of references: a local one in the raw document
//! ([`local_target`]), and `#/components/schemas/...` ones in the typed
//! document: a chain of references is followed to the schema it ends at,
//! and a cycle (or a chain over 32 links) is an error, never a hang.

use std::collections::BTreeMap;

use openapiv3::{ReferenceOr, Schema};

/// The node a local reference (`#/...`, a JSON pointer after the `#`)
/// names in the raw document; `None` for one that names nothing, or that
/// points into another file.
pub fn local_target<'a>(
    document: &'a serde_json::Value,
    reference: &str,
) -> Option<&'a serde_json::Value> {
    document.pointer(reference.strip_prefix('#')?)
}

/// The component a reference names, if it is a component schema reference.
pub fn component_name(reference: &str) -> Option<&str> {
    reference.strip_prefix("#/components/schemas/")
}

/// The schema `reference` ends at, following references between
/// components; the error says why not.
pub fn resolve<'a>(
    schemas: &'a BTreeMap<String, ReferenceOr<Schema>>,
    reference: &str,
) -> Result<&'a Schema, String> {
    let mut reference = reference;
    for _ in 0..32 {
        match component_name(reference).and_then(|name| schemas.get(name)) {
            Some(ReferenceOr::Item(schema)) => return Ok(schema),
            Some(ReferenceOr::Reference { reference: next }) => reference = next,
            None => return Err(format!("`{reference}` does not resolve to a schema")),
        }
    }
    Err("the schema reference chain is cyclic or longer than 32 links".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_are_followed_and_cycles_are_errors() {
        let schemas: BTreeMap<String, ReferenceOr<Schema>> =
            serde_json::from_value(serde_json::json!({
                "A": {"$ref": "#/components/schemas/B"},
                "B": {"type": "string"},
                "C": {"$ref": "#/components/schemas/C"},
            }))
            .unwrap();
        assert!(resolve(&schemas, "#/components/schemas/A").is_ok());
        assert!(
            resolve(&schemas, "#/components/schemas/C")
                .unwrap_err()
                .contains("cyclic")
        );
        assert!(
            resolve(&schemas, "#/components/schemas/Z")
                .unwrap_err()
                .contains("does not resolve")
        );
    }
}

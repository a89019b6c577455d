//! The one resolver of references: a local one in the raw document
//! ([`local_target`], and [`follow`] for a chain of them), and
//! `#/components/schemas/...` ones in the typed document ([`resolve`]): a
//! chain of references is followed to the node it ends at, and a cycle (or
//! a chain over [`MAX_LINKS`] links) is an error, never a hang.

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

/// The most links a chain of references may pass through; a longer one
/// counts as a cycle.
pub const MAX_LINKS: usize = 32;

/// The node a chain of local references ends at (the first one named that
/// is not itself a `$ref`), and the reference that named it; the error says
/// why not: a reference to nothing or to another file, or a cycle.
pub fn follow<'a>(
    document: &'a serde_json::Value,
    reference: &str,
) -> Result<(&'a serde_json::Value, String), String> {
    let mut current = reference.to_string();
    for _ in 0..MAX_LINKS {
        if !current.starts_with('#') {
            return Err(format!("`{current}` points into another document"));
        }
        let target = local_target(document, &current)
            .ok_or_else(|| format!("`{current}` does not resolve inside this document"))?;
        match target.get("$ref").and_then(serde_json::Value::as_str) {
            Some(next) if target.is_object() => current = next.to_string(),
            _ => return Ok((target, current)),
        }
    }
    Err(format!(
        "the references from `{reference}` are cyclic or longer than {MAX_LINKS} links"
    ))
}

/// Where the components of a document are: the only place the generator
/// spells it.
const COMPONENTS: &str = "#/components/";

/// The component a reference names, if it is a component schema reference.
pub fn component_name(reference: &str) -> Option<&str> {
    component_of_kind(reference, "schemas")
}

/// The component a reference names, if it names one of `kind`
/// (`schemas`, `parameters`, `responses`, ...).
pub fn component_of_kind<'a>(reference: &'a str, kind: &str) -> Option<&'a str> {
    reference
        .strip_prefix(COMPONENTS)?
        .strip_prefix(kind)?
        .strip_prefix('/')
}

/// The kind and name of the component a reference names whole
/// (`#/components/schemas/Pet`, not a node inside it).
pub fn whole_component(reference: &str) -> Option<(&str, &str)> {
    reference
        .strip_prefix(COMPONENTS)?
        .split_once('/')
        .filter(|(_, name)| !name.contains('/'))
}

/// The reference to component schema `name`.
pub fn schema_reference(name: &str) -> String {
    format!("{COMPONENTS}schemas/{name}")
}

/// The schema `reference` ends at, following references between
/// components; the error says why not.
pub fn resolve<'a>(
    schemas: &'a BTreeMap<String, ReferenceOr<Schema>>,
    reference: &str,
) -> Result<&'a Schema, String> {
    let mut reference = reference;
    for _ in 0..MAX_LINKS {
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
    fn raw_chains_are_followed_and_cycles_are_errors() {
        let document = serde_json::json!({
            "a": {"$ref": "#/b"},
            "b": {"$ref": "#/c~1d"},
            "c/d": {"found": true},
            "loop": {"$ref": "#/loop"},
            "dangling": {"$ref": "#/nope"},
        });
        let (node, reference) = follow(&document, "#/a").unwrap();
        assert_eq!(
            (node["found"].as_bool(), reference.as_str()),
            (Some(true), "#/c~1d")
        );
        assert!(follow(&document, "#/loop").unwrap_err().contains("cyclic"));
        assert_eq!(
            follow(&document, "#/dangling").unwrap_err(),
            "`#/nope` does not resolve inside this document"
        );
        assert!(
            follow(&document, "other.yaml#/a")
                .unwrap_err()
                .contains("another document")
        );
    }

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

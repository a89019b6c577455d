//! `multipart/form-data` bodies: which properties become parts, in which
//! order and with which content type, and which of them are files.
//!
//! OpenAPI describes a multipart body as an object schema, one part per
//! top-level property ("Special Considerations for `multipart` Content").
//! A file is a string of `format: binary` (3.1's `contentMediaType`, which
//! [`crate::normalize::upgrade`] rewrites to that), alone or as the items of an array.
//! Such a property is replaced here by a schema the engine turns into
//! `agent_clients::runtime::FilePart` (typify's `x-rust-type` extension),
//! so the body type holds the file's bytes, name and content type rather
//! than a `String`.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    AnySchema, Encoding, ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

/// The crate whose `FilePart` file properties become; the engine is told to
/// honour `x-rust-type` for it alone.
pub const RUNTIME_CRATE: &str = "agent-clients";

/// One part of a multipart body, as the runtime's `multipart::encode` takes
/// it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The property name, which is the part's name.
    pub name: String,
    /// The spec's `encoding.contentType` for it, the first if it lists
    /// several.
    pub content_type: Option<String>,
}

/// The parts of the body schema `component`, following `$ref`s and
/// `allOf` members, with the file properties of every schema on the way
/// replaced by `FilePart`.
///
/// A component reached here is changed for every use of it: a file property
/// means nothing in JSON, where OpenAPI gives `format: binary` no encoding.
pub fn parts(
    schemas: &mut BTreeMap<String, ReferenceOr<Schema>>,
    component: &str,
    encoding: &indexmap::IndexMap<String, Encoding>,
) -> Vec<Part> {
    let mut names = Vec::new();
    walk_component(component, schemas, &mut names, &mut BTreeSet::new());
    names
        .into_iter()
        .map(|name| Part {
            content_type: encoding
                .get(&name)
                .and_then(|encoding| encoding.content_type.as_deref())
                .and_then(|types| types.split(',').next())
                .map(|first| first.trim().to_string()),
            name,
        })
        .collect()
}

/// [`walk_object`] on a component, once: `seen` stops reference cycles.
fn walk_component(
    name: &str,
    schemas: &mut BTreeMap<String, ReferenceOr<Schema>>,
    names: &mut Vec<String>,
    seen: &mut BTreeSet<String>,
) {
    if !seen.insert(name.to_string()) {
        return;
    }
    match schemas.get(name).cloned() {
        Some(ReferenceOr::Item(mut schema)) => {
            walk_object(&mut schema, schemas, names, seen);
            schemas.insert(name.to_string(), ReferenceOr::Item(schema));
        }
        Some(ReferenceOr::Reference { reference }) => {
            if let Some(next) = component_name(&reference) {
                walk_component(&next, schemas, names, seen);
            }
        }
        None => {}
    }
}

/// Collects the properties of an object schema, and of its `allOf`
/// members in order, into `names`, replacing file properties.
fn walk_object(
    schema: &mut Schema,
    schemas: &mut BTreeMap<String, ReferenceOr<Schema>>,
    names: &mut Vec<String>,
    seen: &mut BTreeSet<String>,
) {
    let properties = match &mut schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => &mut object.properties,
        SchemaKind::Any(any) => &mut any.properties,
        SchemaKind::AllOf { all_of } => {
            for member in all_of {
                match member {
                    ReferenceOr::Item(member) => walk_object(member, schemas, names, seen),
                    ReferenceOr::Reference { reference } => {
                        if let Some(next) = component_name(reference) {
                            walk_component(&next, schemas, names, seen);
                        }
                    }
                }
            }
            return;
        }
        _ => return,
    };
    for (name, property) in properties.iter_mut() {
        if !names.contains(name) {
            names.push(name.clone());
        }
        replace_file(property, schemas);
        if let ReferenceOr::Item(property) = property
            && let SchemaKind::Type(Type::Array(array)) = &mut property.schema_kind
            && let Some(items) = &mut array.items
        {
            replace_file(items, schemas);
        }
    }
}

/// Replaces `property` by the `FilePart` schema if it is a file.
fn replace_file(
    property: &mut ReferenceOr<Box<Schema>>,
    schemas: &BTreeMap<String, ReferenceOr<Schema>>,
) {
    if is_file(property, schemas) {
        let description =
            resolve(property, schemas).and_then(|schema| schema.schema_data.description.clone());
        *property = ReferenceOr::Item(Box::new(file_schema(description)));
    }
}

/// Whether a property is a file: a string of `format: binary`, directly or
/// through `$ref`s.
fn is_file(
    property: &ReferenceOr<Box<Schema>>,
    schemas: &BTreeMap<String, ReferenceOr<Schema>>,
) -> bool {
    resolve(property, schemas).is_some_and(|schema| {
        matches!(&schema.schema_kind, SchemaKind::Type(Type::String(string))
            if string.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary))
    })
}

/// The schema a property is, through its `$ref`s.
fn resolve<'a>(
    property: &'a ReferenceOr<Box<Schema>>,
    schemas: &'a BTreeMap<String, ReferenceOr<Schema>>,
) -> Option<&'a Schema> {
    match property {
        ReferenceOr::Item(schema) => Some(schema),
        ReferenceOr::Reference { reference } => crate::refs::resolve(schemas, reference).ok(),
    }
}

fn component_name(reference: &str) -> Option<String> {
    crate::refs::component_name(reference).map(str::to_string)
}

/// Whether a schema (as JSON) is the one `file_schema` makes.
pub fn is_file_part_marker(schema: &serde_json::Map<String, serde_json::Value>) -> bool {
    schema
        .get("x-rust-type")
        .and_then(|marker| marker.get("path"))
        .and_then(serde_json::Value::as_str)
        == Some("agent_clients::runtime::FilePart")
}

/// The schema the engine emits as `FilePart`.
fn file_schema(description: Option<String>) -> Schema {
    let mut schema_data = SchemaData {
        description,
        ..SchemaData::default()
    };
    schema_data.extensions.insert(
        "x-rust-type".into(),
        serde_json::json!({
            "crate": RUNTIME_CRATE,
            "version": "*",
            "path": "agent_clients::runtime::FilePart",
        }),
    );
    Schema {
        schema_data,
        schema_kind: SchemaKind::Any(AnySchema::default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schemas(json: serde_json::Value) -> BTreeMap<String, ReferenceOr<Schema>> {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn files_alone_in_arrays_and_through_refs_are_replaced_in_order() {
        let mut schemas = schemas(serde_json::json!({
            "Upload": {"allOf": [
                {"$ref": "#/components/schemas/Base"},
                {"type": "object", "properties": {
                    "audio": {"type": "string", "format": "binary", "description": "The audio."},
                    "clips": {"type": "array", "items": {"$ref": "#/components/schemas/Blob"}},
                }},
            ]},
            "Base": {"type": "object", "properties": {"name": {"type": "string"}}},
            "Blob": {"type": "string", "format": "binary"},
        }));
        let encoding = serde_json::from_value(serde_json::json!({
            "audio": {"contentType": "audio/wav, audio/mpeg"},
        }))
        .unwrap();
        let parts = parts(&mut schemas, "Upload", &encoding);
        let names: Vec<_> = parts.iter().map(|part| part.name.as_str()).collect();
        assert_eq!(names, ["name", "audio", "clips"]);
        assert_eq!(parts[1].content_type.as_deref(), Some("audio/wav"));
        let upload = serde_json::to_value(&schemas["Upload"]).unwrap();
        let audio = &upload["allOf"][1]["properties"]["audio"];
        assert_eq!(
            audio["x-rust-type"]["path"],
            "agent_clients::runtime::FilePart"
        );
        assert_eq!(audio["description"], "The audio.");
        let clip = &upload["allOf"][1]["properties"]["clips"]["items"];
        assert_eq!(clip["x-rust-type"]["crate"], RUNTIME_CRATE);
        // The shared `Blob` component itself is left alone.
        assert_eq!(
            serde_json::to_value(&schemas["Blob"]).unwrap()["format"],
            "binary"
        );
    }
}

//! Pass over the engine's structs: optional fields keep "absent" apart from
//! "empty" and from "null", which a partial update needs.
//!
//! typify (inside progenitor) emits an optional array or map as a bare `Vec`
//! or `Map` skipped when empty, so a caller cannot send `"tags": []` to clear
//! a list; and it collapses optional + nullable into one `Option`, so a
//! caller cannot send `null` to clear a field. This pass rewrites:
//!
//! - optional, non-nullable collections to `Option<Vec<_>>` / `Option<Map>`;
//! - optional, nullable fields to `agent_clients::runtime::Nullable<_>`,
//!   which is absent, `null`, or a value.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
use quote::quote;
use syn::{Attribute, Field, Item, parse_quote};

use crate::names::type_name_for;

/// Struct name, then the wire names of its optional, nullable properties.
pub fn nullable_optional(
    schemas: &BTreeMap<String, ReferenceOr<Schema>>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for (name, schema) in schemas {
        let ReferenceOr::Item(schema) = schema else {
            continue;
        };
        let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
            continue;
        };
        let fields: BTreeSet<String> = object
            .properties
            .iter()
            .filter(|(property, _)| !object.required.contains(property))
            .filter(|(_, schema)| matches!(schema, ReferenceOr::Item(s) if s.schema_data.nullable))
            .map(|(property, _)| property.clone())
            .collect();
        if !fields.is_empty() {
            out.insert(type_name_for(name), fields);
        }
    }
    out
}

/// Rewrites the fields of every struct in `items`.
pub fn apply(items: &mut [Item], nullable: &BTreeMap<String, BTreeSet<String>>) {
    let empty = BTreeSet::new();
    for item in items {
        let Item::Struct(item_struct) = item else {
            continue;
        };
        let nullable_fields = nullable
            .get(&item_struct.ident.to_string())
            .unwrap_or(&empty);
        for field in item_struct.fields.iter_mut() {
            let Some(ident) = &field.ident else { continue };
            let wire_name =
                crate::types::serde_rename(&field.attrs).unwrap_or_else(|| ident.to_string());
            if nullable_fields.contains(&wire_name) {
                make_nullable(field);
            } else {
                make_optional_collection(field);
            }
        }
    }
}

/// One `#[serde(...)]` entry: a key with an optional `= value`.
struct SerdeEntry {
    key: String,
    value: Option<syn::Expr>,
}

fn serde_entries(attrs: &[Attribute]) -> Vec<SerdeEntry> {
    let mut entries = Vec::new();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(|i| i.to_string())
                .unwrap_or_default();
            let value = if meta.input.peek(syn::Token![=]) {
                Some(meta.value()?.parse::<syn::Expr>()?)
            } else {
                None
            };
            entries.push(SerdeEntry { key, value });
            Ok(())
        });
    }
    entries
}

fn replace_serde_attr(field: &mut Field, entries: &[SerdeEntry]) {
    field.attrs.retain(|attr| !attr.path().is_ident("serde"));
    if entries.is_empty() {
        return;
    }
    let parts = entries.iter().map(|entry| {
        let key = syn::Ident::new(&entry.key, proc_macro2::Span::call_site());
        match &entry.value {
            Some(value) => quote!(#key = #value),
            None => quote!(#key),
        }
    });
    field.attrs.push(parse_quote!(#[serde(#(#parts),*)]));
}

fn set_entry(entries: &mut Vec<SerdeEntry>, key: &str, value: Option<syn::Expr>) {
    entries.retain(|entry| entry.key != key);
    entries.push(SerdeEntry {
        key: key.to_string(),
        value,
    });
}

/// The `T` of `Option<T>` (however the path to `Option` is spelled).
fn option_inner(ty: &syn::Type) -> Option<syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(inner) => Some(inner.clone()),
        _ => None,
    }
}

fn make_nullable(field: &mut Field) {
    let mut entries = serde_entries(&field.attrs);
    let inner = match option_inner(&field.ty) {
        Some(inner) => inner,
        // An optional collection the engine left bare: wrap it whole.
        None => field.ty.clone(),
    };
    field.ty = parse_quote!(::agent_clients::runtime::Nullable<#inner>);
    set_entry(&mut entries, "default", None);
    set_entry(
        &mut entries,
        "skip_serializing_if",
        Some(parse_quote!(
            "::agent_clients::runtime::Nullable::is_absent"
        )),
    );
    replace_serde_attr(field, &entries);
}

fn make_optional_collection(field: &mut Field) {
    let mut entries = serde_entries(&field.attrs);
    let skips_empty = entries.iter().any(|entry| {
        entry.key == "skip_serializing_if"
            && matches!(&entry.value, Some(syn::Expr::Lit(lit)) if matches!(&lit.lit, syn::Lit::Str(s) if s.value().ends_with("::is_empty")))
    });
    let has_default = entries
        .iter()
        .any(|entry| entry.key == "default" && entry.value.is_none());
    if !(skips_empty && has_default) {
        return;
    }
    let ty = field.ty.clone();
    field.ty = parse_quote!(::std::option::Option<#ty>);
    entries.retain(|entry| entry.key != "default");
    set_entry(
        &mut entries,
        "skip_serializing_if",
        Some(parse_quote!("::std::option::Option::is_none")),
    );
    replace_serde_attr(field, &entries);
}

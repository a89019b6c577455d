//! Pass over the engine's types: enums in responses are forward-compatible.
//!
//! A string enum read from a server is wrapped in
//! `agent_clients::runtime::Open<_>`, so a value the spec does not list (yet)
//! is kept as `Open::Unknown(raw)` instead of failing the whole response.
//! Request types keep the plain enum: a caller can only send documented
//! values. A struct reachable from both a request body and a response is
//! treated as a response type, because failing to read a server's answer is
//! the worse outcome.

use std::collections::BTreeSet;

use syn::{GenericArgument, Item, PathArguments, Type, parse_quote};

use crate::names::type_name_for;

/// Names of the plain string enums among `items` (unit variants only).
pub fn string_enums(items: &[Item]) -> BTreeSet<String> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Enum(e)
                if e.variants
                    .iter()
                    .all(|v| matches!(v.fields, syn::Fields::Unit)) =>
            {
                Some(e.ident.to_string())
            }
            _ => None,
        })
        .collect()
}

/// Wraps enum-typed fields of response structs in `Open`.
pub fn apply(items: &mut [Item], response_schemas: &BTreeSet<String>) {
    let enums = string_enums(items);
    let response_types: BTreeSet<String> = response_schemas
        .iter()
        .map(|name| type_name_for(name))
        .collect();
    for item in items.iter_mut() {
        let Item::Struct(item_struct) = item else {
            continue;
        };
        if !response_types.contains(&item_struct.ident.to_string()) {
            continue;
        }
        for field in item_struct.fields.iter_mut() {
            open_enums(&mut field.ty, &enums);
        }
    }
}

/// Replaces every bare enum type inside `ty` (through `Option`, `Vec`,
/// `Nullable` and other generic arguments) with `Open<Enum>`.
fn open_enums(ty: &mut Type, enums: &BTreeSet<String>) {
    let Type::Path(type_path) = ty else { return };
    let is_bare_enum = type_path.qself.is_none()
        && type_path.path.segments.len() == 1
        && matches!(type_path.path.segments[0].arguments, PathArguments::None)
        && enums.contains(&type_path.path.segments[0].ident.to_string());
    if is_bare_enum {
        let inner = type_path.clone();
        *ty = parse_quote!(::agent_clients::runtime::Open<#inner>);
        return;
    }
    for segment in type_path.path.segments.iter_mut() {
        if let PathArguments::AngleBracketed(args) = &mut segment.arguments {
            for arg in args.args.iter_mut() {
                if let GenericArgument::Type(inner) = arg {
                    open_enums(inner, enums);
                }
            }
        }
    }
}

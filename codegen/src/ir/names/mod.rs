//! The one module that decides names. Its rules (case, keywords, numbering
//! apart with [`first_free`], module names, component names, operation
//! method names) are in `rules`; [`methods`] names an operation's sibling
//! methods, [`features`] a split client's Cargo features, [`mock`] a mock
//! builder's responders, [`events`] the webhooks' and callbacks' variants,
//! [`servers`] the servers' variants and their variables' fields and types.
//! This file is the type space's step 2: every type, field and variant name
//! of a module is decided here, once, and made distinct where Rust needs it.
//!
//! - Types: a component keeps the name `model` gave it (`TypeNames`, distinct
//!   among components); an inline type gets the name it wants, or the
//!   first free numbered form of it (`AgentStatus2`).
//! - Fields: the snake-case property name; where two properties meet in
//!   snake case (`orgName`, `org_name`), the one already in snake case keeps
//!   it and the other is numbered (`org_name_2`).
//! - Enum variants: the Pascal-case value. Values that meet once punctuation
//!   is dropped (`+1`, `-1`) spell it out (`Plus1`, `Minus1`); values that
//!   differ only in case (`telnyx`, `Telnyx`) are numbered (`Telnyx2`). The
//!   wire value is always the serde rename, so no value is lost.
//! - Union variants: the name of the alternative's type (`TextNode`), with
//!   the union's own name dropped from an inline alternative's
//!   (`NodeVariant0` in `Node` is `Variant0`), or its kind (`String`).

use std::collections::BTreeSet;

use heck::{ToPascalCase, ToSnakeCase};

use super::{Presence, Ty, TypeId, TypeKind, TypeSpace};
pub mod events;
pub mod features;
pub mod methods;
pub mod mock;
mod rules;
pub mod servers;

pub use rules::{
    OperationNaming, TypeNames, first_free, identifier, is_http_token, is_rust_keyword,
    module_name, operation_names, type_name_for,
};

/// Names every type, field and variant of `space`.
pub fn decide(space: &mut TypeSpace, components: &TypeNames) {
    type_names(space, components);
    for id in space.ids() {
        let mut kind = std::mem::replace(&mut space.get_mut(id).kind, TypeKind::Newtype(Ty::Json));
        match &mut kind {
            TypeKind::Struct(object) => {
                let names = field_names(object.fields.iter().map(|f| {
                    if f.presence == Presence::Flattened && f.wire.is_empty() {
                        flattened_name(space, &f.ty)
                    } else {
                        f.wire.clone()
                    }
                }));
                for (field, name) in object.fields.iter_mut().zip(names) {
                    field.name = name;
                }
            }
            TypeKind::Enum(variants) => {
                let names = enum_variant_names(variants.iter().map(|v| v.value.as_str()));
                for (variant, name) in variants.iter_mut().zip(names) {
                    variant.name = name;
                }
            }
            TypeKind::Union(variants) => {
                let wanted: Vec<String> = variants
                    .iter()
                    .map(|v| union_variant_name(space, id, &v.ty))
                    .collect();
                for (variant, name) in variants.iter_mut().zip(distinct(wanted, "")) {
                    variant.name = name;
                }
            }
            TypeKind::Newtype(_) => {}
        }
        space.get_mut(id).kind = kind;
    }
}

/// Components first, keeping their names; then inline types, in the order
/// they were made.
fn type_names(space: &mut TypeSpace, given: &TypeNames) {
    let components: BTreeSet<TypeId> = space.components.values().copied().collect();
    let mut taken: BTreeSet<String> = components
        .iter()
        .map(|id| space.get(*id).name.clone())
        .collect();
    // Names `model` gave components that ended up unused here stay taken too.
    taken.extend(given.given().map(String::from));
    for id in space.ids() {
        if components.contains(&id) {
            continue;
        }
        let wanted = space.get(id).name.clone();
        let name = first_free(&wanted, &taken, "");
        taken.insert(name.clone());
        space.get_mut(id).name = name;
    }
}

/// Each of `wanted` made distinct from those before it.
fn distinct(wanted: Vec<String>, separator: &str) -> Vec<String> {
    let mut taken = BTreeSet::new();
    wanted
        .into_iter()
        .map(|name| {
            let name = first_free(&name, &taken, separator);
            taken.insert(name.clone());
            name
        })
        .collect()
}

/// Field identifiers for wire names, in order. A name that is already its
/// own identifier is served first, so it never gets a number.
pub fn field_names(wire: impl Iterator<Item = String>) -> Vec<String> {
    let wanted: Vec<(String, String)> = wire.map(|w| (field_ident(&w), w)).collect();
    let mut names = vec![String::new(); wanted.len()];
    let mut taken = BTreeSet::new();
    let exact = |(ident, wire): &(String, String)| ident == wire;
    for pass_exact in [true, false] {
        for (index, pair) in wanted.iter().enumerate() {
            if exact(pair) != pass_exact {
                continue;
            }
            let name = first_free(&pair.0, &taken, "_");
            taken.insert(name.clone());
            names[index] = name;
        }
    }
    names
}

/// A snake-case field identifier for a property name.
pub fn field_ident(wire: &str) -> String {
    let mut name = snake(wire);
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        // Punctuation carries the meaning (`+1`, `-1`): spell it.
        name = snake(&spelled(wire));
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("x_{name}");
    }
    if name.is_empty() {
        name = "field".into();
    }
    if is_rust_keyword(&name) {
        name.push('_');
    }
    name
}

fn snake(text: &str) -> String {
    text.to_snake_case()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

/// Enum variant identifiers for string values, in order.
pub fn enum_variant_names<'a>(values: impl Iterator<Item = &'a str>) -> Vec<String> {
    let values: Vec<&str> = values.collect();
    let plain: Vec<String> = values.iter().map(|v| type_name_for(v)).collect();
    let wanted: Vec<String> = values
        .iter()
        .zip(&plain)
        .map(|(value, name)| {
            let punctuation_lost = plain.iter().filter(|other| *other == name).count() > 1
                && value
                    .chars()
                    .any(|c| !(c.is_alphanumeric() || c == '_' || c == ' '));
            if punctuation_lost || name.is_empty() || name == "X" {
                type_name_for(&spelled(value))
            } else {
                name.clone()
            }
        })
        .collect();
    distinct(wanted, "")
}

/// The name a union gives the variant holding `ty`.
fn union_variant_name(space: &TypeSpace, union: TypeId, ty: &Ty) -> String {
    match ty {
        Ty::Named(id) => {
            let def = space.get(*id);
            let union_def = space.get(union);
            let inline = def.pointer.starts_with(&format!("{}/", union_def.pointer));
            match def.name.strip_prefix(union_def.name.as_str()) {
                Some(rest) if inline && rest.starts_with(|c: char| c.is_ascii_uppercase()) => {
                    rest.to_string()
                }
                _ => def.name.clone(),
            }
        }
        Ty::Option(inner) | Ty::Boxed(inner) | Ty::Open(inner) => {
            union_variant_name(space, union, inner)
        }
        Ty::String => "String".into(),
        Ty::Bool => "Boolean".into(),
        Ty::Integer(_) => "Integer".into(),
        Ty::F32 | Ty::F64 => "Number".into(),
        Ty::DateTime => "DateTime".into(),
        Ty::Date => "Date".into(),
        Ty::Uuid => "Uuid".into(),
        Ty::IpAddr | Ty::Ipv4Addr | Ty::Ipv6Addr => "IpAddr".into(),
        Ty::Json => "Value".into(),
        Ty::JsonObject | Ty::Map(_) => "Object".into(),
        Ty::Unit => "Null".into(),
        Ty::FilePart => "File".into(),
        Ty::List(_) => "Array".into(),
    }
}

/// The field name of a flattened part: its type's name in snake case.
fn flattened_name(space: &TypeSpace, ty: &Ty) -> String {
    match ty {
        Ty::Named(id) => space.get(*id).name.to_snake_case(),
        _ => "extra".into(),
    }
}

/// Punctuation spelled out as words (`-1` is `minus 1`), so values that
/// differ only in it get names that differ too.
fn spelled(value: &str) -> String {
    let mut out = String::new();
    for c in value.chars() {
        let word = match c {
            '-' => "minus",
            '+' => "plus",
            '.' => "dot",
            '/' => "slash",
            '*' => "star",
            '<' => "lt",
            '>' => "gt",
            '=' => "eq",
            '!' => "not",
            '&' => "and",
            '|' => "or",
            '%' => "percent",
            '#' => "hash",
            '@' => "at",
            ':' => "colon",
            '$' => "dollar",
            c if c.is_alphanumeric() || c == '_' || c == ' ' => {
                out.push(c);
                continue;
            }
            _ => "x",
        };
        out.push_str(&format!(" {word} "));
    }
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if out.is_empty() {
        "empty".into()
    } else {
        out.to_pascal_case()
    }
}

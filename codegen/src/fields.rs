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

use openapiv3::{ReferenceOr, SchemaKind, Type};
use proc_macro2::TokenStream;
use quote::quote;
use syn::visit_mut::VisitMut;
use syn::{Attribute, Field, Item, parse_quote};

/// Struct name, then the wire names of its optional, nullable properties.
pub fn nullable_optional(api: &crate::model::Api) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for (name, schema) in &api.schemas {
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
            out.insert(api.type_name(name), fields);
        }
    }
    out
}

/// Rewrites the fields of every struct in `items`.
pub fn apply(items: &mut [Item], nullable: &BTreeMap<String, BTreeSet<String>>) {
    let empty = BTreeSet::new();
    // Struct name, then the fields made `Nullable`: their spec default no
    // longer fits, and `Nullable::Absent` is what a missing field reads as.
    let mut made_nullable: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for item in items.iter_mut() {
        let Item::Struct(item_struct) = item else {
            continue;
        };
        let struct_name = item_struct.ident.to_string();
        let nullable_fields = nullable.get(&struct_name).unwrap_or(&empty);
        for field in item_struct.fields.iter_mut() {
            let Some(ident) = &field.ident else { continue };
            let wire_name = serde_rename(&field.attrs).unwrap_or_else(|| ident.to_string());
            if nullable_fields.contains(&wire_name) {
                made_nullable
                    .entry(struct_name.clone())
                    .or_default()
                    .insert(ident.to_string());
                make_nullable(field);
            } else {
                make_optional_collection(field);
            }
        }
    }
    // Spec defaults of other types spell these structs out as literals with
    // an `Option` for each such field.
    // Literals live in function bodies (`impl Default`, the `defaults`
    // module, constants); type definitions, the bulk of the items, hold none.
    let mut literals = NullableLiterals(&made_nullable);
    for item in items.iter_mut() {
        if !made_nullable.is_empty()
            && matches!(
                item,
                Item::Impl(_) | Item::Fn(_) | Item::Mod(_) | Item::Const(_) | Item::Static(_)
            )
        {
            literals.visit_item_mut(item);
        }
    }
    let structs = made_nullable.keys().cloned().collect();
    let mut default_impls = default_impls_for(items, &structs);
    for (struct_name, fields) in made_nullable {
        edit_default_literal(&mut default_impls, &struct_name, |literal| {
            for field in literal.fields.iter_mut() {
                if matches!(&field.member, syn::Member::Named(ident) if fields.contains(&ident.to_string()))
                {
                    field.expr = parse_quote!(Default::default());
                }
            }
        });
    }
}

/// Struct name, then its fields made `Nullable`.
struct NullableLiterals<'a>(&'a BTreeMap<String, BTreeSet<String>>);

impl VisitMut for NullableLiterals<'_> {
    fn visit_expr_struct_mut(&mut self, literal: &mut syn::ExprStruct) {
        syn::visit_mut::visit_expr_struct_mut(self, literal);
        let Some(fields) = literal
            .path
            .segments
            .last()
            .and_then(|segment| self.0.get(&segment.ident.to_string()))
        else {
            return;
        };
        for field in literal.fields.iter_mut() {
            let is_nullable = matches!(&field.member, syn::Member::Named(ident)
                if fields.contains(&ident.to_string()));
            let is_default = matches!(&field.expr, syn::Expr::Call(call)
                if matches!(&*call.func, syn::Expr::Path(path)
                    if path.path.segments.last().is_some_and(|s| s.ident == "default")));
            if is_nullable && !is_default {
                let expr = &field.expr;
                field.expr = parse_quote!(::agent_clients::runtime::Nullable::from_option(#expr));
            }
        }
    }
}

/// Runs `edit` on the struct literal the engine's `impl Default` for
/// `struct_name` returns, if it wrote one.
fn edit_default_literal(
    items: &mut [&mut Item],
    struct_name: &str,
    edit: impl FnOnce(&mut syn::ExprStruct),
) {
    let literal = items.iter_mut().find_map(|item| {
        let Item::Impl(item_impl) = &mut **item else {
            return None;
        };
        if default_impl_of(item_impl)? != struct_name {
            return None;
        }
        item_impl.items.iter_mut().find_map(|item| match item {
            syn::ImplItem::Fn(function) => match function.block.stmts.last_mut() {
                Some(syn::Stmt::Expr(syn::Expr::Struct(literal), None)) => Some(literal),
                _ => None,
            },
            _ => None,
        })
    });
    if let Some(literal) = literal {
        edit(literal);
    }
}

/// The type an `impl Default` is for, if that is what `item_impl` is.
fn default_impl_of(item_impl: &syn::ItemImpl) -> Option<String> {
    let is_default = item_impl
        .trait_
        .as_ref()
        .and_then(|(path, _)| path.segments.last())
        .is_some_and(|segment| segment.ident == "Default");
    match &*item_impl.self_ty {
        syn::Type::Path(path) if is_default => path
            .path
            .segments
            .last()
            .map(|segment| segment.ident.to_string()),
        _ => None,
    }
}

/// Only the items that are `impl Default` for one of `structs`: the
/// literal edits above look there, not through every item.
fn default_impls_for<'a>(items: &'a mut [Item], structs: &BTreeSet<String>) -> Vec<&'a mut Item> {
    items
        .iter_mut()
        .filter(|item| {
            matches!(item, Item::Impl(item_impl)
                if default_impl_of(item_impl).is_some_and(|name| structs.contains(&name)))
        })
        .collect()
}

/// Gives every field of a struct its own name. The engine names a field
/// after its property in snake case, so `orgName` and `org_name` both
/// become `org_name`, which does not compile. The field that needs no
/// `serde(rename)` keeps the name (else the first); the others get `_2`,
/// `_3`, ... in order, their `rename` keeping the wire name.
pub fn distinct_names(items: &mut [Item]) {
    // Struct name, then the new name of each field in order (`None`: kept).
    let mut renamed: BTreeMap<String, Vec<(String, Option<String>)>> = BTreeMap::new();
    for item in items.iter_mut() {
        let Item::Struct(item_struct) = item else {
            continue;
        };
        let struct_name = item_struct.ident.to_string();
        let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (index, field) in item_struct.fields.iter().enumerate() {
            if let Some(ident) = &field.ident {
                by_name.entry(ident.to_string()).or_default().push(index);
            }
        }
        let mut taken: BTreeSet<String> = by_name.keys().cloned().collect();
        let old_names: Vec<String> = item_struct
            .fields
            .iter()
            .map(|field| {
                field
                    .ident
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default()
            })
            .collect();
        let mut new_names: Vec<Option<String>> = vec![None; old_names.len()];
        let mut fields: Vec<&mut Field> = item_struct.fields.iter_mut().collect();
        for (name, mut indices) in by_name.into_iter().filter(|(_, i)| i.len() > 1) {
            // The unrenamed field first: it keeps the name.
            indices.sort_by_key(|index| serde_rename(&fields[*index].attrs).is_some());
            let mut suffix = 2;
            for index in indices.into_iter().skip(1) {
                let mut new_name = format!("{name}_{suffix}");
                while taken.contains(&new_name) {
                    suffix += 1;
                    new_name = format!("{name}_{suffix}");
                }
                taken.insert(new_name.clone());
                let field = &mut fields[index];
                let wire_name = serde_rename(&field.attrs).unwrap_or(name.clone());
                let mut entries = serde_entries(&field.attrs);
                entries.retain(|entry| entry.key != "rename");
                entries.insert(0, SerdeEntry::string("rename", &wire_name));
                replace_serde_attr(field, &entries);
                field.ident = Some(syn::Ident::new(&new_name, proc_macro2::Span::call_site()));
                new_names[index] = Some(new_name);
            }
        }
        if new_names.iter().any(Option::is_some) {
            let old_names = old_names.into_iter().zip(new_names).collect();
            renamed.insert(struct_name, old_names);
        }
    }
    // The engine's `impl Default` lists the fields in declaration order.
    let structs = renamed.keys().cloned().collect();
    let mut default_impls = default_impls_for(items, &structs);
    for (struct_name, names) in renamed {
        edit_default_literal(&mut default_impls, &struct_name, |literal| {
            for (field, (old, new)) in literal.fields.iter_mut().zip(names) {
                if let (syn::Member::Named(ident), Some(new)) = (&mut field.member, new)
                    && *ident == old
                {
                    *ident = syn::Ident::new(&new, ident.span());
                }
            }
        });
    }
}

/// The value of a `#[serde(rename = "...")]` attribute (the last, as serde
/// reads it).
pub(crate) fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    serde_entries(attrs)
        .iter()
        .rev()
        .filter(|entry| entry.key == "rename")
        .find_map(SerdeEntry::string_value)
}

/// One `#[serde(...)]` entry: a key with an optional `= value`.
///
/// Entries are read from, and written back as, the attribute's tokens:
/// this pass touches every field of every type, and parsing each value as
/// an expression cost more than the engine's parse of the field itself.
pub(crate) struct SerdeEntry {
    pub key: String,
    /// The value's tokens, after the `=`.
    pub value: Option<TokenStream>,
}

impl SerdeEntry {
    /// An entry whose value is a string literal.
    pub fn string(key: &str, value: &str) -> SerdeEntry {
        let literal = proc_macro2::Literal::string(value);
        SerdeEntry {
            key: key.to_string(),
            value: Some(quote!(#literal)),
        }
    }

    /// The value, where it is one string literal.
    pub fn string_value(&self) -> Option<String> {
        let mut tokens = self.value.clone()?.into_iter();
        let (Some(proc_macro2::TokenTree::Literal(literal)), None) = (tokens.next(), tokens.next())
        else {
            return None;
        };
        match syn::Lit::new(literal) {
            syn::Lit::Str(value) => Some(value.value()),
            _ => None,
        }
    }
}

pub(crate) fn serde_entries(attrs: &[Attribute]) -> Vec<SerdeEntry> {
    use proc_macro2::TokenTree;
    let mut entries = Vec::new();
    for attr in attrs {
        let syn::Meta::List(list) = &attr.meta else {
            continue;
        };
        if !list.path.is_ident("serde") {
            continue;
        }
        let tokens: Vec<TokenTree> = list.tokens.clone().into_iter().collect();
        for entry in
            tokens.split(|token| matches!(token, TokenTree::Punct(p) if p.as_char() == ','))
        {
            let Some(TokenTree::Ident(key)) = entry.first() else {
                continue;
            };
            let value = match entry.get(1) {
                Some(TokenTree::Punct(eq)) if eq.as_char() == '=' => {
                    Some(entry[2..].iter().cloned().collect())
                }
                _ => None,
            };
            entries.push(SerdeEntry {
                key: key.to_string(),
                value,
            });
        }
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
    field.attrs.push(Attribute {
        pound_token: Default::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: Default::default(),
        meta: syn::Meta::List(syn::MetaList {
            path: syn::Ident::new("serde", proc_macro2::Span::call_site()).into(),
            delimiter: syn::MacroDelimiter::Paren(Default::default()),
            tokens: quote!(#(#parts),*),
        }),
    });
}

fn set_entry(entries: &mut Vec<SerdeEntry>, entry: SerdeEntry) {
    entries.retain(|other| other.key != entry.key);
    entries.push(entry);
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
    field.ty = runtime_generic("Nullable", inner);
    set_entry(
        &mut entries,
        SerdeEntry {
            key: "default".into(),
            value: None,
        },
    );
    set_entry(
        &mut entries,
        SerdeEntry::string(
            "skip_serializing_if",
            "::agent_clients::runtime::Nullable::is_absent",
        ),
    );
    replace_serde_attr(field, &entries);
}

/// `::agent_clients::runtime::{name}<{inner}>`, built as a tree: written
/// with `parse_quote!` it was printed and parsed again for every field.
fn runtime_generic(name: &str, inner: syn::Type) -> syn::Type {
    let segment =
        |name: &str| syn::PathSegment::from(syn::Ident::new(name, proc_macro2::Span::call_site()));
    let mut last = segment(name);
    last.arguments = syn::PathArguments::AngleBracketed(syn::AngleBracketedGenericArguments {
        colon2_token: None,
        lt_token: Default::default(),
        args: std::iter::once(syn::GenericArgument::Type(inner)).collect(),
        gt_token: Default::default(),
    });
    syn::Type::Path(syn::TypePath {
        attrs: Vec::new(),
        qself: None,
        path: syn::Path {
            leading_colon: Some(Default::default()),
            segments: [segment("agent_clients"), segment("runtime"), last]
                .into_iter()
                .collect(),
        },
    })
}

fn make_optional_collection(field: &mut Field) {
    // Most fields skip no empty collection: a look at the attribute's
    // string literals spares parsing them.
    let skips_empty = |attr: &Attribute| match &attr.meta {
        syn::Meta::List(list) if list.path.is_ident("serde") => {
            list.tokens.clone().into_iter().any(|token| {
                matches!(token, proc_macro2::TokenTree::Literal(literal)
                    if literal.to_string().ends_with("::is_empty\""))
            })
        }
        _ => false,
    };
    if !field.attrs.iter().any(skips_empty) {
        return;
    }
    let mut entries = serde_entries(&field.attrs);
    let skips_empty = entries.iter().any(|entry| {
        entry.key == "skip_serializing_if"
            && entry
                .string_value()
                .is_some_and(|value| value.ends_with("::is_empty"))
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
        SerdeEntry::string("skip_serializing_if", "::std::option::Option::is_none"),
    );
    replace_serde_attr(field, &entries);
}

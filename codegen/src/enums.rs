//! Pass over the engine's types: enums in responses are forward-compatible.
//!
//! A string enum read from a server is wrapped in
//! `agent_clients::runtime::Open<_>`, so a value the spec does not list (yet)
//! is kept as `Open::Unknown(raw)` instead of failing the whole response.
//! Request types keep the plain enum: a caller can only send documented
//! values. A struct reachable from both a request body and a response is
//! treated as a response type, because failing to read a server's answer is
//! the worse outcome.
//!
//! Where the engine names the wrapped type elsewhere, that is rewritten too:
//! the `Deref` and `From` impls of a newtype, and the function in `defaults`
//! a `#[serde(default = "...")]` field calls.

use std::collections::BTreeSet;

use syn::visit_mut::VisitMut;
use syn::{GenericArgument, Item, PathArguments, Type, parse_quote};

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

/// Wraps enum-typed fields of response structs (`response_types`, Rust
/// names) in `Open`.
pub fn apply(items: &mut [Item], response_types: &BTreeSet<String>) {
    let enums = string_enums(items);
    let mut opened_newtypes = BTreeSet::new();
    let mut opened_defaults = BTreeSet::new();
    for item in items.iter_mut() {
        let Item::Struct(item_struct) = item else {
            continue;
        };
        let name = item_struct.ident.to_string();
        if !response_types.contains(&name) {
            continue;
        }
        let is_newtype = matches!(item_struct.fields, syn::Fields::Unnamed(_));
        for field in item_struct.fields.iter_mut() {
            let before = field.ty.clone();
            if !open_enums(&mut field.ty, &enums) {
                continue;
            }
            if is_newtype {
                opened_newtypes.insert(name.clone());
            }
            if let Some(default_fn) = default_fn(field) {
                // Only a bare enum's default is rewritten (`Open::Known`);
                // a default inside a collection keeps the field closed.
                if is_bare(&before, &enums) {
                    opened_defaults.insert(default_fn);
                } else {
                    field.ty = before;
                }
            }
        }
    }
    for item in items.iter_mut() {
        match item {
            Item::Impl(item_impl) if names_any(item_impl, &opened_newtypes) => {
                OpenTypes(&enums).visit_item_impl_mut(item_impl);
            }
            Item::Mod(module) if module.ident == "defaults" => {
                for item in module.content.iter_mut().flat_map(|(_, items)| items) {
                    if let Item::Fn(default) = item
                        && opened_defaults.contains(&default.sig.ident.to_string())
                    {
                        open_default(default);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The function a `#[serde(default = "defaults::name")]` field calls.
fn default_fn(field: &syn::Field) -> Option<String> {
    crate::fields::serde_entries(&field.attrs)
        .into_iter()
        .find(|entry| entry.key == "default")
        .and_then(|entry| entry.string_value())
        .and_then(|path| path.rsplit("::").next().map(str::to_string))
}

/// Whether an impl is of, or converts to or from, one of `types`.
fn names_any(item_impl: &syn::ItemImpl, types: &BTreeSet<String>) -> bool {
    let mentions = |ty: &Type| {
        matches!(ty, Type::Path(path)
        if path.path.segments.last().is_some_and(|s| types.contains(&s.ident.to_string())))
    };
    let in_trait = item_impl.trait_.as_ref().is_some_and(|(path, _)| {
        path.segments
            .iter()
            .any(|segment| match &segment.arguments {
                PathArguments::AngleBracketed(args) => args
                    .args
                    .iter()
                    .any(|arg| matches!(arg, GenericArgument::Type(ty) if mentions(ty))),
                _ => false,
            })
    });
    mentions(&item_impl.self_ty) || in_trait
}

/// Opens every enum type an impl names.
struct OpenTypes<'a>(&'a BTreeSet<String>);

impl VisitMut for OpenTypes<'_> {
    fn visit_type_mut(&mut self, ty: &mut Type) {
        if !matches!(ty, Type::Path(_)) {
            syn::visit_mut::visit_type_mut(self, ty);
        }
        open_enums(ty, self.0);
    }
}

/// `fn x() -> Enum { body }` becomes `fn x() -> Open<Enum> { Open::Known(body) }`.
fn open_default(default: &mut syn::ItemFn) {
    if let syn::ReturnType::Type(_, ty) = &mut default.sig.output {
        let inner = ty.clone();
        **ty = parse_quote!(::agent_clients::runtime::Open<#inner>);
        let body: syn::Expr = match default.block.stmts.as_slice() {
            [syn::Stmt::Expr(expr, None)] => expr.clone(),
            _ => {
                let block = &default.block;
                parse_quote!(#block)
            }
        };
        *default.block = parse_quote!({ ::agent_clients::runtime::Open::Known(#body) });
    }
}

fn is_bare(ty: &Type, enums: &BTreeSet<String>) -> bool {
    matches!(ty, Type::Path(path)
        if path.qself.is_none()
            && path.path.segments.len() == 1
            && matches!(path.path.segments[0].arguments, PathArguments::None)
            && enums.contains(&path.path.segments[0].ident.to_string()))
}

/// Replaces every bare enum type inside `ty` (through `Option`, `Vec`,
/// `Nullable` and other generic arguments) with `Open<Enum>`; true if it
/// replaced any.
fn open_enums(ty: &mut Type, enums: &BTreeSet<String>) -> bool {
    if is_bare(ty, enums) {
        let inner = ty.clone();
        *ty = parse_quote!(::agent_clients::runtime::Open<#inner>);
        return true;
    }
    let Type::Path(type_path) = ty else {
        return false;
    };
    let mut opened = false;
    for segment in type_path.path.segments.iter_mut() {
        if let PathArguments::AngleBracketed(args) = &mut segment.arguments {
            for arg in args.args.iter_mut() {
                if let GenericArgument::Type(inner) = arg {
                    opened |= open_enums(inner, enums);
                }
            }
        }
    }
    opened
}

//! The items of a module's `types` module, printed from the IR: one item
//! (and its impls) per named type, in name order.
//!
//! Paths are written absolute (`::std::string::String`); `imports` shortens
//! them where the module's own names allow, so a schema named `Option`
//! still compiles.

use super::features::{Gates, gate};
use proc_macro2::TokenStream;
use quote::quote;
use syn::{Field as SynField, Fields, FieldsNamed, FieldsUnnamed, Item, Type};

use super::syntax::{self, Holes, Template, docs, ident, list_attr, path_type, public, terminated};
use crate::ir::{Field, Presence, Struct, Ty, TypeDef, TypeKind, TypeSpace, UnionVariant};

/// Every item of the `types` module (before the `Validate` impls).
pub fn items(space: &TypeSpace, mut gates: Option<&mut Gates<'_>>) -> Vec<Item> {
    TEMPLATES.with(|templates| {
        let mut items = Vec::new();
        let mut any_enum = false;
        for (id, def) in space.sorted() {
            let first = items.len();
            match &def.kind {
                TypeKind::Struct(object) => {
                    items.push(struct_item(space, def, object));
                    if reads_by_hand(object) {
                        object_read_items(templates, def, object, &mut items);
                    }
                }
                TypeKind::Enum(variants) => {
                    any_enum = true;
                    enum_items(templates, def, variants, &mut items);
                }
                TypeKind::Union(variants) => {
                    union_items(templates, space, def, variants, &mut items)
                }
                TypeKind::Newtype(ty) => newtype_items(templates, space, def, ty, &mut items),
            }
            // The type and its impls, behind the features that reach it.
            if let Some(attribute) = gates.as_mut().and_then(|gates| gates.type_gate(id)) {
                for item in &mut items[first..] {
                    gate(item, attribute.clone());
                }
            }
        }
        if any_enum {
            items.push(templates.error_module.clone());
        }
        items
    })
}

/// The Rust type of `ty`, as a path from inside `types`.
pub fn ty(space: &TypeSpace, ty: &Ty) -> Type {
    let plain = |text: &str| path_type(text, Vec::new());
    let wrapped = |text: &str, inner: &Ty| path_type(text, vec![self::ty(space, inner)]);
    match ty {
        Ty::Named(id) => plain(&space.get(*id).name),
        Ty::String => plain("::std::string::String"),
        Ty::Bool => plain("bool"),
        Ty::Integer(int) => plain(int.rust_name()),
        Ty::F32 => plain("f32"),
        Ty::F64 => plain("f64"),
        Ty::DateTime => path_type("::chrono::DateTime", vec![plain("::chrono::offset::Utc")]),
        Ty::Date => plain("::chrono::naive::NaiveDate"),
        Ty::Uuid => plain("::uuid::Uuid"),
        Ty::IpAddr => plain("::std::net::IpAddr"),
        Ty::Ipv4Addr => plain("::std::net::Ipv4Addr"),
        Ty::Ipv6Addr => plain("::std::net::Ipv6Addr"),
        Ty::Json => plain("::serde_json::Value"),
        Ty::JsonObject => path_type(
            "::serde_json::Map",
            vec![plain("::std::string::String"), plain("::serde_json::Value")],
        ),
        Ty::Unit => Type::Tuple(syn::TypeTuple {
            attrs: Vec::new(),
            paren_token: Default::default(),
            elems: Default::default(),
        }),
        Ty::FilePart => plain("::agent_clients_runtime::FilePart"),
        Ty::List(inner) => wrapped("::std::vec::Vec", inner),
        Ty::Map(inner) => path_type(
            "::std::collections::HashMap",
            vec![plain("::std::string::String"), self::ty(space, inner)],
        ),
        Ty::Option(inner) => wrapped("::std::option::Option", inner),
        Ty::Boxed(inner) => wrapped("::std::boxed::Box", inner),
        Ty::Open(inner) => wrapped("::agent_clients_runtime::Open", inner),
    }
}

/// A `#[derive(...)]` of serde's two traits and `rest`.
fn derive(rest: TokenStream) -> syn::Attribute {
    list_attr(
        "derive",
        quote!(::serde::Deserialize, ::serde::Serialize, #rest),
    )
}

/// Whether a struct's `Deserialize` is written by hand
/// ([`object_read_items`]) rather than derived: all but those with a
/// flattened map, whose unknown keys serde's derive collects.
fn reads_by_hand(object: &Struct) -> bool {
    !object
        .fields
        .iter()
        .any(|field| field.presence == Presence::Flattened)
}

fn struct_item(space: &TypeSpace, def: &TypeDef, object: &Struct) -> Item {
    let default = object
        .fields
        .iter()
        .all(defaultable)
        .then(|| quote!(Default,));
    let by_hand = reads_by_hand(object);
    let derives = if by_hand {
        list_attr(
            "derive",
            quote!(::serde::Serialize, Clone, Debug, #default PartialEq),
        )
    } else {
        derive(quote!(Clone, Debug, #default PartialEq))
    };
    let attrs = docs(def.description.as_deref())
        .into_iter()
        .chain([derives])
        .collect();
    Item::Struct(syn::ItemStruct {
        attrs,
        vis: public(),
        struct_token: Default::default(),
        ident: ident(&def.name),
        generics: Default::default(),
        fields: Fields::Named(FieldsNamed {
            brace_token: Default::default(),
            named: terminated(
                object
                    .fields
                    .iter()
                    .map(|field| field_item(space, field, by_hand)),
            ),
        }),
        semi_token: None,
    })
}

/// Whether a field reads as empty when absent, so the struct can derive
/// `Default`.
fn defaultable(field: &Field) -> bool {
    match field.presence {
        Presence::Optional | Presence::Nullable => true,
        Presence::Flattened => matches!(field.ty, Ty::Map(_) | Ty::JsonObject),
        Presence::Required => false,
    }
}

/// A struct's `Deserialize`, written by hand: the struct reads itself
/// through the runtime's `read` module, one slot and one `match` arm per
/// field, where a derived impl costs a field enum, two visitors and a
/// sequence form per struct to compile (#34).
fn object_read_items(templates: &Templates, def: &TypeDef, object: &Struct, items: &mut Vec<Item>) {
    let name = ident(&def.name);
    let fields = syntax::slice_ref(object.fields.iter().map(|f| syntax::str_literal(&f.wire)));
    let mut slots = Vec::new();
    let mut arms = Vec::new();
    let mut values = syn::punctuated::Punctuated::new();
    for (index, field) in object.fields.iter().enumerate() {
        let slot = ident(&field.name);
        let holes = Holes::default()
            .ident("__slot", &slot)
            .str("__wire", &field.wire);
        slots.push(templates.object_slot.fill(&holes));
        let mut arm = templates.object_arm.fill(&holes);
        arm.pat = syn::Pat::Lit(syn::ExprLit {
            attrs: Vec::new(),
            lit: syn::Lit::Int(syn::LitInt::new(
                &index.to_string(),
                proc_macro2::Span::call_site(),
            )),
        });
        arms.push(arm);
        // A missing `Option` or `Nullable` is empty, as serde's derive reads
        // it; any other missing field is an error.
        let empty_when_missing =
            field.presence != Presence::Required || matches!(field.ty, Ty::Option(_));
        let value = if empty_when_missing {
            &templates.object_optional
        } else {
            &templates.object_required
        };
        values.push(syn::FieldValue {
            attrs: Vec::new(),
            member: syn::Member::Named(slot.clone()),
            colon_token: Some(Default::default()),
            expr: value.fill(&holes),
        });
    }
    let literal = syn::Expr::Struct(syn::ExprStruct {
        attrs: Vec::new(),
        qself: None,
        path: syntax::path("Self"),
        brace_token: Default::default(),
        fields: values,
        dot2_token: None,
        rest: None,
    });
    let holes = Holes::default()
        .ident("__Name", &name)
        .str("__name", &def.name)
        .expr("__fields", &fields)
        .expr("__value", &literal);
    let mut read = templates.object_read.fill(&holes);
    let body = read_body(&mut read);
    let syn::Stmt::Expr(syn::Expr::While(each), _) = &mut body[0] else {
        unreachable!("the template's body starts with its `while`")
    };
    let Some(syn::Stmt::Expr(syn::Expr::Match(keys), _)) = each.body.stmts.first_mut() else {
        unreachable!("the template's loop is a `match`")
    };
    keys.arms.splice(0..0, arms);
    body.splice(0..0, slots);
    items.push(templates.object_deserialize.fill(&holes));
    items.push(read);
}

/// The statements of the one method of the template impl `item`.
fn read_body(item: &mut Item) -> &mut Vec<syn::Stmt> {
    if let Item::Impl(block) = item {
        for member in &mut block.items {
            if let syn::ImplItem::Fn(function) = member {
                return &mut function.block.stmts;
            }
        }
    }
    unreachable!("the template is an impl with a method")
}

/// A field's Rust type: its value's, in its presence's wrapper.
fn field_type(space: &TypeSpace, field: &Field) -> Type {
    let inner = ty(space, &field.ty);
    match field.presence {
        Presence::Required | Presence::Flattened => inner,
        Presence::Optional => path_type("::std::option::Option", vec![inner]),
        Presence::Nullable => path_type("::agent_clients_runtime::Nullable", vec![inner]),
    }
}

/// A struct's field; `by_hand` when the struct's `Deserialize` is written
/// by hand, so serde's attributes only serialize it.
fn field_item(space: &TypeSpace, field: &Field, by_hand: bool) -> SynField {
    let ty = field_type(space, field);
    let mut description = field.description.clone().unwrap_or_default();
    if let Some(default) = &field.default {
        let sep = if description.is_empty() { "" } else { "\n\n" };
        description = format!("{description}{sep}Defaults to `{default}`.");
    }
    let rename = (field.wire != field.name && field.presence != Presence::Flattened)
        .then_some(field.wire.as_str());
    let mut serde = Vec::new();
    if let Some(wire) = rename {
        serde.push(quote!(rename = #wire));
    }
    match field.presence {
        Presence::Required => {}
        Presence::Optional => serde.push(quote!(
            skip_serializing_if = "::std::option::Option::is_none"
        )),
        Presence::Nullable => {
            if !by_hand {
                serde.push(quote!(default));
            }
            serde.push(quote!(
                skip_serializing_if = "::agent_clients_runtime::Nullable::is_absent"
            ));
        }
        Presence::Flattened => serde.push(quote!(flatten)),
    }
    let attrs = docs(Some(description.as_str()).filter(|d| !d.is_empty()))
        .into_iter()
        .chain((!serde.is_empty()).then(|| list_attr("serde", quote!(#(#serde),*))))
        .collect();
    syntax::field(attrs, public(), Some(&field.name), ty)
}

fn enum_items(
    templates: &Templates,
    def: &TypeDef,
    variants: &[crate::ir::EnumVariant],
    items: &mut Vec<Item>,
) {
    let name = ident(&def.name);
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
    let syn_variants = variants.iter().zip(&idents).map(|(v, ident)| {
        syntax::variant(
            docs(v.description.as_deref()).into_iter().collect(),
            ident,
            None,
        )
    });
    // serde's traits are written by hand below, through `Display` and
    // `FromStr`: deriving them costs a visitor and a field enum per type,
    // most of what a string enum costs to compile.
    let attrs = docs(def.description.as_deref())
        .into_iter()
        .chain([list_attr(
            "derive",
            quote!(Clone, Copy, Debug, Eq, Hash, Ord, PartialEq, PartialOrd),
        )])
        .collect();
    items.push(syntax::enum_item(attrs, &name, syn_variants));
    // Each wire value, then each alias, with its variant.
    let spellings: Vec<(&syn::Ident, &str)> =
        variants
            .iter()
            .zip(&idents)
            .map(|(v, variant)| (variant, v.value.as_str()))
            .chain(variants.iter().zip(&idents).flat_map(|(v, variant)| {
                v.aliases.iter().map(move |alias| (variant, alias.as_str()))
            }))
            .collect();
    let arms =
        |template: &Template<syn::Arm>, spellings: &[(&syn::Ident, &str)]| -> Vec<syn::Arm> {
            spellings
                .iter()
                .map(|(variant, value)| {
                    template.fill(
                        &Holes::default()
                            .ident("__Variant", variant)
                            .str("__value", value),
                    )
                })
                .collect()
        };
    let holes = Holes::default().ident("__Name", &name);
    let mut display = templates.enum_display.fill(&holes);
    syntax::only_match(&mut display).arms =
        arms(&templates.enum_display_arm, &spellings[..variants.len()]);
    let mut from_str = templates.enum_from_str.fill(&holes);
    syntax::only_match(&mut from_str)
        .arms
        .splice(0..0, arms(&templates.enum_from_str_arm, &spellings));
    items.push(display);
    items.push(from_str);
    items.extend(templates.enum_try_from.iter().map(|t| t.fill(&holes)));
    let values = syn::Expr::Array(syn::ExprArray {
        attrs: Vec::new(),
        bracket_token: Default::default(),
        elems: variants
            .iter()
            .map(|v| syntax::str_literal(&v.value))
            .collect(),
    });
    items.push(templates.enum_serialize.fill(&holes));
    items.push(
        templates.enum_deserialize.fill(
            &Holes::default()
                .ident("__Name", &name)
                .expr("__values", &values),
        ),
    );
}

fn union_items(
    templates: &Templates,
    space: &TypeSpace,
    def: &TypeDef,
    variants: &[UnionVariant],
    items: &mut Vec<Item>,
) {
    let name = ident(&def.name);
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
    let types: Vec<_> = variants.iter().map(|v| ty(space, &v.ty)).collect();
    // A variant holding a generated type can be large; scalars, strings
    // and lists cannot.
    let large = variants
        .iter()
        .any(|v| matches!(v.ty, Ty::Named(_) | Ty::Boxed(_)))
        .then(|| list_attr("allow", quote!(clippy::large_enum_variant)));
    let attrs = docs(def.description.as_deref())
        .into_iter()
        .chain([
            derive(quote!(Clone, Debug, PartialEq)),
            list_attr("serde", quote!(untagged)),
        ])
        .chain(large)
        .collect();
    let syn_variants = idents
        .iter()
        .zip(&types)
        .map(|(ident, ty)| syntax::variant(Vec::new(), ident, Some(ty.clone())));
    items.push(syntax::enum_item(attrs, &name, syn_variants));
    if variants.iter().all(|v| displayable(&v.ty)) {
        let mut display = templates
            .union_display
            .fill(&Holes::default().ident("__Name", &name));
        syntax::only_match(&mut display).arms = idents
            .iter()
            .map(|variant| {
                templates
                    .union_display_arm
                    .fill(&Holes::default().ident("__Variant", variant))
            })
            .collect();
        items.push(display);
    }
    // `From` each variant's type, where no other variant holds the same one.
    for ((variant, ident), ty) in variants.iter().zip(&idents).zip(&types) {
        let unique = variants
            .iter()
            .filter(|other| other.ty == variant.ty)
            .count()
            == 1;
        if unique && !matches!(variant.ty, Ty::Option(_)) {
            let holes = Holes::default()
                .ident("__Name", &name)
                .ident("__Variant", ident)
                .ty("__Inner", ty);
            items.push(templates.union_from.fill(&holes));
        }
    }
}

/// Whether `ty` is a scalar with a `Display` impl of its own.
fn displayable(ty: &Ty) -> bool {
    matches!(
        ty,
        Ty::String
            | Ty::Bool
            | Ty::Integer(_)
            | Ty::F32
            | Ty::F64
            | Ty::DateTime
            | Ty::Date
            | Ty::Uuid
            | Ty::IpAddr
            | Ty::Ipv4Addr
            | Ty::Ipv6Addr
    )
}

fn newtype_items(
    templates: &Templates,
    space: &TypeSpace,
    def: &TypeDef,
    inner_ty: &Ty,
    items: &mut Vec<Item>,
) {
    let name = ident(&def.name);
    let string = *inner_ty == Ty::String;
    let derives = if string {
        // A named string: ordered and hashable like the `String` it holds,
        // and parsed and printed as it.
        quote!(Clone, Debug, Default, Eq, Hash, Ord, PartialEq, PartialOrd)
    } else {
        let default = matches!(
            inner_ty,
            Ty::Bool
                | Ty::Integer(_)
                | Ty::F32
                | Ty::F64
                | Ty::Json
                | Ty::JsonObject
                | Ty::List(_)
                | Ty::Map(_)
                | Ty::Option(_)
                | Ty::Unit
        )
        .then(|| quote!(Default,));
        quote!(Clone, Debug, #default PartialEq)
    };
    let inner = ty(space, inner_ty);
    items.push(Item::Struct(syn::ItemStruct {
        attrs: docs(def.description.as_deref())
            .into_iter()
            .chain([derive(derives), list_attr("serde", quote!(transparent))])
            .collect(),
        vis: public(),
        struct_token: Default::default(),
        ident: name.clone(),
        generics: Default::default(),
        fields: Fields::Unnamed(FieldsUnnamed {
            paren_token: Default::default(),
            unnamed: [syntax::field(Vec::new(), public(), None, inner.clone())]
                .into_iter()
                .collect(),
        }),
        semi_token: Some(Default::default()),
    }));
    let holes = Holes::default()
        .ident("__Name", &name)
        .ty("__Inner", &inner);
    let impls = if string {
        &templates.string_newtype[..]
    } else if matches!(inner_ty, Ty::Boxed(_)) {
        // `Box<Self>` already has std's `From<T> for Box<T>`.
        &templates.boxed_newtype[..]
    } else {
        &templates.newtype[..]
    };
    items.extend(impls.iter().map(|template| template.fill(&holes)));
}

/// The fixed impls beside the IR's items, parsed once per thread; `__Name`
/// is the type, `__Variant` a variant, `__Inner` a type it holds and
/// `"__value"` an enum value on the wire.
struct Templates {
    enum_display: Template<Item>,
    enum_display_arm: Template<syn::Arm>,
    enum_from_str: Template<Item>,
    enum_from_str_arm: Template<syn::Arm>,
    enum_try_from: [Template<Item>; 2],
    enum_serialize: Template<Item>,
    enum_deserialize: Template<Item>,
    object_deserialize: Template<Item>,
    object_read: Template<Item>,
    object_slot: Template<syn::Stmt>,
    object_arm: Template<syn::Arm>,
    object_optional: Template<syn::Expr>,
    object_required: Template<syn::Expr>,
    union_display: Template<Item>,
    union_display_arm: Template<syn::Arm>,
    union_from: Template<Item>,
    newtype: [Template<Item>; 3],
    boxed_newtype: [Template<Item>; 2],
    string_newtype: [Template<Item>; 5],
    /// The error of the enums' `FromStr` and `TryFrom` impls.
    error_module: Item,
}

thread_local! {
    static TEMPLATES: Templates = Templates::new();
}

impl Templates {
    fn new() -> Self {
        let deref: Item = syn::parse_quote! {
            impl ::std::ops::Deref for __Name {
                type Target = __Inner;
                fn deref(&self) -> &__Inner {
                    &self.0
                }
            }
        };
        let into_inner: Item = syn::parse_quote! {
            impl ::std::convert::From<__Name> for __Inner {
                fn from(value: __Name) -> Self {
                    value.0
                }
            }
        };
        let from_inner: Item = syn::parse_quote! {
            impl ::std::convert::From<__Inner> for __Name {
                fn from(value: __Inner) -> Self {
                    Self(value)
                }
            }
        };
        let string = |item: &Item| {
            let string = path_type("::std::string::String", Vec::new());
            let name = ident("__Name");
            Template::new(item.clone()).fill(
                &Holes::default()
                    .ident("__Name", &name)
                    .ty("__Inner", &string),
            )
        };
        Templates {
            enum_display: Template::new(syn::parse_quote! {
                impl ::std::fmt::Display for __Name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        match *self {}
                    }
                }
            }),
            enum_display_arm: Template::new(syn::parse_quote! {
                Self::__Variant => f.write_str("__value"),
            }),
            enum_from_str: Template::new(syn::parse_quote! {
                impl ::std::str::FromStr for __Name {
                    type Err = self::error::ConversionError;
                    fn from_str(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                        match value {
                            _ => Err("invalid value".into()),
                        }
                    }
                }
            }),
            enum_from_str_arm: Template::new(syn::parse_quote! {
                "__value" => Ok(Self::__Variant),
            }),
            enum_try_from: [
                Template::new(syn::parse_quote! {
                    impl ::std::convert::TryFrom<&str> for __Name {
                        type Error = self::error::ConversionError;
                        fn try_from(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                            value.parse()
                        }
                    }
                }),
                Template::new(syn::parse_quote! {
                    impl ::std::convert::TryFrom<::std::string::String> for __Name {
                        type Error = self::error::ConversionError;
                        fn try_from(
                            value: ::std::string::String,
                        ) -> ::std::result::Result<Self, self::error::ConversionError> {
                            value.parse()
                        }
                    }
                }),
            ],
            object_deserialize: Template::new(syn::parse_quote! {
                impl<'de> ::serde::Deserialize<'de> for __Name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(
                        deserializer: D,
                    ) -> ::std::result::Result<Self, D::Error> {
                        ::agent_clients_runtime::read::object(deserializer)
                    }
                }
            }),
            // `__map` and `__key`: no field's name starts with `_`, so no
            // slot shadows them.
            object_read: Template::new(syn::parse_quote! {
                impl ::agent_clients_runtime::read::Object for __Name {
                    const NAME: &'static str = "__name";
                    const FIELDS: &'static [&'static str] = __fields;
                    fn read<'de, A: ::serde::de::MapAccess<'de>>(
                        mut __map: A,
                    ) -> ::std::result::Result<Self, A::Error> {
                        while let ::std::option::Option::Some(__key) =
                            ::agent_clients_runtime::read::next_key(&mut __map, Self::FIELDS)?
                        {
                            match __key {
                                _ => ::agent_clients_runtime::read::skip(&mut __map)?,
                            }
                        }
                        ::std::result::Result::Ok(__value)
                    }
                }
            }),
            // The slot's type is the field's, inferred from the struct
            // literal: written out, `Option<Option<HashMap<..>>>` trips
            // clippy's `type_complexity` on a deep field.
            object_slot: Template::new(syn::parse_quote! {
                let mut __slot = ::std::option::Option::None;
            }),
            object_arm: Template::new(syn::parse_quote! {
                0 => ::agent_clients_runtime::read::field(&mut __map, &mut __slot, "__wire")?,
            }),
            object_optional: Template::new(syn::parse_quote! {
                __slot.unwrap_or_default()
            }),
            object_required: Template::new(syn::parse_quote! {
                ::agent_clients_runtime::read::required(__slot, "__wire")?
            }),
            enum_serialize: Template::new(syn::parse_quote! {
                impl ::serde::Serialize for __Name {
                    fn serialize<S: ::serde::Serializer>(
                        &self,
                        serializer: S,
                    ) -> ::std::result::Result<S::Ok, S::Error> {
                        serializer.collect_str(self)
                    }
                }
            }),
            enum_deserialize: Template::new(syn::parse_quote! {
                impl<'de> ::serde::Deserialize<'de> for __Name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(
                        deserializer: D,
                    ) -> ::std::result::Result<Self, D::Error> {
                        ::agent_clients_runtime::string_enum(deserializer, &__values)
                    }
                }
            }),
            union_display: Template::new(syn::parse_quote! {
                impl ::std::fmt::Display for __Name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        match self {}
                    }
                }
            }),
            union_display_arm: Template::new(syn::parse_quote! {
                Self::__Variant(x) => x.fmt(f),
            }),
            union_from: Template::new(syn::parse_quote! {
                impl ::std::convert::From<__Inner> for __Name {
                    fn from(value: __Inner) -> Self {
                        Self::__Variant(value)
                    }
                }
            }),
            string_newtype: [
                Template::new(string(&deref)),
                Template::new(string(&into_inner)),
                Template::new(string(&from_inner)),
                Template::new(syn::parse_quote! {
                    impl ::std::fmt::Display for __Name {
                        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                            self.0.fmt(f)
                        }
                    }
                }),
                Template::new(syn::parse_quote! {
                    impl ::std::str::FromStr for __Name {
                        type Err = ::std::convert::Infallible;
                        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                            Ok(Self(value.to_string()))
                        }
                    }
                }),
            ],
            newtype: [
                Template::new(deref.clone()),
                Template::new(into_inner),
                Template::new(from_inner.clone()),
            ],
            boxed_newtype: [Template::new(deref), Template::new(from_inner)],
            error_module: syn::parse_quote! {
                /// Error types.
                pub mod error {
                    /// Error from a `TryFrom` or `FromStr` implementation.
                    pub struct ConversionError(::std::borrow::Cow<'static, str>);

                    impl ::std::error::Error for ConversionError {}

                    impl ::std::fmt::Display for ConversionError {
                        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::result::Result<(), ::std::fmt::Error> {
                            ::std::fmt::Display::fmt(&self.0, f)
                        }
                    }

                    impl ::std::fmt::Debug for ConversionError {
                        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::result::Result<(), ::std::fmt::Error> {
                            ::std::fmt::Debug::fmt(&self.0, f)
                        }
                    }

                    impl ::std::convert::From<&'static str> for ConversionError {
                        fn from(value: &'static str) -> Self {
                            Self(value.into())
                        }
                    }

                    impl ::std::convert::From<::std::string::String> for ConversionError {
                        fn from(value: ::std::string::String) -> Self {
                            Self(value.into())
                        }
                    }
                }
            },
        }
    }
}

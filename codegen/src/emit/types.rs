//! The items of a module's `types` module, printed from the IR: one item
//! (and its impls) per named type, in name order.
//!
//! Paths are written absolute (`::std::string::String`); `imports` shortens
//! them where the module's own names allow, so a schema named `Option`
//! still compiles.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Item;

use crate::ir::{Field, Presence, Struct, Ty, TypeDef, TypeKind, TypeSpace, UnionVariant};

/// Every item of the `types` module (before the `Validate` impls).
pub fn items(space: &TypeSpace) -> Vec<Item> {
    let mut tokens = TokenStream::new();
    let mut any_enum = false;
    for (_, def) in space.sorted() {
        tokens.extend(match &def.kind {
            TypeKind::Struct(object) => struct_item(space, def, object),
            TypeKind::Enum(variants) => {
                any_enum = true;
                enum_item(def, variants)
            }
            TypeKind::Union(variants) => union_item(space, def, variants),
            TypeKind::Newtype(ty) => newtype_item(space, def, ty),
        });
    }
    if any_enum {
        tokens.extend(error_module());
    }
    // The tokens are ours, built from identifiers the name table checked.
    syn::parse2::<syn::File>(tokens)
        .map(|file| file.items)
        .unwrap_or_else(|error| panic!("emitted types do not parse (a generator bug): {error}"))
}

/// The Rust type of `ty`, as a path from inside `types`.
pub fn ty_tokens(space: &TypeSpace, ty: &Ty) -> TokenStream {
    match ty {
        Ty::Named(id) => {
            let ident = format_ident!("{}", space.get(*id).name);
            quote!(#ident)
        }
        Ty::String => quote!(::std::string::String),
        Ty::Bool => quote!(bool),
        Ty::Integer(int) => {
            let ident = format_ident!("{}", int.rust_name());
            quote!(#ident)
        }
        Ty::F32 => quote!(f32),
        Ty::F64 => quote!(f64),
        Ty::DateTime => quote!(::chrono::DateTime<::chrono::offset::Utc>),
        Ty::Date => quote!(::chrono::naive::NaiveDate),
        Ty::Uuid => quote!(::uuid::Uuid),
        Ty::IpAddr => quote!(::std::net::IpAddr),
        Ty::Ipv4Addr => quote!(::std::net::Ipv4Addr),
        Ty::Ipv6Addr => quote!(::std::net::Ipv6Addr),
        Ty::Json => quote!(::serde_json::Value),
        Ty::JsonObject => {
            quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>)
        }
        Ty::Unit => quote!(()),
        Ty::FilePart => quote!(::agent_clients::runtime::FilePart),
        Ty::List(inner) => {
            let inner = ty_tokens(space, inner);
            quote!(::std::vec::Vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = ty_tokens(space, inner);
            quote!(::std::collections::HashMap<::std::string::String, #inner>)
        }
        Ty::Option(inner) => {
            let inner = ty_tokens(space, inner);
            quote!(::std::option::Option<#inner>)
        }
        Ty::Boxed(inner) => {
            let inner = ty_tokens(space, inner);
            quote!(::std::boxed::Box<#inner>)
        }
        Ty::Open(inner) => {
            let inner = ty_tokens(space, inner);
            quote!(::agent_clients::runtime::Open<#inner>)
        }
    }
}

/// `#[doc]` attributes for a description, if there is one.
fn docs(description: Option<&str>) -> TokenStream {
    match description {
        Some(text) => quote!(#[doc = #text]),
        None => TokenStream::new(),
    }
}

fn struct_item(space: &TypeSpace, def: &TypeDef, object: &Struct) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let doc = docs(def.description.as_deref());
    let fields = object.fields.iter().map(|field| field_tokens(space, field));
    let default = object
        .fields
        .iter()
        .all(defaultable)
        .then(|| quote!(Default,));
    quote! {
        #doc
        #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, #default PartialEq)]
        pub struct #name {
            #(#fields)*
        }
    }
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

fn field_tokens(space: &TypeSpace, field: &Field) -> TokenStream {
    let ident = format_ident!("{}", field.name);
    let inner = ty_tokens(space, &field.ty);
    let mut description = field.description.clone().unwrap_or_default();
    if let Some(default) = &field.default {
        let sep = if description.is_empty() { "" } else { "\n\n" };
        description = format!("{description}{sep}Defaults to `{default}`.");
    }
    let doc = docs(Some(description.as_str()).filter(|d| !d.is_empty()));
    let rename = (field.wire != field.name && field.presence != Presence::Flattened)
        .then_some(field.wire.as_str());
    let mut serde = Vec::new();
    if let Some(wire) = rename {
        serde.push(quote!(rename = #wire));
    }
    let ty = match field.presence {
        Presence::Required => inner,
        Presence::Optional => {
            serde.push(quote!(
                skip_serializing_if = "::std::option::Option::is_none"
            ));
            quote!(::std::option::Option<#inner>)
        }
        Presence::Nullable => {
            serde.push(quote!(default));
            serde.push(quote!(
                skip_serializing_if = "::agent_clients::runtime::Nullable::is_absent"
            ));
            quote!(::agent_clients::runtime::Nullable<#inner>)
        }
        Presence::Flattened => {
            serde.push(quote!(flatten));
            inner
        }
    };
    let serde = (!serde.is_empty()).then(|| quote!(#[serde(#(#serde),*)]));
    quote! {
        #doc
        #serde
        pub #ident: #ty,
    }
}

fn enum_item(def: &TypeDef, variants: &[crate::ir::EnumVariant]) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let doc = docs(def.description.as_deref());
    let idents: Vec<_> = variants
        .iter()
        .map(|v| format_ident!("{}", v.name))
        .collect();
    let values: Vec<&str> = variants.iter().map(|v| v.value.as_str()).collect();
    let attrs = variants.iter().map(|v| {
        let value = &v.value;
        let aliases = &v.aliases;
        let doc = docs(v.description.as_deref());
        quote!(#doc #[serde(rename = #value)] #(#[serde(alias = #aliases)])*)
    });
    quote! {
        #doc
        #[derive(
            ::serde::Deserialize, ::serde::Serialize, Clone, Copy, Debug, Eq, Hash, Ord, PartialEq,
            PartialOrd
        )]
        pub enum #name {
            #(#attrs #idents,)*
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match *self {
                    #(Self::#idents => f.write_str(#values),)*
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = self::error::ConversionError;
            fn from_str(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                match value {
                    #(#values => Ok(Self::#idents),)*
                    _ => Err("invalid value".into()),
                }
            }
        }

        impl ::std::convert::TryFrom<&str> for #name {
            type Error = self::error::ConversionError;
            fn try_from(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                value.parse()
            }
        }

        impl ::std::convert::TryFrom<::std::string::String> for #name {
            type Error = self::error::ConversionError;
            fn try_from(
                value: ::std::string::String,
            ) -> ::std::result::Result<Self, self::error::ConversionError> {
                value.parse()
            }
        }
    }
}

fn union_item(space: &TypeSpace, def: &TypeDef, variants: &[UnionVariant]) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let doc = docs(def.description.as_deref());
    let idents: Vec<_> = variants
        .iter()
        .map(|v| format_ident!("{}", v.name))
        .collect();
    let types: Vec<_> = variants.iter().map(|v| ty_tokens(space, &v.ty)).collect();
    // `From` each variant's type, where no other variant holds the same one.
    let froms = variants
        .iter()
        .zip(&idents)
        .zip(&types)
        .filter_map(|((variant, ident), ty)| {
            let unique = variants
                .iter()
                .filter(|other| other.ty == variant.ty)
                .count()
                == 1;
            (unique && !matches!(variant.ty, Ty::Option(_))).then(|| {
                quote! {
                    impl ::std::convert::From<#ty> for #name {
                        fn from(value: #ty) -> Self {
                            Self::#ident(value)
                        }
                    }
                }
            })
        });
    // A variant holding a generated type can be large; scalars, strings
    // and lists cannot.
    let large = variants
        .iter()
        .any(|v| matches!(v.ty, Ty::Named(_) | Ty::Boxed(_)))
        .then(|| quote!(#[allow(clippy::large_enum_variant)]));
    let display = variants.iter().all(|v| displayable(&v.ty)).then(|| {
        quote! {
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match self {
                        #(Self::#idents(x) => x.fmt(f),)*
                    }
                }
            }
        }
    });
    quote! {
        #doc
        #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
        #[serde(untagged)]
        #large
        pub enum #name {
            #(#idents(#types),)*
        }

        #display

        #(#froms)*
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

fn newtype_item(space: &TypeSpace, def: &TypeDef, ty: &Ty) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let doc = docs(def.description.as_deref());
    let inner = ty_tokens(space, ty);
    if *ty == Ty::String {
        return string_newtype(&name, doc);
    }
    let default = matches!(
        ty,
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
    // `Box<Self>` already has std's `From<T> for Box<T>`.
    let into_inner = (!matches!(ty, Ty::Boxed(_))).then(|| {
        quote! {
            impl ::std::convert::From<#name> for #inner {
                fn from(value: #name) -> Self {
                    value.0
                }
            }
        }
    });
    quote! {
        #doc
        #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, #default PartialEq)]
        #[serde(transparent)]
        pub struct #name(pub #inner);

        impl ::std::ops::Deref for #name {
            type Target = #inner;
            fn deref(&self) -> &#inner {
                &self.0
            }
        }

        #into_inner

        impl ::std::convert::From<#inner> for #name {
            fn from(value: #inner) -> Self {
                Self(value)
            }
        }
    }
}

/// A named string: ordered and hashable like the `String` it holds, and
/// parsed and printed as it.
fn string_newtype(name: &syn::Ident, doc: TokenStream) -> TokenStream {
    quote! {
        #doc
        #[derive(
            ::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, Eq, Hash, Ord,
            PartialEq, PartialOrd
        )]
        #[serde(transparent)]
        pub struct #name(pub ::std::string::String);

        impl ::std::ops::Deref for #name {
            type Target = ::std::string::String;
            fn deref(&self) -> &::std::string::String {
                &self.0
            }
        }

        impl ::std::convert::From<#name> for ::std::string::String {
            fn from(value: #name) -> Self {
                value.0
            }
        }

        impl ::std::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                Self(value)
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self(value.to_string()))
            }
        }
    }
}

/// The error of the enums' `FromStr` and `TryFrom` impls.
fn error_module() -> TokenStream {
    quote! {
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
    }
}

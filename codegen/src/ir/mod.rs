//! Stage `ir`: the one typed description of every Rust type a module emits.
//!
//! A [`TypeSpace`] holds each type once, under a [`TypeId`]: its name
//! (decided once, for the whole module, by [`names`]), its Rust shape, its
//! serde shape, its docs and the JSON pointer it came from. Types refer to
//! each other by id, never by name, so no later stage predicts a name or a
//! type that this one decided.
//!
//! It is built in named steps, each reading only what the previous made:
//!
//! 1. `build` turns every component schema (and every schema inline in
//!    one that needs a name of its own) into a raw type, with the name it
//!    wants;
//! 2. [`names::decide`] makes every type name, field name and variant name
//!    distinct;
//! 3. `transform` decides what the wire needs: enums read from a server
//!    are open ([`Ty::Open`]), recursive fields are boxed;
//! 4. [`validation`] decides what a request checks before it is sent: each
//!    field's [`Constraints`] (read by `build` for the type it decided,
//!    [`constraints`]) become [`Check`]s that follow its final type.
//!
//! The emitter (`emit`) only reads the result.
//!
//! [`lower`] runs the stage as one call. Before the types, [`validate`]
//! checks our extensions and [`model`] reduces the document to an
//! [`model::Api`]: the operations,
//! with their parameters, bodies and responses ([`multipart`] parts
//! among them), and the credentials ([`security`]).

mod build;
pub mod constraints;
pub mod events;
pub mod features;
pub mod lower;
pub mod model;
pub mod multipart;
pub mod names;
pub mod pages;
pub mod security;
mod transform;
pub mod validate;
pub mod validation;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use crate::normalize::Warning;

pub use constraints::{Bound, Constraints, Rule};
pub use validation::{Check, FieldChecks};

/// A type of the space: an index into it, stable for one build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(usize);

/// The component schemas of a module, each with the id its type has in
/// the [`TypeSpace`]. The model decides them as it meets them (the
/// document's own components first, in name order, then each inline schema
/// it hoists), so an operation holds its types' ids before the space is
/// built, and the space gives each component the id reserved here.
#[derive(Debug, Clone, Default)]
pub struct ComponentIds {
    names: Vec<String>,
    ids: BTreeMap<String, TypeId>,
}

impl ComponentIds {
    /// The id of component `name`, reserved now if it has none yet.
    pub fn id(&mut self, name: &str) -> TypeId {
        if let Some(id) = self.ids.get(name) {
            return *id;
        }
        let id = TypeId(self.names.len());
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        id
    }

    pub fn get(&self, name: &str) -> Option<TypeId> {
        self.ids.get(name).copied()
    }

    /// The component name of `id`; `None` for an inline type's id.
    pub fn name(&self, id: TypeId) -> Option<&str> {
        self.names.get(id.0).map(String::as_str)
    }

    /// Every component, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (TypeId, &str)> {
        self.names
            .iter()
            .enumerate()
            .map(|(index, name)| (TypeId(index), name.as_str()))
    }
}

/// Every named type of one module.
#[derive(Debug, Clone, Default)]
pub struct TypeSpace {
    types: Vec<TypeDef>,
    /// Component schema name to its type.
    components: BTreeMap<String, TypeId>,
    /// Where the spec could not be typed, each read as untyped JSON.
    warnings: Vec<Warning>,
    /// The structs with a `Validate` impl, each with its fields' checks
    /// ([`validation`]).
    validations: BTreeMap<TypeId, Vec<FieldChecks>>,
}

/// One named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust name, distinct in the module.
    pub name: String,
    /// The JSON pointer of the schema it came from.
    pub pointer: String,
    pub description: Option<String>,
    pub kind: TypeKind,
    /// For a newtype: what the value it holds must satisfy (a named
    /// `maxLength` string, a bounded integer). Empty for other kinds, whose
    /// constraints are their fields'.
    pub constraints: Constraints,
}

/// The Rust shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    /// A string enum: unit variants, each with its wire value.
    Enum(Vec<EnumVariant>),
    /// `oneOf` / `anyOf`: an untagged enum, one variant per alternative.
    Union(Vec<UnionVariant>),
    /// A named schema that is not an object: a transparent newtype.
    Newtype(Ty),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Struct {
    /// In wire-name order.
    pub fields: Vec<Field>,
}

/// One field of a struct.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The Rust identifier, distinct in its struct.
    pub name: String,
    /// The property name on the wire; empty for a flattened field.
    pub wire: String,
    /// The value's type, without the presence wrapper.
    pub ty: Ty,
    pub presence: Presence,
    pub description: Option<String>,
    /// The spec's `default`, documented (the field stays optional: a
    /// partial update must be able to leave it out).
    pub default: Option<serde_json::Value>,
    /// What its value must satisfy, for its `ty` ([`constraints`]).
    pub constraints: Constraints,
}

/// Whether a field may be absent, `null`, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Always on the wire: `T` (`Option<T>` if nullable, sent as `null`).
    Required,
    /// May be absent: `Option<T>`, left out when `None`. A `null` from a
    /// server reads as absent.
    Optional,
    /// May be absent or `null`: `Nullable<T>`, three states.
    Nullable,
    /// The additional properties of an object: a map flattened into it.
    Flattened,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumVariant {
    /// The Rust identifier, distinct in its enum.
    pub name: String,
    pub value: String,
    pub description: Option<String>,
    /// Other values read as this one (an overlay's
    /// `x-agent-clients-enum-aliases`).
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// The Rust identifier, distinct in its enum.
    pub name: String,
    pub ty: Ty,
}

/// A Rust type expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ty {
    Named(TypeId),
    String,
    Bool,
    Integer(IntType),
    F32,
    F64,
    DateTime,
    Date,
    Uuid,
    IpAddr,
    Ipv4Addr,
    Ipv6Addr,
    /// Any JSON value.
    Json,
    /// Any JSON object.
    JsonObject,
    /// The JSON `null` and nothing else.
    Unit,
    /// A file part of a multipart body (`model` marks them).
    FilePart,
    List(Box<Ty>),
    /// A JSON object used as a map from its keys.
    Map(Box<Ty>),
    Option(Box<Ty>),
    Boxed(Box<Ty>),
    /// A string enum read from a server: a value the spec does not list is
    /// kept rather than failing the whole response.
    Open(Box<Ty>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IntType {
    I8,
    U8,
    I16,
    U16,
    I32,
    U32,
    I64,
    U64,
}

impl IntType {
    /// The least and the greatest value of the type.
    pub fn range(self) -> (i128, i128) {
        match self {
            IntType::I8 => (i8::MIN.into(), i8::MAX.into()),
            IntType::U8 => (0, u8::MAX.into()),
            IntType::I16 => (i16::MIN.into(), i16::MAX.into()),
            IntType::U16 => (0, u16::MAX.into()),
            IntType::I32 => (i32::MIN.into(), i32::MAX.into()),
            IntType::U32 => (0, u32::MAX.into()),
            IntType::I64 => (i64::MIN.into(), i64::MAX.into()),
            IntType::U64 => (0, u64::MAX.into()),
        }
    }

    pub fn rust_name(self) -> &'static str {
        match self {
            IntType::I8 => "i8",
            IntType::U8 => "u8",
            IntType::I16 => "i16",
            IntType::U16 => "u16",
            IntType::I32 => "i32",
            IntType::U32 => "u32",
            IntType::I64 => "i64",
            IntType::U64 => "u64",
        }
    }
}

impl Ty {
    /// Calls `visit` with every named type this expression holds.
    pub fn named(&self, visit: &mut impl FnMut(TypeId)) {
        match self {
            Ty::Named(id) => visit(*id),
            Ty::List(inner)
            | Ty::Map(inner)
            | Ty::Option(inner)
            | Ty::Boxed(inner)
            | Ty::Open(inner) => inner.named(visit),
            _ => {}
        }
    }
}

/// The type of a string of this `format`: a `String` unless the format
/// names a value Rust has a type for.
pub fn string_format_ty(format: &str) -> Ty {
    match format {
        "date-time" => Ty::DateTime,
        "date" => Ty::Date,
        "uuid" => Ty::Uuid,
        "ip" => Ty::IpAddr,
        "ipv4" => Ty::Ipv4Addr,
        "ipv6" => Ty::Ipv6Addr,
        _ => Ty::String,
    }
}

impl TypeSpace {
    /// The types of `api`'s component schemas, named, with the wire's needs
    /// decided.
    pub fn new(api: &crate::ir::model::Api) -> TypeSpace {
        let mut space = build::build(api);
        names::decide(&mut space, &api.type_names);
        transform::open_response_enums(&mut space, api);
        transform::box_recursion(&mut space);
        validation::decide(&mut space, api);
        space
    }

    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// The type of component schema `component`.
    pub fn component(&self, component: &str) -> Option<TypeId> {
        self.components.get(component).copied()
    }

    /// Every type, in name order (the order they are emitted in).
    pub fn sorted(&self) -> Vec<(TypeId, &TypeDef)> {
        let mut all: Vec<(TypeId, &TypeDef)> = self
            .types
            .iter()
            .enumerate()
            .map(|(index, def)| (TypeId(index), def))
            .collect();
        all.sort_by(|a, b| a.1.name.cmp(&b.1.name));
        all
    }

    /// The structs a request checks before it is sent, each with the
    /// checks of its fields, in type-id order.
    pub fn validations(&self) -> &BTreeMap<TypeId, Vec<FieldChecks>> {
        &self.validations
    }

    pub fn len(&self) -> usize {
        self.types.len()
    }

    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
    }

    /// The parts of the spec read as untyped JSON, each with its pointer and
    /// why.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    fn add(&mut self, def: TypeDef) -> TypeId {
        self.types.push(def);
        TypeId(self.types.len() - 1)
    }

    fn ids(&self) -> impl Iterator<Item = TypeId> + use<> {
        (0..self.types.len()).map(TypeId)
    }

    fn get_mut(&mut self, id: TypeId) -> &mut TypeDef {
        &mut self.types[id.0]
    }
}

//! Step 1: every component schema to a raw type.
//!
//! A schema used somewhere (a property, an item, an alternative) becomes a
//! [`Ty`]. One that needs a Rust item of its own (an object with
//! properties, a string enum, a `oneOf`, a merged `allOf`) is hoisted into
//! a named type that wants its user's name plus its place
//! (`Agent` + `business_hours` is `AgentBusinessHours`); [`super::names`]
//! decides the real names afterwards. The spec's order is kept where it
//! means something (union alternatives); fields are sorted by wire name.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::{
    Constraints, EnumVariant, Field, IntType, Presence, Struct, Ty, TypeDef, TypeId, TypeKind,
    TypeSpace, UnionVariant,
};
use crate::error::escape_pointer_token;
use crate::normalize::Warning;

/// The raw type space of `api`'s component schemas.
pub(super) fn build(api: &crate::ir::model::Api) -> TypeSpace {
    let schemas = &api.schema_values;
    let mut builder = Builder {
        space: TypeSpace::default(),
        hoisted: BTreeMap::new(),
        schemas,
        merging: BTreeSet::new(),
        depth: 0,
    };
    // Every component is reserved first, under the id the model gave it
    // (its operations hold these ids), so a reference resolves before (or
    // while) its target is built, cycles included.
    let mut reserved = api.components.clone();
    for name in schemas.keys() {
        reserved.id(name);
    }
    for (expected, name) in reserved.iter() {
        let id = builder.space.add(TypeDef {
            name: api.type_name(name),
            pointer: crate::error::pointer(["components", "schemas", name]),
            description: None,
            kind: TypeKind::Newtype(Ty::Json),
            constraints: Constraints::default(),
        });
        debug_assert_eq!(id, expected, "components are reserved in id order");
        builder.space.components.insert(name.to_string(), id);
        if !schemas.contains_key(name) {
            builder.warn(
                crate::error::pointer(["components", "schemas", name]),
                format!("no component schema `{name}`; read as untyped JSON"),
            );
        }
    }
    for (name, schema) in schemas {
        let id = builder.space.components[name];
        let (hint, at) = {
            let def = builder.space.get(id);
            (def.name.clone(), def.pointer.clone())
        };
        let mut kind = builder.kind(schema, &hint, &at);
        if let (TypeKind::Enum(variants), Some(aliases)) = (&mut kind, api.enum_aliases.get(name)) {
            for variant in variants {
                variant.aliases = aliases.get(&variant.value).cloned().unwrap_or_default();
            }
        }
        let def = builder.space.get_mut(id);
        def.constraints = newtype_constraints(schema, &kind);
        def.kind = kind;
        def.description = description(schema);
    }
    builder.space
}

/// What a schema is, for choosing its Rust shape.
enum Shape<'a> {
    /// An object with properties: a struct.
    Object(&'a Map<String, Value>),
    /// A string enum (without `null`): each value, with its description
    /// where it came from a `oneOf` of single values.
    Enum(Vec<(String, Option<String>)>),
    /// `oneOf` / `anyOf` with two or more alternatives besides `null`:
    /// each with its index in the spec's list and the list's keyword.
    Union(&'static str, Vec<(usize, &'a Value)>),
    /// `allOf` with two or more parts that shape the value, or with
    /// properties of its own beside them.
    AllOf(Vec<(usize, &'a Value)>),
    /// One schema says it all (a one-part `allOf`, a one-alternative
    /// `oneOf`): the same type, under the outer schema's nullability.
    Alias(&'a Value, String),
    /// Anything else: a type expression with no item of its own.
    Plain,
}

/// Where each property of a merged `allOf` came from: its schema's JSON
/// pointer, and the name of the type it was written in (what an inline
/// type there is named after).
type Origins = BTreeMap<String, (String, String)>;

struct Builder<'a> {
    space: TypeSpace,
    /// The type made for each inline schema, by its JSON pointer: a schema
    /// reached again (through an `allOf` that merges the object holding it)
    /// is the same type, so merging never copies or recurses without end.
    hoisted: BTreeMap<String, TypeId>,
    schemas: &'a BTreeMap<String, Value>,
    /// Components whose `allOf` is being merged, to stop at a cycle.
    merging: BTreeSet<String>,
    /// Inline types being built inside each other: a schema that keeps
    /// making new ones (an `allOf` that merges its own user) stops here.
    depth: usize,
}

/// More inline types nested than this is a schema that expands without end.
const MAX_DEPTH: usize = 64;

impl Builder<'_> {
    /// The kind of a named type built from `schema`.
    fn kind(&mut self, schema: &Value, hint: &str, at: &str) -> TypeKind {
        let Value::Object(map) = schema else {
            return TypeKind::Newtype(self.plain(schema, hint, at));
        };
        if map.contains_key("$ref") {
            return TypeKind::Newtype(self.ty_inner(schema, hint, at).0);
        }
        match shape(map) {
            Shape::Object(map) => TypeKind::Struct(self.object(map, hint, at)),
            Shape::Enum(values) => TypeKind::Enum(
                values
                    .into_iter()
                    .map(|(value, description)| EnumVariant {
                        name: String::new(),
                        value,
                        description,
                        aliases: Vec::new(),
                    })
                    .collect(),
            ),
            Shape::Union(keyword, alternatives) => {
                TypeKind::Union(self.union(keyword, &alternatives, hint, at))
            }
            Shape::AllOf(parts) => self.all_of(map, &parts, hint, at),
            Shape::Alias(inner, inner_at) => {
                TypeKind::Newtype(self.ty(inner, hint, &format!("{at}{inner_at}")))
            }
            Shape::Plain => TypeKind::Newtype(self.plain(schema, hint, at)),
        }
    }

    /// The type of a value of `schema` where it is used, `Option` if it is
    /// nullable.
    fn ty(&mut self, schema: &Value, hint: &str, at: &str) -> Ty {
        match self.ty_inner(schema, hint, at) {
            (ty, true) => Ty::Option(Box::new(ty)),
            (ty, false) => ty,
        }
    }

    /// The type of a value of `schema`, and whether it may be `null`.
    fn ty_inner(&mut self, schema: &Value, hint: &str, at: &str) -> (Ty, bool) {
        let Value::Object(map) = schema else {
            return (self.plain(schema, hint, at), false);
        };
        if let Some(reference) = map.get("$ref") {
            return self.reference(reference, at);
        }
        let nullable = is_nullable(map);
        let shape = match shape(map) {
            Shape::AllOf(parts) => match self.scalar_all_of(map, &parts) {
                Some((index, part)) => Shape::Alias(part, format!("/allOf/{index}")),
                None => Shape::AllOf(parts),
            },
            shape => shape,
        };
        let ty = match shape {
            Shape::Object(_) | Shape::Enum(_) | Shape::Union(..) | Shape::AllOf(_) => {
                Ty::Named(self.hoist(schema, hint, at))
            }
            Shape::Alias(inner, inner_at) => {
                let (ty, inner_nullable) = self.ty_inner(inner, hint, &format!("{at}{inner_at}"));
                return (ty, nullable || inner_nullable);
            }
            Shape::Plain => self.plain(schema, hint, at),
        };
        (ty, nullable)
    }

    /// A named type for an inline schema.
    fn hoist(&mut self, schema: &Value, hint: &str, at: &str) -> TypeId {
        if self.depth >= MAX_DEPTH {
            self.warn(
                at.to_string(),
                format!("inline types nest more than {MAX_DEPTH} deep here (a schema that expands without end); read as untyped JSON"),
            );
            return self.space.add(TypeDef {
                name: crate::ir::names::type_name_for(hint),
                pointer: at.to_string(),
                description: description(schema),
                kind: TypeKind::Newtype(Ty::Json),
                constraints: Constraints::default(),
            });
        }
        self.depth += 1;
        let id = self.hoist_at_depth(schema, hint, at);
        self.depth -= 1;
        id
    }

    fn hoist_at_depth(&mut self, schema: &Value, hint: &str, at: &str) -> TypeId {
        if let Some(id) = self.hoisted.get(at) {
            return *id;
        }
        let id = self.space.add(TypeDef {
            name: crate::ir::names::type_name_for(hint),
            pointer: at.to_string(),
            description: description(schema),
            kind: TypeKind::Newtype(Ty::Json),
            constraints: Constraints::default(),
        });
        self.hoisted.insert(at.to_string(), id);
        let name = self.space.get(id).name.clone();
        let kind = self.kind(schema, &name, at);
        let def = self.space.get_mut(id);
        def.constraints = newtype_constraints(schema, &kind);
        def.kind = kind;
        id
    }

    /// The component a `$ref` names, and whether that component is nullable.
    fn reference(&mut self, reference: &Value, at: &str) -> (Ty, bool) {
        let name = reference.as_str().and_then(crate::refs::component_name);
        match name.and_then(|name| Some((name, self.space.components.get(name)?))) {
            Some((name, id)) => {
                let nullable = self.schemas[name]
                    .as_object()
                    .is_some_and(|target| is_nullable(target) && !target.contains_key("$ref"));
                (Ty::Named(*id), nullable)
            }
            None => {
                self.warn(
                    format!("{at}/$ref"),
                    format!("{reference} names no component schema; read as untyped JSON"),
                );
                (Ty::Json, false)
            }
        }
    }

    /// A struct of `map`'s properties (and its additional properties).
    fn object(&mut self, map: &Map<String, Value>, hint: &str, at: &str) -> Struct {
        self.object_from(map, hint, at, &Origins::new())
    }

    /// [`Self::object`], for properties that may come from elsewhere
    /// (`origins`, of a merged `allOf`).
    fn object_from(
        &mut self,
        map: &Map<String, Value>,
        hint: &str,
        at: &str,
        origins: &Origins,
    ) -> Struct {
        let required = required(map);
        let mut fields = Vec::new();
        let empty = Map::new();
        let properties = map
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        // A required name with no property schema must be present, with any
        // value (JSON Schema's `required` on its own).
        let any = Value::Object(Map::new());
        let bare = required
            .iter()
            .filter(|name| !properties.contains_key(*name));
        {
            let mut sorted: Vec<(&String, &Value)> = properties
                .iter()
                .chain(bare.map(|name| (name, &any)))
                .collect();
            sorted.sort_by(|a, b| a.0.cmp(b.0));
            for (wire, schema) in sorted {
                let (property_at, property_hint) = match origins.get(wire) {
                    Some((pointer, owner)) => (pointer.clone(), format!("{owner}_{wire}")),
                    None => (
                        format!("{at}/properties/{}", escape_pointer_token(wire)),
                        format!("{hint}_{wire}"),
                    ),
                };
                fields.push(self.field(
                    wire,
                    schema,
                    required.contains(wire),
                    &property_hint,
                    &property_at,
                ));
            }
        }
        fields.extend(self.additional(map, hint, at));
        Struct { fields }
    }

    fn field(&mut self, wire: &str, schema: &Value, required: bool, hint: &str, at: &str) -> Field {
        let ty = self.ty(schema, hint, at);
        let (ty, presence) = match (required, ty) {
            (true, ty) => (ty, Presence::Required),
            (false, Ty::Option(inner)) => (*inner, Presence::Nullable),
            (false, ty) => (ty, Presence::Optional),
        };
        Field {
            name: String::new(),
            wire: wire.to_string(),
            constraints: super::constraints::of(schema, &ty),
            ty,
            presence,
            description: description(schema),
            default: schema.get("default").cloned(),
        }
    }

    /// The map field of an object with typed `additionalProperties`.
    fn additional(&mut self, map: &Map<String, Value>, hint: &str, at: &str) -> Option<Field> {
        let additional = map.get("additionalProperties")?;
        // `true` or `{}` allows any other property, which serde ignores.
        if !additional.is_object() || additional.as_object().is_some_and(Map::is_empty) {
            return None;
        }
        let value = self.ty(
            additional,
            &format!("{hint}_value"),
            &format!("{at}/additionalProperties"),
        );
        Some(Field {
            name: String::new(),
            wire: String::new(),
            ty: Ty::Map(Box::new(value)),
            presence: Presence::Flattened,
            description: None,
            default: None,
            constraints: Constraints::default(),
        })
    }

    fn union(
        &mut self,
        keyword: &str,
        alternatives: &[(usize, &Value)],
        hint: &str,
        at: &str,
    ) -> Vec<UnionVariant> {
        alternatives
            .iter()
            .map(|(index, schema)| {
                let variant_hint = match schema.get("title").and_then(Value::as_str) {
                    Some(title) => title.to_string(),
                    None => format!("{hint}_variant{index}"),
                };
                UnionVariant {
                    name: String::new(),
                    ty: self.ty(schema, &variant_hint, &format!("{at}/{keyword}/{index}")),
                }
            })
            .collect()
    }

    /// An `allOf`: one struct of every part's properties where each part
    /// is an object, else a struct that flattens each part.
    fn all_of(
        &mut self,
        map: &Map<String, Value>,
        parts: &[(usize, &Value)],
        hint: &str,
        at: &str,
    ) -> TypeKind {
        let mut merged = Map::new();
        let mut origins = Origins::new();
        let place = (at.to_string(), hint.to_string());
        if self.merge_map_into(&mut merged, &mut origins, map, &place) {
            return TypeKind::Struct(self.object_from(&merged, hint, at, &origins));
        }
        if let Some((index, part)) = self.scalar_all_of(map, parts) {
            return TypeKind::Newtype(self.ty(part, hint, &format!("{at}/allOf/{index}")));
        }
        // Parts that cannot merge (a union among them) are each flattened
        // into the struct; serde reads every part from the same object.
        let mut fields = Vec::new();
        for (index, part) in parts {
            let part_at = format!("{at}/allOf/{index}");
            if !self.object_like(part) {
                self.warn(
                    part_at,
                    "an `allOf` part that is not an object, beside parts that are: no value satisfies both; the part is ignored",
                );
                continue;
            }
            let ty = self.ty(part, &format!("{hint}_part{index}"), &part_at);
            fields.push(Field {
                name: String::new(),
                wire: String::new(),
                ty,
                presence: Presence::Flattened,
                description: None,
                default: None,
                constraints: Constraints::default(),
            });
        }
        if let Some(Value::Object(_)) = map.get("properties") {
            let own = self.object(map, &format!("{hint}_own"), at);
            fields.extend(own.fields);
        }
        TypeKind::Struct(Struct { fields })
    }

    /// For an `allOf` none of whose parts is an object (`allOf: [{$ref:
    /// UserId}, {type: string, description: ...}]`, a reference
    /// annotated), the part whose type the value has: the named one if
    /// there is one. A struct of such parts would read none of their values.
    fn scalar_all_of<'v>(
        &self,
        map: &Map<String, Value>,
        parts: &[(usize, &'v Value)],
    ) -> Option<(usize, &'v Value)> {
        let own_properties = map
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| !p.is_empty());
        if own_properties || parts.iter().any(|(_, part)| self.object_like(part)) {
            return None;
        }
        let named = parts.iter().find(|(_, part)| part.get("$ref").is_some());
        named.or(parts.first()).copied()
    }

    /// Whether a value of `schema` is a JSON object (through `$ref`s).
    fn object_like(&self, schema: &Value) -> bool {
        self.object_like_within(schema, crate::refs::MAX_LINKS)
    }

    /// [`Self::object_like`], following at most `links` references.
    fn object_like_within(&self, schema: &Value, mut links: usize) -> bool {
        let mut schema = schema;
        while links > 0 {
            links -= 1;
            let Some(map) = schema.as_object() else {
                return false;
            };
            if let Some(reference) = map.get("$ref") {
                let target = reference
                    .as_str()
                    .and_then(crate::refs::component_name)
                    .and_then(|name| self.schemas.get(name));
                match target {
                    Some(target) => schema = target,
                    None => return false,
                }
                continue;
            }
            return match shape(map) {
                Shape::Object(_) | Shape::Union(..) => true,
                Shape::AllOf(parts) => {
                    map.get("properties")
                        .and_then(Value::as_object)
                        .is_some_and(|p| !p.is_empty())
                        || parts
                            .iter()
                            .any(|(_, part)| self.object_like_within(part, links))
                }
                Shape::Alias(inner, _) => self.object_like_within(inner, links),
                Shape::Enum(_) => false,
                Shape::Plain => matches!(type_name(map), Some("object")),
            };
        }
        false
    }

    /// Merges the properties and `required` of `schema` (following `$ref`s
    /// and nested `allOf`s) into `merged`; false if some part is not an
    /// object, or the parts reference themselves.
    /// `place` is the pointer of `schema` and the type name it was written
    /// in; each property's origin is recorded in `origins`.
    fn merge_into(
        &mut self,
        merged: &mut Map<String, Value>,
        origins: &mut Origins,
        schema: &Value,
        place: &(String, String),
    ) -> bool {
        let Value::Object(map) = schema else {
            return schema == &Value::Bool(true);
        };
        if let Some(reference) = map.get("$ref") {
            let Some(name) = reference.as_str().and_then(crate::refs::component_name) else {
                return false;
            };
            let (Some(target), Some(id)) =
                (self.schemas.get(name), self.space.components.get(name))
            else {
                return false;
            };
            if !self.merging.insert(name.to_string()) {
                return false;
            }
            let target_place = (
                crate::error::pointer(["components", "schemas", name]),
                self.space.get(*id).name.clone(),
            );
            let merged_ok = self.merge_into(merged, origins, target, &target_place);
            self.merging.remove(name);
            return merged_ok;
        }
        self.merge_map_into(merged, origins, map, place)
    }

    /// [`Self::merge_into`] for a schema object that is no reference.
    fn merge_map_into(
        &mut self,
        merged: &mut Map<String, Value>,
        origins: &mut Origins,
        map: &Map<String, Value>,
        place: &(String, String),
    ) -> bool {
        let union = ["oneOf", "anyOf"]
            .iter()
            .any(|keyword| map.get(*keyword).is_some_and(|list| !presence_only(list)));
        if union || map.contains_key("enum") {
            return false;
        }
        match map.get("type").and_then(Value::as_str) {
            None | Some("object") => {}
            Some(_) => return false,
        }
        if let Some(Value::Array(parts)) = map.get("allOf") {
            for (index, part) in parts.iter().enumerate() {
                let part_place = (format!("{}/allOf/{index}", place.0), place.1.clone());
                if !self.merge_into(merged, origins, part, &part_place) {
                    return false;
                }
            }
        }
        if let Some(Value::Object(properties)) = map.get("properties") {
            let target = merged
                .entry("properties")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(target) = target {
                for (name, property) in properties {
                    target.insert(name.clone(), property.clone());
                    let pointer = format!("{}/properties/{}", place.0, escape_pointer_token(name));
                    origins.insert(name.clone(), (pointer, place.1.clone()));
                }
            }
        }
        if let Some(Value::Array(required)) = map.get("required") {
            let target = merged
                .entry("required")
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(target) = target {
                target.extend(required.iter().cloned());
            }
        }
        if let Some(additional) = map.get("additionalProperties") {
            merged.insert("additionalProperties".into(), additional.clone());
        }
        true
    }

    /// A type expression: no item of its own.
    fn plain(&mut self, schema: &Value, hint: &str, at: &str) -> Ty {
        let Value::Object(map) = schema else {
            // `true` / `false` schemas: any value (`false` holds none, so no
            // value is ever read or sent).
            return Ty::Json;
        };
        if crate::ir::multipart::is_file_part_marker(map) {
            return Ty::FilePart;
        }
        match type_name(map) {
            Some("string") => string_ty(map),
            Some("integer") => integer_ty(map),
            Some("number") => match map.get("format").and_then(Value::as_str) {
                Some("float") => Ty::F32,
                _ => Ty::F64,
            },
            Some("boolean") => Ty::Bool,
            Some("null") => Ty::Unit,
            Some("array") => self.array(map, hint, at),
            Some("object") => self.map(map, hint, at),
            None if map.contains_key("items") => self.array(map, hint, at),
            None if map.contains_key("additionalProperties") => self.map(map, hint, at),
            _ => Ty::Json,
        }
    }

    fn array(&mut self, map: &Map<String, Value>, hint: &str, at: &str) -> Ty {
        let item = match map.get("items") {
            Some(items @ Value::Object(_)) => {
                self.ty(items, &format!("{hint}_item"), &format!("{at}/items"))
            }
            _ => Ty::Json,
        };
        Ty::List(Box::new(item))
    }

    /// An object without properties: a map when its values are typed.
    fn map(&mut self, map: &Map<String, Value>, hint: &str, at: &str) -> Ty {
        match map.get("additionalProperties") {
            Some(additional @ Value::Object(inner)) if !inner.is_empty() => {
                let value = self.ty(
                    additional,
                    &format!("{hint}_value"),
                    &format!("{at}/additionalProperties"),
                );
                Ty::Map(Box::new(value))
            }
            _ => Ty::JsonObject,
        }
    }

    fn warn(&mut self, pointer: String, message: impl Into<String>) {
        self.space.warnings.push(Warning {
            pointer,
            message: message.into(),
        });
    }
}

/// What the value a newtype holds must satisfy; none for other kinds.
fn newtype_constraints(schema: &Value, kind: &TypeKind) -> Constraints {
    match kind {
        TypeKind::Newtype(ty) => super::constraints::of(schema, ty),
        _ => Constraints::default(),
    }
}

/// Which Rust shape `map` needs.
fn shape(map: &Map<String, Value>) -> Shape<'_> {
    for keyword in ["oneOf", "anyOf"] {
        if let Some(Value::Array(alternatives)) = map.get(keyword) {
            if presence_only(&map[keyword]) {
                continue;
            }
            let kept: Vec<(usize, &Value)> = alternatives
                .iter()
                .enumerate()
                .filter(|(_, alternative)| !is_null_schema(alternative))
                .collect();
            if let Some(values) = enum_of_alternatives(&kept) {
                return Shape::Enum(values);
            }
            match kept.as_slice() {
                [] => {}
                [(index, only)] => return Shape::Alias(only, format!("/{keyword}/{index}")),
                _ => return Shape::Union(if keyword == "oneOf" { "oneOf" } else { "anyOf" }, kept),
            }
        }
    }
    if let Some(Value::Array(parts)) = map.get("allOf") {
        let shaping: Vec<(usize, &Value)> = parts
            .iter()
            .enumerate()
            .filter(|(_, part)| shapes(part))
            .collect();
        let own_properties = map
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| !p.is_empty());
        match shaping.as_slice() {
            [] if !own_properties => {}
            [(index, only)] if !own_properties => {
                return Shape::Alias(only, format!("/allOf/{index}"));
            }
            _ => return Shape::AllOf(shaping),
        }
    }
    if let Some(values) = string_enum(map) {
        return if values.is_empty() {
            Shape::Plain
        } else {
            Shape::Enum(values.into_iter().map(|value| (value, None)).collect())
        };
    }
    let has_properties = map
        .get("properties")
        .and_then(Value::as_object)
        .is_some_and(|p| !p.is_empty());
    if has_properties && matches!(type_name(map), None | Some("object")) {
        return Shape::Object(map);
    }
    Shape::Plain
}

/// The values of a string enum, without `null`; `None` if `map` is not one.
fn string_enum(map: &Map<String, Value>) -> Option<Vec<String>> {
    let Some(Value::Array(values)) = map.get("enum") else {
        return None;
    };
    if !matches!(type_name(map), None | Some("string")) {
        return None;
    }
    let mut strings = Vec::new();
    for value in values {
        match value {
            Value::String(text) if !strings.contains(text) => strings.push(text.clone()),
            Value::String(_) | Value::Null => {}
            _ => return None,
        }
    }
    Some(strings)
}

/// A `oneOf` whose alternatives are each inline string enums (a value
/// with its own description, as specs document enum values): one enum of
/// them all, each value documented.
fn enum_of_alternatives(alternatives: &[(usize, &Value)]) -> Option<Vec<(String, Option<String>)>> {
    let mut values: Vec<(String, Option<String>)> = Vec::new();
    for (_, alternative) in alternatives {
        let map = alternative.as_object()?;
        if map.contains_key("$ref") {
            return None;
        }
        let description = description(alternative)
            .or_else(|| map.get("title").and_then(Value::as_str).map(String::from));
        for value in string_enum(map)? {
            if !values.iter().any(|(known, _)| *known == value) {
                values.push((value, description.clone()));
            }
        }
    }
    (!values.is_empty()).then_some(values)
}

/// Whether a schema constrains the value's shape (rather than only
/// describing it, as a part holding just a `description` does).
fn shapes(schema: &Value) -> bool {
    const SHAPING: [&str; 10] = [
        "$ref",
        "required",
        "type",
        "properties",
        "items",
        "oneOf",
        "anyOf",
        "allOf",
        "enum",
        "additionalProperties",
    ];
    match schema {
        Value::Object(map) => SHAPING.iter().any(|key| match map.get(*key) {
            Some(list) if matches!(*key, "oneOf" | "anyOf") => !presence_only(list),
            found => found.is_some(),
        }),
        _ => false,
    }
}

/// A `oneOf` / `anyOf` whose alternatives only say which properties must
/// be present (`anyOf: [{required: [tags]}, {required: [name]}]`, "one of
/// these at least"): it validates a value and shapes nothing, so it is no
/// union of untyped values, and no obstacle to merging an `allOf`.
fn presence_only(alternatives: &Value) -> bool {
    const PRESENCE: [&str; 5] = [
        "required",
        "minProperties",
        "maxProperties",
        "description",
        "title",
    ];
    alternatives.as_array().is_some_and(|list| {
        !list.is_empty()
            && list.iter().all(|alternative| {
                alternative.as_object().is_some_and(|map| {
                    !map.is_empty() && map.keys().all(|key| PRESENCE.contains(&key.as_str()))
                })
            })
    })
}

/// `{type: null}` or `{enum: [null]}`: an alternative that only says the
/// value may be `null`.
fn is_null_schema(schema: &Value) -> bool {
    let Value::Object(map) = schema else {
        return false;
    };
    type_name(map) == Some("null")
        || map
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| values.iter().all(Value::is_null) && !values.is_empty())
}

fn is_nullable(map: &Map<String, Value>) -> bool {
    map.get("nullable") == Some(&Value::Bool(true))
        || map
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| values.iter().any(Value::is_null))
        || ["oneOf", "anyOf"].iter().any(|keyword| {
            map.get(*keyword)
                .and_then(Value::as_array)
                .is_some_and(|alternatives| alternatives.iter().any(is_null_schema))
        })
}

fn type_name(map: &Map<String, Value>) -> Option<&str> {
    map.get("type").and_then(Value::as_str)
}

fn required(map: &Map<String, Value>) -> BTreeSet<String> {
    map.get("required")
        .and_then(Value::as_array)
        .map(|names| {
            names
                .iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

fn description(schema: &Value) -> Option<String> {
    schema
        .get("description")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(String::from)
}

/// A string, or the type its `format` names.
fn string_ty(map: &Map<String, Value>) -> Ty {
    map.get("format")
        .and_then(Value::as_str)
        .map_or(Ty::String, super::string_format_ty)
}

/// The integer type its `format` names; `i64` without one.
fn integer_ty(map: &Map<String, Value>) -> Ty {
    let int = match map.get("format").and_then(Value::as_str) {
        Some("int8") => IntType::I8,
        Some("uint8") => IntType::U8,
        Some("int16") => IntType::I16,
        Some("uint16") => IntType::U16,
        Some("int32" | "int") => IntType::I32,
        Some("uint32" | "uint") => IntType::U32,
        Some("uint64") => IntType::U64,
        _ => IntType::I64,
    };
    Ty::Integer(int)
}

//! Stage 3, types: the engine (progenitor, and typify inside it) turns the
//! component schemas into Rust types; our passes then fix what it gets wrong
//! for real servers.
//!
//! The engine is given only the schemas, not the operations: progenitor's
//! operation code ignores `security`, panics on several error schemas, sends
//! an `api-version` header and builds `//path` URLs from a base URL ending in
//! `/`. The client emitter (`client.rs`) writes the operations instead.

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use openapiv3::{Components, Info, OpenAPI, Paths};
use serde_json::Value;
use syn::{Item, parse_quote};

use crate::error::Error;
use crate::model::Api;
use crate::repair::Repair;

/// Keywords that are validation, not shape: they are checked by the client
/// before sending (`validate.rs`), never by deserialization, so a response
/// that breaks a request-side constraint still parses.
const VALIDATION_KEYWORDS: [&str; 9] = [
    "maxLength",
    "minLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
];

/// Runs the engine over the API's schemas and returns the items of the
/// `types` module, after our passes, and the repairs its input needed.
pub fn generate(path: &Path, api: &Api) -> Result<(Vec<Item>, Vec<Repair>), Error> {
    let mut schemas = serde_json::Map::new();
    for (name, schema) in &api.schemas {
        let mut value = serde_json::to_value(schema).map_err(|error| {
            Error::new(
                path,
                crate::error::pointer(["components", "schemas", name]),
                error.to_string(),
            )
        })?;
        strip_validation(&mut value);
        strip_titles(&mut value);
        schemas.insert(name.clone(), value);
    }
    let repairs = crate::repair::apply(&mut schemas);
    name_inline_types_apart(api, &mut schemas);
    key_by_type_name(api, &mut schemas);
    let stand_ins = crate::variants::before_engine(&mut schemas);
    let components: Components = serde_json::from_value(serde_json::json!({ "schemas": schemas }))
        .map_err(|error| Error::new(path, "/components", error.to_string()))?;
    let engine_spec = OpenAPI {
        openapi: "3.0.3".into(),
        info: Info {
            title: api.title.clone(),
            version: api.version.clone(),
            ..Info::default()
        },
        paths: Paths::default(),
        components: Some(components),
        ..OpenAPI::default()
    };

    let tokens = run_engine(&engine_spec).map_err(|message| {
        // Name the schema: rerun the engine on each schema with just what it
        // references, and blame the first that fails alone.
        let blamed = blame(&engine_spec);
        // The engine's key is the type name; the spec's is the component's.
        let component = blamed.map(|type_name| {
            api.schemas
                .keys()
                .find(|component| api.type_name(component) == *type_name)
                .cloned()
                .unwrap_or_else(|| type_name.clone())
        });
        let pointer = component.as_ref().map_or_else(
            || "/components/schemas".to_string(),
            |name| crate::error::pointer(["components", "schemas", name]),
        );
        let mut error = Error::new(path, pointer, message);
        error.untypable = component;
        error
    })?;

    let types_tokens = types_module_tokens(tokens)
        .ok_or_else(|| Error::new(path, "", "the engine emitted no `types` module"))?;
    let mut items = syn::parse2::<syn::File>(types_tokens)
        .map_err(|error| {
            Error::new(
                path,
                "",
                format!("the engine emitted code that does not parse: {error}"),
            )
        })?
        .items;
    crate::variants::after_engine(&mut items, &stand_ins);
    allow_large_unions(&mut items);

    apply_enum_aliases(api, &mut items);
    crate::fields::distinct_names(&mut items);
    crate::fields::apply(&mut items, &crate::fields::nullable_optional(api));
    let response_types = api
        .response_schemas()
        .iter()
        .map(|name| api.type_name(name))
        .collect();
    crate::enums::apply(&mut items, &response_types);
    drop_unused_defaults(&mut items);
    drop_placeholder_docs(&mut items);
    check_names(path, api, &items)?;
    Ok((items, repairs))
}

/// Removes the doc the engine gives a type whose schema has no description:
/// its own name in backticks (``/// `ErrorDetail` ``), which says nothing
/// rustdoc does not show already.
fn drop_placeholder_docs(items: &mut [Item]) {
    for item in items {
        let (ident, attrs) = match item {
            Item::Struct(item) => (&item.ident, &mut item.attrs),
            Item::Enum(item) => (&item.ident, &mut item.attrs),
            Item::Type(item) => (&item.ident, &mut item.attrs),
            _ => continue,
        };
        let placeholder = format!("`{ident}`");
        attrs.retain(|attr| match &attr.meta {
            syn::Meta::NameValue(doc) if doc.path.is_ident("doc") => !matches!(
                &doc.value,
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. })
                    if text.value() == placeholder
            ),
            _ => true,
        });
    }
}

/// The body of the engine's `pub mod types { ... }`, found among its
/// top-level tokens. Only that module is kept, so only it is parsed: the rest
/// of the engine's output is progenitor's own client, which `client.rs`
/// replaces, and parsing it cost more than the types themselves on small
/// specs.
fn types_module_tokens(tokens: proc_macro2::TokenStream) -> Option<proc_macro2::TokenStream> {
    use proc_macro2::{Delimiter, TokenTree};
    let mut after_mod = false;
    let mut named_types = false;
    for tree in tokens {
        match tree {
            TokenTree::Ident(ident) if ident == "mod" => after_mod = true,
            TokenTree::Ident(ident) if after_mod && ident == "types" => named_types = true,
            TokenTree::Group(group) if named_types && group.delimiter() == Delimiter::Brace => {
                return Some(group.stream());
            }
            _ => {
                after_mod = false;
                named_types = false;
            }
        }
    }
    None
}

/// Removes the functions of the engine's `defaults` module that no field
/// calls any more (the fields pass gives a nullable field a plain
/// `#[serde(default)]`), and the module if none is left: an unused function
/// would fail `-D warnings`.
fn drop_unused_defaults(items: &mut Vec<Item>) {
    let is_defaults = |item: &Item| matches!(item, Item::Mod(module) if module.ident == "defaults");
    // Calls are `defaults::name(...)` paths (in `impl Default` bodies and
    // other defaults) or `"defaults::name..."` strings in serde attributes.
    let mut used = DefaultsCalls::default();
    for item in items.iter_mut().filter(|item| !is_defaults(item)) {
        use syn::visit_mut::VisitMut;
        match item {
            // Types and their fields name them in attributes.
            Item::Struct(item) => {
                item.attrs
                    .iter_mut()
                    .for_each(|a| used.visit_attribute_mut(a));
                used.visit_fields_mut(&mut item.fields);
            }
            Item::Enum(item) => {
                item.attrs
                    .iter_mut()
                    .for_each(|a| used.visit_attribute_mut(a));
                for variant in &mut item.variants {
                    variant
                        .attrs
                        .iter_mut()
                        .for_each(|a| used.visit_attribute_mut(a));
                    used.visit_fields_mut(&mut variant.fields);
                }
            }
            // `impl Default` bodies call them. Other impls (`Display`,
            // `FromStr`, `TryFrom`, ...) do not, and are most of the code.
            Item::Impl(item)
                if item.trait_.as_ref().is_some_and(|(path, _)| {
                    path.segments.last().is_some_and(|s| s.ident == "Default")
                }) =>
            {
                used.visit_item_impl_mut(item)
            }
            Item::Impl(_) => {}
            other => used.visit_item_mut(other),
        }
    }
    for item in items.iter_mut() {
        if let Item::Mod(module) = item
            && module.ident == "defaults"
            && let Some((_, functions)) = &mut module.content
        {
            functions.retain(|function| match function {
                Item::Fn(function) => used.0.contains(&function.sig.ident.to_string()),
                _ => true,
            });
        }
    }
    items.retain(|item| {
        !matches!(item, Item::Mod(module)
            if module.ident == "defaults"
                && module.content.as_ref().is_some_and(|(_, items)| items.is_empty()))
    });
}

/// The names of the `defaults` functions called or named.
#[derive(Default)]
struct DefaultsCalls(BTreeSet<String>);

impl syn::visit_mut::VisitMut for DefaultsCalls {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        let mut segments = path.segments.iter().map(|segment| &segment.ident);
        while let Some(segment) = segments.next() {
            if segment == "defaults"
                && let Some(name) = segments.next()
            {
                self.0.insert(name.to_string());
            }
        }
        syn::visit_mut::visit_path_mut(self, path);
    }

    fn visit_attribute_mut(&mut self, attribute: &mut syn::Attribute) {
        if let syn::Meta::List(list) = &attribute.meta
            && list.path.is_ident("serde")
        {
            self.named_in(list.tokens.clone());
        }
    }
}

impl DefaultsCalls {
    /// Collects `"defaults::name"` string literals, at any depth of a
    /// `#[serde(...)]` list (`default = "defaults::name"`).
    fn named_in(&mut self, tokens: proc_macro2::TokenStream) {
        for tree in tokens {
            match tree {
                proc_macro2::TokenTree::Group(group) => self.named_in(group.stream()),
                proc_macro2::TokenTree::Literal(literal) => {
                    let text = literal.to_string();
                    if let Some(rest) = text.strip_prefix("\"defaults::") {
                        let name = rest
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        self.0.insert(name);
                    }
                }
                _ => {}
            }
        }
    }
}

/// The engine's unions (`oneOf`/`anyOf`) hold each variant inline, and a
/// spec's variants differ in size as its schemas do; boxing them would change
/// the public type, so clippy's `large_enum_variant` is allowed on exactly
/// those enums.
fn allow_large_unions(items: &mut [Item]) {
    for item in items {
        // A variant holding one of the generated types (a bare name; std
        // types are written with their full path) can be large; scalars
        // and strings cannot.
        let holds_generated_type = |field: &syn::Field| {
            matches!(&field.ty, syn::Type::Path(p)
            if p.path.leading_colon.is_none()
                && p.path.segments.len() == 1
                && !matches!(
                    p.path.segments[0].ident.to_string().as_str(),
                    "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "f32" | "f64" | "bool"
                ))
        };
        if let Item::Enum(union) = item
            && union
                .variants
                .iter()
                .any(|v| v.fields.iter().any(holds_generated_type))
        {
            union
                .attrs
                .push(syn::parse_quote!(#[allow(clippy::large_enum_variant)]));
        }
    }
}

thread_local! {
    /// Set while the engine runs on this thread, so its panics are reported
    /// as diagnostics without the panic hook also printing them.
    static IN_ENGINE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs progenitor over a schemas-only document. Its panics and errors are
/// returned as messages.
fn run_engine(spec: &OpenAPI) -> Result<proc_macro2::TokenStream, String> {
    static QUIET_HOOK: std::sync::Once = std::sync::Once::new();
    QUIET_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_ENGINE.with(|flag| flag.get()) {
                previous(info);
            }
        }));
    });
    let mut settings = progenitor_impl::GenerationSettings::default();
    settings.with_interface(progenitor_impl::InterfaceStyle::Positional);
    // Users compare values in their own tests and code; every generated type
    // can be `PartialEq` (floats and JSON values rule out `Eq`).
    settings.with_derive("PartialEq");
    // File properties of multipart bodies are marked `x-rust-type` for the
    // runtime crate (`multipart.rs`); every other crate a spec names there
    // is generated from its schema as before.
    settings.with_crate(
        crate::multipart::RUNTIME_CRATE,
        progenitor_impl::CrateVers::Any,
        None,
    );
    IN_ENGINE.with(|flag| flag.set(true));
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut generator = progenitor_impl::Generator::new(&settings);
        generator.generate_tokens(spec)
    }));
    IN_ENGINE.with(|flag| flag.set(false));
    match result {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(error)) => Err(format!("the types engine (progenitor) failed: {error}")),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown panic".into());
            let first_line = message.lines().next().unwrap_or_default().to_string();
            Err(format!(
                "the types engine (progenitor) cannot handle this schema: {first_line}"
            ))
        }
    }
}

/// The schema the engine fails on: the first, in name order, that fails
/// with just what it references. Halves are tried before single schemas,
/// so a spec of a thousand schemas needs about ten engine runs, not a
/// thousand; where a failure needs schemas from both halves, each schema
/// of the range is tried alone.
fn blame(spec: &OpenAPI) -> Option<String> {
    let components = spec.components.as_ref()?;
    let names: Vec<&str> = components.schemas.keys().map(String::as_str).collect();
    let fails = |names: &[&str]| {
        let mut part = spec.clone();
        part.components = Some(only_reachable(components, names));
        run_engine(&part).is_err()
    };
    let mut range = names.as_slice();
    while range.len() > 1 {
        let (first, second) = range.split_at(range.len() / 2);
        if fails(first) {
            range = first;
        } else if fails(second) {
            range = second;
        } else {
            break;
        }
    }
    let mut blamed = *range.iter().find(|name| fails(&[**name]))?;
    // A schema fails alone if a schema it references does: blame the one
    // that fails itself, so that only it is degraded, not its users.
    let mut tried = BTreeSet::from([blamed]);
    'deeper: loop {
        let reached = only_reachable(components, &[blamed]);
        for name in reached.schemas.keys() {
            let Some(name) = names.iter().find(|n| **n == name.as_str()) else {
                continue;
            };
            if tried.insert(name) && fails(&[name]) {
                blamed = name;
                continue 'deeper;
            }
        }
        return Some(blamed.to_string());
    }
}

/// The components restricted to `names` and the schemas they reference,
/// transitively.
fn only_reachable(components: &Components, names: &[&str]) -> Components {
    let mut keep = BTreeSet::new();
    let mut queue: Vec<String> = names.iter().map(|name| name.to_string()).collect();
    while let Some(next) = queue.pop() {
        if !keep.insert(next.clone()) {
            continue;
        }
        if let Some(schema) = components.schemas.get(&next) {
            let value = serde_json::to_value(schema).unwrap_or_default();
            crate::reach::collect_refs(&value, &mut queue);
        }
    }
    let mut out = Components::default();
    for name in keep {
        if let Some(schema) = components.schemas.get(&name) {
            out.schemas.insert(name, schema.clone());
        }
    }
    out
}

/// Removes validation keywords from every schema object, walking only the
/// keys that hold schemas, so a property that is merely *named* `pattern`
/// is untouched.
fn strip_validation(schema: &mut Value) {
    let Value::Object(map) = schema else {
        return;
    };
    for keyword in VALIDATION_KEYWORDS {
        map.remove(keyword);
    }
    for child in crate::subschemas::children_mut(map) {
        strip_validation(child);
    }
}

/// Removes `title` from a schema and the schemas inside it. The engine
/// names a type after its `title` rather than after where it sits, so the
/// `type` properties of two variants, both titled "Type" (as ElevenLabs'
/// generated spec has them), became one enum with the first one's values,
/// and a titled nullable enum's inner enum took its wrapper's name. A title
/// is an annotation (JSON Schema 2020-12, 9.1); the names it loses are the
/// engine's `{Component}{Property}` ones, which cannot collide.
fn strip_titles(schema: &mut Value) {
    let Value::Object(map) = schema else {
        return;
    };
    map.remove("title");
    for child in crate::subschemas::children_mut(map) {
        strip_titles(child);
    }
}

/// Gives an inline property schema its own name where the engine would
/// name it like a component. The engine names the type of property `p` of
/// `Parent` `ParentP`, and does not check that name against the
/// components: Vapi's `ToolCallResult.message` (an inline `oneOf`) and its
/// component `ToolCallResultMessage` were two types of one name. The
/// inline type is titled `ParentP2` (the first free suffix) instead; a
/// title is how the engine lets a schema name its own type.
fn name_inline_types_apart(api: &Api, schemas: &mut serde_json::Map<String, Value>) {
    use heck::{ToPascalCase, ToSnakeCase};
    let mut taken: BTreeSet<String> = schemas.keys().map(|name| api.type_name(name)).collect();
    for (name, schema) in schemas.iter_mut() {
        let parent = api.type_name(name);
        let Some(Value::Object(properties)) = schema.get_mut("properties") else {
            continue;
        };
        for (property, child) in properties.iter_mut() {
            let Value::Object(child) = child else {
                continue;
            };
            let engine_name = format!("{parent}_{}", property.to_snake_case()).to_pascal_case();
            if child.contains_key("$ref") || !taken.contains(&engine_name) {
                continue;
            }
            let own_name = (2..)
                .map(|suffix| format!("{engine_name}{suffix}"))
                .find(|candidate| !taken.contains(candidate))
                .unwrap_or_default();
            taken.insert(own_name.clone());
            child.insert("title".into(), Value::String(own_name));
        }
    }
}

/// Gives the engine each component whose Rust name had to be numbered
/// apart ([`crate::names::TypeNames`]) under that name, and points every
/// reference to it there: the engine names a component's type after its key,
/// and would have given `FooBar` and `foo_bar` one name.
fn key_by_type_name(api: &Api, schemas: &mut serde_json::Map<String, Value>) {
    let renamed: std::collections::BTreeMap<String, String> = api
        .type_names
        .renamed()
        .map(|(component, name)| {
            (
                format!("#/components/schemas/{component}"),
                name.to_string(),
            )
        })
        .collect();
    if renamed.is_empty() {
        return;
    }
    for (reference, name) in &renamed {
        let component = &reference["#/components/schemas/".len()..];
        if let Some(schema) = schemas.remove(component) {
            schemas.insert(name.clone(), schema);
        }
    }
    for schema in schemas.values_mut() {
        crate::reach::rewrite_refs(schema, &|reference| {
            renamed
                .get(reference)
                .map(|name| format!("#/components/schemas/{name}"))
        });
    }
}

/// Adds `#[serde(alias = "...")]` to enum variants whose schema declares
/// `x-enum-aliases`, so values the vendor really sends (such as Ravan's
/// `"inactive"`) map to the documented variant.
fn apply_enum_aliases(api: &Api, items: &mut [Item]) {
    for (schema_name, aliases) in &api.enum_aliases {
        let type_name = api.type_name(schema_name);
        for item in items.iter_mut() {
            let Item::Enum(item_enum) = item else {
                continue;
            };
            if item_enum.ident != type_name {
                continue;
            }
            for variant in &mut item_enum.variants {
                let Some(wire) = crate::fields::serde_rename(&variant.attrs) else {
                    continue;
                };
                for alias in aliases.get(&wire).into_iter().flatten() {
                    variant.attrs.push(parse_quote!(#[serde(alias = #alias)]));
                }
            }
        }
    }
}

/// Every type name the client refers to must exist in the engine's output.
fn check_names(path: &Path, api: &Api, items: &[Item]) -> Result<(), Error> {
    let defined: BTreeSet<String> = items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => Some(s.ident.to_string()),
            Item::Enum(e) => Some(e.ident.to_string()),
            Item::Type(t) => Some(t.ident.to_string()),
            _ => None,
        })
        .collect();
    let mut problems = Vec::new();
    for op in &api.operations {
        let used = op
            .bodies()
            .filter_map(|body| body.type_name().map(String::from))
            .chain(
                op.successes
                    .iter()
                    .filter_map(|case| case.body.type_name().map(String::from)),
            )
            .chain(op.errors.iter().filter_map(|case| case.type_name.clone()));
        for name in used {
            if !defined.contains(&name) {
                problems.push(crate::error::Problem {
                    pointer: crate::error::pointer(["paths", op.path.as_str(), op.method.key()]),
                    message: format!(
                        "the operation uses type `{name}`, which the types engine did not emit"
                    ),
                });
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::many(path, problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strip_validation_only_touches_schema_keywords() {
        let mut schema = json!({
            "type": "object",
            "properties": {
                "pattern": {"type": "string", "maxLength": 3, "pattern": "^a$"},
                "list": {"type": "array", "items": {"type": "integer", "minimum": 0}}
            }
        });
        strip_validation(&mut schema);
        assert_eq!(
            schema,
            json!({
                "type": "object",
                "properties": {
                    "pattern": {"type": "string"},
                    "list": {"type": "array", "items": {"type": "integer"}}
                }
            })
        );
    }
}

//! Client-side validation: a `Validate` impl for every request type, checking
//! the documented constraints (lengths, patterns, bounds, item counts) before
//! any byte is sent.
//!
//! The IR's types carry no constraint, so responses are never rejected for
//! one; here they come back, for requests only.

use std::collections::BTreeSet;
use std::path::Path;

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
use proc_macro2::Literal;
use syn::{Expr, Item, Stmt};

use super::syntax::{self, Holes, Template, bool_expr, ident, literal_expr, path_expr};

use crate::error::{Error, Problem, pointer};
use crate::ir::model::Api;
use crate::ir::{Field, Presence, Struct, Ty, TypeDef, TypeKind, TypeSpace};

/// A numeric bound, compared in a type that holds both it and every value
/// of the field exactly: `i128` for any Rust integer type, `f64` for `f32`
/// and `f64`. (Comparing integers as `f64` loses precision above 2^53.)
#[derive(Debug, Clone, Copy)]
enum Bound {
    Integer(i64),
    /// `f32` is whether the field is one (`format: float`); it widens to
    /// `f64` without loss.
    Number {
        bound: f64,
        f32: bool,
    },
}

impl Bound {
    /// The field's value and the bound, as the check compares them.
    fn operands(self, templates: &Templates) -> (Expr, Expr) {
        match self {
            Bound::Integer(bound) => (
                templates.as_i128.clone(),
                literal_expr(Literal::i128_unsuffixed(i128::from(bound))),
            ),
            Bound::Number { bound, f32: true } => (
                templates.as_f64.clone(),
                literal_expr(Literal::f64_suffixed(bound)),
            ),
            Bound::Number { bound, f32: false } => (
                templates.deref.clone(),
                literal_expr(Literal::f64_suffixed(bound)),
            ),
        }
    }
}

/// One rule on one value.
#[derive(Debug, Clone)]
enum Rule {
    MaxLength(usize),
    MinLength(usize),
    Pattern {
        source: String,
        description: String,
    },
    Minimum {
        bound: Bound,
        exclusive: bool,
    },
    Maximum {
        bound: Bound,
        exclusive: bool,
    },
    MaxItems(usize),
    MinItems(usize),
    /// Each item of an array, with these rules.
    Items(Vec<Rule>),
    /// A nested request type with its own `Validate` impl.
    Nested,
    /// The value is the engine's newtype for a named scalar schema (`struct
    /// Slot(pub u8)` with `Deref`); these rules apply to what it holds.
    Newtype(Vec<Rule>),
}

/// The request object schemas with something to check: a property with a
/// rule of its own, or one holding (directly or in a list) an object that
/// has one. Found as a fixpoint from none, so an object that checks nothing
/// gets no `Validate` impl, and nothing calls one for it.
pub fn checked_schemas(api: &Api) -> BTreeSet<String> {
    let request_schemas = api.request_schemas();
    let objects: Vec<(&String, &openapiv3::ObjectType)> = request_schemas
        .iter()
        .filter_map(|name| match api.schemas.get(name) {
            Some(ReferenceOr::Item(Schema {
                schema_kind: SchemaKind::Type(Type::Object(object)),
                ..
            })) => Some((name, object)),
            _ => None,
        })
        .collect();
    let mut patterns = std::collections::HashMap::new();
    let mut checked = BTreeSet::new();
    loop {
        // Problems are reported by `generate`, which finds the same rules.
        let mut finder = RuleFinder {
            api,
            checked: &checked,
            problems: Vec::new(),
            patterns: &mut patterns,
        };
        let next: BTreeSet<String> = objects
            .iter()
            .filter(|(_, object)| {
                object
                    .properties
                    .values()
                    .any(|property| !finder.rules(property, "").is_empty())
            })
            .map(|(name, _)| (*name).clone())
            .collect();
        // More checked objects can only add rules, so this ends.
        if next == checked {
            return checked;
        }
        checked = next;
    }
}

/// The `Validate` impls of the `checked` schemas ([`checked_schemas`]), for
/// the types [`validated`] names. Field names and types are the IR's: each
/// property is found by its wire name.
pub fn generate(
    path: &Path,
    api: &Api,
    checked: &BTreeSet<String>,
    space: &TypeSpace,
    split: Option<&crate::ir::features::Split>,
) -> Result<Vec<Item>, Error> {
    let mut impls =
        TEMPLATES.with(|templates| generate_with(templates, path, api, checked, space))?;
    // Each impl behind its type's features.
    if let Some(split) = split {
        let mut gates = super::features::Gates::new(split);
        for ((_, _, id, _, _), validate) in checked_structs(api, checked, space).zip(&mut impls) {
            if let Some(attribute) = gates.type_gate(id) {
                super::features::gate(validate, attribute);
            }
        }
    }
    Ok(impls)
}

fn generate_with(
    templates: &Templates,
    path: &Path,
    api: &Api,
    checked: &BTreeSet<String>,
    space: &TypeSpace,
) -> Result<Vec<Item>, Error> {
    let mut impls = Vec::new();
    let mut patterns = std::collections::HashMap::new();
    let mut finder = RuleFinder {
        api,
        checked,
        problems: Vec::new(),
        patterns: &mut patterns,
    };
    for (schema_name, object, _, def, fields) in checked_structs(api, checked, space) {
        let mut checks = Vec::new();
        for (property, property_schema) in &object.properties {
            let at = pointer(["components", "schemas", schema_name, "properties", property]);
            let rules = finder.rules(property_schema, &at);
            if rules.is_empty() {
                continue;
            }
            let Some(field) = fields.fields.iter().find(|field| field.wire == *property) else {
                finder.problems.push(Problem {
                    pointer: at,
                    message: format!(
                        "the IR has no field for property `{property}` of `{}` (a generator bug)",
                        def.name
                    ),
                });
                continue;
            };
            checks.push(field_checks(templates, field, property, &rules));
        }
        let name = ident(&def.name);
        let mut validate = templates
            .validate
            .fill(&Holes::default().ident("__Name", &name));
        if let Item::Impl(block) = &mut validate
            && let Some(syn::ImplItem::Fn(function)) = block.items.first_mut()
        {
            function.block.stmts.splice(0..0, checks);
        }
        impls.push(validate);
    }
    if finder.problems.is_empty() {
        Ok(impls)
    } else {
        Err(Error::many(path, finder.problems))
    }
}

/// The names of the types [`generate`] gives a `Validate` impl: what the
/// client checks a body with, known before the impls are built.
pub fn validated(api: &Api, checked: &BTreeSet<String>, space: &TypeSpace) -> BTreeSet<String> {
    checked_structs(api, checked, space)
        .map(|(_, _, _, def, _)| def.name.clone())
        .collect()
}

/// Each checked schema that is an object, with its IR type and struct.
fn checked_structs<'a>(
    api: &'a Api,
    checked: &'a BTreeSet<String>,
    space: &'a TypeSpace,
) -> impl Iterator<
    Item = (
        &'a String,
        &'a openapiv3::ObjectType,
        crate::ir::TypeId,
        &'a TypeDef,
        &'a Struct,
    ),
> {
    checked.iter().filter_map(|schema_name| {
        let Some(ReferenceOr::Item(schema)) = api.schemas.get(schema_name) else {
            return None;
        };
        let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
            return None;
        };
        let id = space.component(schema_name)?;
        let def = space.get(id);
        let TypeKind::Struct(fields) = &def.kind else {
            return None;
        };
        Some((schema_name, object, id, def, fields))
    })
}

/// Finds the rules of a schema, given which request objects are checked.
struct RuleFinder<'a> {
    api: &'a Api,
    /// Request objects with a `Validate` impl: a property holding one is
    /// `Rule::Nested`.
    checked: &'a BTreeSet<String>,
    /// Patterns that are not ECMA-262 regular expressions, by pointer.
    problems: Vec<Problem>,
    /// Each distinct pattern is compiled once: specs repeat them.
    patterns: &'a mut std::collections::HashMap<String, Result<(), String>>,
}

impl RuleFinder<'_> {
    /// The rules of the schema at `at`; a pattern that does not compile is
    /// added to `problems`.
    fn rules(&mut self, schema: &ReferenceOr<Box<Schema>>, at: &str) -> Vec<Rule> {
        let schema: Schema = match schema {
            ReferenceOr::Reference { reference } => {
                let Some(name) = reference.strip_prefix("#/components/schemas/") else {
                    return Vec::new();
                };
                match self.api.schemas.get(name) {
                    Some(ReferenceOr::Item(target)) => {
                        if matches!(target.schema_kind, SchemaKind::Type(Type::Object(_))) {
                            return if self.checked.contains(name) {
                                vec![Rule::Nested]
                            } else {
                                Vec::new()
                            };
                        }
                        // A named scalar is a newtype around the value.
                        let inner = self.rules(
                            &ReferenceOr::Item(Box::new(target.clone())),
                            &crate::error::pointer(["components", "schemas", name]),
                        );
                        return if inner.is_empty() {
                            inner
                        } else {
                            vec![Rule::Newtype(inner)]
                        };
                    }
                    _ => return Vec::new(),
                }
            }
            ReferenceOr::Item(schema) => (**schema).clone(),
        };
        let mut rules = Vec::new();
        match &schema.schema_kind {
            // A string enum is a Rust enum: only its listed values can be held,
            // so length and pattern rules (Vapi gives its enums `maxLength`)
            // have nothing to check.
            SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => {}
            // A string whose format has a Rust type (a UUID, a timestamp) is
            // held as that type: its format is its check, and a pattern or a
            // length would be checked against a text it does not keep.
            SchemaKind::Type(Type::String(string))
                if crate::ir::string_format_ty(&string_format(&string.format))
                    != crate::ir::Ty::String => {}
            SchemaKind::Type(Type::String(string)) => {
                rules.extend(string.max_length.map(Rule::MaxLength));
                rules.extend(string.min_length.map(Rule::MinLength));
                if let Some(source) = &string.pattern {
                    // Checked now, so a bad pattern is a diagnostic at generation
                    // time rather than an error at the user's first call. Each
                    // distinct pattern is compiled once: specs repeat them.
                    let verdict = self.patterns.entry(source.clone()).or_insert_with(|| {
                        regress::Regex::new(source)
                            .map(|_| ())
                            .map_err(|e| e.to_string())
                    });
                    if let Err(error) = verdict {
                        self.problems.push(Problem {
                            pointer: format!("{at}/pattern"),
                            message: format!(
                                "the pattern is not an ECMA-262 regular expression: {error}"
                            ),
                        });
                    }
                    rules.push(Rule::Pattern {
                        source: source.clone(),
                        description: schema.schema_data.description.clone().unwrap_or_default(),
                    });
                }
            }
            SchemaKind::Type(Type::Integer(integer)) => {
                rules.extend(integer.minimum.map(|value| Rule::Minimum {
                    bound: Bound::Integer(value),
                    exclusive: integer.exclusive_minimum,
                }));
                rules.extend(integer.maximum.map(|value| Rule::Maximum {
                    bound: Bound::Integer(value),
                    exclusive: integer.exclusive_maximum,
                }));
            }
            SchemaKind::Type(Type::Number(number)) => {
                // The engine's type for `format: float` is `f32`.
                let f32 = matches!(
                    number.format,
                    openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float)
                );
                rules.extend(number.minimum.map(|value| Rule::Minimum {
                    bound: Bound::Number { bound: value, f32 },
                    exclusive: number.exclusive_minimum,
                }));
                rules.extend(number.maximum.map(|value| Rule::Maximum {
                    bound: Bound::Number { bound: value, f32 },
                    exclusive: number.exclusive_maximum,
                }));
            }
            SchemaKind::Type(Type::Array(array)) => {
                rules.extend(array.max_items.map(Rule::MaxItems));
                rules.extend(array.min_items.map(Rule::MinItems));
                if let Some(items) = &array.items {
                    let item_rules = self.rules(items, &format!("{at}/items"));
                    if !item_rules.is_empty() {
                        rules.push(Rule::Items(item_rules));
                    }
                }
            }
            _ => {}
        }
        rules
    }
}

/// A string schema's `format`, as the spec spells it.
fn string_format(format: &openapiv3::VariantOrUnknownOrEmpty<openapiv3::StringFormat>) -> String {
    use openapiv3::{StringFormat, VariantOrUnknownOrEmpty};
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => "date".into(),
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => "date-time".into(),
        VariantOrUnknownOrEmpty::Item(_) | VariantOrUnknownOrEmpty::Empty => String::new(),
        VariantOrUnknownOrEmpty::Unknown(other) => other.clone(),
    }
}

/// The checks of one field, run on its value where it has one: a required
/// field always, an `Option` or `Nullable` one when set.
fn field_checks(templates: &Templates, field: &Field, wire: &str, rules: &[Rule]) -> Stmt {
    let name = ident(&field.name);
    let at = path_expr("at");
    let field_expr = syntax::str_literal(wire);
    let body = rule_checks(templates, rules, &at, &field_expr, &constant_prefix(wire));
    let optional = field.presence == Presence::Optional
        || (field.presence == Presence::Required && matches!(field.ty, Ty::Option(_)));
    let wrapper = match field.presence {
        _ if optional => &templates.if_some,
        Presence::Nullable => &templates.if_value,
        _ => &templates.required,
    };
    let mut statement = wrapper.fill(&Holes::default().ident("__name", &name));
    syntax::block_mut(&mut statement).extend(body);
    statement
}

/// The start of the names of a property's constants: its wire name in
/// upper snake case (`phone-number` gives `PHONE_NUMBER`).
fn constant_prefix(wire: &str) -> String {
    use heck::ToShoutySnakeCase;
    let name: String = wire
        .to_shouty_snake_case()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name
    } else {
        format!("FIELD_{name}")
    }
}

/// Checks of `value` against `rules`; `at` and `field` are expressions for
/// the path of the containing value and of this one, and `prefix` starts
/// the names of its constants (`LANGUAGE_PATTERN`, `TAGS_ITEM_PATTERN`).
fn rule_checks(t: &Templates, rules: &[Rule], at: &Expr, field: &Expr, prefix: &str) -> Vec<Stmt> {
    let mut checks = Vec::new();
    for rule in rules {
        let holes = Holes::default().expr("__at", at).expr("__field", field);
        let limit = |limit: usize| literal_expr(Literal::usize_suffixed(limit));
        match rule {
            Rule::MaxLength(max) => {
                checks.push(t.max_length.fill(&holes.expr("__limit", &limit(*max))))
            }
            Rule::MinLength(min) => {
                checks.push(t.min_length.fill(&holes.expr("__limit", &limit(*min))))
            }
            Rule::Pattern {
                source,
                description,
            } => {
                let name = ident(&format!("{prefix}_PATTERN"));
                let holes = holes
                    .ident("__NAME", &name)
                    .str("__source", source)
                    .str("__description", description);
                checks.extend(t.pattern.iter().map(|template| template.fill(&holes)));
            }
            Rule::Minimum { bound, exclusive } | Rule::Maximum { bound, exclusive } => {
                let (value, limit) = bound.operands(t);
                let exclusive = bool_expr(*exclusive);
                let holes = holes
                    .expr("__value", &value)
                    .expr("__limit", &limit)
                    .expr("__exclusive", &exclusive);
                let template = match rule {
                    Rule::Minimum { .. } => &t.minimum,
                    _ => &t.maximum,
                };
                checks.push(template.fill(&holes));
            }
            Rule::MaxItems(max) => {
                checks.push(t.max_items.fill(&holes.expr("__limit", &limit(*max))))
            }
            Rule::MinItems(min) => {
                checks.push(t.min_items.fill(&holes.expr("__limit", &limit(*min))))
            }
            Rule::Nested => checks.push(t.nested.fill(&holes)),
            Rule::Newtype(inner_rules) => {
                let mut block = t.newtype.fill(&Holes::default());
                syntax::block_mut(&mut block).extend(rule_checks(
                    t,
                    inner_rules,
                    at,
                    field,
                    prefix,
                ));
                checks.push(block);
            }
            Rule::Items(item_rules) => {
                checks.push(t.list_at.fill(&holes));
                let mut each = t.each_item.fill(&Holes::default());
                let inner = rule_checks(
                    t,
                    item_rules,
                    &t.list_at_ref,
                    &t.index_text,
                    &format!("{prefix}_ITEM"),
                );
                syntax::block_mut(&mut each).extend(inner);
                checks.push(each);
            }
        }
    }
    checks
}

/// The fixed parts of the `Validate` impls, parsed once per thread:
/// `__Name` is the type, `__name` a field, `__NAME` a pattern's constant;
/// `__at`, `__field`, `__value`, `__limit` and `__exclusive` are
/// expressions, `"__source"` and `"__description"` string literals.
struct Templates {
    validate: Template<Item>,
    if_some: Template<Stmt>,
    if_value: Template<Stmt>,
    required: Template<Stmt>,
    max_length: Template<Stmt>,
    min_length: Template<Stmt>,
    pattern: [Template<Stmt>; 2],
    minimum: Template<Stmt>,
    maximum: Template<Stmt>,
    max_items: Template<Stmt>,
    min_items: Template<Stmt>,
    nested: Template<Stmt>,
    newtype: Template<Stmt>,
    list_at: Template<Stmt>,
    each_item: Template<Stmt>,
    list_at_ref: Expr,
    index_text: Expr,
    as_i128: Expr,
    as_f64: Expr,
    deref: Expr,
}

thread_local! {
    static TEMPLATES: Templates = Templates::new();
}

impl Templates {
    fn new() -> Self {
        use syn::parse_quote as parse;
        Templates {
            validate: Template::new(parse! {
                impl ::agent_clients_runtime::Validate for __Name {
                    fn validate(&self, at: &str) -> ::std::result::Result<(), ::agent_clients_runtime::InvalidRequest> {
                        Ok(())
                    }
                }
            }),
            if_some: Template::new(parse!(if let Some(value) = self.__name.as_ref() {})),
            if_value: Template::new(parse!(if let Some(value) = self.__name.as_value() {})),
            required: Template::new(parse!({
                let value = &self.__name;
            })),
            max_length: Template::new(parse! {
                ::agent_clients_runtime::check::max_length(__at, __field, value, __limit)?;
            }),
            min_length: Template::new(parse! {
                ::agent_clients_runtime::check::min_length(__at, __field, value, __limit)?;
            }),
            pattern: [
                Template::new(parse! {
                    static __NAME: ::agent_clients_runtime::check::Pattern =
                        ::agent_clients_runtime::check::Pattern::new("__source", "__description");
                }),
                Template::new(parse! {
                    ::agent_clients_runtime::check::pattern(__at, __field, value, &__NAME)?;
                }),
            ],
            minimum: Template::new(parse! {
                ::agent_clients_runtime::check::minimum(__at, __field, __value, __limit, __exclusive)?;
            }),
            maximum: Template::new(parse! {
                ::agent_clients_runtime::check::maximum(__at, __field, __value, __limit, __exclusive)?;
            }),
            max_items: Template::new(parse! {
                ::agent_clients_runtime::check::max_items(__at, __field, value.len(), __limit)?;
            }),
            min_items: Template::new(parse! {
                ::agent_clients_runtime::check::min_items(__at, __field, value.len(), __limit)?;
            }),
            nested: Template::new(parse! {
                ::agent_clients_runtime::Validate::validate(value, &::agent_clients_runtime::check::join(__at, __field))?;
            }),
            newtype: Template::new(parse!({
                let value = &**value;
            })),
            list_at: Template::new(parse! {
                let list_at = ::agent_clients_runtime::check::join(__at, __field);
            }),
            each_item: Template::new(parse!(for (index, value) in value.iter().enumerate() {})),
            list_at_ref: parse!(&list_at),
            index_text: parse!(&::std::format!("[{index}]")),
            as_i128: parse!(i128::from(*value)),
            as_f64: parse!(f64::from(*value)),
            deref: parse!(*value),
        }
    }
}

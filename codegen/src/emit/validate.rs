//! The `Validate` impls: the checks the IR decided for each request struct
//! ([`crate::ir::validation`]), printed. It decides nothing: which structs
//! are checked, which rules apply and how each reaches its value are the
//! IR's.

use proc_macro2::Literal;
use syn::{Expr, Item, Stmt};

use super::syntax::{self, Holes, Template, bool_expr, ident, literal_expr, path_expr};

use crate::ir::{Bound, Check, Field, FieldChecks, Presence, Rule, Ty, TypeKind, TypeSpace};

/// The `Validate` impl of every struct the IR checks, in name order (the
/// order of the types they follow), each behind its type's features in a
/// split client.
pub fn items(space: &TypeSpace, split: Option<&crate::ir::features::Split>) -> Vec<Item> {
    let mut gates = split.map(super::features::Gates::new);
    TEMPLATES.with(|templates| {
        let mut validated: Vec<_> = space.validations().iter().collect();
        validated.sort_by(|a, b| space.get(*a.0).name.cmp(&space.get(*b.0).name));
        validated
            .into_iter()
            .filter_map(|(id, fields)| {
                let def = space.get(*id);
                let TypeKind::Struct(object) = &def.kind else {
                    return None;
                };
                let mut validate = impl_item(templates, &def.name, &object.fields, fields);
                if let Some(attribute) = gates.as_mut().and_then(|gates| gates.type_gate(*id)) {
                    super::features::gate(&mut validate, attribute);
                }
                Some(validate)
            })
            .collect()
    })
}

fn impl_item(templates: &Templates, name: &str, fields: &[Field], checked: &[FieldChecks]) -> Item {
    let name = ident(name);
    let mut validate = templates
        .validate
        .fill(&Holes::default().ident("__Name", &name));
    let checks = checked
        .iter()
        .map(|field| field_checks(templates, &fields[field.field], &field.checks));
    if let Item::Impl(block) = &mut validate
        && let Some(syn::ImplItem::Fn(function)) = block.items.first_mut()
    {
        function.block.stmts.splice(0..0, checks);
    }
    validate
}

/// The checks of one field, run on its value where it has one: a required
/// field always, an `Option` or `Nullable` one when set.
fn field_checks(templates: &Templates, field: &Field, checks: &[Check]) -> Stmt {
    let name = ident(&field.name);
    let at = path_expr("at");
    let field_expr = syntax::str_literal(&field.wire);
    let prefix = constant_prefix(&field.wire);
    let (wrapper, checks) = match (field.presence, checks) {
        (Presence::Optional, _) => (&templates.if_some, checks),
        (Presence::Nullable, _) => (&templates.if_value, checks),
        // A required field that may be `null`: checked when it is not.
        (_, [Check::IfSome(inner)]) if matches!(field.ty, Ty::Option(_)) => {
            (&templates.if_some, inner.as_slice())
        }
        _ => (&templates.required, checks),
    };
    let body = rule_checks(templates, checks, &at, &field_expr, &prefix);
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

/// The field's value and the bound, as the check compares them.
fn operands(bound: Bound, templates: &Templates) -> (Expr, Expr) {
    match bound {
        Bound::Integer(bound) => (
            templates.as_i128.clone(),
            literal_expr(Literal::i128_unsuffixed(bound)),
        ),
        Bound::Number { bound, f32: true } => (
            templates.as_f64.clone(),
            literal_expr(Literal::f64_suffixed(bound)),
        ),
        Bound::Number { bound, f32: false } => (
            templates.copy.clone(),
            literal_expr(Literal::f64_suffixed(bound)),
        ),
    }
}

/// `checks` of `value`; `at` and `field` are expressions for the path of
/// the containing value and of this one, and `prefix` starts the names of
/// its constants (`LANGUAGE_PATTERN`, `TAGS_ITEM_PATTERN`).
fn rule_checks(
    t: &Templates,
    checks: &[Check],
    at: &Expr,
    field: &Expr,
    prefix: &str,
) -> Vec<Stmt> {
    let mut statements = Vec::new();
    // Each pattern's `static` is named apart from the others of its block
    // (a schema and the one it composes may each have a pattern).
    let mut patterns = 0;
    for check in checks {
        let holes = Holes::default().expr("__at", at).expr("__field", field);
        match check {
            Check::Rule(rule) => {
                let name = match patterns {
                    0 => format!("{prefix}_PATTERN"),
                    n => format!("{prefix}_PATTERN_{}", n + 1),
                };
                patterns += usize::from(matches!(rule, Rule::Pattern { .. }));
                statements.extend(rule_statements(t, rule, holes, &name));
            }
            Check::Nested => statements.push(t.nested.fill(&holes)),
            Check::IfSome(inner) | Check::Deref(inner) => {
                let wrapper = match check {
                    Check::IfSome(_) => &t.if_some_value,
                    _ => &t.deref,
                };
                let mut block = wrapper.fill(&Holes::default());
                syntax::block_mut(&mut block).extend(rule_checks(t, inner, at, field, prefix));
                statements.push(block);
            }
            Check::EachItem(inner) => {
                statements.push(t.list_at.fill(&holes));
                let mut each = t.each_item.fill(&Holes::default());
                let item_prefix = format!("{prefix}_ITEM");
                let item = rule_checks(t, inner, &t.list_at_ref, &t.index_text, &item_prefix);
                syntax::block_mut(&mut each).extend(item);
                statements.push(each);
            }
        }
    }
    statements
}

/// The statements that check one rule; a pattern's `static` is
/// `pattern_name`.
fn rule_statements(t: &Templates, rule: &Rule, holes: Holes, pattern_name: &str) -> Vec<Stmt> {
    let limit = |limit: u64| literal_expr(Literal::usize_suffixed(limit as usize));
    match rule {
        Rule::MaxLength(max) => vec![t.max_length.fill(&holes.expr("__limit", &limit(*max)))],
        Rule::MinLength(min) => vec![t.min_length.fill(&holes.expr("__limit", &limit(*min)))],
        Rule::MaxItems(max) => vec![t.max_items.fill(&holes.expr("__limit", &limit(*max)))],
        Rule::MinItems(min) => vec![t.min_items.fill(&holes.expr("__limit", &limit(*min)))],
        Rule::Pattern {
            source,
            description,
        } => {
            let name = ident(pattern_name);
            let holes = holes
                .ident("__NAME", &name)
                .str("__source", source)
                .str("__description", description);
            t.pattern
                .iter()
                .map(|template| template.fill(&holes))
                .collect()
        }
        Rule::Minimum { bound, exclusive } | Rule::Maximum { bound, exclusive } => {
            let (value, limit) = operands(*bound, t);
            let exclusive = bool_expr(*exclusive);
            let holes = holes
                .expr("__value", &value)
                .expr("__limit", &limit)
                .expr("__exclusive", &exclusive);
            let template = match rule {
                Rule::Minimum { .. } => &t.minimum,
                _ => &t.maximum,
            };
            vec![template.fill(&holes)]
        }
    }
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
    if_some_value: Template<Stmt>,
    deref: Template<Stmt>,
    list_at: Template<Stmt>,
    each_item: Template<Stmt>,
    list_at_ref: Expr,
    index_text: Expr,
    as_i128: Expr,
    as_f64: Expr,
    /// The value itself, for an `f64` bound.
    copy: Expr,
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
            if_some_value: Template::new(parse!(if let Some(value) = value.as_ref() {})),
            deref: Template::new(parse!({
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
            copy: parse!(*value),
        }
    }
}

//! Which list operations are paginated by a cursor, and how.
//!
//! An operation is paginated when the spec says so with dropshot's
//! extension (`x-dropshot-pagination`: the cursor is the `page_token` query
//! parameter, the page's items are `items` and the next cursor
//! `next_page`), or an overlay says so with ours:
//!
//! ```yaml
//! x-agent-clients-pagination: {cursor: starting_after, items: data, next: next_cursor}
//! ```
//!
//! Such an operation gets a `…_stream` sibling that yields every item,
//! fetching each page when it is reached (`agent_clients_runtime::Pages`).
//! A declaration the operation does not bear out (no such optional query
//! parameter, no such properties of its JSON success body, items that are
//! not a list) is a warning, and the operation keeps its one-page method
//! only.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::ir::model::{ArgumentType, Operation, ParamKind, ParamLocation, SuccessBody};
use crate::ir::{Presence, Ty, TypeKind, TypeSpace};
use crate::load::Document;
use crate::normalize::Warning;

/// Our extension, for specs that document pagination in prose only.
pub const PAGINATION_EXTENSION: &str = "x-agent-clients-pagination";
/// dropshot's, which its specs (Oxide's) carry on every list operation.
const DROPSHOT_EXTENSION: &str = "x-dropshot-pagination";

/// How a list operation's pages follow each other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// The `…_stream` method that yields every item (named with the other
    /// sibling methods).
    pub fn_name: String,
    /// The optional string query parameter that carries the cursor.
    pub cursor: String,
    /// The success body's property holding the page's items.
    pub items: String,
    /// The success body's property holding the next page's cursor.
    pub next: String,
}

/// Each operation's pagination, as its extension declares it and its
/// parameters and success body bear out; a warning for each declaration
/// that does not hold.
pub fn read(document: &Document, operations: &mut [Operation], warnings: &mut Vec<Warning>) {
    for op in operations {
        let at = crate::error::pointer(["paths", &op.path, op.method.key()]);
        let node = &document.raw["paths"][&op.path][op.method.key()];
        let declared = match (node.get(PAGINATION_EXTENSION), node.get(DROPSHOT_EXTENSION)) {
            (Some(ours), _) => ours_declared(ours, &format!("{at}/{PAGINATION_EXTENSION}")),
            (None, Some(_)) => Ok(Declared {
                cursor: "page_token".into(),
                items: "items".into(),
                next: "next_page".into(),
                at: format!("{at}/{DROPSHOT_EXTENSION}"),
            }),
            (None, None) => continue,
        };
        match declared.and_then(|declared| checked(op, declared)) {
            Ok(pagination) => op.pagination = Some(pagination),
            Err((pointer, why)) => warnings.push(Warning {
                pointer,
                message: format!("{why}; `{}` gets no `_stream` method", op.fn_name),
            }),
        }
    }
}

/// A declaration, before it is checked against the operation.
struct Declared {
    cursor: String,
    items: String,
    next: String,
    at: String,
}

type Problem = (String, String);

/// Our extension's three names.
fn ours_declared(value: &Value, at: &str) -> Result<Declared, Problem> {
    let name = |key: &str| {
        value
            .get(key)
            .and_then(Value::as_str)
            .filter(|name| !name.is_empty())
            .map(str::to_string)
            .ok_or_else(|| {
                (
                    at.to_string(),
                    format!("`{PAGINATION_EXTENSION}` needs `{key}`, a property or parameter name"),
                )
            })
    };
    Ok(Declared {
        cursor: name("cursor")?,
        items: name("items")?,
        next: name("next")?,
        at: at.to_string(),
    })
}

/// The declaration, where the operation bears it out.
fn checked(op: &Operation, declared: Declared) -> Result<Pagination, Problem> {
    let fail = |why: String| Err((declared.at.clone(), why));
    let cursor = op
        .params
        .iter()
        .find(|param| param.location == ParamLocation::Query && param.name == declared.cursor);
    match cursor {
        Some(param) if !param.required && param.kind == ParamKind::String => {}
        _ => {
            return fail(format!(
                "the cursor `{}` is not an optional string query parameter of the operation",
                declared.cursor
            ));
        }
    }
    if !matches!(op.shared_success_body(), Some(SuccessBody::Json { .. })) {
        return fail("the operation's success body is not one JSON type".to_string());
    }
    // A stream method borrows its arguments for every page; bytes are owned.
    if op
        .arguments()
        .iter()
        .any(|a| matches!(a.ty, ArgumentType::Bytes))
    {
        return fail("the operation takes a body of bytes, which pages cannot share".to_string());
    }
    Ok(Pagination {
        fn_name: String::new(),
        cursor: declared.cursor,
        items: declared.items,
        next: declared.next,
    })
}

/// What the `…_stream` method of a paginated operation reads from a page,
/// in the IR's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageFields {
    /// The Rust field holding the items, and whether it is an `Option`.
    pub items: String,
    pub items_optional: bool,
    /// The Rust field holding the next cursor, and how it is held.
    pub next: String,
    pub next_presence: Presence,
    /// The item type, as the client names it (`types::Group`, `i64`).
    pub item_type: String,
}

/// The page fields of every paginated operation whose success type has
/// them, by operation method name; a warning for each that does not.
pub fn page_fields(
    operations: &[Operation],
    space: &TypeSpace,
    warnings: &mut Vec<Warning>,
) -> BTreeMap<String, PageFields> {
    let mut fields = BTreeMap::new();
    for op in operations {
        let Some(pagination) = &op.pagination else {
            continue;
        };
        match fields_of(op, pagination, space) {
            Ok(found) => {
                fields.insert(op.fn_name.clone(), found);
            }
            Err(why) => warnings.push(Warning {
                pointer: crate::error::pointer(["paths", &op.path, op.method.key()]),
                message: format!("{why}; `{}` gets no `_stream` method", op.fn_name),
            }),
        }
    }
    fields
}

fn fields_of(
    op: &Operation,
    pagination: &Pagination,
    space: &TypeSpace,
) -> Result<PageFields, String> {
    let Some(SuccessBody::Json { schema, .. }) = op.shared_success_body() else {
        return Err("the success body is not one JSON type".to_string());
    };
    let def = space
        .component(&schema)
        .map(|id| space.get(id))
        .ok_or_else(|| format!("the success body `{schema}` is not a component type"))?;
    let TypeKind::Struct(object) = &def.kind else {
        return Err(format!("the success body `{}` is not an object", def.name));
    };
    let field = |wire: &str| {
        object
            .fields
            .iter()
            .find(|field| field.wire == wire)
            .ok_or_else(|| format!("the success body `{}` has no property `{wire}`", def.name))
    };
    let items = field(&pagination.items)?;
    let next = field(&pagination.next)?;
    let (items_optional, list) = match (&items.presence, &items.ty) {
        (Presence::Required, Ty::List(inner)) => (false, inner),
        (Presence::Optional, Ty::List(inner)) => (true, inner),
        _ => return Err(format!("`{}` is not a list", pagination.items)),
    };
    let item_type = match list.as_ref() {
        Ty::Named(id) => format!("types::{}", space.get(*id).name),
        other => scalar_path(other)
            .ok_or_else(|| {
                format!(
                    "the items of `{}` are neither a named type nor a scalar",
                    pagination.items
                )
            })?
            .to_string(),
    };
    if next.ty != Ty::String
        || !matches!(
            next.presence,
            Presence::Required | Presence::Optional | Presence::Nullable
        )
    {
        return Err(format!("the cursor `{}` is not a string", pagination.next));
    }
    Ok(PageFields {
        items: items.name.clone(),
        items_optional,
        next: next.name.clone(),
        next_presence: next.presence,
        item_type,
    })
}

/// The path of a scalar item type.
fn scalar_path(ty: &Ty) -> Option<&'static str> {
    Some(match ty {
        Ty::String => "::std::string::String",
        Ty::Bool => "bool",
        Ty::F32 => "f32",
        Ty::F64 => "f64",
        Ty::Integer(int) => int.rust_name(),
        Ty::Uuid => "::uuid::Uuid",
        _ => return None,
    })
}

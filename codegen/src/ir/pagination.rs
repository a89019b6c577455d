//! Which list operations are paginated by a cursor, and how.
//!
//! An operation is paginated when the spec says so with dropshot's
//! extension (`x-dropshot-pagination`: the cursor is the `page_token` query
//! parameter, the page's items are `items` and the next cursor
//! `next_page`), with the cursor form of Speakeasy's or Fern's
//! (`x-speakeasy-pagination`, `x-fern-pagination`; other forms, offsets and
//! page numbers, are a warning), or an overlay says so with ours:
//!
//! ```yaml
//! x-agent-clients-pagination: {cursor: starting_after, items: data, next: next_cursor}
//! ```
//!
//! or when its success response declares a `Link` header (RFC 8288: the
//! server names the next page as `Link: <…>; rel="next"`, as GitHub does)
//! and its body is the list itself.
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
/// Speakeasy's and Fern's, in the SDK generators' specs; their cursor
/// forms are read (a top-level cursor parameter, items and next cursor).
const SPEAKEASY_EXTENSION: &str = "x-speakeasy-pagination";
const FERN_EXTENSION: &str = "x-fern-pagination";

/// A list operation whose pages follow each other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// The `…_stream` method that yields every item (named with the other
    /// sibling methods).
    pub fn_name: String,
    pub by: PageBy,
}

/// How the next page is found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageBy {
    Cursor {
        /// The optional string query parameter that carries the cursor.
        cursor: String,
        /// The success body's property holding the page's items.
        items: String,
        /// The success body's property holding the next page's cursor.
        next: String,
    },
    /// The success response's `Link` header names the next page; the
    /// success body is the page's items.
    Link,
}

impl Pagination {
    /// The query parameter that carries the cursor, if one does.
    pub fn cursor(&self) -> Option<&str> {
        match &self.by {
            PageBy::Cursor { cursor, .. } => Some(cursor),
            PageBy::Link => None,
        }
    }
}

/// Each operation's pagination, as its extension declares it and its
/// parameters and success body bear out; a warning for each declaration
/// that does not hold.
pub fn read(document: &Document, operations: &mut [Operation], warnings: &mut Vec<Warning>) {
    for op in operations {
        let at = crate::error::pointer(["paths", &op.path, op.method.key()]);
        let node = &document.raw["paths"][&op.path][op.method.key()];
        let extension = |name: &str| node.get(name).map(|value| (value, format!("{at}/{name}")));
        let declared = match (
            extension(PAGINATION_EXTENSION),
            extension(DROPSHOT_EXTENSION),
            extension(SPEAKEASY_EXTENSION),
            extension(FERN_EXTENSION),
        ) {
            (Some((ours, at)), ..) => ours_declared(ours, &at),
            (None, Some((_, at)), ..) => Ok(Declared {
                cursor: "page_token".into(),
                items: "items".into(),
                next: "next_page".into(),
                at,
            }),
            (None, None, Some((speakeasy, at)), _) => speakeasy_declared(speakeasy, &at),
            (None, None, None, Some((fern, at))) => fern_declared(fern, &at),
            (None, None, None, None) => {
                if declares_link(document, node) && op.arguments().iter().all(borrowable) {
                    op.pagination = Some(Pagination {
                        fn_name: String::new(),
                        by: PageBy::Link,
                    });
                }
                continue;
            }
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

/// Whether the operation's `2XX` responses declare a `Link` header (its
/// body is checked to be a list once the IR has typed it).
fn declares_link(document: &Document, operation: &Value) -> bool {
    let resolve = |value: &'_ Value| -> Option<Value> {
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => crate::refs::local_target(&document.raw, reference).cloned(),
            None => Some(value.clone()),
        }
    };
    let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
        return false;
    };
    responses
        .iter()
        .filter(|(status, _)| status.starts_with('2'))
        .filter_map(|(_, response)| resolve(response))
        .any(|response| {
            response
                .get("headers")
                .and_then(Value::as_object)
                .is_some_and(|headers| headers.keys().any(|name| name.eq_ignore_ascii_case("link")))
        })
}

/// Whether a stream method can lend the argument to every page: bytes are
/// owned, the rest borrowed or copied.
fn borrowable(argument: &crate::ir::model::Argument<'_>) -> bool {
    !matches!(argument.ty, ArgumentType::Bytes)
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

/// Speakeasy's cursor form: `type: cursor`, an input `{name, in:
/// parameters, type: cursor}`, and outputs `nextCursor` and `results` as
/// top-level JSONPaths (`$.next_cursor`).
fn speakeasy_declared(value: &Value, at: &str) -> Result<Declared, Problem> {
    let unsupported = |why: &str| {
        Err((
            at.to_string(),
            format!("{why}: only the cursor form with top-level fields is read"),
        ))
    };
    if value.get("type").and_then(Value::as_str) != Some("cursor") {
        return unsupported("not cursor pagination");
    }
    let cursor = value
        .get("inputs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|input| {
            input.get("type").and_then(Value::as_str) == Some("cursor")
                && input.get("in").and_then(Value::as_str) == Some("parameters")
        })
        .and_then(|input| input.get("name")?.as_str());
    let output = |key: &str| {
        value["outputs"][key]
            .as_str()
            .and_then(|path| top_level(path, "$."))
    };
    match (cursor, output("results"), output("nextCursor")) {
        (Some(cursor), Some(items), Some(next)) => Ok(Declared {
            cursor: cursor.to_string(),
            items,
            next,
            at: at.to_string(),
        }),
        _ => unsupported("no cursor parameter, or results and nextCursor deeper than the top"),
    }
}

/// Fern's cursor form: `cursor: $request.NAME`, `next_cursor:
/// $response.NAME`, `results: $response.NAME`.
fn fern_declared(value: &Value, at: &str) -> Result<Declared, Problem> {
    let path = |key: &str, root: &str| {
        value
            .get(key)?
            .as_str()
            .and_then(|path| top_level(path, root))
    };
    match (
        path("cursor", "$request."),
        path("results", "$response."),
        path("next_cursor", "$response."),
    ) {
        (Some(cursor), Some(items), Some(next)) => Ok(Declared {
            cursor,
            items,
            next,
            at: at.to_string(),
        }),
        _ => Err((
            at.to_string(),
            "not the cursor form with top-level fields, the only one read".to_string(),
        )),
    }
}

/// The one name after `root` in a path (`$.data` gives `data`), or `None`
/// for anything deeper.
fn top_level(path: &str, root: &str) -> Option<String> {
    let name = path.strip_prefix(root)?;
    let plain = !name.is_empty() && !name.contains(['.', '[', ']', '*']);
    plain.then(|| name.to_string())
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
    if !op.arguments().iter().all(borrowable) {
        return fail("the operation takes a body of bytes, which pages cannot share".to_string());
    }
    Ok(Pagination {
        fn_name: String::new(),
        by: PageBy::Cursor {
            cursor: declared.cursor,
            items: declared.items,
            next: declared.next,
        },
    })
}

/// What the `…_stream` method of a paginated operation reads from a page,
/// in the IR's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageFields {
    /// The Rust field holding the items (`0` for a list that is the whole
    /// body), and whether it is an `Option`.
    pub items: String,
    pub items_optional: bool,
    /// The Rust field holding the next cursor, and how it is held (`None`
    /// where the `Link` header names the next page).
    pub next: Option<(String, Presence)>,
    /// The item type, as the client names it (`types::Group`, `i64`).
    pub item_type: String,
    /// The success type, as the client names it (`types::GroupResultsPage`).
    pub page_type: String,
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
            // A `Link` header on a response that is not one list says
            // nothing of pages (GitHub's searches carry one). Only a
            // declaration is held to what it says.
            Err(_) if pagination.by == PageBy::Link => {}
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
    let page_type = format!("types::{}", def.name);
    let (cursor_items, cursor_next) = match &pagination.by {
        PageBy::Link => {
            let TypeKind::Newtype(Ty::List(inner)) = &def.kind else {
                return Err(format!("the success body `{}` is not a list", def.name));
            };
            return Ok(PageFields {
                items: "0".to_string(),
                items_optional: false,
                next: None,
                item_type: item_type(inner, space, "the success body")?,
                page_type,
            });
        }
        PageBy::Cursor { items, next, .. } => (items, next),
    };
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
    let items = field(cursor_items)?;
    let next = field(cursor_next)?;
    let (items_optional, list) = match (&items.presence, &items.ty) {
        (Presence::Required, Ty::List(inner)) => (false, inner),
        (Presence::Optional, Ty::List(inner)) => (true, inner),
        _ => return Err(format!("`{cursor_items}` is not a list")),
    };
    if next.ty != Ty::String
        || !matches!(
            next.presence,
            Presence::Required | Presence::Optional | Presence::Nullable
        )
    {
        return Err(format!("the cursor `{cursor_next}` is not a string"));
    }
    Ok(PageFields {
        items: items.name.clone(),
        items_optional,
        next: Some((next.name.clone(), next.presence)),
        item_type: item_type(list, space, &format!("`{cursor_items}`"))?,
        page_type,
    })
}

/// The client's name for the items of a list (`what`, for the message).
fn item_type(item: &Ty, space: &TypeSpace, what: &str) -> Result<String, String> {
    match item {
        Ty::Named(id) => Ok(format!("types::{}", space.get(*id).name)),
        other => scalar_path(other)
            .map(str::to_string)
            .ok_or_else(|| format!("the items of {what} are neither a named type nor a scalar")),
    }
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

//! Which list operations are paginated, and how: by a cursor, an offset,
//! a page number or a `Link` header.
//!
//! An operation is paginated when the spec says so with dropshot's
//! extension (`x-dropshot-pagination`: the cursor is the `page_token` query
//! parameter, the page's items are `items` and the next cursor
//! `next_page`), with Speakeasy's (`x-speakeasy-pagination`: the cursor
//! and offsetLimit forms) or Fern's (`x-fern-pagination`: the cursor form,
//! and the offset form, which counts items with a `step` and pages
//! without), or an overlay says so with ours:
//!
//! ```yaml
//! x-agent-clients-pagination: {cursor: starting_after, items: data, next: next_cursor}
//! x-agent-clients-pagination: {offset: skip, items: data}
//! x-agent-clients-pagination: {page: page, items: data}
//! ```
//!
//! An offset advances by the items each page holds; a page number counts
//! up by one from the parameter's `default` or `minimum` (else 1), the
//! first page being asked for with the parameter left out.
//!
//! or when its success response declares a `Link` header (RFC 8288: the
//! server names the next page as `Link: <…>; rel="next"`, as GitHub does)
//! and its body is the list itself.
//!
//! (After the type space, [`crate::ir::pages`] finds the fields each
//! page is read by.)
//!
//! Such an operation gets a `…_stream` sibling that yields every item,
//! fetching each page when it is reached (`agent_clients_runtime::Pages`).
//! A declaration the operation does not bear out (no such optional query
//! parameter, no such properties of its JSON success body, items that are
//! not a list) is a warning, and the operation keeps its one-page method
//! only.

use serde_json::Value;

use super::{Argument, ArgumentType, Operation, ParamKind, ParamLocation, SuccessBody};
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
    /// An optional integer query parameter counts the items before the
    /// page: the next page starts after the items received.
    Offset { offset: String, items: String },
    /// An optional integer query parameter numbers the pages, the first
    /// (sent as the parameter left out) being `first`.
    Number {
        page: String,
        items: String,
        first: i64,
    },
}

impl Pagination {
    /// The query parameter that says which page to fetch (a cursor, an
    /// offset, a page number), if one does; the `_stream` method sets it.
    pub fn position(&self) -> Option<&str> {
        match &self.by {
            PageBy::Cursor { cursor, .. } => Some(cursor),
            PageBy::Offset { offset, .. } => Some(offset),
            PageBy::Number { page, .. } => Some(page),
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
                by: DeclaredBy::Cursor {
                    cursor: "page_token".into(),
                    next: "next_page".into(),
                },
                items: "items".into(),
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
fn borrowable(argument: &Argument<'_>) -> bool {
    !matches!(argument.ty, ArgumentType::Bytes)
}

/// A declaration, before it is checked against the operation.
struct Declared {
    by: DeclaredBy,
    /// The success body's property holding the page's items.
    items: String,
    at: String,
}

/// What says which page comes next, as declared.
enum DeclaredBy {
    /// The cursor parameter, and the body's property with the next one.
    Cursor { cursor: String, next: String },
    /// The parameter counting the items before a page.
    Offset(String),
    /// The parameter numbering the pages.
    Number(String),
}

type Problem = (String, String);

/// Our extension: `items`, and `cursor` with `next`, or `offset`, or
/// `page`.
fn ours_declared(value: &Value, at: &str) -> Result<Declared, Problem> {
    let name = |key: &str| {
        value
            .get(key)
            .and_then(Value::as_str)
            .filter(|name| !name.is_empty())
            .map(str::to_string)
    };
    let needs = |what: &str| {
        (
            at.to_string(),
            format!("`{PAGINATION_EXTENSION}` needs {what}, each a property or parameter name"),
        )
    };
    let by = match (name("cursor"), name("next"), name("offset"), name("page")) {
        (Some(cursor), Some(next), None, None) => DeclaredBy::Cursor { cursor, next },
        (None, None, Some(offset), None) => DeclaredBy::Offset(offset),
        (None, None, None, Some(page)) => DeclaredBy::Number(page),
        _ => return Err(needs("`cursor` and `next`, or `offset`, or `page`")),
    };
    Ok(Declared {
        by,
        items: name("items").ok_or_else(|| needs("`items`"))?,
        at: at.to_string(),
    })
}

/// Speakeasy's forms: `type: cursor`, an input `{name, in: parameters,
/// type: cursor}`, and outputs `nextCursor` and `results` as top-level
/// JSONPaths (`$.next_cursor`); or `type: offsetLimit`, an input of type
/// `offset` or `page`, and `results`.
fn speakeasy_declared(value: &Value, at: &str) -> Result<Declared, Problem> {
    let unsupported = |why: &str| {
        Err((
            at.to_string(),
            format!("{why}: only the cursor and offsetLimit forms with top-level fields are read"),
        ))
    };
    let input = |kind: &str| {
        value
            .get("inputs")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|input| {
                input.get("type").and_then(Value::as_str) == Some(kind)
                    && input.get("in").and_then(Value::as_str) == Some("parameters")
            })
            .and_then(|input| Some(input.get("name")?.as_str()?.to_string()))
    };
    let output = |key: &str| {
        value["outputs"][key]
            .as_str()
            .and_then(|path| top_level(path, "$."))
    };
    let by = match value.get("type").and_then(Value::as_str) {
        Some("cursor") => match (input("cursor"), output("nextCursor")) {
            (Some(cursor), Some(next)) => DeclaredBy::Cursor { cursor, next },
            _ => return unsupported("no cursor parameter, or nextCursor deeper than the top"),
        },
        Some("offsetLimit") => match (input("offset"), input("page")) {
            (Some(offset), _) => DeclaredBy::Offset(offset),
            (None, Some(page)) => DeclaredBy::Number(page),
            (None, None) => return unsupported("no offset or page parameter"),
        },
        _ => return unsupported("neither cursor nor offsetLimit pagination"),
    };
    match output("results") {
        Some(items) => Ok(Declared {
            by,
            items,
            at: at.to_string(),
        }),
        None => unsupported("results deeper than the top"),
    }
}

/// Fern's forms: `cursor: $request.NAME`, `next_cursor: $response.NAME`,
/// `results: $response.NAME`; or `offset: $request.NAME` with `results`,
/// which counts pages, or with `step` (the page size), items.
fn fern_declared(value: &Value, at: &str) -> Result<Declared, Problem> {
    let path = |key: &str, root: &str| {
        value
            .get(key)?
            .as_str()
            .and_then(|path| top_level(path, root))
    };
    let by = match (
        path("cursor", "$request."),
        path("next_cursor", "$response."),
        path("offset", "$request."),
    ) {
        (Some(cursor), Some(next), None) => Some(DeclaredBy::Cursor { cursor, next }),
        (None, None, Some(offset)) if value.get("step").is_some() => {
            Some(DeclaredBy::Offset(offset))
        }
        (None, None, Some(page)) => Some(DeclaredBy::Number(page)),
        _ => None,
    };
    match (by, path("results", "$response.")) {
        (Some(by), Some(items)) => Ok(Declared {
            by,
            items,
            at: at.to_string(),
        }),
        _ => Err((
            at.to_string(),
            "not the cursor or offset form with top-level fields, the only ones read".to_string(),
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
    let (position, kind, what) = match &declared.by {
        DeclaredBy::Cursor { cursor, .. } => (cursor, ParamKind::String, "cursor"),
        DeclaredBy::Offset(offset) => (offset, ParamKind::Integer, "offset"),
        DeclaredBy::Number(page) => (page, ParamKind::Integer, "page number"),
    };
    let param = op
        .params
        .iter()
        .find(|param| param.location == ParamLocation::Query && &param.name == position);
    let param = match param {
        Some(param) if !param.required && param.kind == kind => param,
        _ => {
            let kind = if kind == ParamKind::String {
                "string"
            } else {
                "integer"
            };
            return fail(format!(
                "the {what} `{position}` is not an optional {kind} query parameter of the operation"
            ));
        }
    };
    if !matches!(op.shared_success_body(), Some(SuccessBody::Json { .. })) {
        return fail("the operation's success body is not one JSON type".to_string());
    }
    if !op.arguments().iter().all(borrowable) {
        return fail("the operation takes a body of bytes, which pages cannot share".to_string());
    }
    let items = declared.items;
    let by = match declared.by {
        DeclaredBy::Cursor { cursor, next } => PageBy::Cursor {
            cursor,
            items,
            next,
        },
        DeclaredBy::Offset(offset) => PageBy::Offset { offset, items },
        DeclaredBy::Number(page) => PageBy::Number {
            first: first_page(&param.schema),
            page,
            items,
        },
    };
    Ok(Pagination {
        fn_name: String::new(),
        by,
    })
}

/// The number of the first page: the parameter's `default`, else its
/// `minimum`, else 1 (what most APIs number from).
fn first_page(schema: &Value) -> i64 {
    schema
        .get("default")
        .or_else(|| schema.get("minimum"))
        .and_then(Value::as_i64)
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn by(declared: Result<Declared, Problem>) -> String {
        match declared.map(|declared| declared.by) {
            Ok(DeclaredBy::Cursor { cursor, next }) => format!("cursor {cursor} next {next}"),
            Ok(DeclaredBy::Offset(offset)) => format!("offset {offset}"),
            Ok(DeclaredBy::Number(page)) => format!("page {page}"),
            Err((_, why)) => format!("error: {why}"),
        }
    }

    #[test]
    fn ours_reads_a_cursor_an_offset_or_a_page_and_needs_items() {
        let ours = |value| by(ours_declared(&value, "/at"));
        assert_eq!(
            ours(json!({"cursor": "after", "next": "next", "items": "data"})),
            "cursor after next next"
        );
        assert_eq!(
            ours(json!({"offset": "skip", "items": "data"})),
            "offset skip"
        );
        assert_eq!(ours(json!({"page": "page", "items": "data"})), "page page");
        assert!(ours(json!({"offset": "skip"})).contains("needs `items`"));
        assert!(ours(json!({"offset": "skip", "page": "p", "items": "data"})).starts_with("error"));
    }

    #[test]
    fn speakeasy_offset_limit_is_an_offset_or_a_page_number() {
        let speakeasy = |kind: &str| {
            by(speakeasy_declared(
                &json!({
                    "type": "offsetLimit",
                    "inputs": [{"name": "p", "in": "parameters", "type": kind}],
                    "outputs": {"results": "$.data"}
                }),
                "/at",
            ))
        };
        assert_eq!(speakeasy("offset"), "offset p");
        assert_eq!(speakeasy("page"), "page p");
        assert!(speakeasy("limit").starts_with("error"));
    }

    #[test]
    fn fern_offset_counts_items_with_a_step_and_pages_without() {
        let fern = |value| by(fern_declared(&value, "/at"));
        assert_eq!(
            fern(
                json!({"offset": "$request.skip", "step": "$request.limit", "results": "$response.data"})
            ),
            "offset skip"
        );
        assert_eq!(
            fern(json!({"offset": "$request.page", "results": "$response.data"})),
            "page page"
        );
        assert!(fern(json!({"offset": "$request.page"})).starts_with("error"));
    }

    #[test]
    fn the_first_page_is_the_default_then_the_minimum_then_one() {
        assert_eq!(
            first_page(&json!({"type": "integer", "default": 0, "minimum": 1})),
            0
        );
        assert_eq!(first_page(&json!({"type": "integer", "minimum": 0})), 0);
        assert_eq!(first_page(&json!({"type": "integer"})), 1);
    }
}

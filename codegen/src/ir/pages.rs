//! The fields a paginated operation's pages are read by ([`PageFields`]),
//! found by wire name in the IR's struct, after the type space: the
//! second of pagination's two steps (the first, reading the declaration,
//! is [`crate::ir::model`]'s).

use std::collections::BTreeMap;

use crate::ir::model::{Operation, PageBy, Pagination, SuccessBody};
use crate::ir::{Presence, Ty, TypeId, TypeKind, TypeSpace};
use crate::normalize::Warning;

/// What the `…_stream` method of a paginated operation reads from a page,
/// in the IR's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageFields {
    /// The Rust field holding the items (`0` for a list that is the whole
    /// body), and whether it is an `Option`.
    pub items: String,
    pub items_optional: bool,
    /// The Rust field holding the next cursor, and how it is held (`None`
    /// where the `Link` header, an offset or a page number says which page
    /// is next).
    pub next: Option<(String, Presence)>,
    /// The item type: a named type or a scalar.
    pub item_type: Ty,
    /// The success type.
    pub page_type: TypeId,
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
    let Some(SuccessBody::Json { ty }) = op.shared_success_body() else {
        return Err("the success body is not one JSON type".to_string());
    };
    let def = space.get(ty);
    let page_type = ty;
    let (cursor_items, cursor_next) = match &pagination.by {
        PageBy::Link => {
            let TypeKind::Newtype(Ty::List(inner)) = &def.kind else {
                return Err(format!("the success body `{}` is not a list", def.name));
            };
            return Ok(PageFields {
                items: "0".to_string(),
                items_optional: false,
                next: None,
                item_type: item_type(inner, "the success body")?,
                page_type,
            });
        }
        PageBy::Cursor { items, next, .. } => (items, Some(next)),
        PageBy::Offset { items, .. } | PageBy::Number { items, .. } => (items, None),
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
    let (items_optional, list) = match (&items.presence, &items.ty) {
        (Presence::Required, Ty::List(inner)) => (false, inner),
        (Presence::Optional, Ty::List(inner)) => (true, inner),
        _ => return Err(format!("`{cursor_items}` is not a list")),
    };
    let next = match cursor_next {
        Some(cursor_next) => {
            let next = field(cursor_next)?;
            if next.ty != Ty::String
                || !matches!(
                    next.presence,
                    Presence::Required | Presence::Optional | Presence::Nullable
                )
            {
                return Err(format!("the cursor `{cursor_next}` is not a string"));
            }
            Some((next.name.clone(), next.presence))
        }
        None => None,
    };
    Ok(PageFields {
        items: items.name.clone(),
        items_optional,
        next,
        item_type: item_type(list, &format!("`{cursor_items}`"))?,
        page_type,
    })
}

/// The items of a list, where a page can yield them: a named type or a
/// scalar (`what`, for the message).
fn item_type(item: &Ty, what: &str) -> Result<Ty, String> {
    match item {
        Ty::Named(_) | Ty::String | Ty::Bool | Ty::F32 | Ty::F64 | Ty::Integer(_) | Ty::Uuid => {
            Ok(item.clone())
        }
        _ => Err(format!(
            "the items of {what} are neither a named type nor a scalar"
        )),
    }
}

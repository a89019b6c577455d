//! How a received body says which event it is (after the type space, whose
//! types it reads): what `webhooks::Event::parse` dispatches on.
//!
//! In order of preference:
//! 1. a property every event's body type declares with one value (a
//!    `const`, or a one-value `enum`: a union's tag), the same property for
//!    all of them: `type: email.sent`;
//! 2. the property the spec's overlay names with
//!    [`EVENT_KEY_EXTENSION`](crate::ir::model::EVENT_KEY_EXTENSION), whose
//!    value is the webhook's key (Chargebee's `event_type`);
//! 3. a spec with one event: every body is that event;
//! 4. none: a body is returned untyped, with the events it may be.
//!
//! Where some events' bodies have the tag and others do not, the others are
//! reached by key (`parse_as`) only.

use std::collections::BTreeMap;

use super::model::Api;
use super::{Presence, Ty, TypeId, TypeKind, TypeSpace};

/// What `parse` reads to pick the event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dispatch {
    /// The property `field` holds each event's own value (index-aligned
    /// with [`Api::events`]; `None` for an event whose body has none).
    Tag {
        field: String,
        values: Vec<Option<String>>,
    },
    /// The property `field` holds the event's key.
    Key { field: String },
    /// The spec declares one event.
    Only,
    /// Nothing tells the events apart.
    Unknown,
}

/// The dispatch of `api`'s events.
pub fn dispatch(api: &Api, space: &TypeSpace) -> Dispatch {
    if let Some(field) = &api.event_key {
        return Dispatch::Key {
            field: field.clone(),
        };
    }
    let tags: Vec<Vec<(String, String)>> = api
        .events
        .iter()
        .map(
            |event| match event.request.body.as_ref().and_then(|body| body.ty()) {
                Some(ty) => constant_fields(space, ty),
                None => Vec::new(),
            },
        )
        .collect();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (field, _) in tags.iter().flatten() {
        *counts.entry(field.as_str()).or_default() += 1;
    }
    // The property most events have; the first by name among equals.
    let best = counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(field, _)| field.to_string());
    match best {
        Some(field) if api.events.len() > 1 => {
            let values = tags
                .iter()
                .map(|fields| {
                    fields
                        .iter()
                        .find(|(name, _)| *name == field)
                        .map(|(_, value)| value.clone())
                })
                .collect();
            Dispatch::Tag { field, values }
        }
        _ if api.events.len() == 1 => Dispatch::Only,
        _ => Dispatch::Unknown,
    }
}

/// The required properties of type `id` (a struct, or a newtype of one)
/// that hold one string value, with that value.
fn constant_fields(space: &TypeSpace, id: TypeId) -> Vec<(String, String)> {
    let mut id = id;
    // A component that names another (`$ref` chains end in newtypes).
    for _ in 0..32 {
        match &space.get(id).kind {
            TypeKind::Newtype(Ty::Named(inner)) => id = *inner,
            TypeKind::Struct(object) => {
                return object
                    .fields
                    .iter()
                    .filter(|field| field.presence == Presence::Required)
                    .filter_map(|field| {
                        one_value(space, &field.ty).map(|value| (field.wire.clone(), value))
                    })
                    .collect();
            }
            _ => return Vec::new(),
        }
    }
    Vec::new()
}

/// The one value of a one-value string enum.
fn one_value(space: &TypeSpace, ty: &Ty) -> Option<String> {
    let Ty::Named(id) = ty else {
        return None;
    };
    match &space.get(*id).kind {
        TypeKind::Enum(variants) if variants.len() == 1 => Some(variants[0].value.clone()),
        TypeKind::Newtype(inner) => one_value(space, inner),
        _ => None,
    }
}

//! Step 4: what a request checks before any byte is sent.
//!
//! Every struct a request body can hold is a candidate. Its fields'
//! [`Constraints`] become [`Check`]s that follow each
//! field's final type (after `transform`): through an `Option`, a `Box`, a
//! newtype's `Deref` and each item of a list, down to the rule's own value.
//! A struct gets a `Validate` impl when some field checks something: a rule
//! of its own, or a struct that has one (found as a fixpoint from none, so
//! a struct that checks nothing gets no impl, and nothing calls one).
//!
//! The emitter prints these checks; it decides none of them. Responses are
//! never checked: the types carry no constraint a reader acts on.

use std::collections::{BTreeMap, BTreeSet};

use super::{Constraints, Presence, Rule, Ty, TypeId, TypeKind, TypeSpace};

/// One check of a request value, in the order the `Validate` impl runs
/// them.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// A rule on the value itself.
    Rule(Rule),
    /// The value is an `Option`: these, when it holds one.
    IfSome(Vec<Check>),
    /// The value holds another (a `Box`, or a newtype through `Deref`):
    /// these on what it holds.
    Deref(Vec<Check>),
    /// The value is a list: these on each item.
    EachItem(Vec<Check>),
    /// The value is a struct with a `Validate` impl of its own.
    Nested,
}

/// The checks of one field of a validated struct.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChecks {
    /// The field's index in its struct.
    pub field: usize,
    /// The checks of the field's value, its presence already unwrapped:
    /// they run when the field is set.
    pub checks: Vec<Check>,
}

/// Decides which structs a request checks, and how.
pub(super) fn decide(space: &mut TypeSpace, api: &crate::ir::model::Api) {
    let roots: Vec<TypeId> = api
        .request_schemas()
        .iter()
        .filter_map(|name| space.component(name))
        .collect();
    let structs: Vec<TypeId> = super::transform::reachable(space, roots)
        .into_iter()
        .filter(|id| matches!(space.get(*id).kind, TypeKind::Struct(_)))
        .collect();
    let mut validated = BTreeSet::new();
    let validations = loop {
        let next: BTreeMap<TypeId, Vec<FieldChecks>> = structs
            .iter()
            .filter_map(|id| {
                let checks = struct_checks(space, &validated, *id);
                (!checks.is_empty()).then_some((*id, checks))
            })
            .collect();
        // A struct validated can only add checks to those holding it, so
        // the set only grows, and this ends.
        let next_ids: BTreeSet<TypeId> = next.keys().copied().collect();
        if next_ids == validated {
            break next;
        }
        validated = next_ids;
    };
    space.validations = validations;
}

/// The checks of each field of struct `id` that checks something.
/// Flattened fields are left out: they have no name of their own to
/// report a failure under.
fn struct_checks(space: &TypeSpace, validated: &BTreeSet<TypeId>, id: TypeId) -> Vec<FieldChecks> {
    let TypeKind::Struct(object) = &space.get(id).kind else {
        return Vec::new();
    };
    object
        .fields
        .iter()
        .enumerate()
        .filter(|(_, field)| field.presence != Presence::Flattened)
        .map(|(index, field)| FieldChecks {
            field: index,
            checks: checks(space, validated, &field.ty, &field.constraints, 0),
        })
        .filter(|field| !field.checks.is_empty())
        .collect()
}

/// A newtype holding a newtype holding ... is followed this far; a spec
/// cannot make more than a few, but a cycle of aliases must still stop.
const MAX_NEWTYPES: usize = 32;

/// The checks of a value of type `ty` that must satisfy `constraints`.
fn checks(
    space: &TypeSpace,
    validated: &BTreeSet<TypeId>,
    ty: &Ty,
    constraints: &Constraints,
    newtypes: usize,
) -> Vec<Check> {
    let wrapped = |wrap: fn(Vec<Check>) -> Check, inner: &Ty| {
        let inner = checks(space, validated, inner, constraints, newtypes);
        if inner.is_empty() {
            Vec::new()
        } else {
            vec![wrap(inner)]
        }
    };
    match ty {
        Ty::Option(inner) => wrapped(Check::IfSome, inner),
        Ty::Boxed(inner) => wrapped(Check::Deref, inner),
        Ty::List(item) => {
            let mut list: Vec<Check> = constraints.rules.iter().cloned().map(Check::Rule).collect();
            let empty = Constraints::default();
            let item_constraints = constraints.items.as_deref().unwrap_or(&empty);
            let each = checks(space, validated, item, item_constraints, newtypes);
            if !each.is_empty() {
                list.push(Check::EachItem(each));
            }
            list
        }
        Ty::Named(id) if validated.contains(id) => vec![Check::Nested],
        Ty::Named(id) if newtypes < MAX_NEWTYPES => {
            let def = space.get(*id);
            let TypeKind::Newtype(inner) = &def.kind else {
                return Vec::new();
            };
            let held = checks(space, validated, inner, &def.constraints, newtypes + 1);
            if held.is_empty() {
                Vec::new()
            } else {
                vec![Check::Deref(held)]
            }
        }
        // An enum's listed values are its check; a map's values and a
        // union's alternatives are not checked.
        Ty::Named(_) | Ty::Open(_) | Ty::Map(_) => Vec::new(),
        _ => constraints.rules.iter().cloned().map(Check::Rule).collect(),
    }
}

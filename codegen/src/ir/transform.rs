//! Step 3: what the wire needs, decided on the named types.
//!
//! - [`open_response_enums`]: a string enum held by a type a server sends is
//!   `Open<_>`, so a value the spec does not list (yet) is kept as
//!   `Open::Unknown` instead of failing the whole response. A one-value
//!   enum (a constant, as a union's tag is) stays closed, so an untagged
//!   union tells its variants apart by it. A type sent
//!   both ways counts as a response type: failing to read a server's answer
//!   is the worse outcome. Requests keep the plain enum, so a caller can
//!   only send documented values.
//! - [`box_recursion`]: a type that holds itself by value (through a field,
//!   a variant or a newtype, not through a `Vec` or a map, which are already
//!   on the heap) holds it in a `Box`.

use std::collections::BTreeSet;

use super::{Ty, TypeId, TypeKind, TypeSpace};

/// Wraps the enum-typed fields and newtypes of every type a response can
/// contain in `Open`.
pub fn open_response_enums(space: &mut TypeSpace, api: &crate::ir::model::Api) {
    let roots: Vec<TypeId> = api
        .response_schemas()
        .iter()
        .filter_map(|name| space.component(name))
        .collect();
    // A one-value enum is a constant, a tag (`kind: [dog]`), not a set a
    // server may grow: opened, it would let an untagged union read a `dog`
    // as the `cat` variant listed first, losing what only a dog has.
    let enums: BTreeSet<TypeId> = space
        .ids()
        .filter(|id| matches!(&space.get(*id).kind, TypeKind::Enum(variants) if variants.len() > 1))
        .collect();
    for id in reachable(space, roots) {
        match &mut space.get_mut(id).kind {
            TypeKind::Struct(object) => {
                for field in &mut object.fields {
                    open(&mut field.ty, &enums);
                }
            }
            TypeKind::Newtype(ty) => open(ty, &enums),
            TypeKind::Enum(_) | TypeKind::Union(_) => {}
        }
    }
}

fn open(ty: &mut Ty, enums: &BTreeSet<TypeId>) {
    match ty {
        Ty::Named(id) if enums.contains(id) => {
            *ty = Ty::Open(Box::new(ty.clone()));
        }
        Ty::List(inner) | Ty::Map(inner) | Ty::Option(inner) | Ty::Boxed(inner) => {
            open(inner, enums);
        }
        _ => {}
    }
}

/// Every type reachable from `roots`, roots included.
pub(super) fn reachable(space: &TypeSpace, roots: Vec<TypeId>) -> BTreeSet<TypeId> {
    let mut seen = BTreeSet::new();
    let mut queue = roots;
    while let Some(id) = queue.pop() {
        if seen.insert(id) {
            each_held(&space.get(id).kind, &mut |ty| {
                ty.named(&mut |n| queue.push(n))
            });
        }
    }
    seen
}

/// Calls `visit` with each type expression a kind holds.
fn each_held(kind: &TypeKind, visit: &mut impl FnMut(&Ty)) {
    match kind {
        TypeKind::Struct(object) => object.fields.iter().for_each(|f| visit(&f.ty)),
        TypeKind::Union(variants) => variants.iter().for_each(|v| visit(&v.ty)),
        TypeKind::Newtype(ty) => visit(ty),
        TypeKind::Enum(_) => {}
    }
}

/// The named types `ty` holds by value (not behind a `Vec`, a map or a
/// `Box`).
fn held_by_value(ty: &Ty, out: &mut Vec<TypeId>) {
    match ty {
        Ty::Named(id) => out.push(*id),
        Ty::Option(inner) | Ty::Open(inner) => held_by_value(inner, out),
        _ => {}
    }
}

/// Boxes every field, variant or newtype that holds, by value, a type of
/// its own cycle.
pub fn box_recursion(space: &mut TypeSpace) {
    let component = strongly_connected(space);
    untype_alias_cycles(space, &component);
    for id in space.ids() {
        let same_cycle = |ty: &Ty| {
            let mut held = Vec::new();
            held_by_value(ty, &mut held);
            held.iter()
                .any(|other| component[other.0] == component[id.0])
        };
        let boxed = |ty: &mut Ty| {
            if same_cycle(ty) {
                *ty = Ty::Boxed(Box::new(ty.clone()));
            }
        };
        match &mut space.get_mut(id).kind {
            TypeKind::Struct(object) => object.fields.iter_mut().for_each(|f| boxed(&mut f.ty)),
            TypeKind::Union(variants) => variants.iter_mut().for_each(|v| boxed(&mut v.ty)),
            TypeKind::Newtype(ty) => boxed(ty),
            TypeKind::Enum(_) => {}
        }
    }
}

/// A cycle of newtypes only (`A: {$ref: B}`, `B: {allOf: [{$ref: A}]}`)
/// names no value at all: each is any JSON value, with a warning.
fn untype_alias_cycles(space: &mut TypeSpace, component: &[usize]) {
    let mut members: std::collections::BTreeMap<usize, Vec<TypeId>> = Default::default();
    for id in space.ids() {
        members.entry(component[id.0]).or_default().push(id);
    }
    for ids in members.values() {
        let all_newtypes = ids
            .iter()
            .all(|id| matches!(space.get(*id).kind, TypeKind::Newtype(_)));
        let cyclic = ids.len() > 1 || {
            let mut held = Vec::new();
            each_held(&space.get(ids[0]).kind, &mut |ty| {
                held_by_value(ty, &mut held)
            });
            held.contains(&ids[0])
        };
        if !(all_newtypes && cyclic) {
            continue;
        }
        for id in ids {
            let def = space.get_mut(*id);
            def.kind = TypeKind::Newtype(Ty::Json);
            let pointer = def.pointer.clone();
            space.warnings.push(crate::normalize::Warning {
                pointer,
                message: "the schema only refers to itself, through references: any JSON value"
                    .into(),
            });
        }
    }
}

/// The strongly connected component of each type in the graph of "holds by
/// value" (Kosaraju's two passes, iterative so a deep spec cannot overflow
/// the stack).
fn strongly_connected(space: &TypeSpace) -> Vec<usize> {
    let count = space.len();
    let edges: Vec<Vec<usize>> = space
        .ids()
        .map(|id| {
            let mut held = Vec::new();
            each_held(&space.get(id).kind, &mut |ty| held_by_value(ty, &mut held));
            held.into_iter().map(|t| t.0).collect()
        })
        .collect();
    let mut reverse = vec![Vec::new(); count];
    for (from, targets) in edges.iter().enumerate() {
        for &to in targets {
            reverse[to].push(from);
        }
    }
    // First pass: the order in which nodes finish.
    let mut visited = vec![false; count];
    let mut finished = Vec::with_capacity(count);
    for start in 0..count {
        if visited[start] {
            continue;
        }
        visited[start] = true;
        let mut stack = vec![(start, 0)];
        while let Some((node, next)) = stack.pop() {
            if let Some(&target) = edges[node].get(next) {
                stack.push((node, next + 1));
                if !visited[target] {
                    visited[target] = true;
                    stack.push((target, 0));
                }
            } else {
                finished.push(node);
            }
        }
    }
    // Second pass, on the reversed graph, in reverse finishing order.
    let mut component = vec![usize::MAX; count];
    for (label, &start) in finished.iter().rev().enumerate() {
        if component[start] != usize::MAX {
            continue;
        }
        component[start] = label;
        let mut stack = vec![start];
        while let Some(node) = stack.pop() {
            for &source in &reverse[node] {
                if component[source] == usize::MAX {
                    component[source] = label;
                    stack.push(source);
                }
            }
        }
    }
    component
}

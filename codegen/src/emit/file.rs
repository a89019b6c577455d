//! The generated file's parts from the IR: the `use` block, the `types`
//! module and the client, each laid out for [`crate::print::assemble`].
//!
//! The client is emitted on a helper thread beside the types
//! ([`crate::worker`]); both are built as syn items first, then printed.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{client, features, imports, types, validate, webhooks};
use crate::ir::lower::Ir;
use crate::print::{self, Part};
use crate::worker;

/// The three parts, in file order, and how long each emitter took.
pub struct Parts {
    pub parts: [Part; 3],
    pub types_time: Duration,
    pub client_time: Duration,
}

/// Emits and prints `ir`; with `mock`, the client has its `mock` module.
pub fn parts(ir: &Arc<Ir>, mock: bool) -> Parts {
    let shared = ir.clone();
    let client_job = move || {
        let start = Instant::now();
        let [uses, client] = client_parts(&shared, mock);
        (uses, client, start.elapsed())
    };
    let client = worker::spawn(client_job);
    let start = Instant::now();
    let types = print::part(type_items(ir));
    let types_time = start.elapsed();
    let (uses, client, client_time) = client.wait();
    Parts {
        parts: [uses, types, client],
        types_time,
        client_time,
    }
}

/// The client's `use` block and its items, printed.
fn client_parts(ir: &Ir, mock: bool) -> [Part; 2] {
    let mut items = client::generate(ir, mock);
    items.extend(webhooks::module(ir));
    let mut uses = imports::shorten(&mut items, &["types"]);
    if ir.split.is_some() {
        features::allow_unused_imports(&mut items);
        features::allow_unused_imports(&mut uses);
    }
    [print::uses_part(uses), print::part(items)]
}

/// The `types` module: every type of the space, then the `Validate` impls.
fn type_items(ir: &Ir) -> Vec<syn::Item> {
    let split = ir.split.as_ref();
    let validate_impls = validate::items(&ir.space, split);
    let mut gates = split.map(features::Gates::new);
    let mut type_items = types::items(&ir.space, gates.as_mut());
    type_items.extend(validate_impls);
    let mut types_module: syn::ItemMod = syn::parse_quote! {
        /// Types of the request and response bodies, generated from the
        /// spec's schemas.
        pub mod types {}
    };
    types_module.content = Some((Default::default(), type_items));
    imports::shorten_module(&mut types_module);
    let mut items = vec![syn::Item::Mod(types_module)];
    if split.is_some() {
        features::allow_unused_imports(&mut items);
    }
    items
}

//! The names of a mock builder's responders: `respond_{variant}` for each
//! documented success, then each documented error, distinct from the
//! builder's setters (one per argument) and its raw answers.

use std::collections::BTreeSet;

use heck::ToSnakeCase;

use crate::ir::model::Operation;

/// The raw answers every builder has.
const RAW_ANSWERS: [&str; 2] = ["respond_raw", "respond_with"];

/// The responder of each of `op`'s successes, then of each of its errors.
pub fn responder_names(op: &Operation) -> Vec<String> {
    let mut taken: BTreeSet<String> = op
        .arguments()
        .iter()
        .map(|argument| argument.name.to_string())
        .chain(RAW_ANSWERS.map(String::from))
        .collect();
    let variants = op.successes.iter().map(|case| &case.variant);
    variants
        .chain(op.errors.iter().map(|case| &case.variant))
        .map(|variant| {
            let wanted = format!("respond_{}", variant.to_snake_case());
            let name = super::rules::first_free(&wanted, &taken, "_");
            taken.insert(name.clone());
            name
        })
        .collect()
}

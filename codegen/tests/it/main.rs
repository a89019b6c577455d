//! The integration tests of `agent-clients-codegen`, as one binary, so the
//! generator and its dependencies are linked once.

// The library is `agent_clients_codegen`; the code here calls it `codegen`.
extern crate agent_clients_codegen as codegen;

#[path = "../common/mod.rs"]
mod common;

mod diagnostics;
mod spec_diff;
mod spec_examples;
mod valid_specs;
mod vendor_docs;

//! The integration tests of `agent-clients-codegen`, as one binary, so the
//! generator and its dependencies are linked once.

#[path = "../common/mod.rs"]
mod common;

mod diagnostics;
mod spec_diff;
mod spec_examples;
mod vendor_docs;

//! Turns one OpenAPI 3.0 or 3.1 document into the Rust source of one
//! `agent-clients` vendor module.
//!
//! The stages, one folder each, in order; each reads only what the one
//! before produced:
//!
//! 1. [`load`]: read YAML or JSON ([`load::yaml`]), bundle a multi-file
//!    spec into one document ([`load::bundle`]), apply the overlay of
//!    documented corrections ([`load::overlay`]), deserialize;
//! 2. [`normalize`] (run by `load` on the raw JSON, before it is typed):
//!    rewrite OpenAPI 3.1 into the 3.0 shape ([`normalize::upgrade`]),
//!    read every sloppy node leniently, with a warning, and rewrite what
//!    later stages cannot hold, meaning kept, as a repair;
//! 3. [`ir`], as one call ([`ir::lower`]): [`ir::validate`] and
//!    [`ir::model`] check what the generator supports and reduce the
//!    document to operations, parameters, bodies ([`ir::multipart`] for
//!    form-data), responses and credentials ([`ir::security`]); then every
//!    component schema becomes a named type of one [`ir::TypeSpace`], with
//!    every type, field and variant name decided once ([`ir::names`]);
//!    pages and the feature split are read off both;
//! 4. [`emit`]: syn items from the IR: the `types` module
//!    ([`emit::types`], with [`emit::validate`]'s `Validate` impls), the
//!    client ([`emit::client`]), absolute paths shortened behind `use`
//!    blocks where no name clashes ([`emit::imports`]), the two run side
//!    by side ([`emit::file`]);
//! 5. [`print`](mod@print): prettyplease, doc comments spaced and wrapped
//!    ([`print::docs`]), and the generated-file header (which lists every
//!    warning and repair).
//!
//! Every pass that walks schemas finds them through [`subschemas`],
//! resolves a typed `$ref` through [`refs`], and finds what a root reaches
//! through [`reach`]. Beside the stages, [`driver::sample`] builds a value
//! that satisfies a schema, and [`driver`] writes a program that calls
//! a sample of a generated client's operations with such values, against a
//! mock server that validates requests.
//!
//! The output is deterministic: schemas and operations are visited in
//! sorted order and the header holds only content hashes and versions.

// The stages, in order; each reads only what the one before produced.
pub mod emit;
pub mod ir;
pub mod load;
pub mod normalize;
pub mod print;

// Helpers the stages share, one concern each; they depend on no stage.
pub mod error;
pub mod media_kind;
pub mod reach;
pub mod refs;
pub mod subschemas;
pub mod worker;

// Beside the stages: spec evolution, the drift comparison, and the
// build-script API with the one place that writes files.
pub mod build_rs;
pub mod diff;
pub mod drift;
pub mod driver;
pub mod options;
pub mod write;

/// The helpers the integration tests use, for the unit tests too.
#[cfg(test)]
#[path = "../tests/common/mod.rs"]
mod test_support;

use std::path::Path;

pub use error::{Error, Problem};
pub use ir::names;
pub use load::Document;
pub use options::Options;

/// Generates the module source for the spec at `path`.
pub fn generate_file(path: &Path) -> Result<String, Error> {
    let document = load::load(path)?;
    generate_document(&document)
}

/// Generates the module source for the spec read from `path`, naming it
/// `display_path` in diagnostics and the generated header.
pub fn generate_file_as(path: &Path, display_path: &Path) -> Result<String, Error> {
    let document = load::load_as(path, display_path)?;
    generate_document(&document)
}

/// The source of a program that drives a sample of the operations of the
/// client generated from `document` (the crate `library`), and the plan it
/// follows ([`driver`]).
pub fn driver_document(
    document: &Document,
    library: &str,
) -> Result<(String, driver::Plan), Error> {
    let ir = ir::lower::lower(document, &Options::default())?;
    let plan = driver::plan(&ir.api, &ir.space);
    let source = driver::program(&ir.api, &plan, library).map_err(|error| {
        Error::new(
            &document.path,
            "",
            format!("the driver does not parse (a generator bug): {error}"),
        )
    })?;
    Ok((source, plan))
}

/// Generates the module source for an already loaded document.
pub fn generate_document(document: &Document) -> Result<String, Error> {
    generate_document_timed(document).map(|(source, _)| source)
}

/// Wall time of each stage of one generation, for benchmarks. The client
/// stage runs on a helper thread ([`worker`]), beside the types.
#[derive(Debug, Clone, Copy, Default)]
pub struct StageTimings {
    pub model: std::time::Duration,
    /// Building the IR, and finding which types get a `Validate` impl.
    pub ir: std::time::Duration,
    /// Emitting and printing the `types` module and its `Validate` impls.
    pub types: std::time::Duration,
    /// Emitting and printing the client, on a helper thread.
    pub client: std::time::Duration,
    /// Joining the printed parts, with the header.
    pub format: std::time::Duration,
}

/// [`generate_document`], also returning how long each stage took.
pub fn generate_document_timed(document: &Document) -> Result<(String, StageTimings), Error> {
    generate(document).map(|generated| (generated.source, generated.timings))
}

/// What one generation made.
#[derive(Debug)]
pub struct Generated {
    /// The module's source.
    pub source: String,
    /// Every warning: the document's, and each part the IR read as untyped
    /// JSON.
    pub warnings: Vec<normalize::Warning>,
    pub timings: StageTimings,
    /// The Cargo features the client is split into (empty when it is not):
    /// the including crate declares each ([`ir::features`]).
    pub features: Vec<ir::features::Feature>,
}

/// Generates the module for `document`.
///
/// The IR is built first; then the two halves of the file are printed on
/// two threads: the client (which needs the model, and which types have a
/// `Validate` impl) on a helper thread beside the types. Both only read the
/// IR and the model, so the output never depends on the threads.
///
/// A part of a schema the IR cannot type is untyped JSON, with a warning
/// naming it, rather than the spec refused whole; a strict spec is refused
/// on any warning instead.
pub fn generate(document: &Document) -> Result<Generated, Error> {
    generate_with(document, &Options::default())
}

/// [`generate`], as the caller asks ([`Options`]): strictly, split or
/// not, with or without the mock module, for `include!`, with its own
/// regenerate line.
pub fn generate_with(document: &Document, options: &Options) -> Result<Generated, Error> {
    let ir = std::sync::Arc::new(ir::lower::lower(document, options)?);
    let emitted = emit::file::parts(&ir, options.mock);
    let clock = std::time::Instant::now();
    let source = print::assemble(document, options, &ir.warnings, &emitted.parts);
    let timings = StageTimings {
        model: ir.timings.0,
        ir: ir.timings.1,
        types: emitted.types_time,
        client: emitted.client_time,
        format: clock.elapsed(),
    };
    Ok(Generated {
        source,
        warnings: document
            .warnings
            .iter()
            .chain(&ir.warnings)
            .cloned()
            .collect(),
        timings,
        features: ir
            .split
            .as_ref()
            .map_or_else(Vec::new, |split| split.features.clone()),
    })
}

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
//! 3. [`ir`]: [`ir::validate`] and [`ir::model`] check what the generator
//!    supports and reduce the document to operations, parameters, bodies
//!    ([`ir::multipart`] for form-data), responses and credentials
//!    ([`ir::security`]); then every component schema becomes a named type
//!    of one [`ir::TypeSpace`], with every type, field and variant name
//!    decided once ([`ir::names`]);
//! 4. [`emit`]: syn items from the IR: the `types` module
//!    ([`emit::types`], with [`emit::validate`]'s `Validate` impls), the
//!    client ([`emit::client`]), absolute paths shortened behind `use`
//!    blocks where no name clashes ([`emit::imports`]);
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

use emit::{client, imports};
use ir::model;

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
    let api = model::build(document)?;
    let plan = driver::plan(&api);
    let source = driver::program(&api, &plan, library).map_err(|error| {
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
    /// Waiting for the client, then joining the parts.
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
    if options.strict_for(document) && !document.warnings.is_empty() {
        return Err(strict_error(document, &[]));
    }
    let mut generated = generate_once(document, options)?;
    generated
        .warnings
        .splice(0..0, document.warnings.iter().cloned());
    Ok(generated)
}

/// One generation of `document`, as it is; its warnings are the IR's only.
fn generate_once(document: &Document, options: &Options) -> Result<Generated, Error> {
    let strict = options.strict_for(document);
    let mut timings = StageTimings::default();
    let mut clock = std::time::Instant::now();
    let mut lap = |slot: &mut std::time::Duration| {
        *slot = clock.elapsed();
        clock = std::time::Instant::now();
    };
    let api = std::sync::Arc::new(model::build_with(document, strict)?);
    lap(&mut timings.model);
    let space = std::sync::Arc::new(ir::TypeSpace::new(&api));
    // What the IR read as untyped JSON (schemas) or could not page.
    let mut late_warnings = space.warnings().to_vec();
    let pages = ir::pages::page_fields(&api.operations, &space, &mut late_warnings);
    if strict && !late_warnings.is_empty() {
        return Err(strict_error(document, &late_warnings));
    }
    // With the operations the model left out.
    let ir_warnings: Vec<normalize::Warning> =
        api.warnings.iter().cloned().chain(late_warnings).collect();
    let split =
        ir::features::split(&api, &space, options.features_for(document)).map(std::sync::Arc::new);
    lap(&mut timings.ir);
    // The client needs the model and the types (their names, and which
    // have a `Validate` impl); it is emitted on a helper thread while this
    // one emits the types.
    let mock = options.mock;
    let client = {
        let api = api.clone();
        let space = space.clone();
        let split = split.clone();
        worker::spawn(move || {
            let start = std::time::Instant::now();
            let printed = print_client(&api, &space, &pages, mock, split.as_deref());
            (printed, start.elapsed())
        })
    };
    let split = split.as_deref();
    let validate_impls = emit::validate::items(&space, split);
    let types_part = print::lay_out(&print_types(&space, validate_impls, split));
    lap(&mut timings.types);
    let ((uses, client_part), client_time) = client.wait();
    timings.client = client_time;
    // The parts the IR read as untyped JSON go in the header, beside the
    // document's own warnings.
    let parts = [uses, types_part, client_part];
    let source = print::assemble(document, options, &ir_warnings, &parts);
    lap(&mut timings.format);
    Ok(Generated {
        source,
        warnings: ir_warnings,
        timings,
        features: split.map_or_else(Vec::new, |split| split.features.clone()),
    })
}

/// A strict spec's warnings (the document's, then `more`), as errors.
fn strict_error(document: &Document, more: &[normalize::Warning]) -> Error {
    let problems = document
        .warnings
        .iter()
        .chain(more)
        .map(|warning| Problem {
            pointer: warning.pointer.clone(),
            message: format!("{} (an error: the spec is read strictly)", warning.message),
        })
        .collect();
    Error::many(&document.path, problems)
}

/// The `types` module, printed: the IR's items and their `Validate` impls.
fn print_types(
    space: &ir::TypeSpace,
    validate_impls: Vec<syn::Item>,
    split: Option<&ir::features::Split>,
) -> String {
    let mut gates = split.map(emit::features::Gates::new);
    let mut type_items = emit::types::items(space, gates.as_mut());
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
        emit::features::allow_unused_imports(&mut items);
    }
    print::print_items(items)
}

/// The client, printed: the file's `use` block, which goes before the
/// `types` module, and every item of the file after that module.
fn print_client(
    api: &model::Api,
    space: &ir::TypeSpace,
    pages: &std::collections::BTreeMap<String, ir::pages::PageFields>,
    mock: bool,
    split: Option<&ir::features::Split>,
) -> (print::Part, print::Part) {
    let mut items = client::generate(api, space, pages, mock, split);
    let mut uses = imports::shorten(&mut items, &["types"]);
    if split.is_some() {
        emit::features::allow_unused_imports(&mut items);
        emit::features::allow_unused_imports(&mut uses);
    }
    let uses = if uses.is_empty() {
        String::new()
    } else {
        print::print_items(uses) + "\n"
    };
    (
        print::lay_out(&uses),
        print::lay_out(&print::print_items(items)),
    )
}

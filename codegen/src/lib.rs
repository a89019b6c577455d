//! Turns one OpenAPI 3.0 or 3.1 document into the Rust source of one
//! `agent-clients` vendor module.
//!
//! The stages, each in its own module:
//!
//! 1. [`load`]: read YAML or JSON, apply the overlay of documented
//!    corrections ([`overlay`]), rewrite OpenAPI 3.1 into the 3.0 shape
//!    ([`upgrade`]), read every sloppy node leniently, with a warning
//!    ([`normalize`]), deserialize;
//! 2. [`validate`] and [`model`]: check what the generator supports
//!    (document-wide, then per operation) and reduce the document to
//!    operations, parameters, bodies ([`multipart`] for form-data),
//!    responses and credentials ([`security`]);
//! 3. [`types`]: the engine (progenitor with typify) emits the types, and our
//!    passes prepare its input ([`repair`], [`variants`]) and correct its output
//!    ([`fields`], [`enums`]); [`constraints`] adds client-side validation.
//!    Every pass that walks schemas finds them through [`subschemas`],
//!    resolves a typed `$ref` through [`refs`], and finds what a root
//!    reaches through [`reach`];
//! 4. [`client`]: emit the client and its operations on the runtime;
//! 5. [`imports`] shortens absolute paths behind `use` blocks where no name
//!    clashes; [`format`]: prettyplease, doc comments spaced and wrapped
//!    ([`docs`]), and the generated-file header (which lists every
//!    [`repair`] made to the spec).
//!
//! Beside the stages, [`sample`] builds a value that satisfies a schema,
//! and [`drive`] writes a program that calls a sample of a generated
//! client's operations with such values, against a mock server that
//! validates requests.
//!
//! The output is deterministic: schemas and operations are visited in
//! sorted order and the header holds only content hashes and versions.

pub mod bundle;
pub mod client;
pub mod constraints;
pub mod diff;
pub mod docs;
pub mod drift;
pub mod drive;
pub mod enums;
pub mod error;
pub mod fields;
pub mod format;
pub mod imports;
pub mod load;
pub mod media_kind;
pub mod model;
pub mod multipart;
pub mod names;
pub mod normalize;
pub mod overlay;
pub mod reach;
pub mod refs;
pub mod repair;
pub mod sample;
pub mod security;
pub mod subschemas;
pub mod types;
pub mod upgrade;
pub mod validate;
pub mod variants;
pub mod yaml;

/// The helpers the integration tests use, for the unit tests too.
#[cfg(test)]
#[path = "../tests/common/mod.rs"]
mod test_support;

use std::path::Path;

pub use error::{Error, Problem};
pub use load::Document;

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
/// follows ([`drive`]).
pub fn driver_document(document: &Document, library: &str) -> Result<(String, drive::Plan), Error> {
    let api = model::build(document)?;
    let plan = drive::plan(&api);
    let source = drive::program(&api, &plan, library).map_err(|error| {
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
/// stage runs on a second thread, beside the types and constraints stages.
#[derive(Debug, Clone, Copy, Default)]
pub struct StageTimings {
    pub model: std::time::Duration,
    pub types: std::time::Duration,
    pub constraints: std::time::Duration,
    /// Generating and printing the client, on its own thread.
    pub client: std::time::Duration,
    /// Printing the types, then joining the parts.
    pub format: std::time::Duration,
}

/// [`generate_document`], also returning how long each stage took.
pub fn generate_document_timed(document: &Document) -> Result<(String, StageTimings), Error> {
    generate(document).map(|generated| (generated.source, generated.timings))
}

/// What one generation made.
#[derive(Debug)]
pub struct Generated<'a> {
    /// The module's source.
    pub source: String,
    /// The document as generated: the one given, or a copy with the schemas
    /// the types engine could not type degraded to untyped JSON (what a
    /// driver of the client must be written from).
    pub document: std::borrow::Cow<'a, Document>,
    /// Every warning: the document's, and each schema degraded on the way.
    pub warnings: Vec<normalize::Warning>,
    pub timings: StageTimings,
}

/// Generates the module for `document`.
///
/// The two halves of the file are built on two threads: the client (which
/// needs only the model, and which types have a `Validate` impl) beside the
/// types (engine, passes, constraints). Which types will have the impl is
/// known from the model in advance; should the engine's output say
/// otherwise, the client is built again with the real set, so the output
/// never depends on the threads.
///
/// A component schema the types engine cannot type is degraded to untyped
/// JSON, with a warning naming it ([`load::degrade_schema`]), and the spec
/// is generated again, rather than refused whole for one schema.
pub fn generate(document: &Document) -> Result<Generated<'_>, Error> {
    /// More than this many schemas failing is not one sloppy part.
    const MAX_DEGRADED: usize = 64;
    let mut current = std::borrow::Cow::Borrowed(document);
    let mut degraded = 0;
    loop {
        if current.strict && !current.warnings.is_empty() {
            return Err(strict_error(&current));
        }
        match generate_once(&current) {
            Ok((source, timings)) => {
                return Ok(Generated {
                    source,
                    warnings: current.warnings.clone(),
                    document: current,
                    timings,
                });
            }
            // A strict spec is refused with the failure itself.
            Err(Error {
                untypable: Some(component),
                problems,
                ..
            }) if !current.strict && degraded < MAX_DEGRADED => {
                let reason = problems.first().map_or("", |p| p.message.as_str());
                current =
                    std::borrow::Cow::Owned(load::degrade_schema(&current, &component, reason)?);
                degraded += 1;
            }
            Err(error) => return Err(error),
        }
    }
}

/// One generation of `document`, as it is.
fn generate_once(document: &Document) -> Result<(String, StageTimings), Error> {
    let mut timings = StageTimings::default();
    let mut clock = std::time::Instant::now();
    let mut lap = |slot: &mut std::time::Duration| {
        *slot = clock.elapsed();
        clock = std::time::Instant::now();
    };
    let api = model::build(document)?;
    lap(&mut timings.model);
    let checked = constraints::checked_schemas(&api);
    let expected = constraints::expected_validated(&api, &checked);
    let (types, client) = std::thread::scope(|scope| {
        let client = scope.spawn(|| {
            let start = std::time::Instant::now();
            let printed = print_client(document, &api, &expected);
            (printed, start.elapsed())
        });
        let types = types_part(document, &api, &checked, &mut lap, &mut timings);
        // The client thread returns a value or carries a panic (a generator
        // bug) to here, as a panic on this thread would be.
        let client = client
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (types, client)
    });
    let (types_source, repairs, validated) = types?;
    let (client_source, client_time) = client;
    timings.client = client_time;
    let (uses, client_source) = if validated == expected {
        client_source?
    } else {
        print_client(document, &api, &validated)?
    };
    let parts = [&uses, &types_source, &client_source];
    let repairs: Vec<repair::Repair> = document.repairs.iter().cloned().chain(repairs).collect();
    let source = format::assemble(document, &repairs, &parts.map(String::as_str));
    lap(&mut timings.format);
    Ok((source, timings))
}

/// A strict spec's warnings, as errors.
fn strict_error(document: &Document) -> Error {
    let problems = document
        .warnings
        .iter()
        .map(|warning| Problem {
            pointer: warning.pointer.clone(),
            message: format!("{} (an error: the spec is read strictly)", warning.message),
        })
        .collect();
    Error::many(&document.path, problems)
}

/// The types stage: the `types` module printed, the repairs its schemas
/// needed, and the types that have a `Validate` impl.
fn types_part(
    document: &Document,
    api: &model::Api,
    checked: &std::collections::BTreeSet<String>,
    lap: &mut impl FnMut(&mut std::time::Duration),
    timings: &mut StageTimings,
) -> Result<
    (
        String,
        Vec<repair::Repair>,
        std::collections::BTreeSet<String>,
    ),
    Error,
> {
    let (mut type_items, repairs) = types::generate(&document.path, api)?;
    lap(&mut timings.types);
    let (validate_impls, validated) =
        constraints::generate(&document.path, api, checked, &type_items)?;
    type_items.extend(validate_impls);
    lap(&mut timings.constraints);
    // The engine writes `impl Default` by hand for an enum whose schema has
    // a `default`, which clippy calls derivable; allowed only where it
    // happens, so other modules carry no attribute they do not need.
    let hand_written_default = type_items.iter().any(|item| {
        let syn::Item::Impl(imp) = item else {
            return false;
        };
        let trait_path = imp.trait_.as_ref().map(|t| &t.0);
        trait_path
            .and_then(|path| path.segments.last())
            .is_some_and(|segment| segment.ident == "Default")
    });
    let allow = hand_written_default.then(|| quote::quote!(#[allow(clippy::derivable_impls)]));
    let mut types_module: syn::ItemMod = syn::parse_quote! {
        /// Types of the request and response bodies, generated from the
        /// spec's schemas.
        #allow
        pub mod types {}
    };
    types_module.content = Some((Default::default(), type_items));
    imports::shorten_module(&mut types_module);
    let printed = format::print_items(vec![syn::Item::Mod(types_module)]);
    Ok((printed, repairs, validated))
}

/// The client, printed: the file's `use` block, which goes before the
/// `types` module, and every item of the file after that module.
fn print_client(
    document: &Document,
    api: &model::Api,
    validated: &std::collections::BTreeSet<String>,
) -> Result<(String, String), Error> {
    let mut file: syn::File = syn::parse2(client::generate(api, validated)).map_err(|error| {
        Error::new(
            &document.path,
            "",
            format!("the generator emitted code that does not parse (a generator bug): {error}"),
        )
    })?;
    let uses = imports::shorten(&mut file.items, &["types"]);
    let uses = if uses.is_empty() {
        String::new()
    } else {
        format::print_items(uses) + "\n"
    };
    Ok((uses, format::print_items(file.items)))
}

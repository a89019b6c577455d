//! Turns one OpenAPI 3.0 document into the Rust source of one
//! `agent-clients` vendor module.
//!
//! The stages, each in its own module:
//!
//! 1. [`load`]: read YAML or JSON, apply the overlay of documented
//!    corrections ([`overlay`]), deserialize OpenAPI 3.0.x;
//! 2. [`model`]: validate what the generator supports and reduce the
//!    document to operations, parameters, bodies, responses, credentials;
//! 3. [`types`]: the engine (progenitor with typify) emits the types, and our
//!    passes correct them;
//! 4. [`client`]: emit the client and its operations on the runtime;
//! 5. [`format`]: prettyplease and the generated-file header.
//!
//! The output is deterministic: schemas and operations are visited in
//! sorted order and the header holds only content hashes and versions.

pub mod client;
pub mod constraints;
pub mod enums;
pub mod error;
pub mod fields;
pub mod format;
pub mod load;
pub mod model;
pub mod names;
pub mod overlay;
pub mod reach;
pub mod types;

use std::path::Path;

use quote::quote;

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

/// Generates the module source for an already loaded document.
pub fn generate_document(document: &Document) -> Result<String, Error> {
    let api = model::build(document)?;
    let mut type_items = types::generate(&document.path, &api)?;
    let (validate_impls, validated) = constraints::generate(&document.path, &api, &type_items)?;
    type_items.extend(validate_impls);
    let client = client::generate(&api, &validated);
    let tokens = quote! {
        /// Types of the request and response bodies, generated from the
        /// spec's schemas.
        pub mod types {
            #(#type_items)*
        }

        #client
    };
    format::format_file(document, tokens).map_err(|error| {
        Error::new(
            &document.path,
            "",
            format!("the generator emitted code that does not parse (a generator bug): {error}"),
        )
    })
}

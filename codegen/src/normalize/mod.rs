//! Stage 2, normalize: every leniency the generator allows a published
//! document, in one place, each reported. It runs on the raw JSON, after
//! the overlay and before the document is typed, so that one sloppy node
//! never sinks a whole spec at deserialization. An OpenAPI 3.1 document is
//! first rewritten into the 3.0 shape the later stages read
//! ([`upgrade`]), meaning kept.
//!
//! Two kinds of finding, kept apart:
//!
//! - a [`Warning`]: the spec breaks OpenAPI there, and the node was read
//!   leniently or ignored (a path parameter without `required: true`, a
//!   keyword whose value has the wrong type, an unknown `type` name, a
//!   `$ref` where OpenAPI allows none, read as what it names, a security
//!   requirement whose scopes are not a list).
//!   `--strict`, or `x-agent-clients-strict: true` in a spec's overlay,
//!   makes warnings errors;
//! - a [`Repair`]: the spec is valid, and a node was rewritten into a form
//!   the later stages hold, with the same meaning for the generated types
//!   (an integer bound beyond 64 bits, a media type with no schema, a
//!   reference the typed document cannot hold, replaced by what it names).
//!
//! What no leniency reads is an error naming its pointer: a `$ref` where
//! OpenAPI allows none that leads nowhere, or back into itself.
//!
//! Each transform is a function of its own, run in the order below; each
//! reads only the raw document.

mod media;
mod parameters;
mod path_items;
mod references;
mod schemas;
mod security;
pub mod upgrade;

use serde_json::Value;

/// The HTTP methods a path item holds operations under (OpenAPI 3.0 and
/// 3.1's fixed fields).
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A valid node rewritten into a form the later stages hold, its meaning
/// kept: where, and what was done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// Where, as a JSON pointer into the spec.
    pub pointer: String,
    /// What was done and why.
    pub note: String,
}

/// A part of the spec read leniently or ignored, where it breaks OpenAPI:
/// its JSON pointer, what the spec says there, and how it was read.
pub type Warning = crate::error::Problem;

/// What normalizing a document found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Findings {
    pub warnings: Vec<Warning>,
    pub repairs: Vec<Repair>,
    /// Every `$ref` that does not resolve inside the document
    /// (found last, by `references::unresolved`).
    pub unresolved: Vec<crate::error::Problem>,
}

impl Findings {
    fn warn(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Warning {
            pointer: pointer.into(),
            message: message.into(),
        });
    }

    fn repair(&mut self, pointer: impl Into<String>, note: impl Into<String>) {
        self.repairs.push(Repair {
            pointer: pointer.into(),
            note: note.into(),
        });
    }
}

/// Normalizes a 3.0-shaped document in place (3.1 documents have been
/// rewritten into that shape by `upgrade`). The error names a node no
/// leniency reads: a `$ref` where OpenAPI allows none, that leads nowhere.
pub fn normalize(document: &mut Value) -> Result<Findings, crate::error::Problem> {
    let mut findings = Findings::default();
    path_items::inline_references(document, &mut findings);
    references::structure(document, &mut findings)?;
    references::component_chains(document, &mut findings);
    parameters::path_parameters_required(document, &mut findings);
    security::requirements(document, &mut findings);
    schemas::keywords(document, &mut findings);
    media::any_content(document, &mut findings);
    findings.warnings.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    findings.repairs.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    findings.unresolved = references::unresolved(document);
    Ok(findings)
}

//! How a caller asks for a module: kept apart from the
//! [`Document`](crate::Document), which holds only what the spec and its
//! overlay say. Generation reads both: the overlay's word where the caller
//! adds nothing, the caller's where it does.

use crate::load::FeatureSplit;

/// What the caller of [`crate::generate_with`] asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Warnings are errors, beside an overlay that says so
    /// (`x-agent-clients-strict`): `--strict`.
    pub strict: bool,
    /// Split the client into one Cargo feature per tag, or not, whatever
    /// the overlay says; `None` leaves it to the overlay (and the size).
    pub features: Option<FeatureSplit>,
    /// Emit the `mock` module (behind the including crate's `mock`
    /// feature, which that crate must declare).
    pub mock: bool,
    /// The module will be `include!`d, which allows no inner attribute:
    /// the doc-layout `#![allow]` is left to the enclosing module.
    pub included: bool,
    /// How the generated header says to regenerate the file, when not with
    /// `cargo xtask codegen` (the CLI and build scripts say their own).
    pub regenerate: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            strict: false,
            features: None,
            mock: true,
            included: false,
            regenerate: None,
        }
    }
}

impl Options {
    /// Whether warnings are errors for `document`: the overlay's word or
    /// the caller's.
    pub fn strict_for(&self, document: &crate::Document) -> bool {
        self.strict || document.strict
    }

    /// How `document`'s client is split: the caller's choice, else the
    /// overlay's.
    pub fn features_for(&self, document: &crate::Document) -> FeatureSplit {
        self.features.unwrap_or(document.features)
    }
}

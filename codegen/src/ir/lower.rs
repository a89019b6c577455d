//! The IR stage as one call: the loaded document in, everything the
//! emitters read out ([`Ir`]).
//!
//! It is the last stage that sees the [`Document`]: the model reduces it to
//! an [`Api`], the type space types every schema, and the rest (pages,
//! features, groups) reads those two. `emit` reads the result only.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use super::TypeSpace;
use super::events::{self, Dispatch};
use super::features::{self, Split};
use super::model::{self, Api};
use super::pages::{self, PageFields};
use crate::error::{Error, Problem};
use crate::load::Document;
use crate::normalize::Warning;
use crate::options::Options;

/// What the emitters read: the operations, the types, and how the client is
/// laid out.
#[derive(Debug)]
pub struct Ir {
    pub api: Api,
    pub space: TypeSpace,
    /// The fields each paginated operation's pages are read by, by
    /// `fn_name`.
    pub pages: BTreeMap<String, PageFields>,
    /// The client's split into Cargo features, if it is split.
    pub split: Option<Split>,
    /// The client's operation groups, in order.
    pub groups: Vec<Group>,
    /// How a received body says which of [`Api::events`] it is.
    pub dispatch: Dispatch,
    /// What the model and the type space read leniently (the document's own
    /// warnings are the caller's).
    pub warnings: Vec<Warning>,
    /// How long the model took, and the rest of this stage.
    pub timings: (Duration, Duration),
}

/// Operations the client documents and emits together: one tag's, or in a
/// split client, one feature's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// `None` for the operations without a tag.
    pub tag: Option<String>,
    pub description: Option<String>,
    /// The Cargo feature the group sits behind, in a split client.
    pub feature: Option<String>,
    /// Indices into [`Api::operations`], by function name.
    pub operations: Vec<usize>,
}

/// The IR of `document`, generated as `options` say. With `strict`, any
/// warning (the document's own, or the model's) is an error.
pub fn lower(document: &Document, options: &Options) -> Result<Ir, Error> {
    let strict = options.strict_for(document);
    if strict && !document.warnings.is_empty() {
        return Err(strict_error(document, &[]));
    }
    let clock = Instant::now();
    let api = model::build_with(document, strict)?;
    let model_time = clock.elapsed();
    let space = TypeSpace::new(&api);
    let split = features::split(&api, &space, options.features_for(document));
    let groups = groups(&api, split.as_ref());
    let dispatch = events::dispatch(&api, &space);
    let mut late_warnings = space.warnings().to_vec();
    let pages = pages::page_fields(&api.operations, &space, &mut late_warnings);
    if strict && !late_warnings.is_empty() {
        return Err(strict_error(document, &late_warnings));
    }
    let warnings = api.warnings.iter().cloned().chain(late_warnings).collect();
    let timings = (model_time, clock.elapsed() - model_time);
    Ok(Ir {
        api,
        space,
        pages,
        split,
        groups,
        dispatch,
        warnings,
        timings,
    })
}

/// The groups of the split's features, else of the operations' first tags.
fn groups(api: &Api, split: Option<&Split>) -> Vec<Group> {
    let index: BTreeMap<&str, usize> = api
        .operations
        .iter()
        .enumerate()
        .map(|(at, op)| (op.fn_name.as_str(), at))
        .collect();
    let views = match split {
        Some(split) => split.groups(api),
        None => api.operation_groups(),
    };
    views
        .into_iter()
        .map(|group| Group {
            tag: group.tag.map(str::to_string),
            description: group.description.map(str::to_string),
            feature: group.feature.map(str::to_string),
            operations: group
                .operations
                .iter()
                .map(|op| index[op.fn_name.as_str()])
                .collect(),
        })
        .collect()
}

/// The document's warnings and `more`, each made an error.
fn strict_error(document: &Document, more: &[Warning]) -> Error {
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

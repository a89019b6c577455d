//! The names of an operation's sibling methods: the `_stream` method of a
//! streamed or paginated one, and one method per alternative media type
//! (`_json`, `_multipart`, or the media type's own name when two share a
//! kind), each distinct from every operation's method.
//!
//! It reads plain data ([`SiblingNaming`]), as [`super::operation_names`]
//! does, so the names module depends on no stage.

use std::collections::BTreeSet;

/// One operation as its sibling methods are named.
pub struct SiblingNaming<'a> {
    /// The operation's own method.
    pub fn_name: &'a str,
    /// It returns bytes, which a sibling streams.
    pub streamed: bool,
    /// It is paginated: a sibling yields every item.
    pub paginated: bool,
    /// The kind of its main request body (`json`, `form`, `multipart`,
    /// `text`, `bytes`), if it has one.
    pub body_kind: Option<&'static str>,
    /// Each alternative request body: its kind and media type.
    pub alternatives: Vec<(&'static str, &'a str)>,
}

/// The sibling methods of one operation.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SiblingNames {
    pub stream: Option<String>,
    pub pages: Option<String>,
    /// One per alternative, in order.
    pub alternatives: Vec<String>,
}

/// Names the sibling methods, past every operation's own name: the
/// streaming sibling of a method that returns bytes, or of a paginated one
/// (`{fn_name}_stream`), and one per alternative request media type
/// (`{fn_name}_form`, or the media subtype where the kind is the main
/// body's or an earlier alternative's: `{fn_name}_x_markdown`). A taken
/// name is numbered.
pub fn sibling_methods(operations: &[SiblingNaming<'_>]) -> Vec<SiblingNames> {
    let mut taken: BTreeSet<String> = operations.iter().map(|op| op.fn_name.to_string()).collect();
    let mut claim = |base: String| {
        let name = super::rules::first_free(&base, &taken, "_");
        taken.insert(name.clone());
        name
    };
    operations
        .iter()
        .map(|op| {
            let mut names = SiblingNames::default();
            if op.streamed {
                names.stream = Some(claim(format!("{}_stream", op.fn_name)));
            }
            if op.paginated {
                names.pages = Some(claim(format!("{}_stream", op.fn_name)));
            }
            let mut kinds: Vec<&'static str> = op.body_kind.into_iter().collect();
            for (kind, media_type) in &op.alternatives {
                let suffix = if kinds.contains(kind) {
                    let essence = media_type.split(';').next().unwrap_or("");
                    super::rules::identifier(essence.rsplit('/').next().unwrap_or(essence))
                } else {
                    kind.to_string()
                };
                kinds.push(kind);
                names
                    .alternatives
                    .push(claim(format!("{}_{suffix}", op.fn_name)));
            }
            names
        })
        .collect()
}

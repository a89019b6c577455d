//! The names of an operation's sibling methods: the `_stream` method of a
//! streamed or paginated one, and one method per alternative media type
//! (`_json`, `_multipart`, or the media type's own name when two share a
//! kind), each distinct from every operation's method.

use std::collections::BTreeSet;

use crate::ir::model::{BodyKind, Operation, SuccessBody};

/// Names the sibling methods, past every operation's own name: the
/// streaming sibling of a method that returns bytes, or of a paginated one
/// (`{fn_name}_stream`), and one per alternative request media type (`{fn_name}_form`, or the
/// media subtype where the kind is the main body's or an earlier
/// alternative's: `{fn_name}_x_markdown`). A taken name is numbered.
pub fn sibling_methods(operations: &mut [Operation]) {
    let mut taken: BTreeSet<String> = operations.iter().map(|op| op.fn_name.clone()).collect();
    let mut claim = |base: String| {
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        taken.insert(name.clone());
        name
    };
    for op in operations {
        if op.shared_success_body() == Some(SuccessBody::Bytes) {
            op.stream_fn = Some(claim(format!("{}_stream", op.fn_name)));
        }
        if let Some(pagination) = &mut op.pagination {
            pagination.fn_name = claim(format!("{}_stream", op.fn_name));
        }
        let mut kinds: Vec<&'static str> = op.body.iter().map(|body| suffix(&body.kind)).collect();
        for alternative in &mut op.alternatives {
            let kind = suffix(&alternative.body.kind);
            let suffix = if kinds.contains(&kind) {
                let essence = alternative.body.media_type.split(';').next().unwrap_or("");
                super::rules::identifier(essence.rsplit('/').next().unwrap_or(essence))
            } else {
                kind.to_string()
            };
            kinds.push(kind);
            alternative.fn_name = claim(format!("{}_{suffix}", op.fn_name));
        }
    }
}

/// The suffix of an alternative's method name: its body's kind.
fn suffix(kind: &BodyKind) -> &'static str {
    match kind {
        BodyKind::Json { .. } => "json",
        BodyKind::Form { .. } => "form",
        BodyKind::Multipart { .. } => "multipart",
        BodyKind::Text => "text",
        BodyKind::Bytes => "bytes",
    }
}

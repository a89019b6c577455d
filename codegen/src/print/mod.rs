//! Stage 5, print: prettyplease (no rustfmt toolchain needed), the layout
//! prettyplease leaves undone (doc comments spaced and wrapped by [`docs`],
//! a blank line between items), and the header that marks the file as
//! generated. It changes whitespace and comment layout only, never a token.

pub mod docs;

use crate::load::Document;
use crate::normalize::Warning;

/// The command that regenerates every file this crate writes.
pub const REGENERATE_COMMAND: &str = "cargo xtask codegen";

/// Prints items as prettyplease prints them in a file.
///
/// prettyplease prints a file's items one after another, each ending its
/// line, so parts of a file printed apart and joined are the file printed
/// whole; [`crate::generate_document`] prints the types and the client on two
/// threads that way.
pub fn print_items(items: Vec<syn::Item>) -> String {
    let mut file: syn::File = syn::parse_quote!();
    file.items = items;
    prettyplease::unparse(&file)
}

/// `items` printed and laid out as a part of the file.
pub fn part(items: Vec<syn::Item>) -> Part {
    lay_out(&print_items(items))
}

/// A `use` block printed and laid out as a part of the file (empty for no
/// `use`).
pub fn uses_part(uses: Vec<syn::Item>) -> Part {
    if uses.is_empty() {
        return lay_out("");
    }
    lay_out(&(print_items(uses) + "\n"))
}

/// One part of the file (the `use` block, the types, the client), laid out
/// on the thread that printed it: doc comments tidied ([`docs::tidy`]) and
/// items spaced out. Each step reads lines, and no doc comment or item
/// spans two parts, so the parts laid out apart and joined by [`assemble`]
/// are the file laid out whole.
pub struct Part {
    text: String,
    /// The first and last lines, and whether the last is inside a `use`
    /// item: what decides the blank line between this part and the next.
    first_line: String,
    last_line: String,
    in_use_before_last: bool,
    list_continuations: bool,
}

/// `printed` (prettyplease's output for some items), laid out.
pub fn lay_out(printed: &str) -> Part {
    let tidied = docs::tidy(printed);
    let (mut text, in_use_before_last) = space_out(&tidied);
    let first_line = tidied.lines().next().unwrap_or("").to_string();
    let last_line = tidied.lines().last().unwrap_or("").to_string();
    // A carriage return from a spec's text (a description with CRLF inside a
    // quoted string) would reach a doc comment raw; generated files use `\n`
    // only, so they compare equal to themselves after any checkout.
    if text.contains('\r') {
        text = text.replace("\r\n", "\n").replace('\r', "\n");
    }
    let list_continuations = has_list_continuations(&text);
    Part {
        text,
        first_line,
        last_line,
        in_use_before_last,
        list_continuations,
    }
}

/// The generated file: the header, then the parts in order.
/// `ir_warnings` (the parts the IR read as untyped JSON) are listed in the
/// header after the document's own.
pub fn assemble(
    document: &Document,
    options: &crate::Options,
    ir_warnings: &[Warning],
    parts: &[Part],
) -> String {
    let mut source = header(document, options, ir_warnings);
    // Doc comments carry the spec's descriptions verbatim; a markdown list
    // item continued on an unindented line is the vendor's prose style,
    // which clippy's doc-layout lints would otherwise reject. Allowed only
    // in files whose docs have one (checked on the printed text, so the file
    // is printed once).
    // (An `include!`d module leaves it to the module around it.)
    if !options.included && parts.iter().any(|part| part.list_continuations) {
        source.push_str(DOC_LAYOUT_ALLOW);
    }
    let mut previous: Option<&Part> = None;
    for part in parts.iter().filter(|part| !part.text.is_empty()) {
        if let Some(previous) = previous {
            let mut in_use = previous.in_use_before_last;
            if blank_after(&previous.last_line, &part.first_line, &mut in_use) {
                source.push('\n');
            }
        }
        source.push_str(&part.text);
        previous = Some(part);
    }
    source
}

#[cfg(test)]
fn space_out_items(source: &str) -> String {
    space_out(source).0
}

/// Adds a blank line after each item that ends in a block, at the top level
/// and one level in (the `types` module's items, the client's methods), two
/// levels in before a documented item (the `mock` module's methods), and
/// after a module's `use` block: prettyplease prints items back to back, and
/// generated code is read in diffs. Only a `}` alone on its line, indented
/// at most 4, followed by a line indented at most 4 that is not another `}`.
/// Also returns whether the last line is inside a `use` item.
fn space_out(source: &str) -> (String, bool) {
    let lines: Vec<&str> = source.lines().collect();
    let mut out = String::with_capacity(source.len() + source.len() / 16);
    let mut in_use = false;
    let mut in_use_before_last = false;
    for (index, line) in lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        let next = lines.get(index + 1).copied().unwrap_or("");
        in_use_before_last = in_use;
        if blank_after(line, next, &mut in_use) {
            out.push('\n');
        }
    }
    (out, in_use_before_last)
}

/// Whether a blank line goes between `line` and `next`; `in_use` says
/// whether `line` continues a `use` item, and is updated past it.
fn blank_after(line: &str, next: &str, in_use: &mut bool) -> bool {
    let indent = |line: &str| line.len() - line.trim_start().len();
    let trimmed = line.trim_start();
    *in_use |= trimmed.starts_with("use ");
    if *in_use && trimmed.ends_with(';') {
        *in_use = false;
        // A split client's imports carry an `allow` (emit::features).
        let next = next.trim_start();
        return !next.starts_with("use ")
            && !next.starts_with("#[allow(unused_imports)]")
            && !next.is_empty();
    }
    let item_end = trimmed == "}" && !next.trim().is_empty() && !next.trim_start().starts_with('}');
    // Two levels in, only before a documented item (a method of an impl in
    // a module): a statement in a body never starts with a doc comment.
    item_end
        && (indent(line) <= 4 && indent(next) <= 4
            || indent(line) == 8 && indent(next) == 8 && next.trim_start().starts_with("///"))
}

/// The inner attribute, as prettyplease prints it, for files whose docs
/// continue list items.
pub(crate) const DOC_LAYOUT_ALLOW: &str =
    "#![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]\n";

/// Whether a doc comment has a list item continued on the next line (what
/// clippy's `doc_lazy_continuation` and `doc_overindented_list_items` look
/// at); the docs the generator writes itself have one-line items.
fn has_list_continuations(source: &str) -> bool {
    let docs = doc_lines(source);
    let mut in_item = false;
    for doc in docs {
        let Some(text) = doc else {
            in_item = false;
            continue;
        };
        let is_item = ["- ", "* ", "+ "]
            .iter()
            .any(|m| text.trim_start().starts_with(m))
            || text
                .trim_start()
                .split_once(". ")
                .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if is_item {
            in_item = true;
        } else if text.trim().is_empty() {
            in_item = false;
        } else if in_item {
            return true;
        }
    }
    false
}

/// Each line of `source` as doc text, or `None` for a line that is not
/// documentation ([`crate::print::docs::tidy`] has made every doc comment `///`
/// lines).
fn doc_lines(source: &str) -> Vec<Option<&str>> {
    source
        .lines()
        .map(|line| {
            line.trim_start()
                .strip_prefix("///")
                .map(|text| text.strip_prefix(' ').unwrap_or(text))
        })
        .collect()
}

/// The header: what generated the file, from which exact input, and how to
/// regenerate it. It holds nothing machine-specific (no paths, no dates), so
/// the output is byte-identical everywhere.
pub fn header(document: &Document, options: &crate::Options, ir_warnings: &[Warning]) -> String {
    let mut header = String::new();
    header.push_str("// @generated by agent-clients-codegen. DO NOT EDIT.\n");
    match &options.regenerate {
        Some(regenerate) => header.push_str(&format!("// {}\n", one_line(regenerate))),
        None => header.push_str(&format!(
            "// Regenerate with `{REGENERATE_COMMAND}`; check with `{REGENERATE_COMMAND} --check`.\n"
        )),
    }
    match document.other_files {
        0 => header.push_str(&format!(
            "// Spec: {} (sha256 {})\n",
            portable(&document.path),
            document.sha256
        )),
        others => header.push_str(&format!(
            "// Spec: {} and the {others} files it refers to (sha256 of them all {})\n",
            portable(&document.path),
            document.sha256
        )),
    }
    if let Some((overlay, sha)) = &document.overlay {
        header.push_str(&format!("// Overlay: {overlay} (sha256 {sha})\n"));
    }
    // Where a hand-written spec was transcribed from: for maintainers, so in
    // the header, never in the docs users read.
    if let Some(source) = document.raw["info"][SOURCE_EXTENSION].as_str() {
        header.push_str(&format!("// Transcribed from: {}\n", one_line(source)));
    }
    header.push_str(&format!(
        "// Codegen: agent-clients-codegen {}\n",
        env!("CARGO_PKG_VERSION")
    ));
    if !(document.warnings.is_empty() && ir_warnings.is_empty()) {
        header.push_str("// Warnings: parts of the spec read leniently, ignored, left out, or degraded to untyped JSON:\n");
        for warning in document.warnings.iter().chain(ir_warnings) {
            header.push_str(&format!(
                "//   {}: {}\n",
                warning.pointer,
                one_line(&warning.message)
            ));
        }
    }
    let repairs = &document.repairs;
    if !repairs.is_empty() {
        header.push_str("// Rewritten for the generator, meaning kept (codegen/src/normalize):\n");
        for repair in repairs {
            header.push_str(&format!(
                "//   {}: {}\n",
                repair.pointer,
                one_line(&repair.note)
            ));
        }
    }
    header.push('\n');
    header
}

/// The `info` extension naming the document a hand-written spec transcribes.
const SOURCE_EXTENSION: &str = "x-agent-clients-source";

/// `text` on one line, so a spec's value cannot end the comment early.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A path with `/` separators on every platform.
fn portable(path: &std::path::Path) -> String {
    path.display().to_string().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::{has_list_continuations, space_out_items};

    #[test]
    fn items_and_use_blocks_are_spaced_out_but_not_bodies() {
        let source = "use a::b;\nuse c::{\n    d,\n};\npub mod types {\n    use e::f;\n    pub struct A {\n        pub a: u8,\n    }\n    impl A {\n        fn f() {\n            if x {\n            }\n            g();\n        }\n        fn h() {}\n    }\n}\npub struct B;\n";
        let spaced = space_out_items(source);
        assert_eq!(
            spaced,
            "use a::b;\nuse c::{\n    d,\n};\n\npub mod types {\n    use e::f;\n\n    pub struct A {\n        pub a: u8,\n    }\n\n    impl A {\n        fn f() {\n            if x {\n            }\n            g();\n        }\n        fn h() {}\n    }\n}\n\npub struct B;\n"
        );
    }

    #[test]
    fn list_continuations_are_found() {
        let continued = "/// Modes:\n/// - `a`: first\n/// continued\nfn f() {}\n";
        assert!(has_list_continuations(continued));
        let separate = "/// - `a`: first\n///\n/// Text.\nfn f() {}\n/// One.\n";
        assert!(!has_list_continuations(separate));
        // Code ends the list.
        let after_code = "/// - a\nfn f() {}\n/// Text.\n";
        assert!(!has_list_continuations(after_code));
    }
}

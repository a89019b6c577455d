//! Doc comments as a reviewer reads them: `/// Text` with a space, one
//! `///` line per line of text, and no line past [`WIDTH`] columns.
//!
//! The descriptions come from the spec, and the engine prints them as
//! `///Text` (or as a `/** */` block when they hold several lines), on one
//! line however long. This pass works on the printed file, where each doc
//! line's indentation is known, and changes only doc comments:
//!
//! - a doc comment whose text starts at its first column is shifted right
//!   by one space, every line alike, so markdown indentation (code blocks,
//!   nested lists) keeps its meaning;
//! - a `/** */` block becomes `///` lines;
//! - a line of prose longer than [`WIDTH`] is broken at spaces. A list
//!   item's continuation is indented to the item's text. Lines that
//!   markdown reads by their layout (fenced or indented code, tables,
//!   headings, HTML, link definitions) are kept whole, and no break puts
//!   at the start of a line what markdown would read as a new block (`- `,
//!   `1. `, `#`, `>`, `|`, ...). A word longer than the width stays whole.

/// The column no doc line goes past, where it can be broken.
pub const WIDTH: usize = 100;

/// `source` with every doc comment spaced, made of `///` lines and wrapped.
pub fn tidy(source: &str) -> String {
    let mut out = String::with_capacity(source.len() + source.len() / 8);
    let mut lines = source.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let mut text = Vec::new();
        if let Some(rest) = trimmed.strip_prefix("/**") {
            // A block: everything up to the line that ends it with `*/`.
            let mut current = rest.to_string();
            loop {
                if let Some(last) = current.trim_end().strip_suffix("*/") {
                    text.push(last.to_string());
                    break;
                }
                text.push(current);
                match lines.next() {
                    Some(next) => current = next.to_string(),
                    None => break,
                }
            }
        } else if let Some(rest) = trimmed.strip_prefix("///").filter(|r| !r.starts_with('/')) {
            text.push(rest.to_string());
            while let Some(next) = lines.peek() {
                match next
                    .strip_prefix(indent)
                    .and_then(|n| n.strip_prefix("///"))
                {
                    Some(rest) if !rest.starts_with('/') => {
                        text.push(rest.to_string());
                        lines.next();
                    }
                    _ => break,
                }
            }
        } else {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        // A tab is four spaces (clippy's `tabs_in_doc_comments`), and a doc
        // comment with no text is none (`empty_docs`): a spec's description
        // can be either.
        let text: Vec<String> = text.iter().map(|line| line.replace('\t', "    ")).collect();
        if text.iter().all(|line| line.trim().is_empty()) {
            continue;
        }
        for doc_line in wrap(&spaced(text), WIDTH.saturating_sub(indent.len() + 3)) {
            out.push_str(indent);
            out.push_str("///");
            out.push_str(&doc_line);
            out.push('\n');
        }
    }
    out
}

/// The lines of one doc comment, each starting with a space where its
/// text starts at the first column (all shifted alike), none ending in one,
/// and no empty line last.
fn spaced(mut lines: Vec<String>) -> Vec<String> {
    while lines.len() > 1 && lines.last().is_some_and(|line| line.trim().is_empty()) {
        lines.pop();
    }
    let shift = lines
        .iter()
        .filter(|line| !line.trim().is_empty())
        .any(|line| !line.starts_with(' '));
    lines
        .into_iter()
        .map(|line| {
            let line = line.trim_end();
            if shift && !line.is_empty() {
                format!(" {line}")
            } else {
                line.to_string()
            }
        })
        .collect()
}

/// `lines` (text after `///`) with each prose line longer than `width` broken.
fn wrap(lines: &[String], width: usize) -> Vec<String> {
    let base = lines
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(1);
    let mut out = Vec::with_capacity(lines.len());
    let mut fence: Option<&str> = None;
    for line in lines {
        let text = line.trim_start();
        let depth = line.len() - text.len();
        if let Some(marker) = fence {
            if text.starts_with(marker) {
                fence = None;
            }
            out.push(line.clone());
            continue;
        }
        if let Some(marker) = ["```", "~~~"].into_iter().find(|m| text.starts_with(m)) {
            fence = Some(marker);
            out.push(line.clone());
            continue;
        }
        if columns(line) <= width || depth >= base + 4 || kept_whole(text) {
            out.push(line.clone());
            continue;
        }
        let continuation = " ".repeat(depth + list_marker_width(text));
        let mut current = line[..depth].to_string();
        let mut used = depth;
        let mut first = true;
        for word in words(text) {
            let fits = used + 1 + columns(word) <= width;
            if !first && !fits && !starts_block(word) {
                out.push(current);
                current = continuation.clone();
                used = continuation.len();
            } else if !first {
                current.push(' ');
                used += 1;
            }
            current.push_str(word);
            used += columns(word);
            first = false;
        }
        out.push(current);
    }
    out
}

/// The columns `text` takes: one a character (a doc line's indentation is
/// ASCII spaces, its text any script).
fn columns(text: &str) -> usize {
    text.chars().count()
}

/// The words of a line, split at single spaces outside inline code, so a
/// code span is never broken.
fn words(text: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    let mut in_code = false;
    for (at, c) in text.char_indices() {
        match c {
            '`' => in_code = !in_code,
            ' ' if !in_code => {
                if at > start {
                    words.push(&text[start..at]);
                }
                start = at + 1;
            }
            _ => {}
        }
    }
    if start < text.len() {
        words.push(&text[start..]);
    }
    words
}

/// Lines markdown reads by their layout, which a break would change.
fn kept_whole(text: &str) -> bool {
    text.starts_with('|')
        || text.starts_with('#')
        || text.starts_with('<')
        || text.starts_with('>')
        || (text.starts_with('[') && text.contains("]:"))
}

/// Whether a line starting with `word` would open a markdown block: a list
/// item, heading, quote, table row, code fence, or a setext underline or
/// thematic break.
fn starts_block(word: &str) -> bool {
    let all = |c: char| word.chars().all(|w| w == c);
    matches!(word, "*" | "+")
        || all('-')
        || all('=')
        || all('#')
        || word.starts_with(['>', '|'])
        || word.starts_with("```")
        || word.starts_with("~~~")
        || ordered_marker(word)
}

/// `1.` or `1)`: the marker of an ordered list item.
fn ordered_marker(word: &str) -> bool {
    let digits = word.trim_end_matches(['.', ')']);
    digits.len() + 1 == word.len()
        && !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
}

/// The width of the list marker `text` starts with, with its space (`- `
/// is 2, `10. ` is 4), or 0.
fn list_marker_width(text: &str) -> usize {
    let Some((marker, _)) = text.split_once(' ') else {
        return 0;
    };
    if matches!(marker, "-" | "*" | "+") || ordered_marker(marker) {
        marker.len() + 1
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::tidy;

    #[test]
    fn docs_are_spaced_and_blocks_become_lines() {
        let source = "    ///Text\n    ///\n    ///    code\nstruct A;\n/**Example:\n{\n  \"a\": 1\n}\n*/\nfn f() {}\n/// Already spaced.\n";
        assert_eq!(
            tidy(source),
            "    /// Text\n    ///\n    ///     code\nstruct A;\n/// Example:\n/// {\n///   \"a\": 1\n/// }\nfn f() {}\n/// Already spaced.\n"
        );
    }

    #[test]
    fn long_prose_is_wrapped_at_the_width_with_list_items_indented() {
        let long = "word ".repeat(30);
        let long = long.trim_end();
        let source = format!(
            "    /// {long}\n    /// - {long}\n    /// ```\n    /// {long}\n    /// ```\n    /// | {long} |\nfn f() {{}}\n"
        );
        let tidied = tidy(&source);
        let lines: Vec<&str> = tidied.lines().collect();
        let fence = lines.iter().position(|l| l.ends_with("```")).unwrap();
        for line in &lines[..fence] {
            assert!(line.len() <= super::WIDTH, "{tidied}");
        }
        // Filled: the next word did not fit.
        assert!(lines[0].len() + " word".len() > super::WIDTH, "{tidied}");
        // The item's continuation lines up with its text.
        let item = lines
            .iter()
            .position(|l| l.starts_with("    /// - word"))
            .unwrap();
        assert!(lines[item + 1].starts_with("    ///   word"), "{tidied}");
        // Code and tables are kept whole.
        assert_eq!(lines[fence + 1], format!("    /// {long}"));
        assert_eq!(lines[fence + 3], format!("    /// | {long} |"));
    }

    #[test]
    fn no_break_starts_a_markdown_block() {
        let text = format!("{} - 10 dollars, 2. and `a b c` # 1", "x".repeat(84));
        let tidied = tidy(&format!("/// {text}\n"));
        for line in tidied.lines().skip(1) {
            let rest = line.trim_start_matches("///").trim_start();
            assert!(
                !rest.starts_with(['-', '#']) && !rest.starts_with("2."),
                "{tidied}"
            );
        }
        // Inline code is not split.
        assert!(tidied.contains("`a b c`"), "{tidied}");
    }

    #[test]
    fn tabs_become_spaces_and_empty_doc_comments_go() {
        let source = "    ///\n    pub a: u8,\n    /// * `BUS` -\tBus.\n    pub b: u8,\n    /**\n    */\nstruct C;\n";
        assert_eq!(
            tidy(source),
            "    pub a: u8,\n    /// * `BUS` -    Bus.\n    pub b: u8,\nstruct C;\n"
        );
    }

    #[test]
    fn width_is_counted_in_characters() {
        // 90 two-byte characters and a word fit in 100 columns.
        let text = format!("{} fin", "é".repeat(90));
        assert_eq!(tidy(&format!("/// {text}\n")), format!("/// {text}\n"));
    }

    #[test]
    fn a_long_word_stays_whole() {
        let url = format!("https://example.com/{}", "a".repeat(120));
        assert_eq!(
            tidy(&format!("/// See {url}\n")),
            format!("/// See\n/// {url}\n")
        );
    }
}

//! Rust names for spec names.

use heck::ToPascalCase;

/// Reserved words that cannot be identifiers (2024 edition, including the
/// reserved-for-future ones).
pub fn is_rust_keyword(word: &str) -> bool {
    matches!(
        word,
        "_" | "abstract"
            | "as"
            | "async"
            | "await"
            | "become"
            | "box"
            | "break"
            | "const"
            | "continue"
            | "crate"
            | "do"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "final"
            | "fn"
            | "for"
            | "gen"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "macro"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "override"
            | "priv"
            | "pub"
            | "ref"
            | "return"
            | "Self"
            | "self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "try"
            | "type"
            | "typeof"
            | "unsafe"
            | "unsized"
            | "use"
            | "virtual"
            | "where"
            | "while"
            | "yield"
    )
}

/// The Rust type name the types engine (typify) gives a component schema.
///
/// This mirrors typify's own sanitising so the client emitter can name body
/// types; `types::check_names` then proves every such name exists in the
/// engine's output, so a divergence is a diagnostic, not a compile error.
pub fn type_name_for(component: &str) -> String {
    let cleaned: String = component
        .replace('\'', "")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let mut name = cleaned.to_pascal_case();
    if !name.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        name = format!("X{name}");
    }
    if is_rust_keyword(&name) {
        name.push('_');
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert_eq!(
            type_name_for("UpdateAgentStatusRequest"),
            "UpdateAgentStatusRequest"
        );
        assert_eq!(type_name_for("agent-status"), "AgentStatus");
        assert_eq!(type_name_for("1st"), "X1st");
        assert!(is_rust_keyword("gen"));
    }
}

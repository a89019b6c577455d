//! The names of a split client's Cargo features: one per tag (or path
//! group), snake case, distinct from each other and from the crate's own.

use std::collections::BTreeSet;

use heck::ToSnakeCase;

/// A feature name for each of `labels` (tags or path groups), in order:
/// distinct, and none of `reserved` (the crate's own features).
pub fn feature_names(labels: &[&str], reserved: &[&str]) -> Vec<String> {
    let mut taken: BTreeSet<String> = reserved.iter().map(|name| name.to_string()).collect();
    labels
        .iter()
        .map(|label| {
            let name = super::rules::first_free(&feature_name(label), &taken, "_");
            taken.insert(name.clone());
            name
        })
        .collect()
}

/// A Cargo feature name for `label`: snake case, ASCII letters, digits and
/// `_` only, starting with a letter.
fn feature_name(label: &str) -> String {
    let snake: String = label
        .to_snake_case()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    let trimmed = snake.trim_matches('_');
    match trimmed.chars().next() {
        None => "untagged".to_string(),
        Some(first) if !first.is_ascii_alphabetic() => format!("tag_{trimmed}"),
        Some(_) => trimmed.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feature_names_are_snake_case_words_starting_with_a_letter() {
        assert_eq!(feature_name("Text To Speech"), "text_to_speech");
        assert_eq!(feature_name("speech-to-text"), "speech_to_text");
        assert_eq!(feature_name("2fa"), "tag_2fa");
        assert_eq!(feature_name("¿?"), "untagged");
    }

    #[test]
    fn feature_names_are_distinct_and_none_of_the_reserved() {
        assert_eq!(
            feature_names(&["Full", "full", "Calls"], &["full", "mock"]),
            ["full_2", "full_3", "calls"]
        );
    }
}

//! The names of a client's servers: each one's variant of the
//! `servers::Server` enum, its variables' fields, and the enums of the
//! variables whose values the spec lists.

use std::collections::BTreeSet;

use super::rules::{first_free, type_name_for};
use super::{enum_variant_names, field_names};

/// Words that say nothing about which server it is.
const FILLER: &[&str] = &[
    "a", "an", "the", "api", "apis", "server", "servers", "url", "base", "host", "for", "of",
    "your", "our", "own",
];

/// One variant per server, in order: its description's first three telling
/// words in Pascal case (`The european API server` is `European`), else
/// `Server1`, `Server2` by position; a taken name is numbered.
pub fn server_variants(descriptions: &[Option<&str>]) -> Vec<String> {
    let mut taken = BTreeSet::new();
    descriptions
        .iter()
        .enumerate()
        .map(|(index, description)| {
            // Words, each without its possessive and punctuation.
            let telling: Vec<String> = description
                .unwrap_or_default()
                .split_whitespace()
                .map(|word| word.trim_end_matches("'s").trim_end_matches("’s"))
                .flat_map(|word| word.split(|c: char| !c.is_alphanumeric()))
                .filter(|word| !word.is_empty())
                .map(String::from)
                .filter(|word| !FILLER.contains(&word.to_lowercase().as_str()))
                .take(3)
                .collect();
            let wanted = match telling.as_slice() {
                [] => format!("Server{}", index + 1),
                words => type_name_for(&words.join(" ")),
            };
            let name = first_free(&wanted, &taken, "");
            taken.insert(name.clone());
            name
        })
        .collect()
}

/// One field per variable of a server, in order.
pub fn variable_fields(names: &[&str]) -> Vec<String> {
    field_names(names.iter().map(|name| name.to_string()))
}

/// The variants of a variable's enum, one per listed value.
pub fn value_variants(values: &[String]) -> Vec<String> {
    enum_variant_names(values.iter().map(String::as_str))
}

/// The type of each variable that lists its values, in order: the
/// variable's name in Pascal case (`Region`); one that lists other values
/// under a name already taken (or `Server`) gets the server's variant in
/// front (`RegionalRegion`), then a number. Variables of one name with the
/// same values share a type.
pub fn variable_types(variables: &[(&str, &str, &[String])]) -> Vec<String> {
    let mut taken: BTreeSet<String> = BTreeSet::from(["Server".to_string()]);
    let mut seen: Vec<(&str, &[String], String)> = Vec::new();
    variables
        .iter()
        .map(|(server, name, values)| {
            if let Some((_, _, shared)) = seen.iter().find(|(n, v, _)| n == name && v == values) {
                return shared.clone();
            }
            let plain = type_name_for(name);
            let wanted = if taken.contains(&plain) {
                format!("{server}{plain}")
            } else {
                plain
            };
            let type_name = first_free(&wanted, &taken, "");
            taken.insert(type_name.clone());
            seen.push((name, values, type_name.clone()));
            type_name
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers_are_named_by_what_their_descriptions_tell() {
        assert_eq!(
            server_variants(&[
                Some("The production API server"),
                Some("The european API server"),
                None,
                Some("Sandbox"),
                Some("sandbox"),
                Some("Your tenant's own host"),
                Some("Self-hosted"),
            ]),
            [
                "Production",
                "European",
                "Server3",
                "Sandbox",
                "Sandbox2",
                "Tenant",
                "SelfHosted"
            ]
        );
    }

    #[test]
    fn variables_share_a_type_only_with_the_same_values() {
        let eu = vec!["eu".to_string(), "us".to_string()];
        let all = vec!["eu".to_string(), "us".to_string(), "au".to_string()];
        let types = variable_types(&[
            ("Production", "region", &eu),
            ("Staging", "region", &eu),
            ("Regional", "region", &all),
            ("Regional", "server", &all),
        ]);
        assert_eq!(
            types,
            ["Region", "Region", "RegionalRegion", "RegionalServer"]
        );
    }
}

//! Rust names for spec names.

use heck::ToPascalCase;

/// Whether `name` is an HTTP token (RFC 9110, 5.6.2): what a header name,
/// and a cookie name, may be.
pub fn is_http_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Reserved words that cannot be identifiers (2024 edition, including the
/// reserved-for-future ones).
/// The Rust module (and cargo feature) name for a spec file's stem: snake
/// case, anything but ASCII letters and digits becoming `_` (`api.v2-beta`
/// is `api_v2_beta`), prefixed where it would start with a digit or be
/// empty (`2fa` is `spec_2fa`), and suffixed where it is a keyword (`box`
/// is `box_`). The same stem always gives the same name.
pub fn module_name(stem: &str) -> String {
    let snake = heck::ToSnakeCase::to_snake_case(stem);
    let mut name = String::new();
    for c in snake.chars() {
        let c = if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            '_'
        };
        if !(c == '_' && (name.is_empty() || name.ends_with('_'))) {
            name.push(c);
        }
    }
    let name = name.trim_end_matches('_').to_string();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("spec_{name}").trim_end_matches('_').to_string();
    }
    if is_rust_keyword(&name) {
        return format!("{name}_");
    }
    name
}

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

/// The Rust type name of every component schema, distinct from each other.
///
/// Names that differ only in case or punctuation (`FooBar`, `foo_bar`,
/// `foo-bar`) convert to one Rust name. The first, in the order given (the
/// components' key order), keeps it; each later one gets the first free
/// numbered form (`FooBar2`, `FooBar3`).
#[derive(Debug, Clone, Default)]
pub struct TypeNames {
    by_component: std::collections::BTreeMap<String, String>,
    taken: std::collections::BTreeSet<String>,
}

/// `wanted`, or the first numbered form of it (`{wanted}{separator}2`,
/// ...) not in `taken`: how every name in a generated module is made
/// unique.
pub fn first_free(
    wanted: &str,
    taken: &std::collections::BTreeSet<String>,
    separator: &str,
) -> String {
    std::iter::once(wanted.to_string())
        .chain((2..).map(|n| format!("{wanted}{separator}{n}")))
        .find(|name| !taken.contains(name))
        .unwrap_or_else(|| wanted.to_string())
}

impl TypeNames {
    /// Names `component`, unless it already has a name; returns its name.
    pub fn add(&mut self, component: &str) -> &str {
        if !self.by_component.contains_key(component) {
            let name = first_free(&type_name_for(component), &self.taken, "");
            self.taken.insert(name.clone());
            self.by_component.insert(component.to_string(), name);
        }
        &self.by_component[component]
    }

    /// The Rust name of `component`: the one given by [`TypeNames::add`], or
    /// [`type_name_for`] for a name never added.
    pub fn get(&self, component: &str) -> String {
        self.by_component
            .get(component)
            .cloned()
            .unwrap_or_else(|| type_name_for(component))
    }

    /// Whether `name` is some component's Rust name.
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// The components whose Rust name is not [`type_name_for`] theirs, with
    /// that name.
    /// Every name given, by component.
    pub fn given(&self) -> impl Iterator<Item = &str> {
        self.by_component.values().map(String::as_str)
    }

    pub fn renamed(&self) -> impl Iterator<Item = (&str, &str)> {
        self.by_component
            .iter()
            .filter(|(component, name)| type_name_for(component) != **name)
            .map(|(component, name)| (component.as_str(), name.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_file_stem_gives_a_module_name() {
        for (stem, module) in [
            ("selise-blocks", "selise_blocks"),
            ("api.github.com", "api_github_com"),
            ("box", "box_"),
            ("type", "type_"),
            ("2fa", "spec_2fa"),
            ("...", "spec"),
            ("Open-Meteo Air Quality", "open_meteo_air_quality"),
            ("über", "ber"),
        ] {
            assert_eq!(module_name(stem), module, "{stem}");
        }
    }

    #[test]
    fn names_that_convert_alike_are_numbered_apart() {
        let mut names = TypeNames::default();
        for component in ["FooBar", "foo-bar", "foo_bar", "FooBar2"] {
            names.add(component);
        }
        assert_eq!(names.get("FooBar"), "FooBar");
        assert_eq!(names.get("foo-bar"), "FooBar2");
        assert_eq!(names.get("foo_bar"), "FooBar3");
        // Taken already by `foo-bar`, so the component literally called
        // `FooBar2` is numbered too.
        assert_eq!(names.get("FooBar2"), "FooBar22");
        let renamed: Vec<_> = names.renamed().collect();
        assert_eq!(
            renamed,
            [
                ("FooBar2", "FooBar22"),
                ("foo-bar", "FooBar2"),
                ("foo_bar", "FooBar3")
            ]
        );
        assert_eq!(names.get("never_added"), "NeverAdded");
    }

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

/// One operation as its method is named: where it is and what the spec calls
/// it.
pub struct OperationNaming<'a> {
    pub path: &'a str,
    pub method: &'a str,
    pub operation_id: Option<&'a str>,
    pub first_tag: Option<&'a str>,
}

/// Method names (snake case, valid Rust identifiers, unique) for a spec's
/// operations, in the order given:
///
/// - the operationId, snake-cased; without one, the method and path
///   (`get_v1_projects_project_id`);
/// - operationIds that meet (specs made by SDK tools repeat `list` and `get`
///   per resource, though OpenAPI asks for unique ones) take their first tag
///   as a prefix (`models_list`), then the method and path, then a number.
pub fn operation_names(operations: &[OperationNaming<'_>]) -> Vec<String> {
    let from_path = |op: &OperationNaming<'_>| identifier(&format!("{}_{}", op.method, op.path));
    let first: Vec<String> = operations
        .iter()
        .map(|op| op.operation_id.map_or_else(|| from_path(op), identifier))
        .collect();
    let mut count = std::collections::BTreeMap::new();
    for name in &first {
        *count.entry(name.clone()).or_insert(0) += 1;
    }
    // Names that are unique already are kept and reserved first.
    let mut taken: std::collections::BTreeSet<String> = first
        .iter()
        .filter(|name| count[*name] == 1)
        .cloned()
        .collect();
    operations
        .iter()
        .zip(first)
        .map(|(op, name)| {
            if count[&name] == 1 {
                return name;
            }
            let candidates = op
                .first_tag
                .map(|tag| identifier(&format!("{tag}_{name}")))
                .into_iter()
                .chain([from_path(op)]);
            for candidate in candidates {
                if taken.insert(candidate.clone()) {
                    return candidate;
                }
            }
            let base = from_path(op);
            let mut n = 2;
            while !taken.insert(format!("{base}_{n}")) {
                n += 1;
            }
            format!("{base}_{n}")
        })
        .collect()
}

/// A snake-case Rust identifier for any text: other characters become `_`,
/// a leading digit gets a prefix, a keyword a trailing `_`.
pub fn identifier(text: &str) -> String {
    use heck::ToSnakeCase;
    let snake: String = text
        .to_snake_case()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let mut name = snake
        .split('_')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    if name.is_empty() {
        name = "operation".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("op_{name}");
    }
    if is_rust_keyword(&name) {
        name.push('_');
    }
    name
}

#[cfg(test)]
mod naming_tests {
    use super::*;

    fn op<'a>(
        method: &'a str,
        path: &'a str,
        id: Option<&'a str>,
        tag: Option<&'a str>,
    ) -> OperationNaming<'a> {
        OperationNaming {
            path,
            method,
            operation_id: id,
            first_tag: tag,
        }
    }

    #[test]
    fn colliding_and_missing_operation_ids_get_unique_names() {
        let names = operation_names(&[
            op("get", "/v1/models", Some("list"), Some("models")),
            op("get", "/v1/projects", Some("list"), Some("projects")),
            op("get", "/v1/keys", Some("list"), Some("projects")),
            op("get", "/v1/keys/{key_id}", None, None),
            op("post", "/v1/speak", Some("speak"), Some("speech")),
            op("delete", "/v1/x", Some("type"), None),
            op("get", "/v1/y", Some("2fa-status"), None),
            op("get", "/v1/z", Some("Ünïcode.Op"), None),
        ]);
        assert_eq!(
            names,
            [
                "models_list",
                "projects_list",
                "get_v1_keys",
                "get_v1_keys_key_id",
                "speak",
                "type_",
                "op_2fa_status",
                "n_code_op",
            ]
        );
    }
}

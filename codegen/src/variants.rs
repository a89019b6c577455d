//! String enums whose values the engine cannot name apart.
//!
//! typify names a variant after its value with the punctuation dropped, so
//! `"-2"` and `"2"` both become `X2` and it panics ("Failed to make unique
//! variant names"); Deepgram's `expressivity: ["-2", "-1", "0", "1", "2"]`
//! is such an enum. It also names `"+1"` and `"-1"` `plus1` and `minus1`,
//! which are not UpperCamelCase (GitHub's reactions). Before the engine
//! runs, the values of such enums are replaced by readable stand-ins
//! (`"-2"` becomes `"minus 2"`, so the variant is `Minus2`); after it,
//! every stand-in in the emitted code (serde renames, `Display`, `FromStr`,
//! docs) is put back to the value it stands for, so the wire format is the
//! spec's.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};
use syn::visit_mut::VisitMut;

/// Stand-in values and the values they stand for.
#[derive(Debug, Default)]
pub struct StandIns(BTreeMap<String, String>);

/// Replaces, in the engine's input, the values of every string enum whose
/// variant names would meet. The stand-ins are strings that appear nowhere
/// in the input, so putting them back cannot touch anything else.
pub fn before_engine(schemas: &mut Map<String, Value>) -> StandIns {
    let mut existing = BTreeSet::new();
    for schema in schemas.values() {
        collect_strings(schema, &mut existing);
    }
    let mut stand_ins = StandIns::default();
    for schema in schemas.values_mut() {
        rewrite(schema, &existing, &mut stand_ins);
    }
    stand_ins
}

/// Puts the values back in the engine's output.
pub fn after_engine(items: &mut [syn::Item], stand_ins: &StandIns) {
    if stand_ins.0.is_empty() {
        return;
    }
    let mut restore = Restore(stand_ins);
    for item in items {
        restore.visit_item_mut(item);
    }
}

struct Restore<'a>(&'a StandIns);

impl Restore<'_> {
    /// String literals inside an attribute's raw tokens
    /// (`#[serde(rename = "...")]`), which syn does not parse into `LitStr`.
    fn restore_tokens(&mut self, tokens: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
        use proc_macro2::{Group, TokenTree};
        tokens
            .into_iter()
            .map(|tree| match tree {
                TokenTree::Group(group) => {
                    let inner = self.restore_tokens(group.stream());
                    let mut restored = Group::new(group.delimiter(), inner);
                    restored.set_span(group.span());
                    TokenTree::Group(restored)
                }
                TokenTree::Literal(literal) => {
                    let tree = TokenTree::Literal(literal);
                    match syn::parse2::<syn::LitStr>(tree.clone().into()) {
                        Ok(mut string) => {
                            self.visit_lit_str_mut(&mut string);
                            quote::ToTokens::into_token_stream(string)
                                .into_iter()
                                .next()
                                .unwrap_or(tree)
                        }
                        Err(_) => tree,
                    }
                }
                other => other,
            })
            .collect()
    }
}

impl VisitMut for Restore<'_> {
    fn visit_meta_list_mut(&mut self, list: &mut syn::MetaList) {
        let tokens = std::mem::take(&mut list.tokens);
        list.tokens = self.restore_tokens(tokens);
    }

    fn visit_lit_str_mut(&mut self, literal: &mut syn::LitStr) {
        let value = literal.value();
        if let Some(original) = self.0.0.get(&value) {
            *literal = syn::LitStr::new(original, literal.span());
            return;
        }
        // Docs quote values as JSON (the engine prints the schema).
        let mut text = value.clone();
        for (stand_in, original) in &self.0.0 {
            let quoted = serde_json::to_string(stand_in).unwrap_or_default();
            if text.contains(&quoted) {
                let real = serde_json::to_string(original).unwrap_or_default();
                text = text.replace(&quoted, &real);
            }
        }
        if text != value {
            *literal = syn::LitStr::new(&text, literal.span());
        }
    }
}

fn collect_strings(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::String(text) => {
            out.insert(text.clone());
        }
        Value::Array(items) => items.iter().for_each(|item| collect_strings(item, out)),
        Value::Object(map) => {
            for (key, child) in map {
                out.insert(key.clone());
                collect_strings(child, out);
            }
        }
        _ => {}
    }
}

/// Rewrites the enums in one schema and the schemas inside it.
fn rewrite(schema: &mut Value, existing: &BTreeSet<String>, stand_ins: &mut StandIns) {
    let Value::Object(map) = schema else {
        return;
    };
    rewrite_enum(map, existing, stand_ins);
    for child in crate::subschemas::children_mut(map) {
        rewrite(child, existing, stand_ins);
    }
}

fn rewrite_enum(
    map: &mut Map<String, Value>,
    existing: &BTreeSet<String>,
    stand_ins: &mut StandIns,
) {
    let Some(Value::Array(values)) = map.get("enum") else {
        return;
    };
    let Some(texts) = values
        .iter()
        .map(|v| v.as_str().map(String::from))
        .collect::<Option<Vec<String>>>()
    else {
        return;
    };
    // typify spells `"+1"` and `"-1"` (GitHub's reactions) as the variants
    // `plus1` and `minus1`, which rustc's naming lint rejects.
    let lower_case_names = texts.iter().any(|text| text == "+1" || text == "-1");
    if engine_names_are_unique(&texts) && !lower_case_names {
        return;
    }
    let mut replacements = BTreeMap::new();
    let mut used = BTreeSet::new();
    for text in &texts {
        let base = readable(text);
        let mut stand_in = base.clone();
        let mut n = 2;
        loop {
            // A value may stand for itself; any other stand-in must be a
            // string the spec does not have, and unused so far.
            let clashes_with_spec = stand_in != *text && existing.contains(&stand_in);
            let name_taken = used.contains(&engine_name(&stand_in, false));
            let taken_by_other = stand_ins.0.get(&stand_in).is_some_and(|o| o != text);
            if !(clashes_with_spec || name_taken || taken_by_other) {
                break;
            }
            stand_in = format!("{base} {n}");
            n += 1;
        }
        used.insert(engine_name(&stand_in, false));
        replacements.insert(text.clone(), stand_in.clone());
        if stand_in != *text {
            stand_ins.0.insert(stand_in, text.clone());
        }
    }
    let new_values = texts
        .iter()
        .map(|text| Value::String(replacements[text].clone()))
        .collect();
    map.insert("enum".into(), Value::Array(new_values));
    if let Some(Value::String(default)) = map.get("default")
        && let Some(stand_in) = replacements.get(default)
    {
        map.insert("default".into(), Value::String(stand_in.clone()));
    }
}

/// Whether the engine can name these values apart, by its two attempts:
/// punctuation dropped, then punctuation turned into `X`.
fn engine_names_are_unique(values: &[String]) -> bool {
    [false, true].into_iter().any(|with_x| {
        let names: BTreeSet<String> = values.iter().map(|v| engine_name(v, with_x)).collect();
        names.len() == values.len()
    })
}

/// typify's variant name for a value (its `sanitize` in Pascal case).
fn engine_name(value: &str, punctuation_as_x: bool) -> String {
    use heck::ToPascalCase;
    let value = if punctuation_as_x {
        value.replace(|c: char| c == '_' || !(c.is_alphanumeric()), "X")
    } else {
        value.to_string()
    };
    let name = match value.as_str() {
        "+1" => "plus1".to_string(),
        "-1" => "minus1".to_string(),
        _ => value
            .replace('\'', "")
            .replace(|c: char| !(c.is_alphanumeric() || c == '_'), "-")
            .to_pascal_case(),
    };
    match name.chars().next() {
        Some(c) if c.is_alphabetic() || c == '_' => name,
        _ => format!("X{name}"),
    }
}

/// A readable stand-in: punctuation spelled out as words.
fn readable(value: &str) -> String {
    let mut out = String::new();
    for c in value.chars() {
        let word = match c {
            '-' => "minus",
            '+' => "plus",
            '.' => "dot",
            '/' => "slash",
            '*' => "star",
            '<' => "lt",
            '>' => "gt",
            '=' => "eq",
            '!' => "not",
            '&' => "and",
            '|' => "or",
            '%' => "percent",
            '#' => "hash",
            '@' => "at",
            ':' => "colon",
            c if c.is_alphanumeric() || c == '_' || c == ' ' => {
                out.push(c);
                continue;
            }
            _ => "x",
        };
        out.push_str(&format!(" {word} "));
    }
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if out.is_empty() { "empty".into() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_the_engine_cannot_name_apart_get_stand_ins() {
        let mut schemas = Map::new();
        schemas.insert(
            "Expressivity".into(),
            json!({"type": "string", "enum": ["-2", "-1", "0", "1", "2"], "default": "-2"}),
        );
        schemas.insert("Fine".into(), json!({"type": "string", "enum": ["a", "b"]}));
        let stand_ins = before_engine(&mut schemas);
        assert_eq!(
            schemas["Expressivity"]["enum"],
            json!(["minus 2", "minus 1", "0", "1", "2"])
        );
        assert_eq!(schemas["Expressivity"]["default"], "minus 2");
        assert_eq!(schemas["Fine"]["enum"], json!(["a", "b"]));
        // And back, in serde renames and in docs.
        let mut items: Vec<syn::Item> = vec![syn::parse_quote! {
            #[doc = "{\"enum\": [\"minus 2\", \"0\"]}"]
            enum Expressivity {
                #[serde(rename = "minus 2")]
                Minus2,
                #[serde(rename = "0")]
                X0,
            }
        }];
        after_engine(&mut items, &stand_ins);
        let text = quote::quote!(#(#items)*).to_string();
        assert!(text.contains("rename = \"-2\""), "{text}");
        assert!(text.contains(r#"[\"-2\", \"0\"]"#), "{text}");
        assert!(!text.contains("minus 2"), "{text}");
    }

    #[test]
    fn a_stand_in_never_equals_a_string_of_the_spec() {
        let mut schemas = Map::new();
        schemas.insert(
            "E".into(),
            json!({"type": "string", "enum": ["-2", "2"], "description": "minus 2"}),
        );
        before_engine(&mut schemas);
        assert_eq!(schemas["E"]["enum"], json!(["minus 2 2", "2"]));
    }
}

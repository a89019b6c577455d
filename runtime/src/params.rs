//! Parameter values of any type, serialized as OpenAPI's `style` and
//! `explode` define them (OpenAPI 3.0.3, "Parameter Object", "Style
//! Values"): scalars, arrays and objects as query pairs, or as the text of a
//! path segment or header.
//!
//! Values go through `serde_json::Value`, so every generated type (enums,
//! newtypes, structs) serializes exactly as it would in a JSON body. Nested
//! arrays and objects, which the styles do not define, are sent as JSON.

use std::borrow::Cow;

use percent_encoding::utf8_percent_encode;
use serde::Serialize;
use serde_json::Value;

use super::InvalidRequest;

/// How a parameter is laid out. Query parameters default to `Form`, path and
/// header parameters to `Simple`.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// `name=a&name=b` (exploded) or `name=a,b`; objects `k=v&k2=v2` or
    /// `name=k,v,k2,v2`.
    Form,
    /// `name=a%20b`.
    SpaceDelimited,
    /// `name=a|b`.
    PipeDelimited,
    /// `name[k]=v&name[k2]=v2`, for objects.
    DeepObject,
    /// `a,b`; objects `k,v,k2,v2` or, exploded, `k=v,k2=v2`.
    Simple,
    /// `.a.b` (exploded) or `.a,b`.
    Label,
    /// `;name=a;name=b` (exploded) or `;name=a,b`.
    Matrix,
}

/// The value as JSON, or an error naming the parameter.
fn to_json<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<Value, InvalidRequest> {
    serde_json::to_value(value).map_err(|error| InvalidRequest {
        field: name.to_string(),
        rule: "serializable".to_string(),
        message: format!("parameter `{name}` cannot be serialized: {error}"),
    })
}

/// The text of a scalar; arrays and objects inside a value are JSON.
fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The query pairs of one parameter; a null value adds none.
#[doc(hidden)]
pub fn query_pairs<T: Serialize + ?Sized>(
    name: &'static str,
    value: &T,
    style: Style,
    explode: bool,
) -> Result<Vec<(Cow<'static, str>, String)>, InvalidRequest> {
    let value = to_json(name, value)?;
    let joined = |items: Vec<String>| {
        let separator = match style {
            Style::SpaceDelimited => " ",
            Style::PipeDelimited => "|",
            _ => ",",
        };
        vec![(Cow::Borrowed(name), items.join(separator))]
    };
    Ok(match value {
        Value::Null => Vec::new(),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(scalar_text).collect();
            if explode && matches!(style, Style::Form | Style::DeepObject) {
                items
                    .into_iter()
                    .map(|item| (Cow::Borrowed(name), item))
                    .collect()
            } else {
                joined(items)
            }
        }
        Value::Object(fields) => {
            let fields = fields.iter().filter(|(_, v)| !v.is_null());
            match (style, explode) {
                (Style::DeepObject, _) => fields
                    .map(|(key, v)| (Cow::Owned(format!("{name}[{key}]")), scalar_text(v)))
                    .collect(),
                (Style::Form, true) => fields
                    .map(|(key, v)| (Cow::Owned(key.clone()), scalar_text(v)))
                    .collect(),
                _ => joined(
                    fields
                        .flat_map(|(key, v)| [key.clone(), scalar_text(v)])
                        .collect(),
                ),
            }
        }
        scalar => vec![(Cow::Borrowed(name), scalar_text(&scalar))],
    })
}

/// The text of a path parameter in its style, each value percent-encoded
/// and the style's delimiters left as they are.
#[doc(hidden)]
pub fn path_text<T: Serialize + ?Sized>(
    name: &'static str,
    value: &T,
    style: Style,
    explode: bool,
) -> Result<String, InvalidRequest> {
    let value = to_json(name, value)?;
    let encode = |text: &str| utf8_percent_encode(text, super::PATH_SEGMENT).to_string();
    Ok(layout(name, &value, style, explode, encode))
}

/// The text of a parameter described by `content` with a JSON media type:
/// the value's JSON.
#[doc(hidden)]
pub fn json_text<T: Serialize + ?Sized>(
    name: &'static str,
    value: &T,
) -> Result<String, InvalidRequest> {
    Ok(to_json(name, value)?.to_string())
}

/// The text of a header parameter (`simple` style); the runtime checks that
/// it is valid header text.
#[doc(hidden)]
pub fn header_text<T: Serialize + ?Sized>(
    name: &'static str,
    value: &T,
    explode: bool,
) -> Result<String, InvalidRequest> {
    let value = to_json(name, value)?;
    Ok(layout(name, &value, Style::Simple, explode, |text| {
        text.to_string()
    }))
}

/// Lays out a value in a `simple`, `label` or `matrix` style, passing each
/// name and value through `encode`.
fn layout(
    name: &str,
    value: &Value,
    style: Style,
    explode: bool,
    encode: impl Fn(&str) -> String,
) -> String {
    // (prefix, separator between items, whether each item repeats the name)
    let (prefix, separator) = match (style, explode) {
        (Style::Label, true) => (".".to_string(), "."),
        (Style::Label, false) => (".".to_string(), ","),
        (Style::Matrix, true) => (String::new(), ""),
        (Style::Matrix, false) => (format!(";{}=", encode(name)), ","),
        _ => (String::new(), ","),
    };
    let items: Vec<String> = match value {
        Value::Array(items) => items
            .iter()
            .map(|item| {
                let text = encode(&scalar_text(item));
                if style == Style::Matrix && explode {
                    format!(";{}={text}", encode(name))
                } else {
                    text
                }
            })
            .collect(),
        Value::Object(fields) => fields
            .iter()
            .filter(|(_, v)| !v.is_null())
            .flat_map(|(key, v)| {
                let (key, text) = (encode(key), encode(&scalar_text(v)));
                if explode {
                    let pair = format!("{key}={text}");
                    if style == Style::Matrix {
                        vec![format!(";{pair}")]
                    } else {
                        vec![pair]
                    }
                } else {
                    vec![key, text]
                }
            })
            .collect(),
        scalar => {
            let text = encode(&scalar_text(scalar));
            return match style {
                Style::Label => format!(".{text}"),
                Style::Matrix => format!(";{}={text}", encode(name)),
                _ => text,
            };
        }
    };
    format!("{prefix}{}", items.join(separator))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn query(value: Value, style: Style, explode: bool) -> Vec<(String, String)> {
        query_pairs("id", &value, style, explode)
            .unwrap()
            .into_iter()
            .map(|(k, v)| (k.into_owned(), v))
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    // The examples of the OpenAPI 3.0.3 "Style Examples" table, for
    // `color` = "blue", ["blue","black","brown"], {R:100,G:200,B:150}.
    #[test]
    fn query_styles_follow_the_specification_table() {
        let array = json!(["blue", "black", "brown"]);
        assert_eq!(
            query(array.clone(), Style::Form, true),
            pairs(&[("id", "blue"), ("id", "black"), ("id", "brown")])
        );
        assert_eq!(
            query(array.clone(), Style::Form, false),
            pairs(&[("id", "blue,black,brown")])
        );
        assert_eq!(
            query(array.clone(), Style::SpaceDelimited, false),
            pairs(&[("id", "blue black brown")])
        );
        assert_eq!(
            query(array, Style::PipeDelimited, false),
            pairs(&[("id", "blue|black|brown")])
        );
        let object = json!({"R": 100, "G": 200, "B": 150});
        // serde_json keeps keys sorted: B, G, R.
        assert_eq!(
            query(object.clone(), Style::Form, true),
            pairs(&[("B", "150"), ("G", "200"), ("R", "100")])
        );
        assert_eq!(
            query(object.clone(), Style::Form, false),
            pairs(&[("id", "B,150,G,200,R,100")])
        );
        assert_eq!(
            query(object, Style::DeepObject, true),
            pairs(&[("id[B]", "150"), ("id[G]", "200"), ("id[R]", "100")])
        );
        assert_eq!(
            query(json!("blue"), Style::Form, true),
            pairs(&[("id", "blue")])
        );
        assert!(query(Value::Null, Style::Form, true).is_empty());
    }

    #[test]
    fn path_styles_follow_the_specification_table() {
        let path =
            |value: Value, style, explode| path_text("color", &value, style, explode).unwrap();
        let array = json!(["blue", "black", "brown"]);
        let object = json!({"R": 100, "G": 200, "B": 150});
        assert_eq!(path(json!("blue"), Style::Simple, false), "blue");
        assert_eq!(
            path(array.clone(), Style::Simple, false),
            "blue,black,brown"
        );
        assert_eq!(
            path(object.clone(), Style::Simple, false),
            "B,150,G,200,R,100"
        );
        assert_eq!(
            path(object.clone(), Style::Simple, true),
            "B=150,G=200,R=100"
        );
        assert_eq!(path(json!("blue"), Style::Label, false), ".blue");
        assert_eq!(path(array.clone(), Style::Label, true), ".blue.black.brown");
        assert_eq!(
            path(array.clone(), Style::Label, false),
            ".blue,black,brown"
        );
        assert_eq!(path(json!("blue"), Style::Matrix, false), ";color=blue");
        assert_eq!(
            path(array.clone(), Style::Matrix, true),
            ";color=blue;color=black;color=brown"
        );
        assert_eq!(path(array, Style::Matrix, false), ";color=blue,black,brown");
        assert_eq!(path(object, Style::Matrix, true), ";B=150;G=200;R=100");
        // Values are encoded, delimiters are not.
        assert_eq!(
            path(json!(["a/b", "c d"]), Style::Simple, false),
            "a%2Fb,c%20d"
        );
    }

    #[test]
    fn header_values_are_simple() {
        assert_eq!(header_text("x", &json!(["a", "b"]), false).unwrap(), "a,b");
        assert_eq!(header_text("x", &json!(7), false).unwrap(), "7");
    }
}

//! Schema keywords whose values OpenAPI 3.0's Schema Object does not allow
//! there, read as their authors evidently meant, or ignored; and integer
//! keywords beyond 64 bits, which are valid.
//!
//! Each keyword has one kind of value (OpenAPI 3.0.3, Schema Object; JSON
//! Schema Validation, section 6). A value of another kind is converted when
//! its meaning is plain (`"true"` for a boolean, `"10"` for a length, a
//! number enum value of a string schema), and otherwise the keyword is
//! ignored: the schema then says less, and the type is wider, never wrong.

use std::collections::BTreeSet;

use serde_json::{Map, Number, Value};

use super::Findings;
use crate::subschemas::{document_schemas_mut, visit_mut};

/// Normalizes every schema of the document, nested ones included.
pub(super) fn keywords(document: &mut Value, findings: &mut Findings) {
    let dangling = dangling_references(document);
    let Some(root) = document.as_object_mut() else {
        return;
    };
    for (at, schema) in document_schemas_mut(root) {
        boolean_schema(schema, &at, findings);
        visit_mut(schema, &at, &mut |map, at| {
            dangling_reference(map, at, &dangling, findings);
            null_type(map, at, findings);
            type_name(map, at, findings);
            exclusive_bounds(map, at, findings);
            value_kinds(map, at, findings);
            pattern(map, at, findings);
            format_of_structure(map, at, findings);
            default_text(map, at, findings);
            subschema_values(map, at, findings);
            enum_values(map, at, findings);
            integer_bounds(map, at, findings);
        });
    }
}

/// The local references (`#/...`) of the document that point at nothing.
fn dangling_references(document: &Value) -> BTreeSet<String> {
    let mut dangling = BTreeSet::new();
    crate::reach::visit_refs(document, "", &mut |_, reference| {
        if let Some(reference) = reference.as_str()
            && reference.starts_with('#')
            && crate::refs::local_target(document, reference).is_none()
        {
            dangling.insert(reference.to_string());
        }
    });
    dangling
}

/// A schema `$ref` that points at nothing in the document: the spec is
/// broken there, and the schema is read as any value (its other keywords,
/// a description say, kept), rather than the spec refused. References
/// elsewhere (a parameter, a response) are the model's to report.
fn dangling_reference(
    map: &mut Map<String, Value>,
    at: &str,
    dangling: &BTreeSet<String>,
    findings: &mut Findings,
) {
    let Some(Value::String(reference)) = map.get("$ref") else {
        return;
    };
    if !dangling.contains(reference) {
        return;
    }
    let message = format!("`{reference}` does not resolve inside this document; read as any value");
    map.remove("$ref");
    findings.warn(format!("{at}/$ref"), message);
}

/// `type: "null"`, alone or as an `anyOf`/`oneOf` member, is OpenAPI 3.1's
/// spelling (3.1 documents were rewritten before); in a 3.0 document it is
/// read as 3.1 means it, `nullable: true` (Vapi writes it).
fn null_type(map: &mut Map<String, Value>, at: &str, findings: &mut Findings) {
    if crate::normalize::upgrade::nulls_to_nullable(map) {
        findings.warn(
            at,
            "`type: null` is OpenAPI 3.1's spelling; read as `nullable: true`",
        );
    }
}

/// The types OpenAPI 3.0 names.
const TYPES: [&str; 6] = ["string", "number", "integer", "boolean", "array", "object"];

/// `type`: one of [`TYPES`]. Common misspellings are read as the type they
/// name (`bool`, `int64`, `float`, `file`); any other value is ignored,
/// leaving a schema of any type.
fn type_name(map: &mut Map<String, Value>, at: &str, findings: &mut Findings) {
    let Some(value) = map.get("type") else {
        return;
    };
    if value.as_str().is_some_and(|name| TYPES.contains(&name)) {
        return;
    }
    let at = format!("{at}/type");
    let meant = value.as_str().and_then(synonym);
    let said = value.to_string();
    match meant {
        Some((name, format)) => {
            map.insert("type".into(), name.into());
            let mut read = format!("`{name}`");
            if let Some(format) = format
                && !map.contains_key("format")
            {
                map.insert("format".into(), format.into());
                read.push_str(&format!(" with format `{format}`"));
            }
            findings.warn(
                at,
                format!("`type: {said}` is not an OpenAPI type; read as {read}"),
            );
        }
        None => {
            map.remove("type");
            findings.warn(
                at,
                format!("`type: {said}` is not an OpenAPI type; ignored (any type)"),
            );
        }
    }
}

/// The type (and format) a misspelt type name evidently means.
fn synonym(name: &str) -> Option<(&'static str, Option<&'static str>)> {
    let lower = name.trim().to_ascii_lowercase();
    if let Some(exact) = TYPES.iter().find(|t| **t == lower) {
        return Some((exact, None));
    }
    Some(match lower.as_str() {
        "bool" => ("boolean", None),
        "int" | "long" => ("integer", None),
        "int32" => ("integer", Some("int32")),
        "int64" => ("integer", Some("int64")),
        "float" => ("number", Some("float")),
        "double" => ("number", Some("double")),
        "decimal" | "numeric" => ("number", None),
        "str" | "text" => ("string", None),
        "file" | "binary" => ("string", Some("binary")),
        "date" => ("string", Some("date")),
        "datetime" | "date-time" => ("string", Some("date-time")),
        "dict" | "map" | "hash" => ("object", None),
        "list" => ("array", None),
        _ => return None,
    })
}

/// A number under `exclusiveMinimum` or `exclusiveMaximum` is OpenAPI 3.1's
/// form (3.0's value is a boolean beside `minimum`): read as 3.1 means it.
fn exclusive_bounds(map: &mut Map<String, Value>, at: &str, findings: &mut Findings) {
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        let Some(Value::Number(limit)) = map.get(exclusive).cloned() else {
            continue;
        };
        // Both bounds hold in 3.1; where the inclusive one is the stricter,
        // it alone is kept.
        let inclusive = map.get(bound).and_then(Value::as_f64);
        let limit_value = limit.as_f64().unwrap_or(f64::NAN);
        let stricter = inclusive.is_some_and(|inclusive| {
            if bound == "minimum" {
                inclusive > limit_value
            } else {
                inclusive < limit_value
            }
        });
        let read = if stricter {
            map.remove(exclusive);
            format!("the `{bound}` beside it is stricter and is kept alone")
        } else {
            map.insert(bound.into(), Value::Number(limit.clone()));
            map.insert(exclusive.into(), Value::Bool(true));
            format!("read as `{bound}: {limit}, {exclusive}: true`")
        };
        findings.warn(
            format!("{at}/{exclusive}"),
            format!("a number here is OpenAPI 3.1's form; {read}"),
        );
    }
}

/// The kind of value a keyword takes.
#[derive(Clone, Copy)]
enum Kind {
    Boolean,
    /// A non-negative integer (the length and count keywords).
    Count,
    Number,
    Text,
    /// A list of strings (`required`).
    Names,
    List,
}

/// Keywords whose value is not a schema, and the kind each takes.
const KINDS: [(&str, Kind); 22] = [
    ("nullable", Kind::Boolean),
    ("readOnly", Kind::Boolean),
    ("writeOnly", Kind::Boolean),
    ("deprecated", Kind::Boolean),
    ("uniqueItems", Kind::Boolean),
    ("exclusiveMinimum", Kind::Boolean),
    ("exclusiveMaximum", Kind::Boolean),
    ("maxLength", Kind::Count),
    ("minLength", Kind::Count),
    ("maxItems", Kind::Count),
    ("minItems", Kind::Count),
    ("maxProperties", Kind::Count),
    ("minProperties", Kind::Count),
    ("minimum", Kind::Number),
    ("maximum", Kind::Number),
    ("multipleOf", Kind::Number),
    ("pattern", Kind::Text),
    ("title", Kind::Text),
    ("description", Kind::Text),
    ("format", Kind::Text),
    ("required", Kind::Names),
    ("enum", Kind::List),
];

/// Each keyword of [`KINDS`] holds its kind of value, converted where the
/// meaning is plain, else ignored.
fn value_kinds(map: &mut Map<String, Value>, at: &str, findings: &mut Findings) {
    for (keyword, kind) in KINDS {
        let Some(value) = map.get(keyword) else {
            continue;
        };
        let at = format!("{at}/{keyword}");
        let said = value.to_string();
        match convert(value, kind) {
            Converted::Fits => {}
            Converted::Exact(value) => {
                map.insert(keyword.into(), value);
            }
            // A valid count no 64-bit length reaches: no bound at all as a
            // maximum (a repair); as a minimum, nothing meets it (ignored,
            // as an integer `minimum` beyond 64 bits is).
            Converted::Beyond if keyword.starts_with("max") => {
                map.remove(keyword);
                findings.repair(
                    at,
                    format!("`{said}` is beyond every 64-bit count, so no bound; dropped"),
                );
            }
            Converted::Beyond => {
                map.remove(keyword);
                findings.warn(
                    at,
                    format!("`{said}` is beyond every 64-bit count, so nothing meets it; ignored"),
                );
            }
            Converted::Plain(value) => {
                map.insert(keyword.into(), value.clone());
                findings.warn(
                    at,
                    format!("`{said}` is not a {}; read as `{value}`", kind_name(kind)),
                );
            }
            Converted::No => {
                map.remove(keyword);
                let note = if keyword == "required" && said == "true" {
                    " (a property is required by the parent's `required` list)"
                } else {
                    ""
                };
                findings.warn(
                    at,
                    format!("`{said}` is not a {}; ignored{note}", kind_name(kind)),
                );
            }
        }
    }
    for keyword in ["discriminator", "externalDocs", "xml"] {
        if map.get(keyword).is_some_and(|value| !value.is_object()) {
            let said = map.remove(keyword).unwrap_or_default();
            findings.warn(
                format!("{at}/{keyword}"),
                format!("`{said}` is not an object; ignored"),
            );
        }
    }
    let discriminator_name = map
        .get("discriminator")
        .map(|d| d.get("propertyName").is_some_and(Value::is_string));
    if discriminator_name == Some(false) {
        map.remove("discriminator");
        findings.warn(
            format!("{at}/discriminator"),
            "a discriminator needs a `propertyName` string; ignored",
        );
    }
}

/// `pattern` is an ECMA-262 regular expression (OpenAPI 3.0, Schema
/// Object); one that is not cannot be checked, and is ignored (`(?i)`
/// flags, a Perl or .NET dialect).
fn pattern(map: &mut Map<String, Value>, at: &str, findings: &mut Findings) {
    let Some(Value::String(pattern)) = map.get("pattern") else {
        return;
    };
    if let Err(error) = regress::Regex::new(pattern) {
        let said = map.remove("pattern").unwrap_or_default();
        findings.warn(
            format!("{at}/pattern"),
            format!("{said} is not an ECMA-262 regular expression ({error}); ignored"),
        );
    }
}

/// `format` qualifies strings and numbers (OpenAPI 3.0, Data Types); on an
/// object, array or boolean (lago writes `type: object, format: object`)
/// it names nothing, and as an annotation may be ignored (JSON Schema
/// Validation, section 7.2). Dropped, a repair: the type means the same.
fn format_of_structure(map: &mut Map<String, Value>, at: &str, findings: &mut Findings) {
    let structure = map
        .get("type")
        .and_then(Value::as_str)
        .is_some_and(|kind| matches!(kind, "object" | "array" | "boolean"));
    if structure && let Some(format) = map.remove("format") {
        let kind = map["type"].as_str().unwrap_or_default().to_string();
        findings.repair(
            format!("{at}/format"),
            format!("`format: {format}` names nothing for a {kind}; ignored"),
        );
    }
}

/// A `default` written as text for a schema of another type (`"null"`,
/// `"false"`, `"1024"`, as some generators of specs write them) is the
/// value the text spells, where it spells one of the schema's type (or
/// `null` for a nullable schema); otherwise it is ignored.
fn default_text(map: &mut Map<String, Value>, at: &str, findings: &mut Findings) {
    let Some(Value::String(text)) = map.get("default") else {
        return;
    };
    let kind = map.get("type").and_then(Value::as_str);
    if kind == Some("string") {
        return;
    }
    let nullable = map.get("nullable") == Some(&Value::Bool(true));
    let text = text.trim().to_string();
    let value = match (kind, text.as_str()) {
        (_, "null") if nullable => Some(Value::Null),
        (Some("boolean"), "true") => Some(Value::Bool(true)),
        (Some("boolean"), "false") => Some(Value::Bool(false)),
        (Some("integer"), _) => text.parse::<i64>().ok().map(Value::from),
        (Some("number"), _) => text
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number),
        // Without a type (a `$ref` or `allOf`), only `null` is plain.
        _ => None,
    };
    let at = format!("{at}/default");
    match value {
        Some(value) => {
            findings.warn(at, format!("`\"{text}\"` is text; read as `{value}`"));
            map.insert("default".into(), value);
        }
        None if kind.is_some() => {
            map.remove("default");
            findings.warn(
                at,
                format!("`\"{text}\"` is not a value of the schema's type; ignored"),
            );
        }
        None => {}
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Boolean => "boolean",
        Kind::Count => "non-negative integer",
        Kind::Number => "number",
        Kind::Text => "string",
        Kind::Names => "list of property names",
        Kind::List => "list",
    }
}

/// A value, against the kind its keyword takes.
enum Converted {
    /// It is of that kind.
    Fits,
    /// The same value, written as that kind (`2.0` for a count).
    Exact(Value),
    /// Another kind whose meaning is plain (`"true"`, `"10"`).
    Plain(Value),
    /// A count beyond every 64-bit count (`1e30`, written as digits).
    Beyond,
    No,
}

fn convert(value: &Value, kind: Kind) -> Converted {
    match (kind, value) {
        (Kind::Boolean, Value::Bool(_))
        | (Kind::Number, Value::Number(_))
        | (Kind::Text, Value::String(_))
        | (Kind::List, Value::Array(_)) => Converted::Fits,
        (Kind::Boolean, Value::String(text)) => match text.trim() {
            "true" => Converted::Plain(Value::Bool(true)),
            "false" => Converted::Plain(Value::Bool(false)),
            _ => Converted::No,
        },
        (Kind::Count, Value::Number(number)) if number.is_u64() => Converted::Fits,
        (Kind::Count, Value::Number(number)) => match (count(number.as_f64()), number.as_f64()) {
            (Some(n), _) => Converted::Exact(n.into()),
            (None, Some(f)) if f.fract() == 0.0 && f > u64::MAX as f64 => Converted::Beyond,
            (None, _) => Converted::No,
        },
        (Kind::Count, Value::String(text)) => match text.trim().parse::<u64>() {
            Ok(n) => Converted::Plain(n.into()),
            Err(_) => Converted::No,
        },
        (Kind::Number, Value::String(text)) => match text.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => Number::from_f64(n).map_or(Converted::No, |number| {
                Converted::Plain(Value::Number(number))
            }),
            _ => Converted::No,
        },
        (Kind::Names, Value::Array(names)) if names.iter().all(Value::is_string) => Converted::Fits,
        (Kind::Names, Value::Array(names)) => {
            let kept: Vec<Value> = names.iter().filter(|n| n.is_string()).cloned().collect();
            Converted::Plain(Value::Array(kept))
        }
        _ => Converted::No,
    }
}

/// A count as the integer it is, if it is one (`3.0` is; `-1` and `0.5`
/// are not).
fn count(value: Option<f64>) -> Option<u64> {
    let value = value?;
    (value >= 0.0 && value.fract() == 0.0 && value <= u64::MAX as f64).then_some(value as u64)
}

/// Keywords whose value is a schema, or a list of them: a boolean schema
/// (JSON Schema's `true`, any value; `false`, none) becomes its object
/// form; any other value that is not a schema is ignored.
fn subschema_values(map: &mut Map<String, Value>, at: &str, findings: &mut Findings) {
    for keyword in ["items", "not"] {
        let Some(value) = map.get_mut(keyword) else {
            continue;
        };
        let at = format!("{at}/{keyword}");
        if keyword == "items" && value.is_array() {
            // A draft-4 tuple; OpenAPI 3.0 has none, and 3.1's is
            // `prefixItems`. Items of any of the listed types.
            *value = Value::Object(Map::new());
            findings.warn(
                at,
                "a list of item schemas (a tuple) is not OpenAPI; read as items of any type",
            );
            continue;
        }
        if !boolean_schema(value, &at, findings) && !value.is_object() {
            let said = map.remove(keyword).unwrap_or_default();
            findings.warn(at, format!("`{said}` is not a schema; ignored"));
        }
    }
    if let Some(value) = map.get_mut("properties") {
        match value.as_object_mut() {
            Some(properties) => {
                let mut dropped = Vec::new();
                for (name, property) in properties.iter_mut() {
                    let at = format!(
                        "{at}/properties/{}",
                        crate::error::escape_pointer_token(name)
                    );
                    if !boolean_schema(property, &at, findings) && !property.is_object() {
                        dropped.push((name.clone(), at, property.to_string()));
                    }
                }
                for (name, at, said) in dropped {
                    properties.insert(name, Value::Object(Map::new()));
                    findings.warn(at, format!("`{said}` is not a schema; read as any value"));
                }
            }
            None => {
                let said = map.remove("properties").unwrap_or_default();
                findings.warn(
                    format!("{at}/properties"),
                    format!("`{said}` is not a map of schemas; ignored"),
                );
            }
        }
    }
    if let Some(value) = map.get("additionalProperties")
        && !value.is_boolean()
        && !value.is_object()
    {
        let said = map.remove("additionalProperties").unwrap_or_default();
        findings.warn(
            format!("{at}/additionalProperties"),
            format!("`{said}` is neither a boolean nor a schema; ignored"),
        );
    }
    for keyword in ["allOf", "anyOf", "oneOf"] {
        let Some(value) = map.get_mut(keyword) else {
            continue;
        };
        let at = format!("{at}/{keyword}");
        let Some(members) = value.as_array_mut() else {
            let said = map.remove(keyword).unwrap_or_default();
            findings.warn(at, format!("`{said}` is not a list of schemas; ignored"));
            continue;
        };
        for (index, member) in members.iter_mut().enumerate() {
            boolean_schema(member, &format!("{at}/{index}"), findings);
        }
        let before = members.len();
        members.retain(Value::is_object);
        if members.len() < before {
            findings.warn(
                at,
                format!(
                    "{} members are not schemas; ignored",
                    before - members.len()
                ),
            );
        }
    }
}

/// A boolean schema in its object form: `true` is `{}` (any value), `false`
/// is `{not: {}}` (none). Valid JSON Schema (OpenAPI 3.1), so a repair, not
/// a warning. Whether `value` was one.
fn boolean_schema(value: &mut Value, at: &str, findings: &mut Findings) -> bool {
    let Value::Bool(any) = *value else {
        return false;
    };
    *value = if any {
        Value::Object(Map::new())
    } else {
        Value::Object(Map::from_iter([(
            "not".to_string(),
            Value::Object(Map::new()),
        )]))
    };
    findings.repair(
        at,
        format!("the boolean schema `{any}` written as `{value}`"),
    );
    true
}

/// Enum values of a typed schema have its type: a value of another kind is
/// converted where the meaning is plain (a number listed for a string
/// schema is that number's text), and otherwise ignored; `null` is kept.
fn enum_values(map: &mut Map<String, Value>, at: &str, findings: &mut Findings) {
    unique_enum_values(map, at, findings);
    let Some(kind) = map.get("type").and_then(Value::as_str).map(str::to_string) else {
        return;
    };
    let Some(Value::Array(values)) = map.get_mut("enum") else {
        return;
    };
    let at = format!("{at}/enum");
    let mut ignored = Vec::new();
    let mut converted = Vec::new();
    values.retain_mut(|value| {
        let fits = match (kind.as_str(), &*value) {
            (_, Value::Null) => true,
            ("string", Value::String(_)) | ("boolean", Value::Bool(_)) => true,
            ("number", Value::Number(_)) => true,
            ("integer", Value::Number(n)) => {
                n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
            }
            ("array" | "object", _) => true,
            _ => false,
        };
        if fits {
            return true;
        }
        let plain = match (kind.as_str(), &*value) {
            ("string", Value::Number(_) | Value::Bool(_)) => Some(Value::String(value.to_string())),
            ("number" | "integer", Value::String(text)) => text
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|f| kind == "number" || f.fract() == 0.0)
                .and_then(Number::from_f64)
                .map(Value::Number),
            ("boolean", Value::String(text)) => match text.as_str() {
                "true" => Some(Value::Bool(true)),
                "false" => Some(Value::Bool(false)),
                _ => None,
            },
            _ => None,
        };
        match plain {
            Some(plain) => {
                converted.push(format!("{value} as {plain}"));
                *value = plain;
                true
            }
            None => {
                ignored.push(value.to_string());
                false
            }
        }
    });
    if !converted.is_empty() {
        findings.warn(
            at.clone(),
            format!(
                "values not of type `{kind}` read as such: {}",
                converted.join(", ")
            ),
        );
    }
    if !ignored.is_empty() {
        findings.warn(
            at,
            format!(
                "values not of type `{kind}` ignored: {}",
                ignored.join(", ")
            ),
        );
    }
}

/// An enum value listed twice (JSON Schema: the values "SHOULD be unique")
/// is one value; listed once, so that it is one variant.
fn unique_enum_values(map: &mut Map<String, Value>, at: &str, findings: &mut Findings) {
    let Some(Value::Array(values)) = map.get_mut("enum") else {
        return;
    };
    let mut seen: Vec<Value> = Vec::with_capacity(values.len());
    let mut repeated = Vec::new();
    for value in values.drain(..) {
        if seen.contains(&value) {
            repeated.push(value.to_string());
        } else {
            seen.push(value);
        }
    }
    *values = seen;
    if !repeated.is_empty() {
        findings.repair(
            format!("{at}/enum"),
            format!(
                "values listed more than once kept once: {}",
                repeated.join(", ")
            ),
        );
    }
}

/// The integer keywords of an integer schema as 64-bit integers, which is
/// what its Rust type holds. These are valid specs, so each rewrite keeps
/// the meaning for that type: `minimum: 0.5` is `minimum: 1` for integers;
/// a bound beyond the 64-bit range is no bound at all for a 64-bit value;
/// an enum value beyond it cannot be held and is ignored (a warning).
fn integer_bounds(map: &mut Map<String, Value>, at: &str, findings: &mut Findings) {
    if map.get("type").and_then(Value::as_str) != Some("integer") {
        return;
    }
    for keyword in ["minimum", "maximum"] {
        let Some(Value::Number(bound)) = map.get(keyword) else {
            continue;
        };
        if bound.is_i64() {
            continue;
        }
        let at = format!("{at}/{keyword}");
        let said = bound.to_string();
        // The integers at or above a minimum start at its ceiling; those at
        // or below a maximum end at its floor.
        let value = bound
            .as_f64()
            .map(|bound| {
                if keyword == "minimum" {
                    bound.ceil()
                } else {
                    bound.floor()
                }
            })
            .unwrap_or(f64::NAN);
        // `i64::MAX as f64` rounds up to 2^63, so the upper end is exclusive.
        if value >= i64::MIN as f64 && value < i64::MAX as f64 {
            let rounded = bound.as_f64().is_some_and(|bound| bound != value);
            map.insert(keyword.into(), (value as i64).into());
            // Rounded inward, the bound is already past the value it was:
            // `> 1.5` is `>= 2` for integers, not `> 2`.
            let exclusive = if keyword == "minimum" {
                "exclusiveMinimum"
            } else {
                "exclusiveMaximum"
            };
            let mut note = format!("`{said}` read as the integer bound `{}`", value as i64);
            if rounded && map.remove(exclusive).is_some_and(|flag| flag == true) {
                note.push_str(&format!(", inclusive (`{exclusive}` dropped)"));
            }
            findings.repair(at, note);
            continue;
        }
        map.remove(keyword);
        let vacuous = (keyword == "minimum") == (value < 0.0);
        if vacuous {
            findings.repair(
                at,
                format!("`{said}` is beyond every 64-bit integer, so no bound for one; dropped"),
            );
        } else {
            findings.warn(
                at,
                format!(
                    "`{said}` is beyond every 64-bit integer, so no 64-bit value meets it; ignored"
                ),
            );
        }
    }
    if let Some(Value::Number(step)) = map.get("multipleOf")
        && step.as_i64().is_none_or(|step| step <= 0)
    {
        let said = step.to_string();
        let exact = step
            .as_f64()
            .filter(|f| f.fract() == 0.0 && *f >= 1.0 && *f < i64::MAX as f64);
        match exact {
            Some(step) => {
                map.insert("multipleOf".into(), (step as i64).into());
            }
            None => {
                map.remove("multipleOf");
                findings.warn(
                    format!("{at}/multipleOf"),
                    format!(
                        "`{said}` is not a positive 64-bit integer step for an integer; ignored"
                    ),
                );
            }
        }
    }
    let Some(Value::Array(values)) = map.get_mut("enum") else {
        return;
    };
    let mut ignored = Vec::new();
    for value in values.iter_mut() {
        if let Value::Number(number) = value
            && !number.is_i64()
        {
            match number
                .as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= i64::MIN as f64 && *f < i64::MAX as f64)
            {
                Some(exact) => *value = (exact as i64).into(),
                None => ignored.push(number.to_string()),
            }
        }
    }
    if !ignored.is_empty() {
        values.retain(|value| !ignored.contains(&value.to_string()));
        findings.warn(
            format!("{at}/enum"),
            format!(
                "values beyond every 64-bit integer ignored: {}",
                ignored.join(", ")
            ),
        );
    }
}

#[cfg(test)]
mod tests;

//! Sample values: a JSON instance of a schema, for driving generated
//! operations against a mock server that validates requests (Prism).
//!
//! The instance is built to satisfy the schema as OpenAPI 3.0 describes it
//! (3.1 documents are normalised to that first): `const` and `enum` where
//! the schema gives them, else from the type and its constraints (formats,
//! lengths, patterns, bounds, `multipleOf`, item counts, required
//! properties), `allOf` parts merged into one schema, the first `oneOf`
//! alternative that the others surely reject (its discriminator set to its
//! name), the first `anyOf` alternative that can be built. A documented
//! `default` or `example` stands in only for a string none of the
//! candidates fits, and only if it fits itself. Where no value can be known
//! to satisfy the schema (a `pattern` nothing matches, unique items that
//! cannot differ, a cycle with nothing to stop it), the answer is `None`,
//! never a guess.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

/// How deep a sample nests before a recursive schema counts as unbuildable.
const MAX_DEPTH: usize = 16;

/// An instance of `schema`, whose `$ref`s point into `components`
/// (`#/components/schemas/NAME`).
pub fn value(schema: &Value, components: &BTreeMap<String, Value>) -> Option<Value> {
    Sampler {
        components,
        list_length: 1,
    }
    .sample(schema, 0)
}

/// Like [`value`], for an exploded `form` parameter: its lists get two
/// items where the schema allows. One item of an exploded list is `name=a`
/// on the wire, the same text as a scalar, so a one-item sample would
/// neither show nor exercise the list's layout (and a server reading it by
/// the schema's other alternatives, as `anyOf: [array, null]`, may take it
/// for one).
pub fn parameter_value(schema: &Value, components: &BTreeMap<String, Value>) -> Option<Value> {
    Sampler {
        components,
        list_length: 2,
    }
    .sample(schema, 0)
}

struct Sampler<'a> {
    components: &'a BTreeMap<String, Value>,
    /// How many items a list gets when its bounds leave the choice open.
    list_length: usize,
}

impl Sampler<'_> {
    fn sample(&self, schema: &Value, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        let schema = schema.as_object()?;
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            return self.sample(self.resolve(reference)?, depth + 1);
        }
        if let Some(value) = schema.get("const") {
            return Some(value.clone());
        }
        // A composition's sample must also keep the schema's own type and
        // scalar constraints written beside it.
        let own = |sample: Value| {
            (type_fits(schema, &sample) && scalar_fits(schema, &sample)).then_some(sample)
        };
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            return self.all_of(schema, parts, depth).and_then(own);
        }
        if let Some(alternatives) = schema.get("oneOf").and_then(Value::as_array) {
            // Exactly one must match: a sample the others surely reject.
            return alternatives
                .iter()
                .enumerate()
                .find_map(|(index, alternative)| {
                    let sample = self.alternative(schema, alternative, depth)?;
                    alternatives
                        .iter()
                        .enumerate()
                        .filter(|(other, _)| *other != index)
                        .all(|(_, other)| self.excludes(other, &sample, depth + 1))
                        .then_some(sample)
                        .and_then(own)
                });
        }
        if let Some(alternatives) = schema.get("anyOf").and_then(Value::as_array) {
            return alternatives.iter().find_map(|alternative| {
                self.alternative(schema, alternative, depth).and_then(own)
            });
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            return values
                .iter()
                .find(|value| type_fits(schema, value) && scalar_fits(schema, value))
                .cloned();
        }
        let built = match schema.get("type").and_then(Value::as_str) {
            Some("string") => string(schema),
            Some("integer") => integer(schema).map(Value::from),
            Some("number") => number(schema),
            Some("boolean") => Some(Value::Bool(true)),
            Some("array") => self.array(schema, depth),
            Some("object") => self.object(schema, depth),
            Some(_) => None,
            None if schema.contains_key("properties") || schema.contains_key("required") => {
                self.object(schema, depth)
            }
            // No type: anything is an instance.
            None => Some(json!("sample")),
        };
        // A string no candidate fits may still have a documented value that
        // does (checked, since specs' examples are not always right).
        built.or_else(|| {
            ["default", "example"]
                .into_iter()
                .filter_map(|key| schema.get(key))
                .find(|value| value.is_string() && scalar_fits(schema, value))
                .cloned()
        })
    }

    fn resolve(&self, reference: &str) -> Option<&Value> {
        self.components.get(crate::refs::component_name(reference)?)
    }

    /// Whether `schema` surely rejects `value`: by type, `const`, `enum`,
    /// `pattern`, a missing required property, or the same of a property
    /// or of every alternative. `false` means "maybe accepts".
    fn excludes(&self, schema: &Value, value: &Value, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        let Some(schema) = schema.as_object() else {
            return false;
        };
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            return self
                .resolve(reference)
                .is_some_and(|target| self.excludes(target, value, depth + 1));
        }
        if value.is_null() && is_nullable(schema) {
            return false;
        }
        let listed = |key: &str| {
            schema
                .get(key)
                .and_then(Value::as_array)
                .is_some_and(|values| !values.contains(value))
        };
        if schema
            .get("const")
            .is_some_and(|constant| constant != value)
            || listed("enum")
            || !type_fits(schema, value)
            || !scalar_fits(schema, value)
        {
            return true;
        }
        let every = |key: &str| {
            schema
                .get(key)
                .and_then(Value::as_array)
                .is_some_and(|alternatives| {
                    alternatives
                        .iter()
                        .all(|alternative| self.excludes(alternative, value, depth + 1))
                })
        };
        let any = |key: &str| {
            schema
                .get(key)
                .and_then(Value::as_array)
                .is_some_and(|parts| {
                    parts
                        .iter()
                        .any(|part| self.excludes(part, value, depth + 1))
                })
        };
        if every("oneOf") || every("anyOf") || any("allOf") {
            return true;
        }
        let Some(object) = value.as_object() else {
            return false;
        };
        let missing_required = schema
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(|names| {
                names
                    .iter()
                    .filter_map(Value::as_str)
                    .any(|name| !object.contains_key(name))
            });
        let property_excluded = schema
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|properties| {
                object.iter().any(|(name, value)| {
                    properties
                        .get(name)
                        .is_some_and(|property| self.excludes(property, value, depth + 1))
                })
            });
        missing_required || property_excluded
    }

    /// A sample of the parts merged into one schema (with the schema's own
    /// keywords beside `allOf`): a value must satisfy every part at once.
    fn all_of(&self, schema: &Map<String, Value>, parts: &[Value], depth: usize) -> Option<Value> {
        let mut merged = schema.clone();
        merged.remove("allOf");
        for part in parts {
            let part = self.flatten(part, depth + 1)?;
            merged = merge(merged, part)?;
        }
        self.sample(&Value::Object(merged), depth + 1)
    }

    /// A part with its `$ref` followed and its own `allOf` merged in.
    fn flatten(&self, part: &Value, depth: usize) -> Option<Map<String, Value>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut part = part.as_object()?.clone();
        if let Some(reference) = part.remove("$ref") {
            let target = self.flatten(self.resolve(reference.as_str()?)?, depth + 1)?;
            part = merge(part, target)?;
        }
        if let Some(Value::Array(parts)) = part.remove("allOf") {
            for inner in &parts {
                part = merge(part, self.flatten(inner, depth + 1)?)?;
            }
        }
        Some(part)
    }

    /// One `oneOf`/`anyOf` alternative, merged with what the parent says
    /// beside its alternatives, and with the parent's discriminator
    /// property fixed to the name that selects it.
    fn alternative(
        &self,
        parent: &Map<String, Value>,
        alternative: &Value,
        depth: usize,
    ) -> Option<Value> {
        let mut beside = parent.clone();
        for key in ["oneOf", "anyOf", "discriminator"] {
            beside.remove(key);
        }
        let mut schema = merge(self.flatten(alternative, depth + 1)?, beside)?;
        if let Some(discriminator) = parent.get("discriminator") {
            let property = discriminator.get("propertyName")?.as_str()?;
            let reference = alternative.get("$ref").and_then(Value::as_str)?;
            let mapped = discriminator
                .get("mapping")
                .and_then(Value::as_object)
                .and_then(|mapping| {
                    mapping
                        .iter()
                        .find(|(_, target)| target.as_str() == Some(reference))
                        .map(|(name, _)| name.clone())
                });
            let name = mapped.or_else(|| reference.rsplit('/').next().map(String::from))?;
            let properties = schema
                .entry("properties")
                .or_insert_with(|| json!({}))
                .as_object_mut()?;
            let fixed = json!({"const": name});
            let property_schema = match properties.remove(property) {
                Some(declared) => json!({"allOf": [declared, fixed]}),
                None => fixed,
            };
            properties.insert(property.to_string(), property_schema);
        }
        self.sample(&Value::Object(schema), depth + 1)
    }

    fn array(&self, schema: &Map<String, Value>, depth: usize) -> Option<Value> {
        let min = count(schema, "minItems").unwrap_or(0);
        let max = count(schema, "maxItems").unwrap_or(usize::MAX);
        let unique = schema.get("uniqueItems") == Some(&Value::Bool(true));
        // Every item is the same sample, so unique items allow only one
        // (or none) unless the schema demands more.
        let preferred = if unique { 1 } else { self.list_length };
        let length = min.max(preferred).min(max);
        if length == 0 {
            return Some(json!([]));
        }
        let item = self.sample(schema.get("items").unwrap_or(&json!({})), depth + 1)?;
        if unique && length > 1 {
            return None;
        }
        Some(Value::Array(vec![item; length]))
    }

    /// The required properties; optional ones only as far as
    /// `minProperties` asks.
    fn object(&self, schema: &Map<String, Value>, depth: usize) -> Option<Value> {
        let empty = Map::new();
        let properties = schema
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut out = Map::new();
        for name in &required {
            let property = properties.get(*name).unwrap_or(&Value::Null);
            let sample = if property.is_null() {
                json!("sample")
            } else {
                self.sample(property, depth + 1)?
            };
            out.insert(name.to_string(), sample);
        }
        let min = count(schema, "minProperties").unwrap_or(0);
        for (name, property) in properties {
            if out.len() >= min {
                break;
            }
            if !out.contains_key(name) {
                out.insert(name.clone(), self.sample(property, depth + 1)?);
            }
        }
        (out.len() >= min).then_some(Value::Object(out))
    }
}

/// Two schemas as one that only values of both satisfy; `None` where they
/// contradict or the merge cannot be expressed (two patterns, two sets of
/// alternatives).
fn merge(mut into: Map<String, Value>, from: Map<String, Value>) -> Option<Map<String, Value>> {
    for (key, value) in from {
        let Some(existing) = into.get(&key).cloned() else {
            into.insert(key, value);
            continue;
        };
        if existing == value {
            continue;
        }
        let merged = match key.as_str() {
            "properties" => {
                let mut properties = existing.as_object()?.clone();
                for (name, property) in value.as_object()? {
                    let combined = match properties.remove(name) {
                        // Each side may still hold a `$ref`: both stand.
                        Some(first) => json!({"allOf": [first, property]}),
                        None => property.clone(),
                    };
                    properties.insert(name.clone(), combined);
                }
                Value::Object(properties)
            }
            "required" => {
                let mut names = existing.as_array()?.clone();
                for name in value.as_array()? {
                    if !names.contains(name) {
                        names.push(name.clone());
                    }
                }
                Value::Array(names)
            }
            "enum" => {
                let other = value.as_array()?;
                let both: Vec<Value> = existing
                    .as_array()?
                    .iter()
                    .filter(|v| other.contains(v))
                    .cloned()
                    .collect();
                if both.is_empty() {
                    return None;
                }
                Value::Array(both)
            }
            "type" => match (existing.as_str()?, value.as_str()?) {
                ("integer", "number") | ("number", "integer") => json!("integer"),
                _ => return None,
            },
            "nullable" => Value::Bool(existing == Value::Bool(true) && value == Value::Bool(true)),
            "minimum" | "minLength" | "minItems" | "minProperties" => {
                if existing.as_f64()? >= value.as_f64()? {
                    existing
                } else {
                    value
                }
            }
            "maximum" | "maxLength" | "maxItems" | "maxProperties" => {
                if existing.as_f64()? <= value.as_f64()? {
                    existing
                } else {
                    value
                }
            }
            "items" => json!({"allOf": [existing, value]}),
            "pattern" | "oneOf" | "anyOf" | "const" | "format" | "multipleOf" => return None,
            // Descriptions, examples and the like: the first stands.
            _ => existing,
        };
        into.insert(key, merged);
    }
    Some(into)
}

/// Whether `value` is of the schema's `type` (null where `nullable`; an
/// integer is a number); true where no type is given.
fn type_fits(schema: &Map<String, Value>, value: &Value) -> bool {
    let Some(ty) = schema.get("type").and_then(Value::as_str) else {
        return true;
    };
    match value {
        Value::Null => is_nullable(schema),
        Value::Bool(_) => ty == "boolean",
        Value::Number(number) => ty == "number" || (ty == "integer" && number.is_i64()),
        Value::String(_) => ty == "string",
        Value::Array(_) => ty == "array",
        Value::Object(_) => ty == "object",
    }
}

/// Whether a string or number keeps the schema's own scalar constraints
/// (`pattern`, lengths, bounds); other values pass.
fn scalar_fits(schema: &Map<String, Value>, value: &Value) -> bool {
    let bound = |key: &str| schema.get(key).and_then(Value::as_f64);
    match value {
        Value::String(text) => {
            let length = text.chars().count();
            let pattern_ok = match schema.get("pattern").and_then(Value::as_str) {
                Some(pattern) => {
                    regress::Regex::new(pattern).is_ok_and(|re| re.find(text).is_some())
                }
                None => true,
            };
            pattern_ok
                && count(schema, "minLength").is_none_or(|min| length >= min)
                && count(schema, "maxLength").is_none_or(|max| length <= max)
        }
        Value::Number(number) => {
            let number = number.as_f64().unwrap_or(f64::NAN);
            bound("minimum").is_none_or(|min| number >= min)
                && bound("maximum").is_none_or(|max| number <= max)
        }
        _ => true,
    }
}

fn is_nullable(schema: &Map<String, Value>) -> bool {
    schema.get("nullable") == Some(&Value::Bool(true))
}

fn count(schema: &Map<String, Value>, key: &str) -> Option<usize> {
    schema
        .get(key)?
        .as_u64()
        .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
}

/// A string of the schema's format, or the first candidate that keeps its
/// length and pattern.
fn string(schema: &Map<String, Value>) -> Option<Value> {
    let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
    let formatted = match format {
        "date-time" => Some("2024-01-02T03:04:05Z"),
        "date" => Some("2024-01-02"),
        "time" => Some("03:04:05Z"),
        "uuid" => Some("6f1c2b9e-8d1a-4c3e-9b7a-2f5d4e3c2b1a"),
        "email" => Some("agent@example.com"),
        "uri" | "url" | "uri-reference" => Some("https://example.com/sample"),
        "hostname" => Some("example.com"),
        "ipv4" => Some("192.0.2.1"),
        "ipv6" => Some("2001:db8::1"),
        "byte" => Some("c2FtcGxl"),
        _ => None,
    };
    let min = count(schema, "minLength").unwrap_or(0);
    let max = count(schema, "maxLength").unwrap_or(usize::MAX);
    let padded = "a"
        .repeat(min.max(6))
        .chars()
        .take(max.min(64).max(min))
        .collect::<String>();
    let candidates = formatted
        .into_iter()
        .map(String::from)
        .chain(if formatted.is_some() {
            Vec::new()
        } else {
            [
                padded.as_str(),
                "sample",
                "a",
                "A",
                "1",
                "abc123",
                "sample-1",
                "+14155550123",
                "en",
            ]
            .into_iter()
            .map(String::from)
            .collect()
        });
    // The same check a documented value gets (`scalar_fits`).
    candidates
        .map(Value::String)
        .find(|candidate| scalar_fits(schema, candidate))
}

fn integer(schema: &Map<String, Value>) -> Option<i64> {
    let bound = |key: &str| schema.get(key).and_then(Value::as_f64);
    // 3.0's boolean `exclusiveMinimum` beside `minimum`.
    let exclusive = |key: &str| schema.get(key) == Some(&Value::Bool(true));
    let mut low = bound("minimum").map_or(1.0_f64.min(bound("maximum").unwrap_or(1.0)), f64::ceil);
    if exclusive("exclusiveMinimum") && bound("minimum") == Some(low) {
        low += 1.0;
    }
    let mut high = bound("maximum").map_or(f64::MAX, f64::floor);
    if exclusive("exclusiveMaximum") && bound("maximum") == Some(high) {
        high -= 1.0;
    }
    let step = bound("multipleOf").filter(|m| *m >= 1.0 && m.fract() == 0.0);
    let value = match step {
        Some(step) => (low / step).ceil() * step,
        None => low,
    };
    (value <= high && value.abs() < 9e15).then_some(value as i64)
}

fn number(schema: &Map<String, Value>) -> Option<Value> {
    let bound = |key: &str| schema.get(key).and_then(Value::as_f64);
    let exclusive = |key: &str| schema.get(key) == Some(&Value::Bool(true));
    let low = bound("minimum").unwrap_or(1.0_f64.min(bound("maximum").unwrap_or(1.0)));
    let high = bound("maximum").unwrap_or(f64::MAX);
    let mut value = if exclusive("exclusiveMinimum") && bound("minimum").is_some() {
        // Halfway into the open interval.
        if high < f64::MAX {
            (low + high) / 2.0
        } else {
            low + 1.0
        }
    } else {
        low
    };
    if let Some(step) = bound("multipleOf").filter(|m| *m > 0.0) {
        value = (value / step).ceil() * step;
    }
    let above = value > low || (value == low && !exclusive("exclusiveMinimum"));
    let below = value < high || (value == high && !exclusive("exclusiveMaximum"));
    (above && below).then(|| json!(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(schema: Value) -> Option<Value> {
        value(&schema, &BTreeMap::new())
    }

    #[test]
    fn scalars_keep_their_constraints() {
        assert_eq!(
            sample(json!({"type": "string", "format": "uuid"}))
                .unwrap()
                .as_str()
                .unwrap()
                .len(),
            36
        );
        assert_eq!(
            sample(json!({"type": "string", "minLength": 10})).unwrap(),
            json!("aaaaaaaaaa")
        );
        assert_eq!(
            sample(json!({"type": "string", "maxLength": 1})).unwrap(),
            json!("a")
        );
        assert_eq!(
            sample(json!({"type": "string", "pattern": "^\\+[1-9]\\d{1,14}$"})).unwrap(),
            json!("+14155550123")
        );
        assert_eq!(
            sample(json!({"type": "string", "pattern": "^[A-Z]{2}-\\d{4}$"})),
            None
        );
        assert_eq!(
            sample(json!({"type": "integer", "minimum": 5, "multipleOf": 4})).unwrap(),
            json!(8)
        );
        assert_eq!(
            sample(json!({"type": "integer", "maximum": 0})).unwrap(),
            json!(0)
        );
        assert_eq!(
            sample(json!({"type": "integer", "minimum": 3, "exclusiveMinimum": true})).unwrap(),
            json!(4)
        );
        assert_eq!(
            sample(json!({"type": "integer", "minimum": 3, "maximum": 2})),
            None
        );
        assert_eq!(
            sample(json!({"type": "number", "maximum": 0.5})).unwrap(),
            json!(0.5)
        );
        assert_eq!(sample(json!({"enum": ["b", "a"]})).unwrap(), json!("b"));
        // A documented value stands in only where none can be built, and
        // only when it fits.
        let documented = json!({"type": "string", "pattern": "^x-\\d$", "example": "x-1"});
        assert_eq!(sample(documented).unwrap(), json!("x-1"));
        let wrong = json!({"type": "string", "pattern": "^x-\\d$", "example": "y"});
        assert_eq!(sample(wrong), None);
        let enum_breaking_its_pattern =
            json!({"type": "string", "enum": ["admin"], "pattern": "^ROLE$"});
        assert_eq!(sample(enum_breaking_its_pattern), None);
    }

    #[test]
    fn objects_hold_their_required_properties_and_merge_all_of() {
        let components = BTreeMap::from([(
            "Base".to_string(),
            json!({"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}),
        )]);
        let schema = json!({
            "allOf": [{"$ref": "#/components/schemas/Base"}],
            "type": "object",
            "required": ["name"],
            "properties": {"name": {"type": "string", "maxLength": 3}, "note": {"type": "string"}}
        });
        assert_eq!(
            value(&schema, &components).unwrap(),
            json!({"id": 1, "name": "aaa"})
        );
        let list = json!({"type": "array", "minItems": 2, "items": {"type": "boolean"}});
        assert_eq!(sample(list).unwrap(), json!([true, true]));
        let unique = json!({"type": "array", "minItems": 2, "uniqueItems": true, "items": {"type": "boolean"}});
        assert_eq!(sample(unique), None);
    }

    #[test]
    fn parameter_lists_get_two_items_where_the_schema_allows() {
        let none = BTreeMap::new();
        let param = |schema: Value| parameter_value(&schema, &none);
        let list =
            json!({"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}]});
        assert_eq!(param(list.clone()).unwrap(), json!(["aaaaaa", "aaaaaa"]));
        assert_eq!(value(&list, &none).unwrap(), json!(["aaaaaa"]));
        let at_most_one = json!({"type": "array", "maxItems": 1, "items": {"type": "integer"}});
        assert_eq!(param(at_most_one).unwrap(), json!([1]));
        let unique = json!({"type": "array", "uniqueItems": true, "items": {"type": "integer"}});
        assert_eq!(param(unique).unwrap(), json!([1]));
    }

    #[test]
    fn alternatives_take_the_first_buildable_and_their_discriminator() {
        let components = BTreeMap::from([
            (
                "Cat".to_string(),
                json!({"type": "object", "required": ["kind", "lives"], "properties": {"kind": {"type": "string"}, "lives": {"type": "integer"}}}),
            ),
            (
                "Dog".to_string(),
                json!({"type": "object", "required": ["kind", "barks"], "properties": {"kind": {"type": "string"}, "barks": {"type": "boolean"}}}),
            ),
        ]);
        let schema = json!({
            "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
            "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}}
        });
        assert_eq!(
            value(&schema, &components).unwrap(),
            json!({"kind": "cat", "lives": 1})
        );
        let unbuildable_first =
            json!({"anyOf": [{"type": "string", "pattern": "^Z{9}$"}, {"type": "integer"}]});
        assert_eq!(sample(unbuildable_first).unwrap(), json!(1));
        // `oneOf`: a listed voice matches both alternatives; a free one only
        // the second.
        let voice = json!({"oneOf": [{"type": "string", "enum": ["amy"]}, {"type": "string"}]});
        assert_eq!(sample(voice).unwrap(), json!("aaaaaa"));
        let indistinct = json!({"oneOf": [{"type": "object"}, {"type": "object"}]});
        assert_eq!(sample(indistinct), None);
    }

    #[test]
    fn cycles_without_an_exit_have_no_sample() {
        let components = BTreeMap::from([(
            "Node".to_string(),
            json!({"type": "object", "required": ["next"], "properties": {"next": {"$ref": "#/components/schemas/Node"}}}),
        )]);
        assert_eq!(
            value(&json!({"$ref": "#/components/schemas/Node"}), &components),
            None
        );
    }
}

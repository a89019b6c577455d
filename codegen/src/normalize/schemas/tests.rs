use serde_json::{Value, json};

use super::*;

/// Normalizes one component schema; the result, the warnings' pointers and
/// messages, and the repairs' notes.
fn normalize_schema(schema: Value) -> (Value, Vec<(String, String)>, Vec<String>) {
    let mut document = json!({"components": {"schemas": {"S": schema}}});
    let mut findings = Findings::default();
    keywords(&mut document, &mut findings);
    let warnings = findings
        .warnings
        .into_iter()
        .map(|w| (w.pointer, w.message))
        .collect();
    let repairs = findings.repairs.into_iter().map(|r| r.note).collect();
    (
        document["components"]["schemas"]["S"].take(),
        warnings,
        repairs,
    )
}

#[test]
fn unknown_type_names_are_read_as_the_type_they_name_or_ignored() {
    let (schema, warnings, _) = normalize_schema(json!({
        "type": "object",
        "properties": {
            "a": {"type": "bool"},
            "b": {"type": "int64"},
            "c": {"type": "String"},
            "d": {"type": "quaternion"},
        },
    }));
    assert_eq!(schema["properties"]["a"], json!({"type": "boolean"}));
    assert_eq!(
        schema["properties"]["b"],
        json!({"type": "integer", "format": "int64"})
    );
    assert_eq!(schema["properties"]["c"], json!({"type": "string"}));
    assert_eq!(schema["properties"]["d"], json!({}));
    let pointers: Vec<&str> = warnings.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/components/schemas/S/properties/a/type",
            "/components/schemas/S/properties/b/type",
            "/components/schemas/S/properties/c/type",
            "/components/schemas/S/properties/d/type",
        ]
    );
    assert!(warnings[3].1.contains("ignored (any type)"), "{warnings:?}");
}

#[test]
fn required_true_inside_a_schema_is_ignored_with_a_warning() {
    let (schema, warnings, _) = normalize_schema(json!({
        "type": "object",
        "required": ["id"],
        "properties": {"id": {"type": "string"}, "name": {"type": "string", "required": true}},
    }));
    assert_eq!(schema["properties"]["name"], json!({"type": "string"}));
    assert_eq!(schema["required"], json!(["id"]));
    assert_eq!(warnings.len(), 1);
    assert_eq!(
        warnings[0].0,
        "/components/schemas/S/properties/name/required"
    );
    assert!(
        warnings[0].1.contains("parent's `required` list"),
        "{warnings:?}"
    );
}

#[test]
fn keyword_values_of_the_wrong_kind_are_converted_when_plain_else_ignored() {
    let (schema, warnings, repairs) = normalize_schema(json!({
        "type": "string",
        "maxLength": "10",
        "minLength": 2.0,
        "nullable": "true",
        "readOnly": 1,
        "pattern": 5,
        "format": {"x": 1},
    }));
    assert_eq!(
        schema,
        json!({"type": "string", "maxLength": 10, "minLength": 2, "nullable": true})
    );
    assert_eq!(warnings.len(), 5, "{warnings:?}");
    // `2.0` is the integer 2, as JSON Schema counts: not even a repair.
    assert!(repairs.is_empty(), "{repairs:?}");
}

#[test]
fn a_numeric_exclusive_bound_in_3_0_is_read_as_3_1_means_it() {
    let (schema, warnings, _) = normalize_schema(json!({
        "type": "number", "exclusiveMinimum": 0, "maximum": 5, "exclusiveMaximum": 10,
    }));
    assert_eq!(
        schema,
        json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 5})
    );
    assert_eq!(warnings.len(), 2);
}

#[test]
fn integers_of_any_size_keep_their_meaning_for_64_bit_values() {
    let (schema, warnings, repairs) = normalize_schema(json!({
        "type": "integer",
        "minimum": -9.223372036854776e19,
        "maximum": 2.5,
        "multipleOf": 2.0,
        "enum": [1, 2.0, 1e30],
    }));
    assert_eq!(
        schema,
        json!({"type": "integer", "maximum": 2, "multipleOf": 2, "enum": [1, 2]})
    );
    assert_eq!(repairs.len(), 2, "{repairs:?}");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].0, "/components/schemas/S/enum");
}

#[test]
fn enum_values_take_the_schemas_type() {
    let (schema, warnings, _) = normalize_schema(json!({
        "type": "object",
        "properties": {
            "code": {"type": "string", "enum": [1, "two", null]},
            "rate": {"type": "number", "enum": ["1.5", "fast", 2]},
        },
    }));
    assert_eq!(
        schema["properties"]["code"]["enum"],
        json!(["1", "two", null])
    );
    assert_eq!(schema["properties"]["rate"]["enum"], json!([1.5, 2]));
    assert_eq!(warnings.len(), 3, "{warnings:?}");
}

#[test]
fn subschema_slots_hold_schemas() {
    let (schema, warnings, repairs) = normalize_schema(json!({
        "type": "object",
        "properties": {"any": true, "none": false, "bad": 3},
        "additionalProperties": "yes",
        "allOf": [true, 4],
        "items": [{"type": "string"}],
    }));
    assert_eq!(schema["properties"]["any"], json!({}));
    assert_eq!(schema["properties"]["none"], json!({"not": {}}));
    assert_eq!(schema["properties"]["bad"], json!({}));
    assert!(schema.get("additionalProperties").is_none());
    assert_eq!(schema["allOf"], json!([{}]));
    assert_eq!(schema["items"], json!({}));
    assert_eq!(repairs.len(), 3, "{repairs:?}");
    assert_eq!(warnings.len(), 4, "{warnings:?}");
}

#[test]
fn valid_schemas_are_left_as_they_are() {
    let valid = json!({
        "type": "object",
        "required": ["a"],
        "properties": {
            "a": {"type": "integer", "format": "int64", "minimum": 0, "maximum": 10, "enum": [1, 2]},
            "b": {"type": "array", "items": {"type": "string", "maxLength": 3}, "uniqueItems": true},
            "c": {"type": "number", "exclusiveMinimum": true, "minimum": 0.5},
            "d": {"oneOf": [{"$ref": "#/components/schemas/S"}], "nullable": true},
            "e": {"type": "string", "enum": ["x", null], "nullable": true},
        },
        "additionalProperties": {"type": "string"},
        "discriminator": {"propertyName": "a"},
    });
    let (schema, warnings, repairs) = normalize_schema(valid.clone());
    assert_eq!(schema, valid);
    assert!(
        warnings.is_empty() && repairs.is_empty(),
        "{warnings:?} {repairs:?}"
    );
}

#[test]
fn patterns_that_are_not_ecma_262_are_ignored() {
    let (schema, warnings, _) = normalize_schema(json!({
        "type": "object",
        "properties": {
            "id": {"type": "string", "pattern": "(?i)^[a-z]+$"},
            "code": {"type": "string", "pattern": "^[A-Z]{3}$"},
        },
    }));
    assert!(schema["properties"]["id"].get("pattern").is_none());
    assert_eq!(schema["properties"]["code"]["pattern"], "^[A-Z]{3}$");
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].1.contains("not an ECMA-262"), "{warnings:?}");
}

#[test]
fn an_enum_value_listed_twice_is_one_value() {
    let (schema, warnings, repairs) = normalize_schema(json!({
        "type": "string", "enum": ["BY_DATE_TIME", "BY_DATE_TIME", "BY_SKIP_COUNT"],
    }));
    assert_eq!(schema["enum"], json!(["BY_DATE_TIME", "BY_SKIP_COUNT"]));
    assert!(warnings.is_empty());
    assert_eq!(
        repairs,
        ["values listed more than once kept once: \"BY_DATE_TIME\""]
    );
}

#[test]
fn a_format_on_an_object_is_ignored() {
    let (schema, warnings, repairs) = normalize_schema(json!({
        "type": "object", "format": "object", "nullable": true,
    }));
    assert_eq!(schema, json!({"type": "object", "nullable": true}));
    assert!(warnings.is_empty());
    assert_eq!(repairs.len(), 1);
}

#[test]
fn defaults_written_as_text_are_the_values_they_spell() {
    let (schema, warnings, _) = normalize_schema(json!({
        "type": "object",
        "properties": {
            "flag": {"type": "boolean", "default": "false"},
            "count": {"type": "integer", "default": "1024", "nullable": true},
            "seed": {"type": "integer", "default": "null", "nullable": true},
            "grammar": {"allOf": [{"$ref": "#/components/schemas/S"}], "default": "null", "nullable": true},
            "rate": {"type": "number", "default": "fast"},
            "name": {"type": "string", "default": "null"},
        },
    }));
    let properties = &schema["properties"];
    assert_eq!(properties["flag"]["default"], json!(false));
    assert_eq!(properties["count"]["default"], json!(1024));
    assert_eq!(properties["seed"]["default"], json!(null));
    assert_eq!(properties["grammar"]["default"], json!(null));
    assert!(properties["rate"].get("default").is_none());
    assert_eq!(properties["name"]["default"], json!("null"));
    assert_eq!(warnings.len(), 5, "{warnings:?}");
}

#[test]
fn a_reference_to_nothing_is_any_value_and_one_to_something_stays() {
    let (schema, warnings, _) = normalize_schema(json!({
        "type": "object",
        "properties": {
            "gone": {"$ref": "#/components/schemas/Nope", "description": "Kept."},
            "here": {"$ref": "#/components/schemas/S"},
        }
    }));
    assert_eq!(
        schema["properties"]["gone"],
        json!({"description": "Kept."})
    );
    assert_eq!(
        schema["properties"]["here"],
        json!({"$ref": "#/components/schemas/S"})
    );
    assert_eq!(
        warnings,
        [(
            "/components/schemas/S/properties/gone/$ref".to_string(),
            "`#/components/schemas/Nope` does not resolve inside this document; read as any value"
                .to_string()
        )]
    );
}

#[test]
fn counts_beyond_64_bits_are_no_maximum_and_an_unmeetable_minimum() {
    let (schema, warnings, repairs) = normalize_schema(json!({
        "type": "array",
        "items": {"type": "string", "maxLength": 1e30, "minLength": 18446744073709551615u64},
        "maxItems": 3.4e38,
        "minItems": 1e25,
    }));
    assert_eq!(
        schema,
        json!({"type": "array", "items": {"type": "string", "minLength": 18446744073709551615u64}})
    );
    assert_eq!(repairs.len(), 2, "{repairs:?}");
    assert!(
        repairs.iter().all(|r| r.contains("no bound; dropped")),
        "{repairs:?}"
    );
    assert_eq!(
        warnings.iter().map(|w| w.0.as_str()).collect::<Vec<_>>(),
        ["/components/schemas/S/minItems"]
    );
    assert!(warnings[0].1.contains("nothing meets it"), "{warnings:?}");
}

#[test]
fn an_exclusive_bound_rounded_to_an_integer_becomes_inclusive() {
    // Integers above 1.5 are those from 2; below 7.0, those up to 6.
    let (schema, warnings, repairs) = normalize_schema(json!({
        "type": "integer",
        "minimum": 1.5,
        "exclusiveMinimum": true,
        "maximum": 7.0,
        "exclusiveMaximum": true,
    }));
    assert_eq!(
        schema,
        json!({"type": "integer", "minimum": 2, "maximum": 7, "exclusiveMaximum": true})
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        repairs,
        [
            "`1.5` read as the integer bound `2`, inclusive (`exclusiveMinimum` dropped)",
            "`7.0` read as the integer bound `7`",
        ]
    );
}

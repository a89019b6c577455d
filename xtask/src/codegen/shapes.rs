//! The generated-shapes fixture: one spec holding every combination of
//! shapes that matters, written from the table below, so that a new shape
//! is a new row, not a new bug found on someone's spec.
//!
//! Each row is a schema with a valid sample (and, for a row with a
//! constraint, a value that breaks it). Every row appears under each
//! presence: required, optional, nullable, and both (optional and
//! nullable), as a property of one struct per presence, which one
//! operation sends and receives. The samples are the request bodies'
//! `examples` (checked against their schemas by codegen's `spec_examples`
//! test), and the breaking values its `x-shapes-invalid` extension. The
//! fixture's snapshot is compiled with clippy `-D warnings` like every
//! snapshot, and `generated/tests/it/generated_shapes.rs` round-trips each
//! sample through the generated types and checks each broken value is
//! refused. Each operation also has a callback whose event carries the
//! same struct as its `data`, so every sample is read as an event too.

use serde_json::{Map, Value, json};

/// Where `cargo xtask codegen` writes it, under the workspace root.
pub const PATH: &str = "codegen/tests/fixtures/generated-shapes.json";

/// One shape: its schema, a sample that satisfies it, and a value that
/// breaks its constraint (none for a shape without one).
struct Row {
    name: &'static str,
    schema: Value,
    sample: Value,
    invalid: Option<Value>,
}

fn row(name: &'static str, schema: Value, sample: Value) -> Row {
    Row {
        name,
        schema,
        sample,
        invalid: None,
    }
}

fn constrained(name: &'static str, schema: Value, sample: Value, invalid: Value) -> Row {
    Row {
        name,
        schema,
        sample,
        invalid: Some(invalid),
    }
}

/// Every scalar and format.
fn scalars() -> Vec<Row> {
    let string = |format: &str| json!({"type": "string", "format": format});
    let integer = |format: &str| json!({"type": "integer", "format": format});
    vec![
        row("string", json!({"type": "string"}), json!("text")),
        row(
            "date_time",
            string("date-time"),
            json!("2024-01-02T03:04:05Z"),
        ),
        row("date", string("date"), json!("2024-01-02")),
        row(
            "uuid",
            string("uuid"),
            json!("6f1c1d4e-4b8a-4a5e-9a53-2f0c3e7b9d10"),
        ),
        row("ipv4", string("ipv4"), json!("127.0.0.1")),
        row("ipv6", string("ipv6"), json!("::1")),
        row("byte", string("byte"), json!("aGVsbG8=")),
        row("int8", integer("int8"), json!(-8)),
        row("uint8", integer("uint8"), json!(8)),
        row("int16", integer("int16"), json!(-16)),
        row("uint16", integer("uint16"), json!(16)),
        row("int32", integer("int32"), json!(-32)),
        row("uint32", integer("uint32"), json!(32)),
        row("int64", integer("int64"), json!(i64::MIN)),
        row("uint64", integer("uint64"), json!(u64::MAX)),
        row("integer", json!({"type": "integer"}), json!(42)),
        row("number", json!({"type": "number"}), json!(1.25)),
        row(
            "float",
            json!({"type": "number", "format": "float"}),
            json!(1.5),
        ),
        row(
            "double",
            json!({"type": "number", "format": "double"}),
            json!(2.5),
        ),
        row("boolean", json!({"type": "boolean"}), json!(true)),
        row("untyped", json!({}), json!({"any": [1, "two"]})),
        // Values whose Rust names collide once cased.
        row(
            "string_enum",
            json!({"type": "string", "enum": ["a-b", "a_b", "A B", "self", "1st", "Type"]}),
            json!("a_b"),
        ),
        row(
            "integer_enum",
            json!({"type": "integer", "enum": [1, 2, 3]}),
            json!(2),
        ),
    ]
}

/// Each constraint on the type it applies to.
fn constraints() -> Vec<Row> {
    vec![
        constrained(
            "string_max_length",
            json!({"type": "string", "maxLength": 5}),
            json!("abc"),
            json!("abcdefg"),
        ),
        constrained(
            "string_min_length",
            json!({"type": "string", "minLength": 2}),
            json!("abc"),
            json!("a"),
        ),
        constrained(
            "string_pattern",
            json!({"type": "string", "pattern": "^[a-z]+$"}),
            json!("abc"),
            json!("ABC"),
        ),
        constrained(
            "integer_minimum",
            json!({"type": "integer", "format": "int32", "minimum": 1}),
            json!(5),
            json!(0),
        ),
        constrained(
            "integer_maximum",
            json!({"type": "integer", "format": "int32", "maximum": 10}),
            json!(5),
            json!(11),
        ),
        constrained(
            "integer_exclusive_minimum",
            json!({"type": "integer", "format": "uint8", "minimum": 0, "exclusiveMinimum": true}),
            json!(5),
            json!(0),
        ),
        constrained(
            "integer_exclusive_maximum",
            json!({"type": "integer", "maximum": 10, "exclusiveMaximum": true}),
            json!(5),
            json!(10),
        ),
        // The maximum is the type's own: no check; the minimum is one.
        constrained(
            "uint64_bounds",
            json!({"type": "integer", "format": "uint64", "minimum": 1, "maximum": u64::MAX}),
            json!(5),
            json!(0),
        ),
        constrained(
            "number_minimum",
            json!({"type": "number", "minimum": 0.5}),
            json!(1.25),
            json!(0.25),
        ),
        constrained(
            "number_exclusive_maximum",
            json!({"type": "number", "maximum": 2, "exclusiveMaximum": true}),
            json!(1.25),
            json!(2.0),
        ),
        constrained(
            "float_bounds",
            json!({"type": "number", "format": "float", "minimum": -1.5, "maximum": 1.5}),
            json!(0.5),
            json!(2.5),
        ),
        // A pattern of its own and one of the schema it composes: both
        // hold, each checked.
        constrained(
            "two_patterns",
            json!({"allOf": [{"type": "string", "pattern": "^[a-z]+$"}], "pattern": "^a"}),
            json!("abc"),
            json!("bcd"),
        ),
        constrained(
            "array_max_items",
            json!({"type": "array", "items": {"type": "string"}, "maxItems": 2}),
            json!(["a"]),
            json!(["a", "b", "c"]),
        ),
        constrained(
            "array_min_items",
            json!({"type": "array", "items": {"type": "string"}, "minItems": 1}),
            json!(["a"]),
            json!([]),
        ),
    ]
}

/// Arrays, maps, objects, compositions, references and recursion.
fn structures() -> Vec<Row> {
    let item = json!({"$ref": "#/components/schemas/Item"});
    vec![
        constrained(
            "array_of_nullable_strings",
            json!({"type": "array", "items": {"type": "string", "nullable": true, "maxLength": 3}}),
            json!(["ab", null]),
            json!(["abcd"]),
        ),
        constrained(
            "array_of_arrays",
            json!({"type": "array", "items": {"type": "array",
                "items": {"type": "integer", "format": "int32", "maximum": 9}}}),
            json!([[1, 2], [3]]),
            json!([[10]]),
        ),
        constrained(
            "array_of_objects",
            json!({"type": "array", "items": item}),
            json!([{"label": "x"}]),
            json!([{"label": ""}]),
        ),
        row(
            "map_of_strings",
            json!({"type": "object", "additionalProperties": {"type": "string"}}),
            json!({"k": "v"}),
        ),
        row(
            "map_of_nullable_integers",
            json!({"type": "object", "additionalProperties": {"type": "integer", "nullable": true}}),
            json!({"a": 1, "b": null}),
        ),
        constrained(
            "object",
            json!({"type": "object", "required": ["inner"],
                "properties": {"inner": {"type": "string", "maxLength": 3}}}),
            json!({"inner": "ab"}),
            json!({"inner": "abcd"}),
        ),
        row(
            "one_of",
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}]}),
            json!("x"),
        ),
        row(
            "any_of",
            json!({"anyOf": [item, {"$ref": "#/components/schemas/Other"}]}),
            json!({"label": "x"}),
        ),
        row(
            "all_of",
            json!({"allOf": [item, {"type": "object",
                "properties": {"extra": {"type": "boolean"}}}]}),
            json!({"label": "x", "extra": true}),
        ),
        constrained(
            "reference",
            item,
            json!({"label": "x"}),
            json!({"label": ""}),
        ),
        constrained(
            "named_scalar",
            json!({"$ref": "#/components/schemas/Slot"}),
            json!(5),
            json!(10),
        ),
        constrained(
            "named_string",
            json!({"$ref": "#/components/schemas/Code"}),
            json!("AB"),
            json!("abc"),
        ),
        constrained(
            "recursion",
            json!({"$ref": "#/components/schemas/Node"}),
            json!({"name": "a", "children": [{"name": "b"}], "next": {"name": "c"}}),
            json!({"name": "a", "next": {"name": ""}}),
        ),
        row(
            "array_of_enums",
            json!({"type": "array", "items": {"type": "string", "enum": ["on", "off"]}}),
            json!(["on", "off"]),
        ),
        // Values of a map are not checked; the row proves it compiles.
        row(
            "map_of_constrained_strings",
            json!({"type": "object", "additionalProperties": {"type": "string", "maxLength": 3}}),
            json!({"k": "abc"}),
        ),
        // A reference annotated beside a scalar part (Plaid's `user_id`):
        // the named type, checked as it is.
        constrained(
            "annotated_reference",
            json!({"allOf": [{"$ref": "#/components/schemas/Code"},
                {"type": "string", "description": "Annotated."}]}),
            json!("AB"),
            json!("abc"),
        ),
        // Alternatives that only say which properties must be present
        // (DigitalOcean's firewalls): validation, no union.
        row(
            "presence_only_union",
            json!({"type": "object",
                "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
                "anyOf": [{"required": ["a"]}, {"required": ["b"]}]}),
            json!({"a": "x"}),
        ),
        row(
            "discriminated_one_of",
            json!({"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                "discriminator": {"propertyName": "kind"}}),
            json!({"kind": "dog", "barks": true}),
        ),
    ]
}

/// The components the rows refer to.
fn shared_components() -> Map<String, Value> {
    let components = json!({
        "Item": {"type": "object", "properties": {"label": {"type": "string", "minLength": 1}}},
        "Other": {"type": "object", "required": ["code"],
            "properties": {"code": {"type": "integer"}}},
        "Slot": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 9},
        "Code": {"type": "string", "pattern": "^[A-Z]{2}$"},
        "Cat": {"type": "object", "required": ["kind"], "properties": {
            "kind": {"type": "string", "enum": ["cat"]},
            "purrs": {"type": "boolean"}
        }},
        "Dog": {"type": "object", "required": ["kind"], "properties": {
            "kind": {"type": "string", "enum": ["dog"]},
            "barks": {"type": "boolean"}
        }},
        "Node": {"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string", "minLength": 1},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
            "next": {"$ref": "#/components/schemas/Node"}
        }}
    });
    match components {
        Value::Object(map) => map,
        _ => unreachable!("an object literal"),
    }
}

/// How a row's property is present in its struct.
#[derive(Clone, Copy)]
enum Presence {
    Required,
    Optional,
    Nullable,
    Both,
}

impl Presence {
    const ALL: [Presence; 4] = [
        Presence::Required,
        Presence::Optional,
        Presence::Nullable,
        Presence::Both,
    ];

    fn name(self) -> &'static str {
        match self {
            Presence::Required => "required",
            Presence::Optional => "optional",
            Presence::Nullable => "nullable",
            Presence::Both => "both",
        }
    }

    fn required(self) -> bool {
        matches!(self, Presence::Required | Presence::Nullable)
    }

    fn nullable(self) -> bool {
        matches!(self, Presence::Nullable | Presence::Both)
    }
}

/// A row's schema, nullable where its presence is (a `$ref` is wrapped:
/// OpenAPI 3.0 ignores keywords beside one). `nullable` beside a
/// composition allows `null` as well, as readers of 3.0 take it.
fn property_schema(schema: &Value, presence: Presence) -> Value {
    if !presence.nullable() {
        return schema.clone();
    }
    if schema.get("$ref").is_some() {
        return json!({"allOf": [schema], "nullable": true});
    }
    let mut schema = schema.clone();
    if let Value::Object(map) = &mut schema {
        map.insert("nullable".into(), Value::Bool(true));
    }
    schema
}

/// The struct of every row under `presence`, and its request body.
fn presence_struct(rows: &[Row], presence: Presence) -> (Value, Value) {
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut full = Map::new();
    let mut nulls = Map::new();
    let mut minimal = Map::new();
    let mut invalid = Map::new();
    for row in rows {
        properties.insert(row.name.into(), property_schema(&row.schema, presence));
        full.insert(row.name.into(), row.sample.clone());
        if presence.required() {
            required.push(Value::from(row.name));
            minimal.insert(row.name.into(), row.sample.clone());
        }
        if presence.nullable() {
            nulls.insert(row.name.into(), Value::Null);
        }
        if let Some(bad) = &row.invalid {
            invalid.insert(row.name.into(), bad.clone());
        }
    }
    let mut schema = json!({"type": "object", "properties": properties});
    if !required.is_empty() {
        schema["required"] = Value::Array(required);
    }
    let mut examples = Map::new();
    examples.insert("full".into(), json!({"value": full}));
    examples.insert("minimal".into(), json!({"value": minimal}));
    if presence.nullable() {
        examples.insert("nulls".into(), json!({"value": nulls}));
    }
    let body = json!({"examples": examples, "x-shapes-invalid": invalid});
    (schema, body)
}

/// The fixture, as the file holds it.
pub fn spec() -> String {
    let rows: Vec<Row> = scalars()
        .into_iter()
        .chain(constraints())
        .chain(structures())
        .collect();
    let mut schemas = shared_components();
    let mut paths = Map::new();
    for presence in Presence::ALL {
        let name = presence.name();
        let type_name = format!("{}{}Shapes", name[..1].to_uppercase(), &name[1..]);
        let (schema, mut body) = presence_struct(&rows, presence);
        schemas.insert(type_name.clone(), schema);
        let reference = json!({"$ref": format!("#/components/schemas/{type_name}")});
        body["schema"] = reference.clone();
        // The same shapes as an event's data: a callback whose body's
        // `type` has one value, so `webhooks::Event::parse` tells them apart.
        let event_name = format!("{type_name}Event");
        schemas.insert(
            event_name.clone(),
            json!({"type": "object", "required": ["type", "data"], "properties": {
                "type": {"type": "string", "enum": [format!("{name}.shapes")]},
                "data": reference.clone()
            }}),
        );
        let event = json!({"post": {
            "requestBody": {"required": true, "content": {"application/json": {
                "schema": {"$ref": format!("#/components/schemas/{event_name}")}}}},
            "responses": {"204": {"description": "Received."}}
        }});
        paths.insert(
            format!("/shapes/{name}"),
            json!({"post": {
                "operationId": format!("send_{name}"),
                "requestBody": {"required": true, "content": {"application/json": body}},
                "responses": {"200": {"description": "The same value, read back.",
                    "content": {"application/json": {"schema": reference}}}},
                "callbacks": {format!("{name}_shapes"): {"{$request.body#/callback_url}": event}}
            }}),
        );
    }
    let document = json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Generated shapes",
            "version": "1",
            "description": "Written by `cargo xtask codegen` from xtask/src/codegen/shapes.rs; do not edit."
        },
        "paths": paths,
        "components": {"schemas": schemas}
    });
    let mut text = serde_json::to_string_pretty(&document).expect("a JSON value prints");
    text.push('\n');
    text
}

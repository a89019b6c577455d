//! The IR on its own: schemas in, named types out, nothing printed.

use std::path::Path;

use super::*;

/// The type space of a spec whose one operation returns `Root` and sends
/// `Body`, with `schemas` as its components.
fn space(schemas: serde_json::Value) -> TypeSpace {
    let spec = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/x": {"post": {
            "operationId": "x",
            "requestBody": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Body"}}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Root"}}}}}
        }}},
        "components": {"schemas": schemas},
    });
    let document = crate::load::load_str(Path::new("t.json"), &spec.to_string()).unwrap();
    let api = crate::ir::model::build(&document).unwrap();
    TypeSpace::new(&api)
}

fn named<'a>(space: &'a TypeSpace, name: &str) -> &'a TypeDef {
    space
        .sorted()
        .into_iter()
        .find(|(_, def)| def.name == name)
        .map(|(_, def)| def)
        .unwrap_or_else(|| panic!("no type {name} in {:#?}", space.sorted()))
}

fn fields(def: &TypeDef) -> &[Field] {
    match &def.kind {
        TypeKind::Struct(object) => &object.fields,
        other => panic!("{} is not a struct: {other:?}", def.name),
    }
}

fn field<'a>(def: &'a TypeDef, wire: &str) -> &'a Field {
    fields(def)
        .iter()
        .find(|f| f.wire == wire)
        .unwrap_or_else(|| panic!("no field {wire} in {}", def.name))
}

#[test]
fn presence_keeps_absent_null_and_value_apart() {
    let space = space(serde_json::json!({
        "Body": {"type": "object"},
        "Root": {
            "type": "object",
            "required": ["id", "gone"],
            "properties": {
                "id": {"type": "string", "format": "uuid"},
                "gone": {"type": "string", "nullable": true},
                "note": {"type": "string"},
                "clear": {"type": "integer", "format": "int32", "nullable": true},
            }
        }
    }));
    let root = named(&space, "Root");
    assert_eq!(field(root, "id").ty, Ty::Uuid);
    assert_eq!(field(root, "id").presence, Presence::Required);
    assert_eq!(field(root, "gone").ty, Ty::Option(Box::new(Ty::String)));
    assert_eq!(field(root, "gone").presence, Presence::Required);
    assert_eq!(field(root, "note").presence, Presence::Optional);
    assert_eq!(field(root, "clear").ty, Ty::Integer(IntType::I32));
    assert_eq!(field(root, "clear").presence, Presence::Nullable);
    // Sorted by wire name.
    let wires: Vec<&str> = fields(root).iter().map(|f| f.wire.as_str()).collect();
    assert_eq!(wires, ["clear", "gone", "id", "note"]);
}

#[test]
fn inline_types_are_named_after_their_place_and_made_distinct() {
    let space = space(serde_json::json!({
        "Body": {"type": "object"},
        // A component already named like the inline type below.
        "RootStatus": {"type": "string"},
        "Root": {
            "type": "object",
            "properties": {
                "status": {"type": "string", "enum": ["on", "off"]},
                "items": {"type": "array", "items": {
                    "type": "object", "properties": {"n": {"type": "number"}}}},
            }
        }
    }));
    let root = named(&space, "Root");
    let Ty::Open(status) = &field(root, "status").ty else {
        panic!("status is not open")
    };
    let Ty::Named(status) = &**status else {
        panic!("status is not named")
    };
    // The component keeps its name; the inline enum is numbered, and open
    // in a response.
    assert_eq!(space.get(*status).name, "RootStatus2");
    assert_eq!(
        field(root, "items").ty,
        Ty::List(Box::new(Ty::Named(
            space
                .sorted()
                .iter()
                .find(|(_, d)| d.name == "RootItemsItem")
                .unwrap()
                .0
        )))
    );
}

#[test]
fn response_enums_are_open_and_request_enums_are_not() {
    let space = space(serde_json::json!({
        "Mode": {"type": "string", "enum": ["a", "b"]},
        "Body": {"type": "object", "properties": {"mode": {"$ref": "#/components/schemas/Mode"}}},
        "Root": {"type": "object", "properties": {
            "mode": {"$ref": "#/components/schemas/Mode"},
            "modes": {"type": "array", "items": {"$ref": "#/components/schemas/Mode"}},
        }},
    }));
    let mode = space.component("Mode").unwrap();
    assert_eq!(field(named(&space, "Body"), "mode").ty, Ty::Named(mode));
    let open = Ty::Open(Box::new(Ty::Named(mode)));
    assert_eq!(field(named(&space, "Root"), "mode").ty, open);
    assert_eq!(
        field(named(&space, "Root"), "modes").ty,
        Ty::List(Box::new(open))
    );
}

#[test]
fn enum_values_that_meet_in_pascal_case_get_distinct_variants() {
    let space = space(serde_json::json!({
        "Body": {"type": "object"},
        "Root": {"type": "string", "enum": ["telnyx", "Telnyx", "+1", "-1", "", "1"]},
    }));
    let TypeKind::Enum(variants) = &named(&space, "Root").kind else {
        panic!("not an enum")
    };
    let names: Vec<(&str, &str)> = variants
        .iter()
        .map(|v| (v.name.as_str(), v.value.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("Telnyx", "telnyx"),
            ("Telnyx2", "Telnyx"),
            ("Plus1", "+1"),
            ("Minus1", "-1"),
            ("Empty", ""),
            ("X1", "1"),
        ]
    );
}

#[test]
fn fields_that_meet_in_snake_case_are_numbered_the_exact_one_kept() {
    assert_eq!(
        names::field_names(
            ["orgName", "org_name", "type", "+1", "$ref"]
                .map(String::from)
                .into_iter()
        ),
        ["org_name_2", "org_name", "type_", "plus1", "ref_"]
    );
}

#[test]
fn all_of_objects_merge_and_unions_flatten() {
    let space = space(serde_json::json!({
        "Body": {"type": "object"},
        "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
        "Shape": {"oneOf": [
            {"type": "object", "properties": {"r": {"type": "number"}}},
            {"type": "object", "properties": {"w": {"type": "number"}}},
        ]},
        "Root": {"allOf": [
            {"$ref": "#/components/schemas/Base"},
            {"type": "object", "properties": {"name": {"type": "string"}}},
        ], "description": "Merged."},
        "Tagged": {"allOf": [
            {"$ref": "#/components/schemas/Base"},
            {"$ref": "#/components/schemas/Shape"},
        ]},
    }));
    let root = named(&space, "Root");
    assert_eq!(root.description.as_deref(), Some("Merged."));
    assert_eq!(field(root, "id").presence, Presence::Required);
    assert_eq!(field(root, "name").presence, Presence::Optional);
    let tagged = fields(named(&space, "Tagged"));
    assert!(
        tagged.iter().all(|f| f.presence == Presence::Flattened),
        "{tagged:?}"
    );
    assert_eq!(tagged.len(), 2);
    let TypeKind::Union(variants) = &named(&space, "Shape").kind else {
        panic!("Shape is not a union")
    };
    let names: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["Variant0", "Variant1"]);
}

#[test]
fn a_type_that_holds_itself_by_value_is_boxed_once_behind_a_list_is_not() {
    let space = space(serde_json::json!({
        "Body": {"type": "object"},
        "Root": {"type": "object", "properties": {
            "parent": {"$ref": "#/components/schemas/Root"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Root"}},
        }},
    }));
    let root_id = space.component("Root").unwrap();
    let root = named(&space, "Root");
    assert_eq!(
        field(root, "parent").ty,
        Ty::Boxed(Box::new(Ty::Named(root_id)))
    );
    assert_eq!(
        field(root, "children").ty,
        Ty::List(Box::new(Ty::Named(root_id)))
    );
}

#[test]
fn an_all_of_no_value_can_satisfy_keeps_its_objects_and_warns() {
    let space = space(serde_json::json!({
        "Body": {"type": "object"},
        "Shape": {"oneOf": [
            {"type": "object", "properties": {"r": {"type": "number"}}},
            {"type": "object", "properties": {"w": {"type": "number"}}},
        ]},
        "Root": {"allOf": [
            {"$ref": "#/components/schemas/Shape"},
            {"type": "string"},
        ]},
    }));
    assert_eq!(fields(named(&space, "Root")).len(), 1);
    assert_eq!(space.warnings().len(), 1);
    assert_eq!(
        space.warnings()[0].pointer,
        "/components/schemas/Root/allOf/1"
    );
}

#[test]
fn a_cycle_of_references_alone_is_any_value_with_a_warning() {
    let space = space(serde_json::json!({
        "Body": {"type": "object"},
        "Root": {"$ref": "#/components/schemas/Loop"},
        "Loop": {"allOf": [{"$ref": "#/components/schemas/Root"}], "description": "Round."},
    }));
    assert_eq!(named(&space, "Root").kind, TypeKind::Newtype(Ty::Json));
    assert_eq!(named(&space, "Loop").kind, TypeKind::Newtype(Ty::Json));
    let pointers: Vec<&str> = space
        .warnings()
        .iter()
        .map(|w| w.pointer.as_str())
        .collect();
    assert_eq!(
        pointers,
        ["/components/schemas/Loop", "/components/schemas/Root"]
    );
}

#[test]
fn a_merged_property_keeps_the_type_of_the_schema_it_came_from() {
    let space = space(serde_json::json!({
        "Body": {"type": "object"},
        "Base": {"type": "object", "properties": {
            "config": {"type": "object", "properties": {"on": {"type": "boolean"}}}}},
        "Root": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"required": ["config"]}]},
    }));
    let base = field(named(&space, "Base"), "config").ty.clone();
    let root = field(named(&space, "Root"), "config");
    assert_eq!(root.presence, Presence::Required);
    // One `BaseConfig`, not a copy per schema that merges `Base`.
    assert_eq!(root.ty, base);
    assert!(matches!(&base, Ty::Named(id) if space.get(*id).name == "BaseConfig"));
}

/// One signature per operation: path parameters in template order, then
/// headers and queries by name, then the body; each typed once, optional
/// where the spec does not require it. The client declares these and the
/// driver fills them.
#[test]
fn an_operation_has_one_signature() {
    let spec = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a/{second}/{first}": {"put": {
            "operationId": "put",
            "parameters": [
                {"name": "first", "in": "path", "required": true, "schema": {"type": "integer"}},
                {"name": "second", "in": "path", "required": true,
                 "schema": {"type": "string", "format": "uuid"}},
                {"name": "zeta", "in": "query", "schema": {"type": "boolean"}},
                {"name": "alpha", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
                {"name": "x-trace", "in": "header", "required": true, "schema": {"type": "string"}}
            ],
            "requestBody": {"content": {"application/octet-stream": {
                "schema": {"type": "string", "format": "binary"}}}},
            "responses": {"204": {"description": "done"}}
        }}},
    });
    let document = crate::load::load_str(Path::new("t.json"), &spec.to_string()).unwrap();
    let api = crate::ir::model::build(&document).unwrap();
    let signature: Vec<(&str, model::ArgumentType, bool)> = api.operations[0]
        .arguments()
        .iter()
        .map(|argument| (argument.name, argument.ty, argument.optional))
        .collect();
    use model::ArgumentType::*;
    let alpha = api
        .components
        .get("PutAlpha")
        .expect("the hoisted query type");
    assert_eq!(TypeSpace::new(&api).get(alpha).name, "PutAlpha");
    assert_eq!(
        signature,
        [
            ("second", Uuid, false),
            ("first", Integer, false),
            ("x_trace", Str, false),
            ("alpha", Named(alpha), true),
            ("zeta", Boolean, true),
            ("body", Bytes, true),
        ]
    );
}

/// The checks of field `wire` of `def` in `space`, if it has a
/// `Validate` impl that checks the field.
fn checks_of<'a>(space: &'a TypeSpace, name: &str, wire: &str) -> Option<&'a [Check]> {
    let (id, def) = space
        .sorted()
        .into_iter()
        .find(|(_, def)| def.name == name)?;
    let index = fields(def).iter().position(|f| f.wire == wire)?;
    space
        .validations()
        .get(&id)?
        .iter()
        .find(|checks| checks.field == index)
        .map(|checks| checks.checks.as_slice())
}

#[test]
fn checks_follow_the_type_the_ir_decided() {
    let space = space(serde_json::json!({
        "Root": {"type": "object"},
        "Body": {
            "type": "object",
            "properties": {
                // Nullable<Vec<Option<String>>>: each item checked when set.
                "tags": {"type": "array", "nullable": true, "maxItems": 2,
                    "items": {"type": "string", "nullable": true, "maxLength": 3}},
                "inner": {"type": "object", "properties": {
                    "n": {"type": "integer", "format": "int32", "minimum": 1}}},
                "slot": {"$ref": "#/components/schemas/Slot"},
                "plain": {"type": "string"}
            }
        },
        "Slot": {"type": "integer", "format": "int32", "maximum": 9}
    }));
    let tags = checks_of(&space, "Body", "tags").expect("tags are checked");
    assert_eq!(
        tags,
        [
            Check::Rule(Rule::MaxItems(2)),
            Check::EachItem(vec![Check::IfSome(vec![Check::Rule(Rule::MaxLength(3))])]),
        ]
    );
    // An inline object with a rule of its own is validated, and nested.
    assert_eq!(
        checks_of(&space, "Body", "inner"),
        Some(&[Check::Nested][..])
    );
    assert!(checks_of(&space, "BodyInner", "n").is_some());
    // A named scalar is checked through its newtype.
    assert!(matches!(
        checks_of(&space, "Body", "slot"),
        Some([Check::Deref(rules)]) if rules.len() == 1
    ));
    assert_eq!(checks_of(&space, "Body", "plain"), None);
    // Responses are never checked.
    assert!(
        space
            .validations()
            .keys()
            .all(|id| space.get(*id).name != "Root")
    );
}

#[test]
fn a_struct_is_validated_only_when_something_under_it_checks() {
    let space = space(serde_json::json!({
        "Root": {"type": "object"},
        "Body": {"type": "object", "properties": {
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
            "free": {"$ref": "#/components/schemas/Free"}
        }},
        // Recursive: held in a `Box`, checked through it.
        "Node": {"type": "object", "properties": {
            "name": {"type": "string", "minLength": 1},
            "next": {"$ref": "#/components/schemas/Node"}
        }},
        "Free": {"type": "object", "properties": {"x": {"type": "string"}}}
    }));
    assert_eq!(
        checks_of(&space, "Body", "children"),
        Some(&[Check::EachItem(vec![Check::Nested])][..])
    );
    assert_eq!(
        checks_of(&space, "Node", "next"),
        Some(&[Check::Deref(vec![Check::Nested])][..])
    );
    assert_eq!(checks_of(&space, "Body", "free"), None);
    assert!(
        space
            .validations()
            .keys()
            .all(|id| space.get(*id).name != "Free")
    );
}

/// DigitalOcean's `firewalls_create`: an `allOf` of a reference, a part
/// that only makes a property required, and an `anyOf` of parts that only
/// say which properties must be present. The last two validate and shape
/// nothing: the value is the referenced object, merged, with `name`
/// required; no union of untyped values, no part ignored.
#[test]
fn parts_that_only_require_properties_merge_and_make_no_union() {
    let firewall = space(serde_json::json!({
        "Root": {"type": "object"},
        "Firewall": {"type": "object", "properties": {
            "name": {"type": "string"},
            "tags": {"type": "array", "items": {"type": "string"}}
        }},
        "Body": {"allOf": [
            {"$ref": "#/components/schemas/Firewall"},
            {"required": ["name"]},
            {"anyOf": [{"required": ["tags"]}, {"required": ["name"]}]}
        ]}
    }));
    assert!(firewall.warnings().is_empty(), "{:#?}", firewall.warnings());
    let body = named(&firewall, "Body");
    assert_eq!(field(body, "name").presence, Presence::Required);
    assert_eq!(field(body, "tags").presence, Presence::Optional);
    let only_presence = space(serde_json::json!({
        "Root": {"type": "object"},
        "Body": {"type": "object",
            "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
            "anyOf": [{"required": ["a"]}, {"required": ["b"]}]}
    }));
    let body = named(&only_presence, "Body");
    assert!(matches!(body.kind, TypeKind::Struct(_)), "{body:#?}");
}

/// A one-value enum is a constant, the tag an untagged union tells its
/// variants apart by: it stays closed in a response, where a larger enum
/// is opened.
#[test]
fn a_one_value_enum_stays_closed_in_a_response() {
    let space = space(serde_json::json!({
        "Body": {"type": "object"},
        "Root": {"oneOf": [
            {"$ref": "#/components/schemas/Cat"},
            {"$ref": "#/components/schemas/Dog"}
        ]},
        "Cat": {"type": "object", "properties": {
            "kind": {"type": "string", "enum": ["cat"]},
            "mood": {"type": "string", "enum": ["calm", "cross"]}
        }},
        "Dog": {"type": "object", "properties": {"kind": {"type": "string", "enum": ["dog"]}}}
    }));
    let cat = named(&space, "Cat");
    assert!(matches!(field(cat, "kind").ty, Ty::Named(_)), "{cat:#?}");
    assert!(matches!(field(cat, "mood").ty, Ty::Open(_)), "{cat:#?}");
}

/// Which `oauth2` flows the client can run itself: client credentials by
/// `tokenUrl`; a refresh by the `refreshUrl`, else the `tokenUrl`, of an
/// authorization code or password flow; an implicit flow, none. A scheme
/// whose tokens the client can fetch is never a constructor argument.
#[test]
fn oauth2_flows_say_what_the_client_can_fetch() {
    let spec = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "security": [{"password": ["a"]}],
        "paths": {"/x": {"get": {"operationId": "x",
            "security": [{"password": ["a", "b"]}, {"implicit": []}, {"machine": ["a"]}],
            "responses": {"204": {"description": "ok"}}}}},
        "components": {"securitySchemes": {
            "password": {"type": "oauth2", "flows": {"password": {
                "tokenUrl": "/token", "scopes": {"a": "", "b": ""}}}},
            "implicit": {"type": "oauth2", "flows": {"implicit": {
                "authorizationUrl": "https://auth.example/a", "scopes": {}}}},
            "machine": {"type": "oauth2", "flows": {"clientCredentials": {
                "tokenUrl": "https://auth.example/t", "scopes": {"a": ""}}}}
        }},
    });
    let document = crate::load::load_str(Path::new("t.json"), &spec.to_string()).unwrap();
    let api = crate::ir::model::build(&document).unwrap();
    let flows: Vec<(&str, bool, Option<&security::TokenFlows>)> = api
        .credentials
        .iter()
        .map(|c| (c.scheme.as_str(), c.required, c.flows.as_ref()))
        .collect();
    let flows_of =
        |refresh: Option<&str>, client: Option<&str>, scopes: &[&str]| security::TokenFlows {
            client_credentials: client.map(String::from),
            refresh: refresh.map(String::from),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
        };
    assert_eq!(
        flows,
        [
            // Required: a refresh token cannot be had without the user.
            (
                "password",
                true,
                Some(&flows_of(Some("/token"), None, &["a", "b"]))
            ),
            ("implicit", false, Some(&flows_of(None, None, &[]))),
            (
                "machine",
                false,
                Some(&flows_of(None, Some("https://auth.example/t"), &["a"]))
            ),
        ]
    );
}

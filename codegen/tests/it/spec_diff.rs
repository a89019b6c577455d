//! Each spec-diff rule with a minimal before/after pair, and changes that
//! must not be flagged as breaking.

use std::path::Path;

use codegen::diff::{Bump, Change, diff, version_satisfies};

const BASE: &str = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
security: [{key: []}]
paths:
  /agents/{id}:
    patch:
      operationId: updateAgent
      description: Updates an agent.
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Update'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Agent'}
        '404':
          description: missing
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Problem'}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
  schemas:
    Update:
      type: object
      properties:
        name: {type: string, maxLength: 100, description: The name.}
        status: {$ref: '#/components/schemas/Status'}
        delay: {type: integer, minimum: 0}
        phone: {type: string}
    Agent:
      type: object
      required: [id, name]
      properties:
        id: {type: string}
        name: {type: string}
        status: {$ref: '#/components/schemas/Status'}
        note: {type: string}
    Status:
      type: string
      enum: [active, paused]
    Problem:
      type: object
      properties:
        message: {type: string}
"#;

fn changes(after: &str) -> Vec<Change> {
    let old = codegen::load::load_str(Path::new("old.yaml"), BASE).unwrap();
    let new = codegen::load::load_str(Path::new("new.yaml"), after).unwrap();
    diff(&old, &new).unwrap()
}

/// Applies `edits` (find, replace) to BASE, each of which must apply.
fn edited(edits: &[(&str, &str)]) -> String {
    let mut text = BASE.to_string();
    for (find, replace) in edits {
        assert!(text.contains(find), "the edit `{find}` does not apply");
        text = text.replacen(find, replace, 1);
    }
    text
}

fn assert_breaking(edits: &[(&str, &str)], rule: &str, pointer: &str) {
    let found = changes(&edited(edits));
    assert!(
        found
            .iter()
            .any(|c| c.rule == rule && c.breaking && c.pointer == pointer),
        "expected breaking `{rule}` at {pointer}, got {found:#?}"
    );
    assert_eq!(Bump::of(&found), Bump::Major);
}

const OP: &str = "/paths/~1agents~1{id}/patch";

#[test]
fn no_change_is_no_change() {
    assert!(changes(BASE).is_empty());
    assert_eq!(Bump::of(&changes(BASE)), Bump::None);
}

#[test]
fn operation_removed() {
    assert_breaking(
        &[(
            "    patch:\n      operationId: updateAgent",
            "    put:\n      operationId: otherThing",
        )],
        "operation-removed",
        OP,
    );
}

#[test]
fn path_or_method_changed() {
    assert_breaking(
        &[("  /agents/{id}:\n    patch:", "  /agents/{id}:\n    put:")],
        "path-or-method-changed",
        "/paths/~1agents~1{id}/put",
    );
    assert_breaking(
        &[("  /agents/{id}:", "  /v2/agents/{id}:")],
        "path-or-method-changed",
        "/paths/~1v2~1agents~1{id}/patch",
    );
}

#[test]
fn operation_id_changed() {
    assert_breaking(
        &[("operationId: updateAgent", "operationId: patchAgent")],
        "operation-id-changed",
        &format!("{OP}/operationId"),
    );
}

#[test]
fn new_required_parameter_or_header() {
    assert_breaking(
        &[(
            "        - {name: id, in: path, required: true, schema: {type: string}}",
            "        - {name: id, in: path, required: true, schema: {type: string}}\n        - {name: x-workspace, in: header, required: true, schema: {type: string}}",
        )],
        "required-parameter-added",
        &format!("{OP}/parameters"),
    );
}

#[test]
fn request_property_added_as_required() {
    assert_breaking(
        &[
            (
                "    Update:\n      type: object\n",
                "    Update:\n      type: object\n      required: [owner]\n",
            ),
            (
                "        phone: {type: string}\n",
                "        phone: {type: string}\n        owner: {type: string}\n",
            ),
        ],
        "request-property-added-required",
        &format!("{OP}/requestBody/properties/owner"),
    );
}

#[test]
fn request_property_removed() {
    assert_breaking(
        &[("        phone: {type: string}\n", "")],
        "request-property-removed",
        &format!("{OP}/requestBody/properties/phone"),
    );
}

#[test]
fn response_property_removed() {
    assert_breaking(
        &[("        note: {type: string}\n", "")],
        "response-property-removed",
        &format!("{OP}/responses/200/properties/note"),
    );
}

#[test]
fn property_type_or_format_changed() {
    assert_breaking(
        &[(
            "        delay: {type: integer, minimum: 0}",
            "        delay: {type: string}",
        )],
        "type-changed",
        &format!("{OP}/requestBody/properties/delay"),
    );
    assert_breaking(
        &[(
            "        id: {type: string}",
            "        id: {type: string, format: uuid}",
        )],
        "type-changed",
        &format!("{OP}/responses/200/properties/id"),
    );
}

#[test]
fn request_enum_value_removed() {
    // Status is shared: the request side reports the removal.
    assert_breaking(
        &[("enum: [active, paused]", "enum: [active]")],
        "enum-value-removed",
        &format!("{OP}/requestBody/properties/status/enum"),
    );
}

#[test]
fn response_enum_value_added() {
    assert_breaking(
        &[("enum: [active, paused]", "enum: [active, paused, archived]")],
        "response-enum-value-added",
        &format!("{OP}/responses/200/properties/status/enum"),
    );
}

#[test]
fn constraints_tightened() {
    assert_breaking(
        &[("maxLength: 100", "maxLength: 50")],
        "constraint-tightened",
        &format!("{OP}/requestBody/properties/name/maxLength"),
    );
    assert_breaking(
        &[("minimum: 0", "minimum: 10")],
        "constraint-tightened",
        &format!("{OP}/requestBody/properties/delay/minimum"),
    );
    assert_breaking(
        &[(
            "        phone: {type: string}",
            "        phone: {type: string, pattern: '^\\+[0-9]+$'}",
        )],
        "constraint-tightened",
        &format!("{OP}/requestBody/properties/phone/pattern"),
    );
}

#[test]
fn loosened_constraints_are_not_breaking() {
    let found = changes(&edited(&[
        ("maxLength: 100", "maxLength: 200"),
        ("minimum: 0", "minimum: -5"),
    ]));
    assert!(found.iter().all(|c| !c.breaking), "{found:#?}");
}

#[test]
fn success_response_status_removed() {
    assert_breaking(
        &[(
            "        '200':\n          description: ok",
            "        '201':\n          description: ok",
        )],
        "success-status-removed",
        &format!("{OP}/responses"),
    );
}

#[test]
fn security_requirement_added() {
    assert_breaking(
        &[
            ("security: [{key: []}]", "security: [{key: [], bearer: []}]"),
            (
                "    key: {type: apiKey, in: header, name: X-Key}",
                "    key: {type: apiKey, in: header, name: X-Key}\n    bearer: {type: http, scheme: bearer}",
            ),
        ],
        "security-added",
        "/components/securitySchemes/bearer",
    );
}

#[test]
fn response_property_made_nullable_or_optional() {
    assert_breaking(
        &[(
            "        note: {type: string}",
            "        note: {type: string, nullable: true}",
        )],
        "response-made-nullable",
        &format!("{OP}/responses/200/properties/note"),
    );
    assert_breaking(
        &[("      required: [id, name]", "      required: [id]")],
        "response-made-optional",
        &format!("{OP}/responses/200/properties/name"),
    );
}

#[test]
fn description_edits_are_not_changes() {
    let found = changes(&edited(&[
        (
            "description: Updates an agent.",
            "description: Updates one agent, partially.",
        ),
        ("description: The name.", "description: The agent's name."),
    ]));
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn a_new_optional_request_property_is_not_breaking() {
    let found = changes(&edited(&[(
        "        phone: {type: string}\n",
        "        phone: {type: string}\n        nickname: {type: string}\n",
    )]));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(!found[0].breaking);
    assert_eq!(found[0].rule, "property-added");
    assert_eq!(Bump::of(&found), Bump::Minor);
}

#[test]
fn bumps_and_versions() {
    assert_eq!(Bump::Major.for_version("0.3.1"), Bump::Minor);
    assert_eq!(Bump::Major.for_version("1.3.1"), Bump::Major);
    assert_eq!(Bump::Minor.apply("0.3.1"), "0.4.0");
    assert!(version_satisfies("0.1.0", "0.2.0", Bump::Minor));
    assert!(!version_satisfies("0.1.0", "0.1.5", Bump::Minor));
    assert!(version_satisfies("1.4.0", "2.0.0", Bump::Major));
    assert!(!version_satisfies("1.4.0", "1.9.0", Bump::Major));
}

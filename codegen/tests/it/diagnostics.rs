//! Broken specs produce errors that name the file, the JSON pointer and the
//! reason; they never panic.

use crate::common;

use std::path::Path;

fn generate(text: &str) -> Result<String, String> {
    let document = codegen::load::load_str(Path::new("specs/broken.yaml"), text)
        .map_err(|error| error.to_string())?;
    codegen::generate_document(&document).map_err(|error| error.to_string())
}

/// [`generate`], reading the spec strictly (as `--strict` and the vendor
/// overlays do): what would be left out with a warning is an error.
fn generate_strictly(text: &str) -> Result<String, String> {
    let mut document = codegen::load::load_str(Path::new("specs/broken.yaml"), text)
        .map_err(|error| error.to_string())?;
    document.strict = true;
    codegen::generate_document(&document).map_err(|error| error.to_string())
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n";

fn spec(paths: &str) -> String {
    format!("{HEAD}{paths}")
}

#[test]
fn an_operation_without_operation_id_is_named_after_its_method_and_path() {
    let source = generate(&spec(
        "paths:\n  /a/{id}:\n    get:\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses:\n        '200': {description: ok}\n",
    ))
    .unwrap();
    assert!(source.contains("pub async fn get_a_id("), "{source}");
    assert!(source.contains("/// Sends `GET /a/{id}`.\n"), "{source}");
}

#[test]
fn a_dangling_schema_ref_is_any_value_with_a_warning_naming_its_pointer() {
    let text = spec(
        "paths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Nope'}\n",
    );
    let source = generate(&text).unwrap();
    assert!(
        source.contains("//   /paths/~1a/get/responses/200/content/application~1json/schema/$ref: `#/components/schemas/Nope` does not resolve inside this document; read as any value"),
        "{source}"
    );
    assert!(
        source.contains("pub struct GetAResponse(pub serde_json::Value);"),
        "{source}"
    );
    let error = generate_strictly(&text).unwrap_err();
    assert!(
        error.contains(
            "specs/broken.yaml#/paths/~1a/get/responses/200/content/application~1json/schema/$ref: `#/components/schemas/Nope` does not resolve"
        ),
        "{error}"
    );
}

#[test]
fn a_dangling_parameter_ref_leaves_out_its_operation_only() {
    let text = spec(
        "paths:\n  /a:\n    get:\n      operationId: getA\n      parameters: [{$ref: '#/components/parameters/Nope'}]\n      responses:\n        '204': {description: ok}\n  /b:\n    get:\n      operationId: getB\n      responses:\n        '204': {description: ok}\n",
    );
    let source = generate(&text).unwrap();
    assert!(source.contains("pub async fn get_b("), "{source}");
    assert!(!source.contains("pub async fn get_a("), "{source}");
    assert!(
        source.contains(
            "//   /paths/~1a/get/parameters/0: `#/components/parameters/Nope` does not resolve"
        ),
        "{source}"
    );
    assert!(
        source
            .contains("the operation (`GET /a`) is left out of the client, with no method `get_a`"),
        "{source}"
    );
    let error = generate_strictly(&text).unwrap_err();
    assert!(error.contains("#/paths/~1a/get/parameters/0"), "{error}");
}

#[test]
fn a_path_item_given_by_reference_is_read_as_the_item_it_names() {
    let text = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    $ref: '#/components/pathItems/A'\n  /b:\n    $ref: '#/components/pathItems/Nope'\ncomponents:\n  pathItems:\n    A:\n      get:\n        operationId: getA\n        responses:\n          '204': {description: ok}\n";
    let source = generate(text).unwrap();
    assert!(source.contains("pub async fn get_a("), "{source}");
    assert!(
        source.contains(
            "//   /paths/~1a: the path item `#/components/pathItems/A` refers to, inlined"
        ),
        "{source}"
    );
    assert!(
        source.contains("//   /paths/~1b: the path item's `$ref` leads to no path item in this document; its operations are left out of the client"),
        "{source}"
    );
    let error = generate_strictly(text).unwrap_err();
    assert!(error.contains("#/paths/~1b"), "{error}");
}

#[test]
fn a_dangling_component_ref_leaves_out_the_operations_that_use_it() {
    let text = spec(
        "paths:\n  /a:\n    get:\n      operationId: getA\n      parameters: [{$ref: '#/components/parameters/P'}]\n      responses:\n        '204': {description: ok}\n  /b:\n    get:\n      operationId: getB\n      responses:\n        '204': {description: ok}\ncomponents:\n  parameters:\n    P: {$ref: '#/components/parameters/Nope'}\n",
    );
    let source = generate(&text).unwrap();
    assert!(source.contains("pub async fn get_b("), "{source}");
    assert!(!source.contains("pub async fn get_a("), "{source}");
    assert!(
        source.contains("//   /components/parameters/P/$ref: `#/components/parameters/Nope` does not resolve inside this document; an operation that uses it is left out of the client"),
        "{source}"
    );
    assert!(generate_strictly(&text).is_err());
}

/// Three operations the generator cannot express, beside one it can.
const THREE_BAD_OPERATIONS: &str = "paths:\n  /a:\n    get:\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses:\n        '200': {description: ok}\n  /b:\n    post:\n      operationId: postB\n      parameters:\n        - {name: c, in: cookie, content: {text/plain: {schema: {type: string}}}}\n        - {name: 'bad header', in: header, schema: {type: string}}\n      responses:\n        '200': {description: fine}\n  /c:\n    get:\n      operationId: getC\n      responses:\n        '204': {description: fine}\n";

/// The problems of the operations, each with its pointer and reason.
const PROBLEMS: [&str; 3] = [
    "#/paths/~1a/get/parameters: path parameter `id` is not in the path template",
    "#/paths/~1b/post/parameters/0/content: a parameter described by `content` is supported with a JSON media type",
    "#/paths/~1b/post/parameters/1: `bad header` is not a valid HTTP header name",
];

#[test]
fn an_operation_that_cannot_be_expressed_is_left_out_with_a_warning() {
    let document =
        codegen::load::load_str(Path::new("specs/broken.yaml"), &spec(THREE_BAD_OPERATIONS))
            .unwrap();
    let generated = codegen::generate(&document).unwrap();
    assert!(
        generated.source.contains("pub async fn get_c("),
        "{}",
        generated.source
    );
    assert!(
        !generated.source.contains("pub async fn post_b("),
        "{}",
        generated.source
    );
    assert!(
        !generated.source.contains("pub async fn get_a("),
        "{}",
        generated.source
    );
    let warnings: Vec<String> = generated
        .warnings
        .iter()
        .map(|warning| format!("#{}: {}", warning.pointer, warning.message))
        .collect();
    for problem in PROBLEMS {
        assert!(
            warnings.iter().any(|warning| warning.starts_with(problem)),
            "{problem} in {warnings:#?}"
        );
    }
    assert!(
        warnings.iter().any(|warning| warning.ends_with(
            "the operation (`POST /b`) is left out of the client, with no method `post_b`"
        )),
        "{warnings:#?}"
    );
    // The header lists them too.
    assert!(
        generated.source.contains(
            "//   /paths/~1b/post/parameters/1: `bad header` is not a valid HTTP header name"
        ),
        "{}",
        generated.source
    );
}

#[test]
fn a_strict_spec_reports_every_problem_at_once() {
    let mut document =
        codegen::load::load_str(Path::new("specs/broken.yaml"), &spec(THREE_BAD_OPERATIONS))
            .unwrap();
    document.strict = true;
    let error = codegen::generate_document(&document)
        .unwrap_err()
        .to_string();
    let lines: Vec<&str> = error.lines().collect();
    for problem in PROBLEMS {
        assert!(
            lines.iter().any(|l| l.contains(problem)),
            "{problem} in {error}"
        );
    }
}

#[test]
fn operation_ids_that_meet_are_told_apart() {
    // By the first tag, else by method and path; a unique one is kept.
    let source = generate(&spec(
        "paths:\n  /a:\n    get:\n      operationId: getThing\n      tags: [alpha]\n      responses: {'200': {description: ok}}\n  /b:\n    get:\n      operationId: get_thing\n      responses: {'200': {description: ok}}\n  /c:\n    get:\n      operationId: other\n      responses: {'200': {description: ok}}\n",
    ))
    .unwrap();
    for name in ["alpha_get_thing", "get_b", "other"] {
        assert!(
            source.contains(&format!("pub async fn {name}(")),
            "{name}\n{source}"
        );
    }
    // Types named after operations are told apart too.
    assert!(source.contains("pub enum AlphaGetThingError"), "{source}");
    assert!(source.contains("pub enum GetBError"), "{source}");
}

#[test]
fn undeclared_path_parameters_are_taken_from_a_sibling_or_as_text() {
    // Vapi's `DELETE /call/{id}` declares no `id`; its `GET` does.
    let source = generate(&spec(
        "paths:\n  /a/{id}/{part}:\n    get:\n      operationId: getA\n      parameters:\n        - {name: id, in: path, required: true, description: The id., schema: {type: integer}}\n        - {name: part, in: path, required: true, schema: {type: string}}\n      responses: {'200': {description: ok}}\n    delete:\n      operationId: deleteA\n      responses: {'204': {description: ok}}\n  /b/{name}:\n    get:\n      operationId: getB\n      responses: {'200': {description: ok}}\n",
    ))
    .unwrap();
    let delete = &source[source.find("pub async fn delete_a(").unwrap()..];
    assert!(
        delete
            .trim_start_matches("pub async fn delete_a(")
            .contains("id: i64,"),
        "{source}"
    );
    let docs = doc_text(&source);
    assert!(
        docs.contains("- `id`: path parameter `id`: The id (not declared by the spec for this operation; declared as `GET /a/{id}/{part}` declares it)"),
        "{source}"
    );
    assert!(
        docs.contains("- `name`: path parameter `name`: The path parameter (not declared by the spec; the path template names it, so it is sent as text)"),
        "{source}"
    );
    assert!(
        source.contains("pub async fn get_b(&self, name: &str)"),
        "{source}"
    );
}

#[test]
fn unsupported_security_and_media_types() {
    let text = spec(
        "security: [{oauth: []}]\npaths:\n  /a:\n    post:\n      operationId: postA\n      requestBody:\n        content:\n          multipart/mixed: {schema: {type: object}}\n      responses: {'200': {description: ok}}\ncomponents:\n  securitySchemes:\n    oauth: {type: http, scheme: digest}\n",
    );
    // Read leniently, the operation is left out and the rest generates.
    let source = generate(&text).unwrap();
    assert!(!source.contains("pub async fn post_a("), "{source}");
    assert!(
        source.contains("is multipart/mixed; the operation (`POST /a`) is left out"),
        "{source}"
    );
    let error = generate_strictly(&text).unwrap_err();
    assert!(
        error.contains(
            "#/components/securitySchemes/oauth: `http` `digest` authentication is a challenge and response"
        ),
        "{error}"
    );
    assert!(error.contains("#/paths/~1a/post/requestBody/content: of the multipart request bodies only `multipart/form-data` is supported; this one is multipart/mixed"), "{error}");
}

#[test]
fn syntax_and_shape_errors() {
    let error = generate("openapi: 3.0.3\ninfo: [unclosed\n").unwrap_err();
    assert!(
        error.starts_with("specs/broken.yaml: not valid YAML"),
        "{error}"
    );
    let error = generate("openapi: 3.0.3\ninfo: {title: T}\npaths: {}\n").unwrap_err();
    assert!(
        error.starts_with("specs/broken.yaml#/info: missing field `version`"),
        "{error}"
    );
    let error = generate("swagger: '2.0'\n").unwrap_err();
    assert!(error.contains("no `openapi` version field"), "{error}");
}

#[test]
fn invalid_enum_aliases_are_reported() {
    let error = generate(&spec(
        "paths: {}\ncomponents:\n  schemas:\n    S:\n      type: string\n      enum: [A]\n      x-enum-aliases: {B: [b]}\n",
    ))
    .unwrap_err();
    assert_eq!(
        error,
        "specs/broken.yaml#/components/schemas/S/x-enum-aliases: `B` is not one of the schema's enum values"
    );
}

#[test]
fn an_idempotent_mark_that_is_not_a_boolean_is_reported() {
    let text = spec(
        "paths:\n  /a:\n    post:\n      operationId: postA\n      x-agent-clients-idempotent: 'yes'\n      responses:\n        '204': {description: ok}\n",
    );
    let source = generate(&text).unwrap();
    assert!(
        source.contains("//   /paths/~1a/post/x-agent-clients-idempotent: `x-agent-clients-idempotent` must be `true` or `false`; the operation (`POST /a`) is left out"),
        "{source}"
    );
    let error = generate_strictly(&text).unwrap_err();
    assert!(
        error.contains(
            "specs/broken.yaml#/paths/~1a/post/x-agent-clients-idempotent: `x-agent-clients-idempotent` must be `true` or `false`"
        ),
        "{error}"
    );
}

#[test]
fn a_not_schema_is_any_json_value_and_no_warning() {
    // `not` constrains a value without giving it a shape: any JSON value,
    // which is what the type says. (progenitor's typify panicked on it.)
    let text = spec(
        "paths: {}\ncomponents:\n  schemas:\n    Fine: {type: string}\n    Negated:\n      not: {type: string}\n",
    );
    let source = generate(&text).unwrap();
    assert!(
        source.contains("pub struct Negated(pub serde_json::Value);"),
        "{source}"
    );
    assert!(source.contains("pub struct Fine(pub String);"), "{source}");
    assert!(!source.contains("// Warnings:"), "{source}");
    let mut strict = codegen::load::load_str(Path::new("specs/broken.yaml"), &text).unwrap();
    strict.strict = true;
    assert!(codegen::generate_document(&strict).is_ok());
}

#[test]
fn enum_values_that_meet_in_rust_stay_apart_on_the_wire() {
    // Values the engine would name alike (it panicked on these) are given
    // to it as stand-ins and put back: both values stay on the wire.
    let source = generate(&spec(
        "paths: {}\ncomponents:\n  schemas:\n    Case:\n      type: string\n      enum: [a, A, '-2', '2']\n",
    ))
    .unwrap();
    // Each value reads as its own variant and writes back as itself.
    for value in ["\"a\"", "\"A\"", "\"-2\"", "\"2\""] {
        assert!(
            source.contains(&format!("{value} => Ok(Self::")),
            "{value}\n{source}"
        );
        assert!(
            source.contains(&format!("f.write_str({value})")),
            "{value}\n{source}"
        );
    }
    // An enum value of the wrong type (the engine failed on it) is ignored
    // with a warning the header shows.
    let source = generate(&spec(
        "paths: {}\ncomponents:\n  schemas:\n    Mixed:\n      type: integer\n      enum: [1, a]\n",
    ))
    .unwrap();
    assert!(
        source.contains(
            "//   /components/schemas/Mixed/enum: values not of type `integer` ignored: \"a\"\n"
        ),
        "{source}"
    );
}

#[test]
fn one_sloppy_node_does_not_sink_the_spec() {
    // A path parameter that is not `required`, `required: true` inside a
    // schema, an unknown type name, a 3.1 exclusive bound in 3.0 and a JSON
    // body with no schema: each used to refuse the whole spec.
    let text = spec(
        "paths:\n  /a/{id}:\n    post:\n      operationId: postA\n      parameters:\n        - {name: id, in: path, schema: {type: string}}\n      requestBody:\n        content:\n          application/json: {}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Thing'}\ncomponents:\n  schemas:\n    Thing:\n      type: object\n      properties:\n        on: {type: bool, required: true}\n        rate: {type: number, exclusiveMinimum: 0}\n",
    );
    let source = generate(&text).unwrap();
    assert!(source.contains("pub on: Option<bool>,"), "{source}");
    assert!(source.contains("pub async fn post_a("), "{source}");
    let document = codegen::load::load_str(Path::new("specs/broken.yaml"), &text).unwrap();
    let pointers: Vec<&str> = document
        .warnings
        .iter()
        .map(|w| w.pointer.as_str())
        .collect();
    assert_eq!(
        pointers,
        [
            "/components/schemas/Thing/properties/on/required",
            "/components/schemas/Thing/properties/on/type",
            "/components/schemas/Thing/properties/rate/exclusiveMinimum",
            "/paths/~1a~1{id}/post/parameters/0/required",
        ]
    );
    // Strictly read, the same spec is refused, every warning an error.
    let mut strict = document;
    strict.strict = true;
    let error = codegen::generate_document(&strict).unwrap_err().to_string();
    assert_eq!(error.lines().count(), 4, "{error}");
    assert!(
        error.contains("#/paths/~1a~1{id}/post/parameters/0/required: a path parameter must be `required: true`; the spec says nothing, read as required (an error: the spec is read strictly)"),
        "{error}"
    );
}

#[test]
fn output_is_deterministic() {
    let root = common::manifest_dir().join("tests/fixtures");
    for entry in std::fs::read_dir(&root).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy();
        // An overlay is applied with its spec.
        if codegen::load::overlay::is_overlay_file(&name) {
            continue;
        }
        let first = codegen::generate_file(&path).unwrap();
        let second = codegen::generate_file(&path).unwrap();
        assert_eq!(first, second, "{}", path.display());
    }
}

#[test]
fn a_100_mb_spec_is_refused_without_reading_it() {
    let dir = std::env::temp_dir().join(format!("agent-clients-big-spec-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("huge.yaml");
    // Sparse: 100 MB long, nothing written, so the test itself stays cheap.
    std::fs::File::create(&path)
        .unwrap()
        .set_len(100 * 1024 * 1024)
        .unwrap();
    let error = codegen::generate_file(&path).unwrap_err().to_string();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(error.contains("huge.yaml"), "{error}");
    assert!(
        error.contains("104857600 bytes; specs larger than"),
        "{error}"
    );
}

#[test]
fn a_100_mb_spec_text_is_refused() {
    let text = "a".repeat(100 * 1024 * 1024);
    let error = codegen::load::load_str(Path::new("specs/big.yaml"), &text)
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("specs/big.yaml: the document is larger than"),
        "{error}"
    );
}

#[test]
fn carriage_returns_in_spec_text_never_reach_generated_files() {
    let source = generate(&spec(
        "paths:\n  /a:\n    get:\n      operationId: getA\n      description: \"line one\\r\\nline two\\rthree\"\n      responses: {'200': {description: ok}}\n",
    ))
    .unwrap();
    assert!(!source.contains('\r'), "{source:?}");
    assert!(source.contains("line two"), "{source}");
}

#[test]
fn an_all_of_that_reaches_itself_is_typed_not_degraded() {
    // Found by fuzzing: typify recursed forever merging this, and the
    // schema was degraded to untyped JSON. It is valid JSON Schema: `name`
    // is an Agent with one more property. The IR merges it once; the
    // property it meets again is the same type, and recursion is boxed.
    let text = spec(
        "paths: {}\ncomponents:\n  schemas:\n    Agent:\n      type: object\n      properties:\n        name:\n          allOf: [{$ref: '#/components/schemas/Agent'}]\n          properties:\n            me: {$ref: '#/components/schemas/Agent'}\n",
    );
    let source = generate(&text).unwrap();
    assert!(!source.contains("// Warnings:"), "{source}");
    assert!(
        source.contains("pub name: Option<Box<AgentName>>,"),
        "{source}"
    );
    assert!(source.contains("pub me: Option<Box<Agent>>,"), "{source}");
    let mut strict = codegen::load::load_str(Path::new("specs/broken.yaml"), &text).unwrap();
    strict.strict = true;
    assert!(codegen::generate_document(&strict).is_ok());
    // Through another schema, too.
    let source = generate(&spec(
        "paths: {}\ncomponents:\n  schemas:\n    A:\n      allOf: [{$ref: '#/components/schemas/B'}, {required: [a]}]\n    B:\n      type: object\n      properties:\n        a: {$ref: '#/components/schemas/A'}\n",
    ))
    .unwrap();
    assert!(!source.contains("// Warnings:"), "{source}");
    assert!(source.contains("pub a: Box<A>,"), "{source}");
    assert!(source.contains("pub a: Option<A>,"), "{source}");
    // An allOf of one reference with only annotations is that reference,
    // not a merge: recursion through it is ordinary (propolis-server's
    // `read_only_parent`), and so is an alias of a recursive schema.
    let source = generate(&spec(
        "paths: {}\ncomponents:\n  schemas:\n    Volume:\n      type: object\n      properties:\n        parent:\n          nullable: true\n          description: The volume below this one.\n          allOf: [{$ref: '#/components/schemas/Volume'}]\n    Alias:\n      allOf: [{$ref: '#/components/schemas/Tree'}]\n    Tree:\n      type: object\n      properties:\n        alias: {$ref: '#/components/schemas/Alias'}\n",
    ))
    .unwrap();
    assert!(source.contains("Box<Volume>"), "{source}");
    // A recursive structure whose allOf does not lead back is fine.
    generate(&spec(
        "paths: {}\ncomponents:\n  schemas:\n    Base:\n      type: object\n      properties:\n        id: {type: string}\n    Node:\n      allOf: [{$ref: '#/components/schemas/Base'}]\n      properties:\n        children:\n          type: array\n          items: {$ref: '#/components/schemas/Node'}\n",
    ))
    .unwrap();
}

/// The text of every doc comment, its lines joined by spaces as markdown
/// reads them: generated docs are wrapped at 100 columns.
fn doc_text(source: &str) -> String {
    let mut text = String::new();
    for line in source.lines() {
        match line.trim_start().strip_prefix("///") {
            Some(doc) => {
                text.push(' ');
                text.push_str(doc.trim());
            }
            None => text.push('\n'),
        }
    }
    text
}

#[test]
fn an_overlay_can_make_a_specs_warnings_errors() {
    let dir = std::env::temp_dir().join(format!("codegen-strict-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let spec_path = dir.join("vendor.yaml");
    std::fs::write(
        &spec_path,
        spec("paths:\n  /a/{id}:\n    get:\n      operationId: getA\n      parameters:\n        - {name: id, in: path, schema: {type: string}}\n      responses:\n        '204': {description: ok}\n"),
    )
    .unwrap();
    let overlay = |strict: &str| {
        format!(
            "overlay: 1.0.0\ninfo: {{title: t, version: '1'}}\n{strict}actions:\n  - target: $.info\n    description: A reason.\n    update: {{x-note: n}}\n"
        )
    };
    let overlay_path = dir.join("vendor.overlay.yaml");
    std::fs::write(&overlay_path, overlay("")).unwrap();
    let lenient = codegen::load::load(&spec_path).unwrap();
    assert!(!lenient.strict);
    assert_eq!(lenient.warnings.len(), 1);
    assert!(codegen::generate_document(&lenient).is_ok());

    std::fs::write(&overlay_path, overlay("x-agent-clients-strict: true\n")).unwrap();
    let strict = codegen::load::load(&spec_path).unwrap();
    let error = codegen::generate_document(&strict).unwrap_err().to_string();
    assert!(error.contains("read strictly"), "{error}");

    std::fs::write(&overlay_path, overlay("x-agent-clients-strict: yes\n")).unwrap();
    let error = codegen::load::load(&spec_path).unwrap_err().to_string();
    assert!(
        error.contains("vendor.overlay.yaml#/x-agent-clients-strict: `x-agent-clients-strict` must be `true` or `false`"),
        "{error}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

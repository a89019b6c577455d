//! Every valid OpenAPI 3.0 and 3.1 document loads and generates: integers
//! of any size, a Reference Object in every place OpenAPI allows one; and a
//! `$ref` where OpenAPI allows none, but whose target is plain, is read as
//! what it names, with a warning.

use std::path::{Path, PathBuf};

use codegen::Document;

/// A spec of several files in a fresh folder; the entry's path.
fn spec_folder(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("valid-specs-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir.join(files[0].0)
}

/// Loads and generates; the document and the generated source.
fn generated(document: Document) -> (Document, String) {
    let generated = codegen::generate(&document).unwrap_or_else(|error| panic!("{error}"));
    (document, generated.source)
}

fn load_str(name: &str, text: &str) -> Result<Document, String> {
    codegen::load::load_str(Path::new(name), text).map_err(|error| error.to_string())
}

fn repair_at<'a>(document: &'a Document, pointer: &str) -> &'a str {
    document
        .repairs
        .iter()
        .find(|repair| repair.pointer == pointer)
        .map(|repair| repair.note.as_str())
        .unwrap_or_else(|| panic!("no repair at {pointer}: {:#?}", document.repairs))
}

fn warning_at<'a>(document: &'a Document, pointer: &str) -> &'a str {
    document
        .warnings
        .iter()
        .find(|warning| warning.pointer == pointer)
        .map(|warning| warning.message.as_str())
        .unwrap_or_else(|| panic!("no warning at {pointer}: {:#?}", document.warnings))
}

// Integers of any size.

/// Schemas with integers at and beyond the 64-bit ends, in every keyword
/// that takes a number or any value.
const BIG_SCHEMAS: &str = "
    Exact:
      type: integer
      minimum: -9223372036854775808
      maximum: 9223372036854775807
      enum: [-9223372036854775808, 0, 9223372036854775807]
      default: 0
      example: 9223372036854775807
    Beyond:
      type: integer
      minimum: -1000000000000000000000000000000
      maximum: 18446744073709551615
      default: 18446744073709551616
      example: -170141183460469231731687303715884105729
    BeyondU128:
      type: integer
      minimum: -9223372036854775809
      maximum: 1000000000000000000000000000000000000000000
    BigNumber:
      type: number
      minimum: -18446744073709551616
      maximum: 340282366920938463463374607431768211456
      enum: [18446744073709551615, 18446744073709551616, 1000000000000000000000000000000]
      default: 1000000000000000000000000000000
      example: -1000000000000000000000000000000
    BigEnum:
      type: integer
      enum: [1, 18446744073709551616]
    Lengths:
      type: string
      maxLength: 100000000000000000000000000000
      minLength: 100000000000000000000
      maxItems: 18446744073709551615
";

#[test]
fn integers_beyond_64_bits_load_in_yaml_and_json_in_one_and_several_files() {
    let entry = format!(
        "openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /a:
    get:
      operationId: getA
      parameters:
        - {{name: part, in: query, schema: {{$ref: './part.yaml#/Part'}}}}
        - {{name: limit, in: query, schema: {{type: integer, minimum: 0, maximum: 100000000000000000000}}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  exact: {{$ref: '#/components/schemas/Exact'}}
                  beyond: {{$ref: '#/components/schemas/Beyond'}}
                  beyondU128: {{$ref: '#/components/schemas/BeyondU128'}}
                  bigNumber: {{$ref: '#/components/schemas/BigNumber'}}
                  bigEnum: {{$ref: '#/components/schemas/BigEnum'}}
                  lengths: {{$ref: '#/components/schemas/Lengths'}}
components:
  schemas:{BIG_SCHEMAS}"
    );
    let part = "Part:
  type: integer
  minimum: -18446744073709551616
  maximum: 18446744073709551615
  default: 340282366920938463463374607431768211455
  example: -9223372036854775808
  enum: [-9223372036854775808, 5, 99999999999999999999999999]
";
    let entry_path = spec_folder("big-integers", &[("api.yaml", &entry), ("part.yaml", part)]);
    let document = codegen::load::load(&entry_path).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(document.other_files, 1);
    let (document, source) = generated(document);

    // Exact where 64 bits hold them: no repair, the bounds kept.
    let exact = &document.raw["components"]["schemas"]["Exact"];
    assert_eq!(exact["minimum"].as_i64(), Some(i64::MIN));
    assert_eq!(exact["maximum"].as_i64(), Some(i64::MAX));
    assert_eq!(exact["enum"][0].as_i64(), Some(i64::MIN));
    assert!(
        !document
            .repairs
            .iter()
            .any(|r| r.pointer.contains("/Exact/")),
        "{:#?}",
        document.repairs
    );
    // Beyond them, a bound is no bound for a 64-bit integer: dropped, a
    // repair; a minimum above every one is an unmeetable bound, a warning.
    for at in [
        "/components/schemas/Beyond/minimum",
        "/components/schemas/Beyond/maximum",
        "/components/schemas/BeyondU128/minimum",
        "/components/schemas/BeyondU128/maximum",
        "/paths/~1a/get/parameters/1/schema/maximum",
        "/components/schemas/Lengths/maxLength",
    ] {
        repair_at(&document, at);
        // Gone, or (`-9223372036854775809`, which rounds to `i64::MIN`)
        // a 64-bit integer.
        let kept = document.raw.pointer(at);
        assert!(kept.is_none_or(|bound| bound.is_i64()), "{at}: {kept:?}");
    }
    assert!(repair_at(&document, "/components/schemas/Beyond/maximum").contains("dropped"));
    // The part file's bounds reach the same repair, wherever it was placed.
    let part_at = document
        .repairs
        .iter()
        .filter(|r| r.pointer.starts_with("/components/schemas/Part/"))
        .map(|r| r.pointer.as_str())
        .collect::<Vec<_>>();
    assert_eq!(
        part_at,
        [
            "/components/schemas/Part/maximum",
            "/components/schemas/Part/minimum"
        ]
    );
    assert_eq!(
        document.raw["components"]["schemas"]["Beyond"]["default"].as_f64(),
        Some(18446744073709551616.0)
    );
    // A number schema holds its bounds as numbers, near enough.
    let number = &document.raw["components"]["schemas"]["BigNumber"];
    assert_eq!(number["maximum"].as_f64(), Some(2f64.powi(128)));
    assert_eq!(number["enum"][0].as_u64(), Some(u64::MAX));
    // An enum value no 64-bit integer holds cannot be one: a warning.
    assert!(
        warning_at(&document, "/components/schemas/BigEnum/enum")
            .contains("beyond every 64-bit integer")
    );
    assert!(
        warning_at(&document, "/components/schemas/Part/enum")
            .contains("beyond every 64-bit integer")
    );
    assert!(
        warning_at(&document, "/components/schemas/Lengths/minLength").contains("nothing meets it")
    );
    assert!(source.contains("pub async fn get_a("), "{source}");

    // The same document as JSON, one file, reads alike.
    let yaml = codegen::load::load_str(
        Path::new("api.yaml"),
        &entry.replace("./part.yaml#/Part", "#/components/schemas/Exact"),
    )
    .unwrap();
    let json_text = serde_json::to_string(&yaml.raw).unwrap();
    let json = load_str("api.json", &json_text).unwrap();
    assert_eq!(json.raw, yaml.raw);
}

// A Reference Object in every place OpenAPI allows one.

/// What the 3.0 and 3.1 forms share: components of every kind, several
/// given as references to others (a chain for the model to follow).
const COMPONENTS: &str = "
  securitySchemes:
    Key: {type: apiKey, in: header, name: X-Key}
    Alias: {$ref: '#/components/securitySchemes/Key'}
  parameters:
    Id: {name: id, in: path, required: true, schema: {$ref: '#/components/schemas/IdAlias'}}
    Limit:
      name: limit
      in: query
      schema: {type: integer}
      examples:
        small: {$ref: '#/components/examples/SmallAlias'}
    LimitAlias: {$ref: '#/components/parameters/Limit'}
  schemas:
    Id: {type: string}
    IdAlias: {$ref: '#/components/schemas/Id'}
    Item:
      type: object
      required: [id]
      properties:
        id: {$ref: '#/components/schemas/Id'}
  examples:
    Small: {value: 1}
    SmallAlias: {$ref: '#/components/examples/Small'}
  headers:
    Rate:
      schema: {type: integer}
      examples:
        one: {$ref: '#/components/examples/SmallAlias'}
    RateAlias: {$ref: '#/components/headers/Rate'}
  links:
    Self: {operationId: getItem, parameters: {id: '$response.body#/id'}}
    SelfAlias: {$ref: '#/components/links/Self'}
  requestBodies:
    Upload:
      content:
        multipart/form-data:
          schema:
            type: object
            properties:
              file: {type: string, format: binary}
          encoding:
            file:
              headers:
                X-Part: {$ref: '#/components/headers/RateAlias'}
    UploadAlias: {$ref: '#/components/requestBodies/Upload'}
  responses:
    Item:
      description: an item
      headers:
        X-Rate: {$ref: '#/components/headers/RateAlias'}
      links:
        self: {$ref: '#/components/links/SelfAlias'}
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Item'}
          examples:
            one: {$ref: '#/components/examples/SmallAlias'}
    ItemAlias: {$ref: '#/components/responses/Item'}
    Problem: {description: a problem}
";

/// The operations, under `/items/{id}`.
const ITEM_OPERATIONS: &str = "
      parameters:
        - $ref: '#/components/parameters/Id'
      get:
        operationId: getItem
        parameters:
          - $ref: '#/components/parameters/LimitAlias'
        responses:
          '200': {$ref: '#/components/responses/ItemAlias'}
          default: {$ref: '#/components/responses/Problem'}
      post:
        operationId: postItem
        requestBody: {$ref: '#/components/requestBodies/UploadAlias'}
        callbacks:
          done: {$ref: '#/components/callbacks/DoneAlias'}
          inline:
            '{$request.body#/url}': {$ref: '#/components/callbacks/Done/{$request.body#~1url}'}
        responses:
          '204': {description: done}
";

const CALLBACKS: &str = "
  callbacks:
    Done:
      '{$request.body#/url}':
        post:
          requestBody: {$ref: '#/components/requestBodies/Upload'}
          callbacks:
            again: {$ref: '#/components/callbacks/DoneAlias'}
          responses:
            '200': {$ref: '#/components/responses/Problem'}
    DoneAlias: {$ref: '#/components/callbacks/Done'}
";

/// Generates `document` strictly (a warning is an error); the source.
fn generated_strictly(mut document: Document) -> String {
    assert!(document.warnings.is_empty(), "{:#?}", document.warnings);
    document.strict = true;
    let (_, source) = generated(document);
    source
}

/// What a client generated from either form has.
fn assert_client(source: &str) {
    for method in [
        "pub async fn get_item(",
        "pub async fn post_item(",
        "pub async fn get_copy_id(",
    ] {
        assert!(source.contains(method), "{method}\n{source}");
    }
    // The scheme named by the alias, `Key`.
    assert!(source.contains("ApiKeyHeader(\"x-key\")"), "{source}");
    assert!(source.contains("pub struct Item {"), "{source}");
}

#[test]
fn a_reference_object_in_every_place_openapi_3_0_allows_one_loads() {
    let text = format!(
        "openapi: 3.0.3
info: {{title: t, version: '1'}}
security: [{{Alias: []}}]
paths:
  /items/{{id}}:{ITEM_OPERATIONS}
  /copy/{{id}}:
    $ref: '#/x-path-items/Copy'
x-path-items:
  Copy:
    parameters:
      # Not a component: a JSON pointer into the paths.
      - $ref: '#/paths/~1items~1{{id}}/parameters/0'
    get:
      responses:
        '200': {{$ref: '#/components/responses/Item'}}
components:{COMPONENTS}{CALLBACKS}"
    );
    let document = load_str("refs.yaml", &text).unwrap();
    // The references the typed document cannot hold are gone.
    let post = &document.raw["paths"]["/items/{id}"]["post"];
    assert_eq!(
        post["callbacks"]["done"]["{$request.body#/url}"]["post"]["requestBody"],
        serde_json::json!({"$ref": "#/components/requestBodies/Upload"})
    );
    assert!(post["callbacks"]["inline"]["{$request.body#/url}"]["post"].is_object());
    assert!(
        document
            .repairs
            .iter()
            .any(|r| r.pointer == "/paths/~1items~1{id}/post/callbacks/done"),
        "{:#?}",
        document.repairs
    );
    assert_client(&generated_strictly(document));
}

#[test]
fn a_reference_object_in_every_place_openapi_3_1_allows_one_loads() {
    let text = format!(
        "openapi: 3.1.0
info: {{title: t, version: '1'}}
security: [{{Alias: []}}]
paths:
  /items/{{id}}:
    $ref: '#/components/pathItems/ItemsAlias'
    summary: Items, by id.
  /copy/{{id}}:
    $ref: '#/components/pathItems/Copy'
webhooks:
  itemChanged: {{$ref: '#/components/pathItems/Hook'}}
components:{COMPONENTS}{CALLBACKS}    Hooked:
      '{{$request.body#/url}}': {{$ref: '#/components/pathItems/Hook'}}
  pathItems:
    Items:{ITEM_OPERATIONS}
    ItemsAlias: {{$ref: '#/components/pathItems/Items'}}
    Copy:
      parameters:
        - $ref: '#/components/parameters/Id'
          description: The copy's id, over the parameter's own.
      get:
        callbacks:
          hooked: {{$ref: '#/components/callbacks/Hooked'}}
        responses:
          '200':
            $ref: '#/components/responses/Item'
            summary: A copy.
    Hook:
      post:
        requestBody: {{$ref: '#/components/requestBodies/Upload'}}
        responses:
          '200': {{description: ok}}
"
    );
    let document = load_str("refs.yaml", &text).unwrap();
    assert_eq!(
        document.raw["paths"]["/items/{id}"]["summary"],
        "Items, by id."
    );
    assert!(
        document.raw["paths"]["/copy/{id}"]["get"]["callbacks"]["hooked"]["{$request.body#/url}"]
            ["post"]
            .is_object()
    );
    assert_client(&generated_strictly(document));
}

// A `$ref` where OpenAPI allows none.

const MISPLACED: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /source:
    parameters:
      - {name: q, in: query, schema: {type: string}}
    get:
      operationId: source
      responses:
        '200':
          description: ok
          headers:
            X-Rate: {schema: {type: integer}}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
  /content:
    get:
      operationId: content
      responses:
        '200':
          description: ok
          content: {$ref: '#/paths/~1source/get/responses/200/content'}
  /media:
    get:
      operationId: media
      responses:
        '200':
          description: ok
          content:
            application/json: {$ref: '#/components/responses/Thing/content/application~1json'}
  /responses:
    get:
      operationId: responses
      responses: {$ref: '#/paths/~1source/get/responses'}
  /headers:
    get:
      operationId: headers
      responses:
        '200':
          description: ok
          headers: {$ref: '#/paths/~1source/get/responses/200/headers'}
  /operation:
    parameters: {$ref: '#/paths/~1source/parameters'}
    get: {$ref: '#/x-operations/get'}
x-operations:
  get:
    operationId: operation
    responses:
      '200': {$ref: '#/components/responses/Thing'}
components:
  schemas:
    Thing: {type: object, properties: {name: {type: string}}}
  responses:
    Thing:
      description: a thing
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Thing'}
";

#[test]
fn a_reference_where_openapi_allows_none_is_read_as_what_it_names_with_a_warning() {
    let document = load_str("misplaced.yaml", MISPLACED).unwrap();
    let mut warned: Vec<&str> = document
        .warnings
        .iter()
        .map(|warning| warning.pointer.as_str())
        .collect();
    warned.sort();
    assert_eq!(
        warned,
        [
            "/paths/~1content/get/responses/200/content",
            "/paths/~1headers/get/responses/200/headers",
            "/paths/~1media/get/responses/200/content/application~1json",
            "/paths/~1operation/get",
            "/paths/~1operation/parameters",
            "/paths/~1responses/get/responses",
        ]
    );
    assert_eq!(
        warning_at(&document, "/paths/~1operation/get"),
        "OpenAPI allows no reference in place of an operation; read as the operation `#/x-operations/get` names"
    );
    let (document, source) = generated(document);
    // Each operation reads the body (and parameter) it names.
    let squashed: String = source.split_whitespace().collect::<Vec<_>>().join(" ");
    for signature in [
        "pub async fn content(&self) -> Result<Response<types::Thing>, Error<ContentError>>",
        "pub async fn media(&self) -> Result<Response<types::Thing>, Error<MediaError>>",
        "pub async fn responses( &self, ) -> Result<Response<types::Thing>, Error<ResponsesError>>",
        "pub async fn operation( &self, q: Option<&str>, ) -> Result<Response<types::Thing>, Error<OperationError>>",
        "pub async fn headers(&self) -> Result<Response<()>, Error<HeadersError>>",
    ] {
        assert!(squashed.contains(signature), "{signature}\n{source}");
    }
    // The warnings are in the generated header, and a strict spec is
    // refused on them, each with its pointer.
    assert!(
        source.contains("/paths/~1content/get/responses/200/content: OpenAPI allows no reference"),
        "{source}"
    );
    let mut strict = document;
    strict.strict = true;
    let message = codegen::generate(&strict).unwrap_err().to_string();
    assert!(
        message.contains(
            "misplaced.yaml#/paths/~1responses/get/responses: OpenAPI allows no reference"
        ),
        "{message}"
    );
}

#[test]
fn a_misplaced_reference_to_nothing_is_an_error_naming_file_and_pointer() {
    for (from, to, at) in [
        (
            "content: {$ref: '#/paths/~1source/get/responses/200/content'}",
            "content: {$ref: '#/paths/~1nowhere/get/responses/200/content'}",
            "misplaced.yaml#/paths/~1content/get/responses/200/content/$ref",
        ),
        (
            "responses: {$ref: '#/paths/~1source/get/responses'}",
            "responses: {$ref: '#/paths/~1responses/get/responses'}",
            "misplaced.yaml#/paths/~1responses/get/responses/$ref",
        ),
    ] {
        let text = MISPLACED.replace(from, to);
        assert_ne!(text, MISPLACED);
        let message = load_str("misplaced.yaml", &text).unwrap_err();
        assert!(message.starts_with(at), "{message}");
        assert!(message.contains("OpenAPI allows no reference"), "{message}");
    }
}

// Names that are also keywords.

/// A response `default`, and components called `schema`, `default` and
/// `example`: in a map of names a key is a name, never a keyword, so these
/// are followed, bundled and read like any other.
#[test]
fn names_that_are_also_keywords_are_names() {
    let paths = "
  /things:
    get:
      operationId: list_things
      parameters:
        - $ref: '#/components/parameters/schema'
        - $ref: '#/components/parameters/example'
      responses:
        '200': {$ref: 'shared/ok.yaml'}
        default: {$ref: 'shared/error.yaml'}
";
    let components = "
components:
  parameters:
    schema: {name: schema, in: query, required: true, schema: {type: string}}
    example: {name: example, in: query, required: true, schema: {type: integer}}
  schemas:
    default: {type: object, properties: {code: {type: integer}}}
";
    let entry = spec_folder(
        "keyword-names",
        &[
            (
                "api.yaml",
                &format!(
                    "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:{paths}{components}"
                ),
            ),
            (
                "shared/ok.yaml",
                "description: ok\ncontent:\n  application/json:\n    schema: {$ref: '../api.yaml#/components/schemas/default'}\n",
            ),
            (
                "shared/error.yaml",
                "description: unexpected\ncontent:\n  application/json:\n    schema: {type: object, properties: {message: {type: string}}}\n",
            ),
        ],
    );
    let document = codegen::load::load(&entry).unwrap_or_else(|error| panic!("{error}"));
    // The `default` response of another file is bundled into the
    // components, as the `200` one is.
    let responses = &document.raw["paths"]["/things"]["get"]["responses"];
    assert_eq!(
        responses["default"]["$ref"]
            .as_str()
            .map(|r| r.starts_with("#/components/responses/")),
        Some(true),
        "{responses:#}"
    );
    let source = generated_strictly(document);
    let squashed: String = source.split_whitespace().collect::<Vec<_>>().join(" ");
    // The operation is there, both parameters required as declared.
    assert!(
        squashed.contains("pub async fn list_things( &self, example: i64, schema: &str, )"),
        "{source}"
    );
    assert!(source.contains("pub struct Default {"), "{source}");
}

// An `allOf` of parts none of which is an object.

/// `allOf: [{$ref: UserId}, {type: string, description: ...}]` (a
/// reference annotated, as Plaid's spec does) is a string: the named
/// part's type, not an empty struct that reads no string.
#[test]
fn an_all_of_whose_parts_are_not_objects_is_the_named_part() {
    let document = load_str(
        "scalars.yaml",
        "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /session:
    get:
      operationId: get_session
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Session'}
components:
  schemas:
    UserId: {type: string}
    Annotated:
      allOf:
        - $ref: '#/components/schemas/UserId'
        - {type: string, description: The user.}
    Session:
      type: object
      properties:
        user_id:
          allOf:
            - {type: string, description: Known users only.}
            - $ref: '#/components/schemas/UserId'
        count:
          allOf:
            - {type: integer}
            - {minimum: 0}
",
    )
    .unwrap();
    let source = generated_strictly(document);
    let squashed: String = source.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "pub struct Annotated(pub UserId);",
        "pub user_id: Option<UserId>,",
        "pub count: Option<i64>,",
    ] {
        assert!(squashed.contains(expected), "{expected}\n{source}");
    }
}

/// `oauth2: null` for "no scopes" (Square's published spec) breaks the
/// Security Requirement Object, which asks for a list; one such node
/// refused the whole spec when the document was typed. It is read as no
/// scopes, with a warning, and every operation generates.
#[test]
fn a_security_requirement_without_a_list_of_scopes_is_read_as_none() {
    let text = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
security:
  - oauth2: null
paths:
  /revoke:
    post:
      operationId: revoke
      security:
        - oauth2: ~
      responses:
        '200': {description: ok}
  /list:
    get:
      operationId: list
      responses:
        '200': {description: ok}
components:
  securitySchemes:
    oauth2:
      type: oauth2
      flows:
        clientCredentials: {tokenUrl: 'https://example.com/token', scopes: {}}
"#;
    let document = load_str("square-like.yaml", text).expect("loads");
    assert!(warning_at(&document, "/security/0/oauth2").contains("read as none"));
    assert!(
        warning_at(&document, "/paths/~1revoke/post/security/0/oauth2").contains("read as none")
    );
    let (_, source) = generated(document);
    assert!(source.contains("pub async fn revoke("), "{source}");
    assert!(source.contains("pub async fn list("), "{source}");
}

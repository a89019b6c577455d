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

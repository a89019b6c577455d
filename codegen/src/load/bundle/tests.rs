use std::path::{Path, PathBuf};

use serde_json::json;

use super::*;

/// A spec of several files in a fresh folder; the entry's path.
fn spec_folder(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bundle-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir.join(files[0].0)
}

fn bundled(entry: &Path) -> Result<Bundle, Error> {
    let read = |path: &Path| crate::load::read_normalised(path);
    let (text, sha) = read(entry)?;
    let document = crate::load::parse_text(entry, &text)?;
    bundle(
        entry,
        Path::new("specs/api.yaml"),
        document,
        sha,
        &read,
        None,
    )
}

#[test]
fn files_in_folders_become_one_document_with_internal_references() {
    let entry = spec_folder(
        "layout",
        &[
            (
                "openapi.yaml",
                "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /pets/{id}:\n    $ref: ./resources/pet.yaml\ncomponents:\n  schemas:\n    $ref: ./schemas/_index.yaml\n",
            ),
            (
                "schemas/_index.yaml",
                "Pet:\n  $ref: ./Pet.yaml\nOwner:\n  $ref: './people/Owner.yaml'\n",
            ),
            (
                "schemas/Pet.yaml",
                "type: object\nproperties:\n  owner: {$ref: './people/Owner.yaml'}\n  tags: {type: array, items: {$ref: '../common.yaml#/Tag'}}\n",
            ),
            // Owner refers back to Pet: recursion across files.
            (
                "schemas/people/Owner.yaml",
                "type: object\nproperties:\n  pets: {type: array, items: {$ref: ../Pet.yaml}}\n",
            ),
            (
                "common.yaml",
                "Tag: {type: string}\nNotFound: {description: no such pet}\n",
            ),
            (
                "resources/pet.yaml",
                "get:\n  operationId: getPet\n  parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n  responses:\n    '200':\n      description: ok\n      content:\n        application/json:\n          schema: {$ref: ../schemas/Pet.yaml}\n    '404': {$ref: '../common.yaml#/NotFound'}\n",
            ),
        ],
    );
    let bundle = bundled(&entry).unwrap();
    let document = &bundle.document;
    assert_eq!(
        document["components"]["schemas"]["Pet"]["properties"]["owner"],
        json!({"$ref": "#/components/schemas/Owner"})
    );
    assert_eq!(
        document["components"]["schemas"]["Owner"]["properties"]["pets"]["items"],
        json!({"$ref": "#/components/schemas/Pet"})
    );
    assert_eq!(
        document["components"]["schemas"]["Pet"]["properties"]["tags"]["items"],
        json!({"$ref": "#/components/schemas/Tag"})
    );
    assert_eq!(
        document["components"]["schemas"]["Tag"],
        json!({"type": "string"})
    );
    let get = &document["paths"]["/pets/{id}"]["get"];
    assert_eq!(
        get["responses"]["200"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/Pet"})
    );
    assert_eq!(
        get["responses"]["404"],
        json!({"$ref": "#/components/responses/NotFound"})
    );
    assert_eq!(
        document["components"]["responses"]["NotFound"],
        json!({"description": "no such pet"})
    );
    // No reference to another file is left.
    assert!(!refers_to_other_files(document), "{document:#}");
    let names: Vec<String> = bundle
        .files
        .iter()
        .map(|(path, _)| {
            path.strip_prefix(entry.parent().unwrap().canonicalize().unwrap())
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    assert_eq!(
        names,
        [
            "openapi.yaml",
            "common.yaml",
            "resources/pet.yaml",
            "schemas/Pet.yaml",
            "schemas/_index.yaml",
            "schemas/people/Owner.yaml",
        ]
    );
    // The whole spec generates.
    let source = crate::generate_file(&entry).unwrap();
    assert!(source.contains("pub struct Owner"), "{source}");
    assert!(source.contains("and the 5 files it refers to"), "{source}");
}

#[test]
fn names_taken_by_another_file_are_numbered() {
    let entry = spec_folder(
        "names",
        &[
            (
                "api.yaml",
                "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Error: {type: string}\n    A:\n      type: object\n      properties:\n        e1: {$ref: './v1/Error.yaml'}\n        e2: {$ref: './v2/Error.yaml'}\n",
            ),
            (
                "v1/Error.yaml",
                "type: object\nproperties: {code: {type: integer}}\n",
            ),
            (
                "v2/Error.yaml",
                "type: object\nproperties: {message: {type: string}}\n",
            ),
        ],
    );
    let document = bundled(&entry).unwrap().document;
    let schemas = &document["components"]["schemas"];
    assert_eq!(schemas["Error"], json!({"type": "string"}));
    assert_eq!(
        schemas["A"]["properties"]["e1"],
        json!({"$ref": "#/components/schemas/Error2"})
    );
    assert_eq!(
        schemas["A"]["properties"]["e2"],
        json!({"$ref": "#/components/schemas/Error3"})
    );
    assert!(schemas["Error3"]["properties"].get("message").is_some());
}

#[test]
fn references_that_cannot_be_followed_name_their_place() {
    for (reference, expected) in [
        ("./missing.yaml", "`./missing.yaml` cannot be read"),
        (
            "../outside.yaml",
            "is outside the folder files are read from",
        ),
        ("https://example.com/x.yaml", "is a URL"),
        ("./other.yaml#/Nope", "`other.yaml#/Nope` does not resolve"),
    ] {
        let entry = spec_folder(
            "broken",
            &[
                (
                    "inner/api.yaml",
                    &format!(
                        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: '{reference}'}}\n"
                    ),
                ),
                ("inner/other.yaml", "Thing: {type: string}\n"),
                ("outside.yaml", "type: string\n"),
            ],
        );
        let error = bundled(&entry).err().unwrap().to_string();
        assert!(
            error.starts_with("specs/api.yaml#/components/schemas/A: ") && error.contains(expected),
            "{reference}: {error}"
        );
    }
}

#[test]
fn references_into_a_component_or_to_another_kind_are_moved_to_their_own() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      parameters:\n        - name: state\n          in: query\n          schema: {$ref: '#/components/parameters/State/schema'}\n      responses:\n        '200': {$ref: '#/components/requestBodies/Data'}\n    put:\n      operationId: putA\n      requestBody: {$ref: '#/components/requestBodies/Data'}\n      responses:\n        '204': {description: ok}\ncomponents:\n  parameters:\n    State: {name: state, in: query, schema: {type: string, enum: [on, off]}}\n  requestBodies:\n    Data:\n      description: The data.\n      content: {application/json: {schema: {type: object}}}\n";
    let document = crate::load::load_str(Path::new("specs/api.yaml"), text).unwrap();
    let get = &document.raw["paths"]["/a"]["get"];
    assert_eq!(
        get["parameters"][0]["schema"],
        json!({"$ref": "#/components/schemas/State"})
    );
    assert_eq!(
        document.raw["components"]["schemas"]["State"],
        json!({"type": "string", "enum": ["on", "off"]})
    );
    assert_eq!(
        get["responses"]["200"],
        json!({"$ref": "#/components/responses/Data"})
    );
    // The request body's own reference is what it should be.
    assert_eq!(
        document.raw["paths"]["/a"]["put"]["requestBody"],
        json!({"$ref": "#/components/requestBodies/Data"})
    );
    let warnings: Vec<&str> = document
        .warnings
        .iter()
        .map(|w| w.pointer.as_str())
        .collect();
    assert_eq!(warnings, ["/paths/~1a/get/responses/200"]);
    assert_eq!(document.repairs.len(), 2, "{:?}", document.repairs);
    crate::generate_document(&document).unwrap();
}

/// A spec laid out as Algolia's: each API's entry in its own folder,
/// referring to a folder beside it (`../common/`). Read from the entry's
/// folder it is refused, naming the reference; read within the folder that
/// holds both, it bundles whole. An entry outside that folder is refused.
#[test]
fn a_root_above_the_entry_reads_the_folders_beside_it() {
    let entry = spec_folder(
        "root",
        &[
            (
                "search/spec.yaml",
                "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200': {$ref: '../common/responses.yaml#/Ok'}\n",
            ),
            (
                "common/responses.yaml",
                "Ok:\n  description: ok\n  content: {application/json: {schema: {type: string}}}\n",
            ),
        ],
    );
    let error = crate::load::load(&entry).unwrap_err().to_string();
    assert!(error.contains("--root"), "{error}");
    let root = entry.parent().unwrap().parent().unwrap();
    let document = crate::load::load_within(&entry, root).unwrap();
    assert_eq!(document.other_files, 1);
    assert_eq!(
        document.raw["components"]["responses"]["Ok"]["description"],
        json!("ok")
    );
    let elsewhere = root.join("common");
    let error = crate::load::load_within(&entry, &elsewhere)
        .unwrap_err()
        .to_string();
    assert!(error.contains("outside the folder to read from"), "{error}");
}

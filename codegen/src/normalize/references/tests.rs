use serde_json::{Value, json};

use super::*;

/// The document after both passes, the warnings and repairs as (pointer,
/// message) pairs; or the error.
#[allow(clippy::type_complexity)]
fn normalized(
    mut document: Value,
) -> Result<(Value, Vec<(String, String)>, Vec<(String, String)>), Problem> {
    let mut findings = Findings::default();
    structure(&mut document, &mut findings)?;
    component_chains(&mut document, &mut findings);
    let warnings = findings
        .warnings
        .into_iter()
        .map(|w| (w.pointer, w.message))
        .collect();
    let repairs = findings
        .repairs
        .into_iter()
        .map(|r| (r.pointer, r.note))
        .collect();
    Ok((document, warnings, repairs))
}

fn pointers(found: &[(String, String)]) -> Vec<&str> {
    let mut pointers: Vec<&str> = found.iter().map(|(at, _)| at.as_str()).collect();
    pointers.sort();
    pointers
}

#[test]
fn a_component_that_is_a_reference_is_a_copy_of_the_one_it_ends_at() {
    let (document, warnings, repairs) = normalized(json!({
        "components": {
            "responses": {
                "A": {"$ref": "#/components/responses/B", "description": "Mine."},
                "B": {"$ref": "#/components/responses/C"},
                "C": {"description": "Theirs.", "headers": {"X": {"$ref": "#/components/headers/H"}}},
                "Dangling": {"$ref": "#/components/responses/Nope"},
            },
            "securitySchemes": {
                "Key": {"type": "apiKey", "in": "header", "name": "X-Key"},
                "Alias": {"$ref": "#/components/securitySchemes/Key"},
            },
            "headers": {"H": {"schema": {"type": "string"}}},
            // Another name for a type: the model follows these.
            "schemas": {"S": {"$ref": "#/components/schemas/T"}, "T": {"type": "string"}},
        }
    }))
    .unwrap();
    let components = &document["components"];
    assert_eq!(
        components["responses"]["A"],
        json!({"description": "Mine.", "headers": {"X": {"$ref": "#/components/headers/H"}}})
    );
    assert_eq!(components["responses"]["B"], components["responses"]["C"]);
    assert_eq!(
        components["securitySchemes"]["Alias"],
        components["securitySchemes"]["Key"]
    );
    assert_eq!(
        components["responses"]["Dangling"],
        json!({"$ref": "#/components/responses/Nope"})
    );
    assert_eq!(
        components["schemas"]["S"],
        json!({"$ref": "#/components/schemas/T"})
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        pointers(&repairs),
        [
            "/components/responses/A",
            "/components/responses/B",
            "/components/securitySchemes/Alias"
        ]
    );
    assert_eq!(
        repairs
            .iter()
            .find(|(at, _)| at == "/components/responses/A")
            .unwrap()
            .1,
        "the response `#/components/responses/B` refers to, copied here"
    );
}

#[test]
fn callbacks_and_their_path_items_given_by_reference_are_inlined() {
    let (document, warnings, repairs) = normalized(json!({
        "paths": {"/a": {"post": {
            "callbacks": {
                "done": {"$ref": "#/components/callbacks/Done"},
                "inline": {"{$request.body#/url}": {"$ref": "#/components/pathItems/Hook"}},
                "x-note": {"$ref": "#/not/a/callback"},
            },
            "responses": {"200": {"$ref": "#/components/responses/Ok"}},
        }}},
        "components": {
            "callbacks": {"Done": {"{$request.body#/url}": {"$ref": "#/components/pathItems/Hook"}}},
            "pathItems": {"Hook": {"post": {"responses": {"200": {"description": "ok"}}}}},
            "responses": {"Ok": {"description": "ok"}},
        }
    }))
    .unwrap();
    let hook = json!({"post": {"responses": {"200": {"description": "ok"}}}});
    let callbacks = &document["paths"]["/a"]["post"]["callbacks"];
    assert_eq!(callbacks["done"], json!({"{$request.body#/url}": hook}));
    assert_eq!(callbacks["inline"], json!({"{$request.body#/url}": hook}));
    assert_eq!(
        document["components"]["callbacks"]["Done"],
        json!({"{$request.body#/url}": hook})
    );
    // Allowed and held: left for the model.
    assert_eq!(
        document["paths"]["/a"]["post"]["responses"]["200"],
        json!({"$ref": "#/components/responses/Ok"})
    );
    assert_eq!(callbacks["x-note"], json!({"$ref": "#/not/a/callback"}));
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        pointers(&repairs),
        [
            "/components/callbacks/Done/{$request.body#~1url}",
            "/paths/~1a/post/callbacks/done",
            "/paths/~1a/post/callbacks/inline/{$request.body#~1url}",
        ]
    );
}

#[test]
fn a_callback_within_itself_is_left_out_there_and_one_to_nothing_with_a_warning() {
    let (document, warnings, repairs) = normalized(json!({
        "paths": {"/a": {"post": {
            "callbacks": {
                "again": {"$ref": "#/components/callbacks/Again"},
                "nowhere": {"$ref": "#/components/callbacks/Nope"},
            },
            "responses": {},
        }}},
        "components": {"callbacks": {"Again": {"{$url}": {"post": {
            "callbacks": {"again": {"$ref": "#/components/callbacks/Again"}},
            "responses": {},
        }}}}}
    }))
    .unwrap();
    let callbacks = &document["paths"]["/a"]["post"]["callbacks"];
    assert_eq!(
        callbacks,
        &json!({"again": {"{$url}": {"post": {"callbacks": {}, "responses": {}}}}})
    );
    assert_eq!(
        warnings,
        [(
            "/paths/~1a/post/callbacks/nowhere".to_string(),
            "`#/components/callbacks/Nope` does not resolve inside this document; this callback is left out (a client makes no callbacks)".to_string()
        )]
    );
    assert!(
        repairs.iter().any(|(at, note)| at
            == "/paths/~1a/post/callbacks/again/{$url}/post/callbacks/again"
            && note.contains("leads back into itself")),
        "{repairs:#?}"
    );
}

#[test]
fn a_reference_where_openapi_allows_none_is_read_as_what_it_names_with_a_warning() {
    let ok = json!({"description": "ok", "content": {"application/json": {"schema": {"type": "string"}}}});
    let (document, warnings, repairs) = normalized(json!({
        "paths": {
            "/source": {
                "get": {"operationId": "source", "responses": {"200": ok}},
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
            },
            "/content": {"get": {"responses": {"200": {
                "description": "ok",
                "content": {"$ref": "#/paths/~1source/get/responses/200/content"},
            }}}},
            "/media": {"get": {"responses": {"200": {
                "description": "ok",
                "content": {"text/plain": {"$ref": "#/paths/~1source/get/responses/200/content/application~1json"}},
            }}}},
            "/responses": {"get": {"responses": {"$ref": "#/paths/~1source/get/responses"}}},
            "/headers": {"get": {"responses": {"200": {
                "description": "ok",
                "headers": {"$ref": "#/x-headers"},
            }}}},
            "/operation": {
                "get": {"$ref": "#/x-chain"},
                "parameters": {"$ref": "#/paths/~1source/parameters"},
            },
            "/encoding": {"post": {
                "requestBody": {"content": {"multipart/form-data": {
                    "schema": {"type": "object"},
                    "encoding": {"file": {"$ref": "#/x-encoding"}},
                }}},
                "responses": {},
            }},
        },
        "x-headers": {"X-Rate": {"schema": {"type": "integer"}}},
        "x-chain": {"$ref": "#/paths/~1source/get"},
        "x-encoding": {"contentType": "image/png"},
    }))
    .unwrap();
    let paths = &document["paths"];
    assert_eq!(paths["/content"]["get"]["responses"]["200"], ok);
    assert_eq!(
        paths["/media"]["get"]["responses"]["200"]["content"]["text/plain"],
        ok["content"]["application/json"]
    );
    assert_eq!(paths["/responses"]["get"]["responses"]["200"], ok);
    assert_eq!(
        paths["/headers"]["get"]["responses"]["200"]["headers"]["X-Rate"],
        json!({"schema": {"type": "integer"}})
    );
    assert_eq!(paths["/operation"]["get"], paths["/source"]["get"]);
    assert_eq!(
        paths["/operation"]["parameters"],
        paths["/source"]["parameters"]
    );
    assert_eq!(
        paths["/encoding"]["post"]["requestBody"]["content"]["multipart/form-data"]["encoding"]["file"],
        json!({"contentType": "image/png"})
    );
    assert_eq!(
        pointers(&warnings),
        [
            "/paths/~1content/get/responses/200/content",
            "/paths/~1encoding/post/requestBody/content/multipart~1form-data/encoding/file",
            "/paths/~1headers/get/responses/200/headers",
            "/paths/~1media/get/responses/200/content/text~1plain",
            "/paths/~1operation/get",
            "/paths/~1operation/parameters",
            "/paths/~1responses/get/responses",
        ]
    );
    let (_, message) = &warnings
        .iter()
        .find(|(at, _)| at == "/paths/~1content/get/responses/200/content")
        .unwrap();
    assert_eq!(
        message,
        "OpenAPI allows no reference in place of a `content` map; read as the `content` map `#/paths/~1source/get/responses/200/content` names"
    );
    assert!(repairs.is_empty(), "{repairs:?}");
}

#[test]
fn a_misplaced_reference_to_nothing_or_to_itself_is_an_error_naming_its_pointer() {
    for (document, at, why) in [
        (
            json!({"paths": {"/a": {"get": {"responses": {"$ref": "#/nope"}}}}}),
            "/paths/~1a/get/responses/$ref",
            "`#/nope` does not resolve inside this document",
        ),
        (
            json!({"paths": {"/a": {"get": {"$ref": "#/x-a"}}}, "x-a": {"$ref": "#/x-b"}, "x-b": {"$ref": "#/x-a"}}),
            "/paths/~1a/get/$ref",
            "cyclic",
        ),
        (
            // The target holds the reference itself.
            json!({"paths": {"/a": {"get": {"responses": {"200": {"description": "ok",
                "content": {"$ref": "#/paths/~1a/get/responses/200"}}}}}}}),
            "/paths/~1a/get/responses/200/content/content/$ref",
            "leads back into itself",
        ),
        (
            json!({"paths": {"/a": {"get": {"$ref": "#/x-text"}}}, "x-text": "get"}),
            "/paths/~1a/get/$ref",
            "names no operation",
        ),
        (
            json!({"components": {"responses": {"R": {"description": "r", "content": {"$ref": "other.yaml#/c"}}}}}),
            "/components/responses/R/content/$ref",
            "points into another document",
        ),
    ] {
        let problem = normalized(document).unwrap_err();
        assert_eq!(problem.pointer, at);
        assert!(
            problem
                .message
                .starts_with("OpenAPI allows no reference in place of a"),
            "{problem:?}"
        );
        assert!(problem.message.contains(why), "{problem:?}");
    }
}

#[test]
fn references_nested_in_what_they_name_stop_at_the_limit() {
    // Each callback holds the next one by reference, deeper than is inlined.
    let mut callbacks = serde_json::Map::new();
    for index in 0..8 {
        callbacks.insert(
            format!("C{index}"),
            json!({"{$url}": {"post": {
                "callbacks": {"next": {"$ref": format!("#/components/callbacks/C{}", index + 1)}},
                "responses": {},
            }}}),
        );
    }
    let (document, _, repairs) = normalized(json!({
        "paths": {"/a": {"post": {"callbacks": {"c": {"$ref": "#/components/callbacks/C0"}}, "responses": {}}}},
        "components": {"callbacks": callbacks},
    }))
    .unwrap();
    let deepest = "/paths/~1a/post/callbacks/c".to_string()
        + &"/{$url}/post/callbacks/next".repeat(MAX_NESTED - 1);
    assert!(document.pointer(&deepest).is_some());
    let cut = format!("{deepest}/{{$url}}/post/callbacks/next");
    assert!(document.pointer(&cut).is_none());
    assert!(
        repairs
            .iter()
            .any(|(at, note)| *at == cut && note.contains("inside 4 other references")),
        "{repairs:#?}"
    );
}

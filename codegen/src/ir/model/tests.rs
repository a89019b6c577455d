use super::*;

#[test]
fn media_kinds_ignore_case_and_parameters() {
    assert_eq!(
        MediaKind::of("Application/JSON; charset=utf-8"),
        MediaKind::Json
    );
    assert_eq!(MediaKind::of("application/problem+json"), MediaKind::Json);
    assert_eq!(
        MediaKind::of("application/x-www-form-urlencoded"),
        MediaKind::Form
    );
    assert_eq!(
        MediaKind::of("multipart/form-data"),
        MediaKind::MultipartForm
    );
    assert_eq!(MediaKind::of("multipart/mixed"), MediaKind::OtherMultipart);
    assert_eq!(MediaKind::of("text/csv"), MediaKind::Text);
    assert_eq!(
        MediaKind::of("Text/Event-Stream; charset=utf-8"),
        MediaKind::EventStream
    );
    assert_eq!(MediaKind::of("audio/mpeg"), MediaKind::Binary);
    // Preference, best first, as request bodies choose.
    assert!(MediaKind::Json < MediaKind::Form && MediaKind::Text < MediaKind::Binary);
}

#[test]
fn template_params_in_order() {
    let template = PathTemplate::parse("/a/{x}/b/{y_z}/");
    assert_eq!(template.params().collect::<Vec<_>>(), ["x", "y_z"]);
    assert_eq!(
        template.pieces()[..2],
        [
            PathPiece::Literal("/a/".into()),
            PathPiece::Param("x".into())
        ]
    );
    assert_eq!(PathTemplate::parse("/a").params().count(), 0);
    assert_eq!(
        PathTemplate::parse("/a/{open").pieces(),
        [PathPiece::Literal("/a/{open".into())]
    );
}

#[test]
fn error_variants() {
    assert_eq!(
        status_variant(StatusMatch::Code(422)),
        "UnprocessableEntity"
    );
    assert_eq!(status_variant(StatusMatch::Code(499)), "Status499");
    assert_eq!(status_variant(StatusMatch::Range(5)), "Status5xx");
}

/// Which operations take an idempotency key, and in which header: a
/// declared header parameter so named (any case, any prefix), the
/// operation's overlay word (a name, or `false`), else the spec-wide name
/// for `POST` and `PATCH` only.
#[test]
fn idempotency_headers_come_from_parameters_and_overlays() {
    let spec = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "x-agent-clients-idempotency-header": "Idempotency-Key",
        "paths": {
            "/declared": {"put": {"operationId": "declared", "parameters": [
                {"name": "X-Idempotency-Key", "in": "header", "schema": {"type": "string"}}],
                "responses": {"204": {"description": "ok"}}}},
            "/named": {"post": {"operationId": "named",
                "x-agent-clients-idempotency-header": "X-Request-Key",
                "responses": {"204": {"description": "ok"}}}},
            "/opted": {"post": {"operationId": "opted",
                "x-agent-clients-idempotency-header": false,
                "responses": {"204": {"description": "ok"}}}},
            "/wide": {
                "post": {"operationId": "widePost", "responses": {"204": {"description": "ok"}}},
                "patch": {"operationId": "widePatch", "responses": {"204": {"description": "ok"}}},
                "get": {"operationId": "wideGet", "responses": {"204": {"description": "ok"}}}
            }
        },
    });
    let document =
        crate::load::load_str(std::path::Path::new("t.json"), &spec.to_string()).unwrap();
    let api = build(&document).unwrap();
    let headers: Vec<(&str, Option<&str>)> = api
        .operations
        .iter()
        .map(|op| (op.fn_name.as_str(), op.idempotency_header.as_deref()))
        .collect();
    assert_eq!(
        headers,
        [
            ("declared", Some("x-idempotency-key")),
            ("named", Some("x-request-key")),
            ("opted", None),
            ("wide_get", None),
            ("wide_patch", Some("idempotency-key")),
            ("wide_post", Some("idempotency-key")),
        ]
    );

    // A value that is no header name is the document's problem, named once.
    let mut bad = spec.clone();
    bad["x-agent-clients-idempotency-header"] = serde_json::json!("two words");
    let document = crate::load::load_str(std::path::Path::new("t.json"), &bad.to_string()).unwrap();
    let error = build(&document).unwrap_err().to_string();
    assert!(
        error.contains("/x-agent-clients-idempotency-header")
            && error.matches("must be a header name").count() == 1,
        "{error}"
    );
}

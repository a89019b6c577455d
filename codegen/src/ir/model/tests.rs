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

//! What a media type is, as far as encoding a body goes: one
//! classification, which the normalize stage (a body with no schema) and
//! the model (how each body is sent and read) both use.

/// What a media type is, as far as encoding a body goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MediaKind {
    /// `application/json` and `+json` types.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    MultipartForm,
    /// `text/*` but event streams.
    Text,
    /// `text/event-stream`: text as a request body, events as a response.
    EventStream,
    /// Anything else but multipart: bytes as they are.
    Binary,
    /// Other multipart types (`multipart/mixed`, ...), which no body here
    /// is encoded as.
    OtherMultipart,
}

impl MediaKind {
    /// Its kind, read from the type's essence (parameters such as
    /// `; charset=utf-8` dropped, case ignored).
    pub fn of(media_type: &str) -> MediaKind {
        let essence = media_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match essence.as_str() {
            "application/json" => MediaKind::Json,
            json if json.ends_with("+json") => MediaKind::Json,
            "application/x-www-form-urlencoded" => MediaKind::Form,
            "multipart/form-data" => MediaKind::MultipartForm,
            "text/event-stream" => MediaKind::EventStream,
            text if text.starts_with("text/") => MediaKind::Text,
            multipart if multipart.starts_with("multipart/") => MediaKind::OtherMultipart,
            _ => MediaKind::Binary,
        }
    }
}

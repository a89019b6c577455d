//! `multipart/form-data` request bodies (RFC 7578), laid out as OpenAPI
//! 3.0.3 defines them ("Special Considerations for `multipart` Content"):
//! each top-level property of the body is one part, named after it; an array
//! property is one part per item; a scalar is sent as its text, an object as
//! JSON, and a file ([`FilePart`]) as its bytes with a file name. A
//! property's `encoding.contentType` in the spec overrides the default type.
//! Parts follow the order the generated code lists the properties in,
//! whatever order `serde_json` keeps an object's keys in (its
//! `preserve_order` feature may be on in a user's build or not).
//!
//! The body is encoded here rather than by reqwest's `multipart` feature:
//! a retried request must be sent again byte for byte, and reqwest's `Form`
//! is consumed by the first attempt and cannot be cloned. The boundary is
//! deterministic (the first of `agent-clients-boundary-N` that occurs in no
//! part), so the same body encodes to the same bytes on every run.

use std::cell::RefCell;
use std::fmt::Write as _;
use std::path::Path;

use bytes::Bytes;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::InvalidRequest;

/// A file sent as one part of a `multipart/form-data` body: its bytes, the
/// file name the server sees and its content type.
///
/// Without a file name the part is sent with the property's name as its
/// file name, since many servers treat a part without one as a text field.
/// Without a content type it is the one the spec gives for the property,
/// else `application/octet-stream`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilePart {
    bytes: Bytes,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl FilePart {
    /// A file of these bytes.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        FilePart {
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// Reads a file from disk; its name becomes the part's file name.
    pub fn from_path(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let part = FilePart::new(std::fs::read(path)?);
        Ok(match path.file_name() {
            Some(name) => part.file_name(name.to_string_lossy()),
            None => part,
        })
    }

    /// Sets the file name sent in the part's `Content-Disposition`.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sets the part's `Content-Type` (`audio/wav`, `image/png`, ...).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }
}

thread_local! {
    /// The files of the body being encoded. serde hands a serializer a
    /// generic `&T` that cannot be cast back to a `FilePart`, so while
    /// [`encode`] serializes a body, each file leaves its bytes here and
    /// puts a placeholder naming its index in the JSON tree.
    static FILES: RefCell<Option<Vec<FilePart>>> = const { RefCell::new(None) };
}

/// The placeholder for file `N` is this prefix and `N`. It starts with a
/// NUL, which no text part of a form is expected to carry.
const PLACEHOLDER: &str = "\0agent-clients-file:";

impl Serialize for FilePart {
    /// Inside a multipart body, a placeholder; anywhere else (a file in a
    /// JSON body, which OpenAPI does not define), the bytes as a string.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let index = FILES.with(|files| {
            files.borrow_mut().as_mut().map(|files| {
                files.push(self.clone());
                files.len() - 1
            })
        });
        match index {
            Some(index) => serializer.serialize_str(&format!("{PLACEHOLDER}{index}")),
            None => serializer.serialize_str(&String::from_utf8_lossy(&self.bytes)),
        }
    }
}

impl<'de> Deserialize<'de> for FilePart {
    /// A file in a response (OpenAPI defines none in JSON): its text.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|text| FilePart::new(text.into_bytes()))
    }
}

/// One part of the form, before the boundary is chosen.
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    body: Bytes,
}

/// Encodes `body` as `multipart/form-data`. `properties` are the body's
/// properties in the spec's order, each with its `encoding.contentType` if
/// the spec gives one; properties it does not list (`additionalProperties`)
/// follow them. Returns the `Content-Type` (with its boundary) and the bytes.
pub fn encode<T: Serialize + ?Sized>(
    body: &T,
    properties: &[(&str, Option<&str>)],
) -> Result<(String, Bytes), InvalidRequest> {
    let (value, files) = with_files(|| serde_json::to_value(body));
    let value = value.map_err(|error| invalid(format!("cannot be serialized: {error}")))?;
    let Value::Object(mut values) = value else {
        return Err(invalid(
            "a multipart body must be an object, one part per property".into(),
        ));
    };
    let mut ordered = Vec::new();
    for (name, content_type) in properties {
        if let Some(value) = values.remove(*name) {
            ordered.push((name.to_string(), value, content_type.map(str::to_string)));
        }
    }
    ordered.extend(values.into_iter().map(|(name, value)| (name, value, None)));
    let mut parts = Vec::new();
    for (name, value, declared) in ordered {
        let items = match value {
            Value::Array(items) => items,
            single => vec![single],
        };
        for item in items {
            parts.extend(part(&name, item, declared.clone(), &files));
        }
    }
    let boundary = boundary(&parts);
    Ok((
        format!("multipart/form-data; boundary={boundary}"),
        layout(&parts, &boundary),
    ))
}

/// Runs `serialize` with files diverted to a list, which it returns.
fn with_files<R>(serialize: impl FnOnce() -> R) -> (R, Vec<FilePart>) {
    let previous = FILES.with(|files| files.replace(Some(Vec::new())));
    let result = serialize();
    let files = FILES
        .with(|files| files.replace(previous))
        .unwrap_or_default();
    (result, files)
}

/// The part for one value of property `name`; none for a null.
fn part(name: &str, value: Value, declared: Option<String>, files: &[FilePart]) -> Option<Part> {
    let file = match &value {
        Value::String(text) => text
            .strip_prefix(PLACEHOLDER)
            .and_then(|index| index.parse::<usize>().ok())
            .and_then(|index| files.get(index)),
        _ => None,
    };
    let (body, content_type, file_name) = match (file, value) {
        (Some(file), _) => (
            file.bytes.clone(),
            file.content_type
                .clone()
                .or(declared)
                .or_else(|| Some("application/octet-stream".into())),
            Some(file.file_name.clone().unwrap_or_else(|| name.to_string())),
        ),
        (None, Value::Null) => return None,
        (None, Value::String(text)) => (text.into_bytes().into(), declared, None),
        (None, scalar @ (Value::Bool(_) | Value::Number(_))) => {
            (scalar.to_string().into_bytes().into(), declared, None)
        }
        // Objects, and arrays inside an array, are JSON.
        (None, json) => (
            json.to_string().into_bytes().into(),
            declared.or_else(|| Some("application/json".into())),
            None,
        ),
    };
    Some(Part {
        name: name.to_string(),
        file_name,
        content_type,
        body,
    })
}

/// The first `agent-clients-boundary-N` that occurs in no part's body.
fn boundary(parts: &[Part]) -> String {
    (0u64..)
        .map(|n| format!("agent-clients-boundary-{n}"))
        .find(|boundary| {
            let needle = boundary.as_bytes();
            parts
                .iter()
                .all(|part| !part.body.windows(needle.len()).any(|w| w == needle))
        })
        .expect("some boundary occurs in none of finitely many parts")
}

/// The form's bytes: each part after a `--boundary` line, then the closing
/// `--boundary--`.
fn layout(parts: &[Part], boundary: &str) -> Bytes {
    let mut out = Vec::new();
    for part in parts {
        let mut head = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"",
            quoted(&part.name)
        );
        if let Some(file_name) = &part.file_name {
            let _ = write!(head, "; filename=\"{}\"", quoted(file_name));
        }
        head.push_str("\r\n");
        if let Some(content_type) = &part.content_type {
            let _ = write!(head, "Content-Type: {content_type}\r\n");
        }
        head.push_str("\r\n");
        out.extend_from_slice(head.as_bytes());
        out.extend_from_slice(&part.body);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    out.into()
}

/// A name or file name inside `"..."`: `"`, CR and LF percent-encoded, as
/// browsers send them (HTML's "multipart/form-data encoding algorithm").
fn quoted(text: &str) -> String {
    text.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn invalid(message: String) -> InvalidRequest {
    InvalidRequest {
        field: "body".into(),
        rule: "multipart".into(),
        message: format!("the multipart body {message}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Upload {
        name: &'static str,
        count: u32,
        tags: Vec<&'static str>,
        meta: Value,
        audio: FilePart,
        skipped: Option<u32>,
    }

    #[test]
    fn every_property_kind_has_its_part() {
        let upload = Upload {
            name: "a \"b\"",
            count: 3,
            tags: vec!["x", "y"],
            meta: serde_json::json!({"k": 1}),
            audio: FilePart::new(&b"RIFF"[..]).file_name("a.wav"),
            skipped: None,
        };
        let (content_type, body) = encode(
            &upload,
            &[
                ("name", None),
                ("count", None),
                ("tags", None),
                ("meta", None),
                ("audio", Some("audio/wav")),
            ],
        )
        .unwrap();
        assert_eq!(
            content_type,
            "multipart/form-data; boundary=agent-clients-boundary-0"
        );
        let expected = "--agent-clients-boundary-0\r\n\
            Content-Disposition: form-data; name=\"name\"\r\n\r\na \"b\"\r\n\
            --agent-clients-boundary-0\r\n\
            Content-Disposition: form-data; name=\"count\"\r\n\r\n3\r\n\
            --agent-clients-boundary-0\r\n\
            Content-Disposition: form-data; name=\"tags\"\r\n\r\nx\r\n\
            --agent-clients-boundary-0\r\n\
            Content-Disposition: form-data; name=\"tags\"\r\n\r\ny\r\n\
            --agent-clients-boundary-0\r\n\
            Content-Disposition: form-data; name=\"meta\"\r\n\
            Content-Type: application/json\r\n\r\n{\"k\":1}\r\n\
            --agent-clients-boundary-0\r\n\
            Content-Disposition: form-data; name=\"audio\"; filename=\"a.wav\"\r\n\
            Content-Type: audio/wav\r\n\r\nRIFF\r\n\
            --agent-clients-boundary-0--\r\n";
        assert_eq!(String::from_utf8_lossy(&body), expected);
    }

    #[test]
    fn the_boundary_never_occurs_in_a_part() {
        let body =
            serde_json::json!({"text": "agent-clients-boundary-0 and agent-clients-boundary-1"});
        let (content_type, bytes) = encode(&body, &[]).unwrap();
        assert!(content_type.ends_with("boundary=agent-clients-boundary-2"));
        assert!(String::from_utf8_lossy(&bytes).starts_with("--agent-clients-boundary-2\r\n"));
    }

    #[test]
    fn a_file_outside_a_form_serializes_as_text_and_the_list_is_restored() {
        let file = FilePart::new(&b"abc"[..]);
        assert_eq!(serde_json::to_string(&file).unwrap(), "\"abc\"");
        let (_, files) = with_files(|| serde_json::to_value(&file));
        assert_eq!(files, vec![file.clone()]);
        assert_eq!(serde_json::to_string(&file).unwrap(), "\"abc\"");
    }

    #[test]
    fn a_body_that_is_not_an_object_is_refused() {
        let error = encode(&vec![1, 2], &[]).unwrap_err();
        assert!(error.message.contains("must be an object"), "{error:?}");
    }
}

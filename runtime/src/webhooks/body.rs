//! Reading a verified body: the property that names its event, and the
//! typed event itself.

use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::WebhookError;

/// The string value of the top-level property `field` of a JSON object
/// body, without reading the rest into memory; `None` where the body has
/// no such property or its value is not a string.
pub fn tag(body: &[u8], field: &str) -> Result<Option<String>, WebhookError> {
    let mut reader = serde_json::Deserializer::from_slice(body);
    let found = (&mut reader)
        .deserialize_any(TagVisitor { field })
        .map_err(malformed)?;
    reader.end().map_err(malformed)?;
    Ok(found)
}

/// The body as `T`.
pub fn json<T: DeserializeOwned>(body: &[u8]) -> Result<T, WebhookError> {
    serde_json::from_slice(body).map_err(malformed)
}

/// A verified body that no declared event matches, or whose event the
/// spec gives no way to tell: the events it may be, and the body as JSON.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct UnknownEvent {
    /// The keys of the events the spec declares.
    pub candidates: &'static [&'static str],
    /// The property that names the event, and its value, where the body
    /// has one the spec does not list.
    pub tag: Option<(&'static str, String)>,
    pub body: serde_json::Value,
}

impl UnknownEvent {
    pub fn new(
        body: &[u8],
        candidates: &'static [&'static str],
        tag: Option<(&'static str, String)>,
    ) -> Result<Self, WebhookError> {
        Ok(UnknownEvent {
            candidates,
            tag,
            body: json(body)?,
        })
    }
}

/// serde_json's message says where (line and column) and what it expected,
/// never the body's text.
fn malformed(error: serde_json::Error) -> WebhookError {
    WebhookError::MalformedBody {
        reason: error.to_string(),
    }
}

struct TagVisitor<'a> {
    field: &'a str,
}

impl<'de> Visitor<'de> for TagVisitor<'_> {
    type Value = Option<String>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == self.field && found.is_none() {
                found = map
                    .next_value::<serde_json::Value>()?
                    .as_str()
                    .map(String::from);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tag_is_read_wherever_it_stands() {
        let body = br#"{"data":{"type":"inner"},"type":"email.sent","n":[1,2]}"#;
        assert_eq!(tag(body, "type").unwrap().as_deref(), Some("email.sent"));
        assert_eq!(tag(body, "kind").unwrap(), None);
        assert_eq!(tag(br#"{"type":7}"#, "type").unwrap(), None);
        assert_eq!(tag(b"[1]", "type").unwrap(), None);
        assert!(matches!(
            tag(b"{\"type\":", "type"),
            Err(WebhookError::MalformedBody { .. })
        ));
        assert!(matches!(
            tag(b"{} trailing", "type"),
            Err(WebhookError::MalformedBody { .. })
        ));
    }
}

/// What a receiver answers a delivery: a status, and a body where the spec
/// declares one. Turn it into your framework's response (axum:
/// `(StatusCode::from_u16(answer.status)?, headers, answer.body)`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Answer {
    pub status: u16,
    /// `Content-Type`, where there is a body.
    pub content_type: Option<&'static str>,
    pub body: Vec<u8>,
}

impl Answer {
    /// `status` with `body` as JSON.
    pub fn json<T: serde::Serialize>(status: u16, body: &T) -> Self {
        Answer {
            status,
            content_type: Some("application/json"),
            body: super::to_json(body),
        }
    }

    /// `status`, without a body.
    pub fn empty(status: u16) -> Self {
        Answer {
            status,
            content_type: None,
            body: Vec::new(),
        }
    }
}

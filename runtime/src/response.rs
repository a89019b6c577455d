//! What a call returns: the typed value with its status and headers, or the
//! raw response when it could not be typed.

use std::fmt;
use std::ops::Deref;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// Header names that carry a request id, in the order they are consulted.
const REQUEST_ID_HEADERS: [&str; 3] = ["x-request-id", "request-id", "x-correlation-id"];

/// JSON pointers where bodies carry a request id (Ayra: `meta.request_id`).
const REQUEST_ID_POINTERS: [&str; 3] = ["/meta/request_id", "/request_id", "/error/request_id"];

/// A response exactly as received: status, headers and body bytes.
///
/// Boxed inside, so that results and errors that carry one stay small.
#[derive(Clone)]
pub struct RawResponse(Box<RawParts>);

#[derive(Clone)]
struct RawParts {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    attempts: u32,
}

impl RawResponse {
    /// A response from its parts, for tests and fuzzing of decoding; calls
    /// build theirs from the wire.
    #[doc(hidden)]
    pub fn from_parts(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        RawResponse::new(status, headers, body, 1)
    }

    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: Bytes, attempts: u32) -> Self {
        RawResponse(Box::new(RawParts {
            status,
            headers,
            body,
            attempts,
        }))
    }

    /// The same response with `body` as its body (a streamed body, once
    /// collected).
    pub(crate) fn with_body(mut self, body: Bytes) -> Self {
        self.0.body = body;
        self
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.0.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.0.headers
    }

    /// The body bytes.
    pub fn body(&self) -> &Bytes {
        &self.0.body
    }

    /// The target of the response's `Link` with relation `next` (RFC 8288),
    /// as written: the next page of a list.
    pub fn next_link(&self) -> Option<String> {
        self.0
            .headers
            .get_all(reqwest::header::LINK)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find_map(next_link)
    }

    /// The body as text, with invalid UTF-8 replaced.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.0.body).into_owned()
    }

    /// How many attempts the call took, this response's included.
    pub fn attempts(&self) -> u32 {
        self.0.attempts
    }

    /// The request id the server assigned: an `x-request-id` (or similar)
    /// header, else a `request_id` field in a JSON body.
    pub fn request_id(&self) -> Option<String> {
        request_id(&self.0.headers, &self.0.body)
    }
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.0.status)
            .field("headers", &self.0.headers)
            .field("body", &preview(&self.0.body))
            .field("attempts", &self.0.attempts)
            .finish()
    }
}

/// A body gathered up to a limit. Most bodies arrive as one chunk: that one
/// is kept as is, without a copy; only later chunks are gathered into a
/// buffer.
pub(crate) struct BoundedBody {
    first: Option<Bytes>,
    /// Once used, starts with `first`.
    gathered: Vec<u8>,
    length: usize,
    limit: usize,
    /// The declared length, to size the buffer once.
    expected: Option<u64>,
}

impl BoundedBody {
    pub(crate) fn new(limit: usize, expected: Option<u64>) -> Self {
        BoundedBody {
            first: None,
            gathered: Vec::new(),
            length: 0,
            limit,
            expected,
        }
    }

    /// Adds a chunk; past the limit, the body read so far, cut at it.
    pub(crate) fn push(&mut self, chunk: Bytes) -> Result<(), Bytes> {
        if self.length + chunk.len() > self.limit {
            let mut read = std::mem::take(&mut self.gathered);
            if read.is_empty()
                && let Some(first) = self.first.take()
            {
                read.extend_from_slice(&first);
            }
            read.extend_from_slice(&chunk[..self.limit - self.length]);
            return Err(read.into());
        }
        self.length += chunk.len();
        match &self.first {
            None => self.first = Some(chunk),
            Some(head) => {
                if self.gathered.is_empty() {
                    let expected = self.expected.map_or(0, |l| l as usize);
                    self.gathered.reserve(expected.min(self.limit));
                    self.gathered.extend_from_slice(head);
                }
                self.gathered.extend_from_slice(&chunk);
            }
        }
        Ok(())
    }

    /// The whole body.
    pub(crate) fn finish(self) -> Bytes {
        if self.gathered.is_empty() {
            self.first.unwrap_or_default()
        } else {
            self.gathered.into()
        }
    }
}

/// A successful call: the typed body with the response it came from.
#[derive(Clone)]
pub struct Response<T> {
    value: T,
    raw: RawResponse,
}

impl<T> Response<T> {
    pub(crate) fn new(value: T, raw: RawResponse) -> Self {
        Response { value, raw }
    }

    /// The typed body.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// The typed body and the response it came from.
    pub fn into_parts(self) -> (T, RawResponse) {
        (self.value, self.raw)
    }

    /// The same response with its body changed by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            value: f(self.value),
            raw: self.raw,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.raw.0.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.raw.0.headers
    }

    /// The untyped response, body bytes included (empty while a body is
    /// being streamed).
    pub fn raw(&self) -> &RawResponse {
        &self.raw
    }

    /// The request id the server assigned; see [`RawResponse::request_id`].
    pub fn request_id(&self) -> Option<String> {
        self.raw.request_id()
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: fmt::Debug> fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.raw.0.status)
            .field("value", &self.value)
            .finish_non_exhaustive()
    }
}

pub(crate) fn request_id(headers: &HeaderMap, body: &[u8]) -> Option<String> {
    for name in REQUEST_ID_HEADERS {
        if let Some(value) = headers.get(name).and_then(|value| value.to_str().ok()) {
            return Some(value.to_string());
        }
    }
    let looks_like_object = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if !looks_like_object {
        return None;
    }
    let json: serde_json::Value = serde_json::from_slice(body).ok()?;
    REQUEST_ID_POINTERS
        .iter()
        .find_map(|pointer| json.pointer(pointer)?.as_str().map(String::from))
}

/// The start of a body, for messages: bodies can be large and binary.
pub(crate) fn preview(body: &[u8]) -> String {
    const LIMIT: usize = 512;
    let text = String::from_utf8_lossy(&body[..body.len().min(LIMIT)]);
    if body.len() > LIMIT {
        format!("{text}… ({} bytes)", body.len())
    } else {
        text.into_owned()
    }
}

/// The target of the first link in a `Link` header value whose `rel` (a
/// space-separated list of relation types, quoted or not) has `next`.
pub(crate) fn next_link(value: &str) -> Option<String> {
    let mut rest = value;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let end = after.find('>')?;
        let target = &after[..end];
        let params_end = after[end..].find(", <").map_or(after.len(), |at| end + at);
        let params = &after[end + 1..params_end];
        let is_next = params.split(';').any(|param| {
            let Some((name, value)) = param.split_once('=') else {
                return false;
            };
            name.trim().eq_ignore_ascii_case("rel")
                && value
                    .trim()
                    .trim_matches('"')
                    .split_ascii_whitespace()
                    .any(|rel| rel.eq_ignore_ascii_case("next"))
        });
        if is_next {
            return Some(target.to_string());
        }
        rest = &after[params_end..];
    }
    None
}

#[cfg(test)]
mod link_tests {
    use super::next_link;

    #[test]
    fn the_next_link_is_found_among_others_however_rel_is_written() {
        let github = r#"<https://api.github.com/resource?page=2>; rel="next", <https://api.github.com/resource?page=5>; rel="last""#;
        assert_eq!(
            next_link(github).unwrap(),
            "https://api.github.com/resource?page=2"
        );
        let last_first = r#"<https://a.example/p?page=9>; rel="last", </p?page=3>; rel=next"#;
        assert_eq!(next_link(last_first).unwrap(), "/p?page=3");
        let listed = r#"<https://a.example/x>; title="Next, then"; rel="prefetch next""#;
        assert_eq!(next_link(listed).unwrap(), "https://a.example/x");
        assert_eq!(next_link(r#"<https://a.example/p>; rel="prev""#), None);
        assert_eq!(next_link("garbage"), None);
        assert_eq!(next_link("<unterminated; rel=next"), None);
    }
}

//! Typed mock servers (the `mock` feature): the half of each generated
//! client's `mock` module that is the same for every spec.
//!
//! A generated `mock::MockServer` starts a [`MockServer`] and has one
//! method per operation, returning that operation's expectation builder.
//! The builder's typed setters record what the client would send, by
//! running the client's own request-building statements against a
//! recording [`Request`]: a matcher cannot drift from the client, because
//! it is made by the same code. Its typed `respond_…` methods (and
//! [`Expectation::respond_raw`]) give the answer, and [`Mock`] mounts it,
//! with the number of calls it expects.
//!
//! Backed by wiremock: each expectation is one `wiremock::Mock`, and
//! [`wiremock`] is re-exported for what the typed API does not cover
//! (delays, headers on a response).

use std::convert::Infallible;

use percent_encoding::percent_decode_str;
use reqwest::header::HeaderValue;
use serde::Serialize;
pub use wiremock;
pub use wiremock::{MockGuard, ResponseTemplate, Times};

use super::{Error, Operation, Request};

/// A local HTTP server on 127.0.0.1 that answers as expectations say;
/// point a client at [`MockServer::uri`]. Every expectation's call count is
/// checked when the server is dropped, or earlier with
/// [`MockServer::verify`].
pub struct MockServer {
    server: wiremock::MockServer,
}

impl MockServer {
    /// Starts a server on a free port of 127.0.0.1.
    pub async fn start() -> Self {
        MockServer {
            server: wiremock::MockServer::start().await,
        }
    }

    /// The server's base URL (`http://127.0.0.1:PORT`), to give a client.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// Panics, naming each expectation, unless every mounted expectation
    /// was called as often as it expects.
    pub async fn verify(&self) {
        self.server.verify().await;
    }

    /// Every request the server received, in order.
    pub async fn received_requests(&self) -> Vec<wiremock::Request> {
        self.server.received_requests().await.unwrap_or_default()
    }

    /// The wiremock server underneath, for mocks the typed API does not
    /// describe.
    pub fn wiremock(&self) -> &wiremock::MockServer {
        &self.server
    }

    /// An expectation on `operation`, matching any request to it until
    /// narrowed. Generated code calls this.
    #[doc(hidden)]
    pub fn expect_operation(&self, operation: &'static Operation) -> Expectation<'_> {
        Expectation {
            server: self,
            operation,
            path: Vec::new(),
            request: Request::recording(operation),
        }
    }
}

/// What a request to one operation must carry, being built by a generated
/// builder; a `respond_…` method turns it into a [`Mock`].
#[doc(hidden)]
pub struct Expectation<'a> {
    server: &'a MockServer,
    operation: &'static Operation,
    /// Path parameters narrowed so far: the name in the template and the
    /// text the client puts in the path (encoded).
    path: Vec<(&'static str, String)>,
    /// The headers, query, cookies and body, recorded by the client's own
    /// statements.
    request: Request,
}

impl<'a> Expectation<'a> {
    /// Narrows the path parameter `name` to the text `text` makes, as the
    /// client makes it.
    pub fn path(
        mut self,
        name: &'static str,
        text: impl FnOnce() -> Result<String, Error<Infallible>>,
    ) -> Self {
        match text() {
            Ok(text) => self.path.push((name, text)),
            Err(error) => self.refuse(name, error),
        }
        self
    }

    /// Narrows the request to what `add` adds to it: a header, query or
    /// cookie parameter, or the body, added by the client's own statement.
    pub fn when<R: Recorded>(
        mut self,
        name: &'static str,
        add: impl FnOnce(&mut Request) -> R,
    ) -> Self {
        if let Err(error) = add(&mut self.request).outcome() {
            self.refuse(name, error);
        }
        self
    }

    /// A matcher the client could never meet is a mistake in the test.
    fn refuse(&self, name: &str, error: Error<Infallible>) -> ! {
        panic!(
            "mock of `{}`: `{name}` cannot be matched, the client would not send it: {error}",
            self.operation.operation_id
        )
    }

    /// Answers `status` with `value` as JSON.
    pub fn respond_json<T: Serialize + ?Sized>(self, status: u16, value: &T) -> Mock<'a> {
        let body = serde_json::to_vec(value).unwrap_or_else(|error| {
            panic!(
                "mock of `{}`: the response body does not serialize: {error}",
                self.operation.operation_id
            )
        });
        self.respond_with(template(status).set_body_raw(body, "application/json"))
    }

    /// Answers `status` with `body` as `content_type`.
    pub fn respond_body(
        self,
        status: u16,
        content_type: &str,
        body: impl Into<Vec<u8>>,
    ) -> Mock<'a> {
        self.respond_with(template(status).set_body_raw(body.into(), content_type))
    }

    /// Answers `status` with no body.
    pub fn respond_empty(self, status: u16) -> Mock<'a> {
        self.respond_with(template(status))
    }

    /// Answers any status, documented or not, with `body` and no
    /// `Content-Type`.
    pub fn respond_raw(self, status: u16, body: impl Into<Vec<u8>>) -> Mock<'a> {
        self.respond_with(template(status).set_body_bytes(body.into()))
    }

    /// Answers with a wiremock response: delays, headers, anything.
    pub fn respond_with(self, response: ResponseTemplate) -> Mock<'a> {
        let matcher = Matcher::new(self.operation, &self.path, self.request);
        let name = matcher.describe(self.operation);
        Mock {
            server: self.server,
            mock: wiremock::Mock::given(matcher)
                .respond_with(response)
                .named(name),
        }
    }
}

/// What a request-building statement returns: nothing, or whether the
/// value could be sent.
#[doc(hidden)]
pub trait Recorded {
    fn outcome(self) -> Result<(), Error<Infallible>>;
}

impl Recorded for () {
    fn outcome(self) -> Result<(), Error<Infallible>> {
        Ok(())
    }
}

impl Recorded for Result<(), Error<Infallible>> {
    fn outcome(self) -> Result<(), Error<Infallible>> {
        self
    }
}

/// An operation's expectation builder: the struct, and the answers every
/// operation has (`respond_raw`, `respond_with`). Generated code writes
/// the typed methods beside it.
#[doc(hidden)]
#[macro_export]
macro_rules! __mock_expectation {
    ($name:ident, $doc:literal) => {
        #[doc = $doc]
        pub struct $name<'a>($crate::mock::Expectation<'a>);

        impl<'a> $name<'a> {
            /// Answers any status, documented or not, with `body` as it is
            /// and no `Content-Type`.
            pub fn respond_raw(
                self,
                status: u16,
                body: impl Into<Vec<u8>>,
            ) -> $crate::mock::Mock<'a> {
                self.0.respond_raw(status, body)
            }

            /// Answers with a wiremock response: delays, headers, anything.
            pub fn respond_with(
                self,
                response: $crate::mock::ResponseTemplate,
            ) -> $crate::mock::Mock<'a> {
                self.0.respond_with(response)
            }
        }
    };
}

#[doc(hidden)]
pub use crate::__mock_expectation as expectation;

/// A response template of `status`, which must be a valid HTTP status.
fn template(status: u16) -> ResponseTemplate {
    assert!(
        (100..=999).contains(&status),
        "mock: {status} is not an HTTP status"
    );
    ResponseTemplate::new(status)
}

/// An expectation with its answer, ready to mount.
#[must_use = "an expectation does nothing until it is mounted"]
pub struct Mock<'a> {
    server: &'a MockServer,
    mock: wiremock::Mock,
}

impl Mock<'_> {
    /// How many matching calls the test expects: `1`, `2..`, `..=3`. It is
    /// checked when the server is dropped or verified.
    pub fn expect(mut self, times: impl Into<Times>) -> Self {
        self.mock = self.mock.expect(times);
        self
    }

    /// Answers at most `n` calls; later ones go to the next matching
    /// expectation (a first attempt failing, a retry succeeding).
    pub fn up_to_n_times(mut self, n: u64) -> Self {
        self.mock = self.mock.up_to_n_times(n);
        self
    }

    /// Names the expectation in the server's reports.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.mock = self.mock.named(name);
        self
    }

    /// Mounts the expectation for as long as the server runs.
    pub async fn mount(self) {
        self.mock.mount(&self.server.server).await;
    }

    /// Mounts the expectation until the guard is dropped, when its call
    /// count is checked.
    pub async fn mount_as_scoped(self) -> MockGuard {
        self.mock.mount_as_scoped(&self.server.server).await
    }
}

/// What a request must carry to match an expectation.
struct Matcher {
    method: reqwest::Method,
    /// The path template as pieces; a parameter is matched by its decoded
    /// text, so `%2f` and `%2F` are one value.
    pieces: Vec<Piece>,
    /// Each query name narrowed, and its values in order.
    query: Vec<(String, Vec<String>)>,
    headers: Vec<(&'static str, HeaderValue)>,
    /// `name=value` as the client writes it in `Cookie`.
    cookies: Vec<String>,
    body: Option<Body>,
}

enum Piece {
    Literal(String),
    /// A parameter: its name, and its decoded text where narrowed.
    Param(String, Option<String>),
}

enum Body {
    /// Compared as JSON values: key order and spacing do not matter.
    Json(serde_json::Value),
    Bytes(bytes::Bytes),
}

impl Matcher {
    fn new(operation: &Operation, path: &[(&'static str, String)], request: Request) -> Self {
        let pieces = template_pieces(operation.path_template, |name| {
            path.iter()
                .rev()
                .find(|(param, _)| *param == name)
                .map(|(_, text)| decode(text))
        });
        let mut query: Vec<(String, Vec<String>)> = Vec::new();
        for (name, value) in request.query {
            match query.iter_mut().find(|(seen, _)| *seen == name) {
                Some((_, values)) => values.push(value),
                None => query.push((name.into_owned(), vec![value])),
            }
        }
        let body = request.body.map(
            |(content_type, bytes)| match serde_json::from_slice(&bytes) {
                Ok(value) if content_type.contains("json") => Body::Json(value),
                _ => Body::Bytes(bytes),
            },
        );
        Matcher {
            method: operation.method.clone(),
            pieces,
            query,
            headers: request.headers,
            cookies: request.cookies,
            body,
        }
    }

    /// `updateAgent (PATCH /v1/agents/{agentId}) where agentId, body`.
    fn describe(&self, operation: &Operation) -> String {
        let mut narrowed: Vec<String> = self
            .pieces
            .iter()
            .filter_map(|piece| match piece {
                Piece::Param(name, Some(_)) => Some(name.clone()),
                _ => None,
            })
            .collect();
        narrowed.extend(self.query.iter().map(|(name, _)| name.clone()));
        narrowed.extend(self.headers.iter().map(|(name, _)| name.to_string()));
        narrowed.extend(
            self.cookies
                .iter()
                .map(|cookie| cookie.split('=').next().unwrap_or_default().to_string()),
        );
        if self.body.is_some() {
            narrowed.push("body".to_string());
        }
        let mut name = format!(
            "{} ({} {})",
            operation.operation_id, operation.method, operation.path_template
        );
        if !narrowed.is_empty() {
            name.push_str(" where ");
            name.push_str(&narrowed.join(", "));
        }
        name
    }

    fn path_matches(&self, path: &str) -> bool {
        matches_pieces(&self.pieces, path)
    }

    fn query_matches(&self, request: &wiremock::Request) -> bool {
        self.query.iter().all(|(name, values)| {
            let sent: Vec<String> = request
                .url
                .query_pairs()
                .filter(|(key, _)| key == name)
                .map(|(_, value)| value.into_owned())
                .collect();
            sent == *values
        })
    }

    fn headers_match(&self, request: &wiremock::Request) -> bool {
        self.headers.iter().all(|(name, value)| {
            request
                .headers
                .get_all(*name)
                .iter()
                .any(|sent| sent == value)
        })
    }

    fn cookies_match(&self, request: &wiremock::Request) -> bool {
        let sent: Vec<&str> = request
            .headers
            .get_all("cookie")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';').map(str::trim))
            .collect();
        self.cookies
            .iter()
            .all(|cookie| sent.contains(&cookie.as_str()))
    }

    fn body_matches(&self, request: &wiremock::Request) -> bool {
        match &self.body {
            None => true,
            Some(Body::Json(value)) => {
                serde_json::from_slice::<serde_json::Value>(&request.body)
                    .ok()
                    .as_ref()
                    == Some(value)
            }
            Some(Body::Bytes(bytes)) => request.body == bytes.as_ref(),
        }
    }
}

impl wiremock::Match for Matcher {
    fn matches(&self, request: &wiremock::Request) -> bool {
        request.method == self.method
            && self.path_matches(request.url.path())
            && self.query_matches(request)
            && self.headers_match(request)
            && self.cookies_match(request)
            && self.body_matches(request)
    }
}

/// The pieces of a path template; `narrowed` gives a parameter's expected
/// text by its name.
fn template_pieces(template: &str, narrowed: impl Fn(&str) -> Option<String>) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        if open > 0 {
            pieces.push(Piece::Literal(rest[..open].to_string()));
        }
        let name = &rest[open + 1..open + close];
        pieces.push(Piece::Param(name.to_string(), narrowed(name)));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Literal(rest.to_string()));
    }
    pieces
}

/// Whether `path` (as received, encoded) fits `pieces`. A parameter takes
/// the text up to the next literal that lets the rest match, never a `/`;
/// the text is compared decoded.
fn matches_pieces(pieces: &[Piece], path: &str) -> bool {
    let Some((first, rest)) = pieces.split_first() else {
        return path.is_empty();
    };
    match first {
        Piece::Literal(literal) => path
            .strip_prefix(literal.as_str())
            .is_some_and(|after| matches_pieces(rest, after)),
        Piece::Param(_, expected) => {
            let segment_end = path.find('/').unwrap_or(path.len());
            (0..=segment_end).rev().any(|end| {
                let value = &path[..end];
                expected.as_ref().is_none_or(|text| decode(value) == *text)
                    && matches_pieces(rest, &path[end..])
            })
        }
    }
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(template: &str, narrowed: &[(&str, &str)]) -> Vec<Piece> {
        template_pieces(template, |name| {
            narrowed
                .iter()
                .find(|(param, _)| *param == name)
                .map(|(_, text)| text.to_string())
        })
    }

    #[test]
    fn a_parameter_matches_one_segment_compared_decoded() {
        let any = pieces("/v1/agents/{id}/status", &[]);
        assert!(matches_pieces(&any, "/v1/agents/a1/status"));
        assert!(!matches_pieces(&any, "/v1/agents/a/b/status"));
        assert!(!matches_pieces(&any, "/v1/agents/a1"));
        let narrowed = pieces("/v1/agents/{id}/status", &[("id", "a b/c")]);
        assert!(matches_pieces(&narrowed, "/v1/agents/a%20b%2Fc/status"));
        assert!(matches_pieces(&narrowed, "/v1/agents/a%20b%2fc/status"));
        assert!(!matches_pieces(&narrowed, "/v1/agents/a1/status"));
    }

    #[test]
    fn parameters_inside_one_segment_are_split_where_the_rest_fits() {
        let file = pieces("/files/{name}.{ext}", &[("ext", "tar.gz")]);
        assert!(matches_pieces(&file, "/files/report.tar.gz"));
        assert!(!matches_pieces(&file, "/files/report.zip"));
    }
}

//! The small hand-written runtime every generated client stands on: base URL
//! handling, credentials, request building, retries, and response decoding.
//! Its own crate, so that generated code can live outside this workspace;
//! `agent-clients` re-exports it as `agent_clients::runtime`.
//!
//! Generated code calls the `#[doc(hidden)]` items here; users see
//! [`ClientConfig`], [`CallOptions`], [`RetryPolicy`], [`RedirectPolicy`],
//! [`Secret`], [`OAuth2`], [`Response`], [`RawResponse`], [`Error`],
//! [`TokenError`] and [`ConfigError`].

mod auth;
#[doc(hidden)]
pub mod check;
mod config;
mod error;
mod hooks;
#[cfg(feature = "mock")]
pub mod mock;
mod multipart;
mod nullable;
mod oauth2;
mod open;
mod options;
mod pages;
pub mod params;
#[doc(hidden)]
pub mod read;
mod redirect;
mod response;
mod retry;
mod secret;
mod stream;
#[cfg(feature = "webhooks")]
pub mod webhooks;

use std::borrow::Cow;
use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::HeaderValue;
use serde::Serialize;
use serde::de::DeserializeOwned;

#[doc(hidden)]
pub use auth::AuthScheme;
pub use bytes::Bytes;
pub use check::Validate;
pub use config::{ClientConfig, HttpCustomizer, RedirectPolicy, RetryPolicy};
pub use error::{ConfigError, Error, InvalidRequest};
pub use hooks::{AttemptInfo, AttemptRequest, Hook, Hooks, Outcome};
pub use multipart::FilePart;
pub use nullable::Nullable;
pub use oauth2::{OAuth2, TokenError};
pub use open::Open;
#[doc(hidden)]
pub use open::string_enum;
pub use options::{CallOptions, IDEMPOTENCY_KEY_HEADER};
pub use pages::{Page, Pages};
pub use redirect::RedirectRefused;
pub use reqwest::header::HeaderMap;
pub use reqwest::{Method, StatusCode};
pub use response::{RawResponse, Response};
#[doc(hidden)]
pub use retry::Sent;
pub use secret::Secret;
pub use stream::{ByteStream, StreamError};
#[cfg(feature = "sse")]
pub use stream::{Event, EventStream};

/// Characters left as they are in a path segment: RFC 3986 "unreserved".
/// Everything else, `/` and `?` included, is percent-encoded, so an id can
/// never change the path it is put in.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path parameter.
#[doc(hidden)]
pub fn encode_path(value: &str) -> String {
    utf8_percent_encode(value, PATH_SEGMENT).to_string()
}

/// Static facts about one operation, emitted by the generator.
#[doc(hidden)]
pub struct Operation {
    /// The spec's operationId.
    pub operation_id: &'static str,
    pub method: Method,
    /// The path as templated in the spec, for logs and spans.
    pub path_template: &'static str,
    /// The `Accept` header: the response media types the spec documents
    /// (checked by the generator to be valid header text).
    pub accept: &'static str,
    /// The operation's security alternatives: each lists indexes of the
    /// client's credentials, and any one alternative suffices.
    pub security: &'static [&'static [usize]],
    /// Repeating the request is safe, so a failure may be retried: its
    /// method is idempotent by RFC 9110 (`GET`, `HEAD`, `OPTIONS`, `TRACE`,
    /// `PUT`, `DELETE`), or the spec marks it `x-agent-clients-idempotent`.
    pub idempotent: bool,
}

/// The shared state of a generated client.
#[doc(hidden)]
#[derive(Clone)]
pub struct Runtime {
    http: reqwest::Client,
    base_url: String,
    credentials: auth::Credentials,
    retry: RetryPolicy,
    redirect: RedirectPolicy,
    max_response_bytes: usize,
    hooks: Hooks,
    /// What this handle's calls change ([`Runtime::with_options`]); empty
    /// for the client itself.
    call: CallOptions,
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Which credentials are held, never their values.
        f.debug_struct("Runtime")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials.held())
            .field("retry", &self.retry)
            .field("redirect", &self.redirect)
            .field("call", &self.call)
            .finish_non_exhaustive()
    }
}

/// With `tls-ring`, the client gets a rustls configuration with the ring
/// provider and the platform's certificate verifier: passed to this client
/// only, nothing installed process-wide (`CryptoProvider::install_default`
/// would change every other rustls user in the program).
#[cfg(feature = "tls-ring")]
fn with_tls(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, ConfigError> {
    use rustls_platform_verifier::BuilderVerifierExt;
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|builder| builder.with_platform_verifier())
        .map_err(|error| ConfigError::Tls(error.to_string()))?
        .with_no_client_auth();
    Ok(builder.tls_backend_preconfigured(tls))
}

/// Without `tls-ring`, reqwest's own TLS (aws-lc-rs with `tls-aws-lc`).
#[cfg(not(feature = "tls-ring"))]
fn with_tls(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, ConfigError> {
    Ok(builder)
}

impl Runtime {
    /// Validates the base URL, prepares the credentials (one per scheme;
    /// `None` where the client was built without it) and builds the HTTP
    /// client.
    pub fn new(
        base_url: &str,
        credentials: Vec<(AuthScheme, Option<Secret>)>,
        config: ClientConfig,
    ) -> Result<Self, ConfigError> {
        let base_url = normalise_base_url(base_url)?;
        // Without a TLS feature an `https://` client could only fail, at
        // its first request; say so where it is built.
        if cfg!(not(any(feature = "tls-aws-lc", feature = "tls-ring")))
            && base_url.starts_with("https:")
        {
            return Err(ConfigError::Tls(
                "an https:// base URL needs a TLS feature of agent-clients: \
                 `tls-aws-lc` (default) or `tls-ring`"
                    .into(),
            ));
        }
        let credentials = auth::Credentials::new(credentials)?;
        let builder = with_tls(
            reqwest::Client::builder()
                .timeout(config.timeout)
                .connect_timeout(config.connect_timeout)
                .user_agent(config.user_agent),
        )?;
        let builder = match &config.customize_http {
            Some(customize) => (customize.0)(builder),
            None => builder,
        };
        // Last, so that no customisation can undo it: the runtime follows
        // redirects itself (`redirect.rs`), reqwest follows none.
        let http = builder
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(ConfigError::Http)?;
        Ok(Runtime {
            http,
            base_url,
            credentials,
            retry: config.retry,
            redirect: config.redirect,
            max_response_bytes: config.max_response_bytes,
            hooks: config.hooks,
            call: CallOptions::default(),
        })
    }

    /// A handle to the same client (connections, credentials) whose calls
    /// use `options` too, on top of this handle's own.
    pub fn with_options(&self, options: CallOptions) -> Runtime {
        Runtime {
            call: self.call.merged(options),
            ..self.clone()
        }
    }

    /// Sets credential `index` (a `with_*` method of a generated client).
    pub fn set_credential(&mut self, index: usize, secret: Secret) -> Result<(), ConfigError> {
        self.credentials.set(index, secret)
    }

    /// Makes credential `index` (a bearer token) come from `flow` (the
    /// `with_client_credentials`-style methods of a generated client).
    pub fn set_token_source(&mut self, index: usize, flow: OAuth2) -> Result<(), ConfigError> {
        let source = oauth2::TokenSource::new(flow, &self.base_url)?;
        self.credentials.set_token_source(index, source)
    }

    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Starts a request to `path` (already expanded and encoded).
    pub fn request(&self, operation: &'static Operation, path: String) -> Request {
        Request {
            operation,
            url: format!("{}{}", self.base_url, path),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            link: false,
            idempotency_header: None,
        }
    }

    /// Sends a request, retrying as the policy allows, and returns the final
    /// response whatever its status.
    pub async fn send<E>(&self, request: Request) -> Result<RawResponse, Error<E>> {
        match retry::send(self, request, |_| false).await? {
            Sent::Buffered(response) => Ok(response),
            // Nothing streams here; were it to, the body is read whole.
            Sent::Streaming(response) => Ok(response.collect().await?.into_parts().1),
        }
    }

    /// Sends a request like [`Runtime::send`], but a response whose status
    /// `streams` accepts (the operation's successes) comes back with its
    /// body unread, to be read as it arrives.
    ///
    /// The stream of an operation that is safe to repeat keeps what it
    /// takes to send the request again, so that an `EventStream` read
    /// from it can resume after a drop.
    pub async fn send_streaming<E>(
        &self,
        request: Request,
        streams: fn(u16) -> bool,
    ) -> Result<Sent, Error<E>> {
        let resume = (cfg!(feature = "sse") && request.operation.idempotent).then(|| {
            Box::new(stream::Resume {
                runtime: self.clone(),
                request: request.clone(),
                streams,
            })
        });
        match retry::send(self, request, streams).await? {
            Sent::Streaming(response) => {
                Ok(Sent::Streaming(response.map(|body| body.resumable(resume))))
            }
            buffered => Ok(buffered),
        }
    }

    /// The retry policy this handle's calls follow.
    pub(crate) fn retry_policy(&self) -> &RetryPolicy {
        self.call.retry.as_ref().unwrap_or(&self.retry)
    }
}

/// A request being assembled by generated code. Cloned only to send it
/// again: a resumed event stream.
#[doc(hidden)]
#[derive(Clone)]
pub struct Request {
    operation: &'static Operation,
    url: String,
    /// Names are owned when a style makes them (`name[key]`, an exploded
    /// object's keys).
    query: Vec<(Cow<'static, str>, String)>,
    headers: Vec<(&'static str, HeaderValue)>,
    /// Cookie parameters as `name=value`, value percent-encoded.
    cookies: Vec<String>,
    /// The content type (owned for a multipart boundary) and the bytes.
    body: Option<(Cow<'static, str>, bytes::Bytes)>,
    /// The URL is a server's `Link` (its own query included), not ours.
    link: bool,
    /// The header the operation takes an idempotency key in
    /// ([`Request::idempotency_key`]).
    idempotency_header: Option<&'static str>,
}

impl Request {
    /// A request that is never sent: a mock records in it what the client's
    /// statements add.
    #[cfg(feature = "mock")]
    fn recording(operation: &'static Operation) -> Request {
        Request {
            operation,
            url: String::new(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            link: false,
            idempotency_header: None,
        }
    }

    /// The same request, sent to the URL a response's `Link: <…>;
    /// rel="next"` named (resolved against the base URL), with that URL's
    /// own query instead of the query parameters: the next page of a list.
    /// A link to another origin is refused before anything is sent, so no
    /// credential leaves the API's origin.
    pub fn at_link<E>(mut self, runtime: &Runtime, link: &str) -> Result<Request, Error<E>> {
        let refuse = |why: String| Error::invalid("Link", "same origin", why);
        let base = reqwest::Url::parse(&runtime.base_url)
            .map_err(|error| refuse(format!("the base URL does not parse: {error}")))?;
        // `join` drops the base path's last segment unless it ends in `/`.
        let base = reqwest::Url::parse(&format!("{}/", runtime.base_url)).unwrap_or(base);
        let next = base.join(link).map_err(|error| {
            refuse(format!(
                "the next page's link `{link}` does not parse: {error}"
            ))
        })?;
        if next.origin() != base.origin() {
            return Err(refuse(format!(
                "the next page's link points at another origin ({}); it is not followed, so no \
                 credential leaves {}",
                next.origin().ascii_serialization(),
                base.origin().ascii_serialization()
            )));
        }
        self.url = next.into();
        self.query.clear();
        self.link = true;
        Ok(self)
    }

    /// Adds a header parameter. A value that is not a valid header value is
    /// refused before sending.
    pub fn header<E>(&mut self, name: &'static str, value: &str) -> Result<(), Error<E>> {
        let value = HeaderValue::from_str(value).map_err(|_| {
            Error::invalid(
                name,
                "header value",
                "contains characters an HTTP header value cannot carry",
            )
        })?;
        self.headers.push((name, value));
        Ok(())
    }

    /// The operation takes an idempotency key in header `name`: the one a
    /// header parameter of that name gives, else the call options' key,
    /// else a fresh UUIDv4. It is chosen once per call, so every retry
    /// sends the same key, and the call is retried like an idempotent one.
    pub fn idempotency_key(&mut self, name: &'static str) {
        self.idempotency_header = Some(name);
    }

    /// Adds a cookie parameter. Bytes a cookie value cannot carry (RFC 6265
    /// cookie-octet: no controls, whitespace, `"`, `;` or `\\`) and `%` are
    /// percent-encoded. The comma is kept: it is how OpenAPI's `form` style
    /// joins a list in a cookie (`id=3,4,5`).
    pub fn cookie(&mut self, name: &'static str, value: &str) {
        const NOT_COOKIE_OCTET: &AsciiSet = &percent_encoding::CONTROLS
            .add(b' ')
            .add(b'"')
            .add(b';')
            .add(b'\\')
            .add(b'%');
        let value = utf8_percent_encode(value, NOT_COOKIE_OCTET);
        self.cookies.push(format!("{name}={value}"));
    }

    /// Adds a query parameter.
    pub fn query(&mut self, name: &'static str, value: String) {
        self.query.push((Cow::Borrowed(name), value));
    }

    /// Adds a query parameter of any type, laid out as `style` and `explode`
    /// say ([`params::query_pairs`]).
    pub fn query_value<E, T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        style: params::Style,
        explode: bool,
    ) -> Result<(), Error<E>> {
        self.query
            .extend(params::query_pairs(name, value, style, explode)?);
        Ok(())
    }

    /// Sets the JSON body.
    pub fn json<E, T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error<E>> {
        let bytes = serde_json::to_vec(body)
            .map_err(|error| Error::invalid("body", "JSON", error.to_string()))?;
        self.body = Some((Cow::Borrowed("application/json"), bytes.into()));
        Ok(())
    }

    /// Sets an `application/x-www-form-urlencoded` body: the value's fields
    /// as form pairs (OpenAPI's default `form` style, exploded).
    pub fn form<E, T: Serialize + ?Sized>(
        &mut self,
        content_type: &'static str,
        body: &T,
    ) -> Result<(), Error<E>> {
        let pairs = params::query_pairs("body", body, params::Style::Form, true)?;
        let encoded = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs.iter().map(|(name, value)| (&**name, value.as_str())))
            .finish();
        self.body = Some((Cow::Borrowed(content_type), encoded.into()));
        Ok(())
    }

    /// Sets a `multipart/form-data` body ([`multipart::encode`]).
    pub fn multipart<E, T: Serialize + ?Sized>(
        &mut self,
        body: &T,
        properties: &[(&str, Option<&str>)],
    ) -> Result<(), Error<E>> {
        let (content_type, bytes) = multipart::encode(body, properties)?;
        self.body = Some((Cow::Owned(content_type), bytes));
        Ok(())
    }

    /// Sets a body sent as it is (bytes, or text as its UTF-8).
    pub fn bytes(&mut self, content_type: &'static str, body: impl Into<bytes::Bytes>) {
        self.body = Some((Cow::Borrowed(content_type), body.into()));
    }
}

/// Decoding helpers for generated `match` arms.
impl RawResponse {
    /// Decodes a success body.
    #[doc(hidden)]
    pub fn decode<T: DeserializeOwned, E>(self) -> Result<Response<T>, Error<E>> {
        match serde_json::from_slice(self.body()) {
            Ok(value) => Ok(Response::new(value, self)),
            Err(source) => Err(Error::Decode {
                response: self,
                source,
            }),
        }
    }

    /// Decodes a success body into its variant of the success enum.
    #[doc(hidden)]
    pub fn decode_into<T: DeserializeOwned, U, E>(
        self,
        variant: impl FnOnce(T) -> U,
    ) -> Result<Response<U>, Error<E>> {
        self.decode::<T, E>().map(|response| response.map(variant))
    }

    /// A bodiless success as its variant of the success enum.
    #[doc(hidden)]
    pub fn empty_as<U, E>(self, variant: U) -> Result<Response<U>, Error<E>> {
        Ok(Response::new(variant, self))
    }

    /// A byte body as its variant of the success enum.
    #[doc(hidden)]
    pub fn bytes_into<U, E>(
        self,
        variant: impl FnOnce(Bytes) -> U,
    ) -> Result<Response<U>, Error<E>> {
        self.bytes::<E>().map(|response| response.map(variant))
    }

    /// A success without a documented body; whatever came is kept in `raw()`.
    #[doc(hidden)]
    pub fn empty<E>(self) -> Result<Response<()>, Error<E>> {
        Ok(Response::new((), self))
    }

    /// A success the spec gives no body for: the body bytes as received.
    #[doc(hidden)]
    pub fn bytes<E>(self) -> Result<Response<Bytes>, Error<E>> {
        let body = self.body().clone();
        Ok(Response::new(body, self))
    }

    /// A `text/*` success body as a string (invalid UTF-8 replaced; the
    /// bytes as sent stay in `raw()`).
    #[doc(hidden)]
    pub fn text<E>(self) -> Result<Response<String>, Error<E>> {
        let text = self.body_text();
        Ok(Response::new(text, self))
    }

    /// A text body as its variant of the success enum.
    #[doc(hidden)]
    pub fn text_into<U, E>(
        self,
        variant: impl FnOnce(String) -> U,
    ) -> Result<Response<U>, Error<E>> {
        self.text::<E>().map(|response| response.map(variant))
    }

    /// Decodes a documented error body into the operation's error enum.
    #[doc(hidden)]
    pub fn api_error<E>(
        self,
        decode: impl FnOnce(&[u8]) -> Result<E, serde_json::Error>,
    ) -> Error<E> {
        match decode(self.body()) {
            Ok(body) => Error::Api {
                body: Box::new(body),
                response: self,
            },
            Err(source) => Error::Decode {
                response: self,
                source,
            },
        }
    }

    /// A documented error status: its body decoded as the type the status
    /// documents, in the operation's error enum through `variant`
    /// (`GetAgentError::NotFound`). A function pointer, not a closure per
    /// status: what generated code calls costs less to compile (#34).
    #[doc(hidden)]
    pub fn error_body<T: serde::de::DeserializeOwned, E>(self, variant: fn(T) -> E) -> Error<E> {
        self.api_error(|body| serde_json::from_slice(body).map(variant))
    }

    /// A documented error status without a documented body: its variant.
    #[doc(hidden)]
    pub fn error_status<E>(self, variant: E) -> Error<E> {
        self.api_error(|_| Ok(variant))
    }

    /// A status the spec does not document.
    #[doc(hidden)]
    pub fn unexpected<E>(self) -> Error<E> {
        Error::UnexpectedStatus(self)
    }
}

fn normalise_base_url(base_url: &str) -> Result<String, ConfigError> {
    let refuse = |reason: &str| ConfigError::BaseUrl {
        url: base_url.to_string(),
        reason: reason.to_string(),
    };
    let url = reqwest::Url::parse(base_url).map_err(|error| refuse(&error.to_string()))?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(refuse("the scheme must be http or https"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(refuse("a base URL cannot have a query or fragment"));
    }
    if url.cannot_be_a_base() || url.host().is_none() {
        return Err(refuse("the URL has no host"));
    }
    // Operation paths start with `/`; a base ending in `/` would give `//`.
    Ok(url.as_str().trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With `tls-ring` (alone in CI: `cargo test -p agent-clients-runtime
    /// --no-default-features --features tls-ring --lib`, so no aws-lc-rs
    /// is there to fall back on), the client the runtime builds speaks TLS
    /// with ring. Without the provider the runtime passes, reqwest would
    /// panic building it ("No rustls crypto provider is configured").
    #[cfg(feature = "tls-ring")]
    #[tokio::test]
    async fn https_requests_speak_tls_with_the_ring_provider() {
        use std::io::Read;
        // A server that reads the first bytes of the connection, then hangs up.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut first = [0u8; 3];
            stream.read_exact(&mut first).unwrap();
            first
        });
        static OPERATION: Operation = Operation {
            operation_id: "probe",
            method: Method::GET,
            path_template: "/probe",
            accept: "*/*",
            security: &[],
            idempotent: true,
        };
        let config = ClientConfig::default().retry(RetryPolicy::disabled());
        let runtime = Runtime::new(&format!("https://127.0.0.1:{port}"), vec![], config).unwrap();
        let request = runtime.request(&OPERATION, "/probe".into());
        let error = runtime.send::<()>(request).await.unwrap_err();
        assert!(matches!(error, Error::Transport { .. }), "{error:?}");
        // A TLS handshake record (0x16) of TLS 1.x (0x03): the ClientHello.
        let first = server.join().unwrap();
        assert_eq!(first[0..2], [0x16, 0x03], "{first:?}");
    }

    #[test]
    fn base_urls_lose_their_trailing_slash() {
        assert_eq!(
            normalise_base_url("http://127.0.0.1:8080/").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            normalise_base_url("https://a.example/v2//").unwrap(),
            "https://a.example/v2"
        );
        assert_eq!(
            normalise_base_url("https://a.example").unwrap(),
            "https://a.example"
        );
        assert!(normalise_base_url("ftp://a.example").is_err());
        assert!(normalise_base_url("https://a.example/?q=1").is_err());
        assert!(normalise_base_url("not a url").is_err());
    }

    #[test]
    fn path_parameters_cannot_escape_their_segment() {
        assert_eq!(encode_path("a/b?c#d e"), "a%2Fb%3Fc%23d%20e");
        assert_eq!(encode_path("agent_abc-1.2~"), "agent_abc-1.2~");
        assert_eq!(encode_path("ünï"), "%C3%BCn%C3%AF");
    }
}

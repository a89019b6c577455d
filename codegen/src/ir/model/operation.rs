//! The model's vocabulary: an operation with its typed method, parsed path
//! template, parameters, bodies, responses and the one signature of its
//! method (`Operation::arguments`).

use super::*;
use crate::ir::TypeId;

#[derive(Debug, Clone)]
pub struct Operation {
    /// The spec's operationId, or the method name where it gives none.
    pub operation_id: String,
    /// Whether the spec gives an operationId (docs cite it only then).
    pub has_operation_id: bool,
    pub fn_name: String,
    /// PascalCase stem for types derived from this operation.
    pub type_stem: String,
    /// The operation's first tag, which groups it in the client.
    pub tag: Option<String>,
    pub method: HttpMethod,
    /// The path as the spec writes it (docs, pointers, the runtime's spans).
    pub path: String,
    pub template: PathTemplate,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub params: Vec<Param>,
    /// The `Content-Type` a request without a body carries: the one value
    /// a required `Content-Type` header parameter pins (a one-value `enum`,
    /// or its `default`). OpenAPI says to ignore such a parameter, and it
    /// is no argument; but servers that document one (PagerDuty's on every
    /// operation) refuse a request without it, and nothing else sends it.
    pub bodiless_content_type: Option<String>,
    pub body: Option<Body>,
    /// The other media types the request body may be sent as, each its own
    /// method, so the caller picks.
    pub alternatives: Vec<Alternative>,
    /// The documented 2xx responses (exact statuses, then a `2XX` range).
    pub successes: Vec<SuccessCase>,
    /// No 2xx response is documented (dropshot writes `responses: {}` for
    /// free-form ones; others document only `default`, or a `101`): the
    /// method returns the body bytes of any status below 400 that no error
    /// case claims, instead of the operation being refused.
    pub raw_success: bool,
    /// The method that streams a `Bytes` success body as it arrives
    /// (`{fn_name}_stream`, numbered past any other method's name).
    pub stream_fn: Option<String>,
    /// How the pages of a list follow each other, where the spec or its
    /// overlay says ([`super::pagination`]).
    pub pagination: Option<super::Pagination>,
    /// The `Accept` header: the documented response media types, in order,
    /// or `application/json` when none is documented.
    pub accept: String,
    pub errors: Vec<ErrorCase>,
    /// The security alternatives, each a list of indexes into
    /// [`Api::credentials`]; any one suffices. Empty: none needed.
    pub security: Vec<Vec<usize>>,
    /// Repeating the request is safe, so the runtime may retry it: the
    /// method is idempotent ([`HttpMethod::is_idempotent`]), or the spec
    /// marks the operation with [`IDEMPOTENT_EXTENSION`].
    pub idempotent: bool,
    /// The header (lowercase) the operation takes an idempotency key in:
    /// a declared header parameter named `Idempotency-Key` (or ending so:
    /// `X-Idempotency-Key`), or the one an overlay names with
    /// [`IDEMPOTENCY_HEADER_EXTENSION`]. The runtime sends a fresh key per
    /// call where the caller gives none, and retries the call like an
    /// idempotent one.
    pub idempotency_header: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    Path,
    Header,
    Query,
    Cookie,
}

impl ParamLocation {
    /// As the spec's `in` writes it.
    pub fn name(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Header => "header",
            ParamLocation::Query => "query",
            ParamLocation::Cookie => "cookie",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamKind {
    String,
    Uuid,
    Integer,
    Number,
    Boolean,
    /// Any other schema (an enum of `oneOf`s, an array, an object, ...):
    /// its type, serialized by `style` and `explode`.
    Typed(TypeId),
}

/// How a parameter value is laid out (OpenAPI's `style`); the runtime's
/// `params::Style` has a variant of the same name for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
    Simple,
    Label,
    Matrix,
}

impl ParamStyle {
    pub fn name(self) -> &'static str {
        match self {
            ParamStyle::Form => "Form",
            ParamStyle::SpaceDelimited => "SpaceDelimited",
            ParamStyle::PipeDelimited => "PipeDelimited",
            ParamStyle::DeepObject => "DeepObject",
            ParamStyle::Simple => "Simple",
            ParamStyle::Label => "Label",
            ParamStyle::Matrix => "Matrix",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub rust_name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub kind: ParamKind,
    pub style: ParamStyle,
    /// OpenAPI's `explode`, defaulted as the spec says (true for `form`).
    pub explode: bool,
    /// Described by `content` (a JSON media type) rather than `schema`: the
    /// value is sent as its JSON text, whatever `style` would say.
    pub json: bool,
    pub description: Option<String>,
    /// The parameter's schema as written (a `$ref` or inline), for
    /// [`crate::driver::sample`].
    pub schema: Value,
}

/// A media type the request body may also be sent as, and the method that
/// sends it.
#[derive(Debug, Clone)]
pub struct Alternative {
    /// `{fn_name}_{kind}` (`_form`, `_multipart`, `_text`, ...), or the
    /// media subtype where the kind is taken (`_x_markdown`).
    pub fn_name: String,
    pub body: Body,
}

#[derive(Debug, Clone)]
pub struct Body {
    pub required: bool,
    /// The media type sent as `Content-Type`.
    pub media_type: String,
    pub kind: BodyKind,
}

/// How a request body is given and sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyKind {
    /// JSON of type `ty`.
    Json { ty: TypeId },
    /// `application/x-www-form-urlencoded`: the type's fields as form pairs.
    Form { ty: TypeId },
    /// `multipart/form-data`: the type's properties as parts, in `parts`
    /// order; its file properties are `FilePart`s.
    Multipart {
        ty: TypeId,
        parts: Vec<crate::ir::multipart::Part>,
    },
    /// `text/*`: a string, sent as it is.
    Text,
    /// Any other media type (`application/octet-stream`, audio, ...): bytes.
    Bytes,
}

impl BodyKind {
    /// What kind of body it is, in a word (`json`, `form`, `multipart`,
    /// `text`, `bytes`): how an alternative's method is named.
    pub fn label(&self) -> &'static str {
        match self {
            BodyKind::Json { .. } => "json",
            BodyKind::Form { .. } => "form",
            BodyKind::Multipart { .. } => "multipart",
            BodyKind::Text => "text",
            BodyKind::Bytes => "bytes",
        }
    }
}

impl Body {
    /// The type of a JSON, form or multipart body.
    pub fn ty(&self) -> Option<TypeId> {
        match &self.kind {
            BodyKind::Json { ty } | BodyKind::Form { ty } | BodyKind::Multipart { ty, .. } => {
                Some(*ty)
            }
            BodyKind::Text | BodyKind::Bytes => None,
        }
    }
}

/// Which statuses an error case covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    Code(u16),
    /// `4XX` is `Range(4)`.
    Range(u16),
    Default,
}

impl StatusMatch {
    /// The status as the spec's `responses` map writes it: `200`, `2XX`,
    /// `default`.
    pub fn key(self) -> String {
        match self {
            StatusMatch::Code(code) => code.to_string(),
            StatusMatch::Range(range) => format!("{range}XX"),
            StatusMatch::Default => "default".to_string(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct ErrorCase {
    pub status: StatusMatch,
    pub variant: String,
    /// The type of its JSON body; `None` when it documents none.
    pub ty: Option<TypeId>,
    pub description: String,
}

/// One documented success response.
#[derive(Debug, Clone)]
pub struct SuccessCase {
    /// An exact 2xx status or the `2XX` range.
    pub status: StatusMatch,
    /// Its variant in the success enum, when the bodies differ (`Accepted`).
    pub variant: String,
    pub body: SuccessBody,
    pub description: String,
}

/// One argument of an operation's method after `&self`: the one
/// description of a method's signature, which the client declares and the
/// driver fills, so neither derives it on its own.
#[derive(Debug, Clone, Copy)]
pub struct Argument<'a> {
    /// The Rust name (`body` for the request body).
    pub name: &'a str,
    /// Where its value goes.
    pub source: ArgumentSource<'a>,
    /// How the value is passed.
    pub ty: ArgumentType,
    /// `Option<_>`: the parameter or body is not required.
    pub optional: bool,
}

/// What an [`Argument`] is.
#[derive(Debug, Clone, Copy)]
pub enum ArgumentSource<'a> {
    Param(&'a Param),
    Body(&'a Body),
}

/// How an [`Argument`]'s value is passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgumentType {
    /// `&str`: a string parameter, or a text body.
    Str,
    /// `&uuid::Uuid`.
    Uuid,
    /// `i64`.
    Integer,
    /// `f64`.
    Number,
    /// `bool`.
    Boolean,
    /// `&types::{the type's name}`.
    Named(TypeId),
    /// Body bytes: `impl Into<Bytes>`, or `Option<Bytes>` when optional.
    Bytes,
}

impl Operation {
    /// The method's arguments after `&self`, in order: the parameters (path
    /// in template order, then headers, queries and cookies, each by name),
    /// then the body.
    pub fn arguments(&self) -> Vec<Argument<'_>> {
        let params = self.params.iter().map(|param| Argument {
            name: &param.rust_name,
            source: ArgumentSource::Param(param),
            ty: match &param.kind {
                ParamKind::String => ArgumentType::Str,
                ParamKind::Uuid => ArgumentType::Uuid,
                ParamKind::Integer => ArgumentType::Integer,
                ParamKind::Number => ArgumentType::Number,
                ParamKind::Boolean => ArgumentType::Boolean,
                ParamKind::Typed(ty) => ArgumentType::Named(*ty),
            },
            optional: !param.required,
        });
        let body = self.body.iter().map(|body| Argument {
            name: "body",
            source: ArgumentSource::Body(body),
            ty: match &body.kind {
                BodyKind::Text => ArgumentType::Str,
                BodyKind::Bytes => ArgumentType::Bytes,
                BodyKind::Json { ty } | BodyKind::Form { ty } | BodyKind::Multipart { ty, .. } => {
                    ArgumentType::Named(*ty)
                }
            },
            optional: !body.required,
        });
        params.chain(body).collect()
    }

    /// The request body, then its alternatives.
    pub fn bodies(&self) -> impl Iterator<Item = &Body> {
        self.body.iter().chain(
            self.alternatives
                .iter()
                .map(|alternative| &alternative.body),
        )
    }

    /// The body the method returns when every success has the same one
    /// (none documented is `Empty`; `raw_success` is `Bytes`); `None` when
    /// they differ and the method returns an enum of them.
    pub fn shared_success_body(&self) -> Option<SuccessBody> {
        if self.raw_success {
            return Some(SuccessBody::Bytes);
        }
        let mut bodies = self.successes.iter().map(|case| &case.body);
        let first = bodies.next().cloned().unwrap_or(SuccessBody::Empty);
        bodies.all(|body| *body == first).then_some(first)
    }

    /// The types of the JSON success bodies.
    pub fn success_types(&self) -> impl Iterator<Item = TypeId> + '_ {
        self.successes.iter().filter_map(|case| case.body.ty())
    }

    /// Every type its request bodies, parameters and responses name.
    pub fn types(&self) -> impl Iterator<Item = TypeId> + '_ {
        let arguments = self
            .arguments()
            .into_iter()
            .filter_map(|argument| match argument.ty {
                ArgumentType::Named(id) => Some(id),
                _ => None,
            });
        let bodies = self.bodies().filter_map(Body::ty);
        let errors = self.errors.iter().filter_map(|case| case.ty);
        arguments
            .collect::<Vec<_>>()
            .into_iter()
            .chain(bodies)
            .chain(self.success_types())
            .chain(errors)
    }
}

/// The body of a success response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SuccessBody {
    /// No body documented: the method returns `()` (what came is kept in
    /// the raw response).
    Empty,
    /// JSON, decoded into `ty`.
    Json { ty: TypeId },
    /// `text/*` only: the body as a string.
    Text,
    /// `text/event-stream` only: the method streams the events (in a
    /// success enum, where nothing streams, the variant holds the text).
    Events,
    /// Any other media type (audio, archives, `*/*`), or a mix: the bytes
    /// as received, never buffered through a decoder. The method reads
    /// them whole, and a sibling method (`Operation::stream_fn`) streams
    /// them.
    Bytes,
}

impl SuccessBody {
    /// The type of a JSON body.
    pub fn ty(&self) -> Option<TypeId> {
        match self {
            SuccessBody::Json { ty } => Some(*ty),
            _ => None,
        }
    }
}

/// An HTTP method a path item can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    /// Every method, in the order a path item's operations are read.
    pub const ALL: [HttpMethod; 8] = [
        HttpMethod::Get,
        HttpMethod::Put,
        HttpMethod::Post,
        HttpMethod::Delete,
        HttpMethod::Options,
        HttpMethod::Head,
        HttpMethod::Patch,
        HttpMethod::Trace,
    ];

    /// As a path item's key and in JSON pointers: `get`.
    pub fn key(self) -> &'static str {
        match self {
            HttpMethod::Get => "get",
            HttpMethod::Put => "put",
            HttpMethod::Post => "post",
            HttpMethod::Delete => "delete",
            HttpMethod::Options => "options",
            HttpMethod::Head => "head",
            HttpMethod::Patch => "patch",
            HttpMethod::Trace => "trace",
        }
    }

    /// As on the wire, and as `reqwest::Method`'s constant: `GET`.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }

    /// Idempotent by RFC 9110 (section 9.2.2): the safe methods and `PUT`
    /// and `DELETE`. Not `POST`, and not `PATCH`, which may append,
    /// increment or move.
    pub fn is_idempotent(self) -> bool {
        !matches!(self, HttpMethod::Post | HttpMethod::Patch)
    }

    /// This method's operation in a path item, if it has one.
    pub(super) fn of(self, item: &openapiv3::PathItem) -> Option<&SpecOperation> {
        match self {
            HttpMethod::Get => item.get.as_ref(),
            HttpMethod::Put => item.put.as_ref(),
            HttpMethod::Post => item.post.as_ref(),
            HttpMethod::Delete => item.delete.as_ref(),
            HttpMethod::Options => item.options.as_ref(),
            HttpMethod::Head => item.head.as_ref(),
            HttpMethod::Patch => item.patch.as_ref(),
            HttpMethod::Trace => item.trace.as_ref(),
        }
    }
}

impl std::fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A path as the spec templates it: literal text and `{name}` parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathTemplate(Vec<PathPiece>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPiece {
    Literal(String),
    /// A `{name}` parameter, by name.
    Param(String),
}

impl PathTemplate {
    /// Parses `/agents/{id}/status`; a `{` without its `}` is literal text.
    pub fn parse(path: &str) -> Self {
        let mut pieces = Vec::new();
        let mut rest = path;
        while let Some(start) = rest.find('{') {
            let Some(end) = rest[start..].find('}') else {
                break;
            };
            if start > 0 {
                pieces.push(PathPiece::Literal(rest[..start].to_string()));
            }
            pieces.push(PathPiece::Param(rest[start + 1..start + end].to_string()));
            rest = &rest[start + end + 1..];
        }
        if !rest.is_empty() {
            pieces.push(PathPiece::Literal(rest.to_string()));
        }
        PathTemplate(pieces)
    }

    pub fn pieces(&self) -> &[PathPiece] {
        &self.0
    }

    /// The parameter names, in order.
    pub fn params(&self) -> impl Iterator<Item = &str> {
        self.0.iter().filter_map(|piece| match piece {
            PathPiece::Param(name) => Some(name.as_str()),
            PathPiece::Literal(_) => None,
        })
    }
}

//! Stage 2, validate and model: check that the document is within what the
//! generator supports and reduce it to the operations, parameters, bodies,
//! responses and credentials the client needs.
//!
//! Every problem is collected with its JSON pointer, so a broken spec is
//! reported in one run rather than one error at a time. Inline request and
//! response schemas are hoisted into named components here, so the types
//! engine sees only named schemas and every operation knows the Rust name of
//! each of its types.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToPascalCase, ToSnakeCase};
use openapiv3::{
    MediaType, OpenAPI, Operation as SpecOperation, Parameter, ParameterSchemaOrContent,
    ReferenceOr, RequestBody, Response, Schema, SchemaKind, StatusCode, Type,
    VariantOrUnknownOrEmpty,
};

use serde_json::Value;

use crate::error::{Error, Problem, pointer};
use crate::load::Document;
pub use crate::media_kind::MediaKind;
use crate::names::{is_rust_keyword, type_name_for};
use crate::normalize::Warning;

/// Everything the emitters need to know about one spec.
#[derive(Debug, Clone)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// The first server URL, used as the client's default base URL.
    pub default_server: Option<String>,
    /// Credentials the client needs, one per security scheme used.
    pub credentials: Vec<Credential>,
    /// Operations, ordered by function name.
    pub operations: Vec<Operation>,
    /// The document's `tags`, in its order: name and description.
    pub tags: Vec<(String, Option<String>)>,
    /// Component schemas after hoisting, by component name.
    pub schemas: BTreeMap<String, ReferenceOr<Schema>>,
    /// The Rust type name of each of `schemas`, distinct from each other.
    pub type_names: crate::names::TypeNames,
    /// `x-enum-aliases` of component schemas: schema name, then canonical
    /// value to extra accepted values.
    pub enum_aliases: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    /// The operations left out because the generator cannot express them,
    /// one warning per problem (a strict spec is refused instead).
    pub warnings: Vec<Warning>,
}

pub use crate::ir::security::{Credential, CredentialKind};

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
    /// overlay says ([`crate::ir::pagination`]).
    pub pagination: Option<crate::ir::pagination::Pagination>,
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
}

/// `x-agent-clients-idempotent: true` on an operation: repeating it leaves
/// the server as one request does (RFC 9110, section 9.2.2), although its
/// method does not say so; a `POST` or `PATCH` that sets fields to given
/// values, say. The runtime then retries it like a `PUT`.
pub const IDEMPOTENT_EXTENSION: &str = "x-agent-clients-idempotent";

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
    /// the engine's type of that name, serialized by `style` and `explode`.
    Typed(String),
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
    /// JSON of the engine's `type_name` (component `schema`).
    Json { type_name: String, schema: String },
    /// `application/x-www-form-urlencoded`: the type's fields as form pairs.
    Form { type_name: String, schema: String },
    /// `multipart/form-data`: the type's properties as parts, in `parts`
    /// order; its file properties are `FilePart`s.
    Multipart {
        type_name: String,
        schema: String,
        parts: Vec<crate::ir::multipart::Part>,
    },
    /// `text/*`: a string, sent as it is.
    Text,
    /// Any other media type (`application/octet-stream`, audio, ...): bytes.
    Bytes,
}

impl BodyKind {
    /// The suffix of an alternative's method name.
    fn suffix(&self) -> &'static str {
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
    /// The Rust type name of a JSON or form body.
    pub fn type_name(&self) -> Option<&str> {
        match &self.kind {
            BodyKind::Json { type_name, .. }
            | BodyKind::Form { type_name, .. }
            | BodyKind::Multipart { type_name, .. } => Some(type_name),
            BodyKind::Text | BodyKind::Bytes => None,
        }
    }

    /// The component name of a JSON or form body, for constraints and
    /// reachability.
    pub fn schema(&self) -> Option<&str> {
        match &self.kind {
            BodyKind::Json { schema, .. }
            | BodyKind::Form { schema, .. }
            | BodyKind::Multipart { schema, .. } => Some(schema),
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
    /// `None` when the response documents no JSON body.
    pub type_name: Option<String>,
    /// The component name behind `type_name`.
    pub schema: Option<String>,
    pub description: String,
}

/// Operations that share their first tag, as the client groups them.
pub struct OperationGroup<'a> {
    /// `None` for the operations without a tag.
    pub tag: Option<&'a str>,
    pub description: Option<&'a str>,
    /// The Cargo feature the group sits behind, in a split client
    /// ([`crate::ir::features`]).
    pub feature: Option<&'a str>,
    /// By function name.
    pub operations: Vec<&'a Operation>,
}

impl Api {
    /// The Rust type name of component schema `component`.
    pub fn type_name(&self, component: &str) -> String {
        self.type_names.get(component)
    }

    /// The operations grouped by first tag: tags in the order the document
    /// lists them (the order its authors chose), then tags it does not
    /// list by name, then the untagged operations.
    pub fn operation_groups(&self) -> Vec<OperationGroup<'_>> {
        let mut by_tag: BTreeMap<Option<&str>, Vec<&Operation>> = BTreeMap::new();
        for op in &self.operations {
            by_tag.entry(op.tag.as_deref()).or_default().push(op);
        }
        let mut groups = Vec::new();
        for (name, description) in &self.tags {
            if let Some(operations) = by_tag.remove(&Some(name.as_str())) {
                groups.push(OperationGroup {
                    tag: Some(name),
                    description: description.as_deref(),
                    feature: None,
                    operations,
                });
            }
        }
        // `None` sorts first in the map; it goes last.
        let untagged = by_tag.remove(&None);
        for (tag, operations) in by_tag {
            groups.push(OperationGroup {
                tag,
                description: None,
                feature: None,
                operations,
            });
        }
        if let Some(operations) = untagged {
            groups.push(OperationGroup {
                tag: None,
                description: None,
                feature: None,
                operations,
            });
        }
        groups
    }

    /// Component schema names reachable from request bodies.
    pub fn request_schemas(&self) -> BTreeSet<String> {
        let roots = self.operations.iter().flat_map(|op| {
            op.bodies()
                .filter_map(|body| body.schema().map(String::from))
        });
        crate::reach::reachable(&self.schemas, roots)
    }

    /// Component schema names reachable from success and error responses.
    pub fn response_schemas(&self) -> BTreeSet<String> {
        let roots = self.operations.iter().flat_map(|op| {
            op.success_schemas()
                .map(String::from)
                .chain(op.errors.iter().filter_map(|case| case.schema.clone()))
                .collect::<Vec<_>>()
        });
        crate::reach::reachable(&self.schemas, roots)
    }
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
    pub ty: ArgumentType<'a>,
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
pub enum ArgumentType<'a> {
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
    /// `&types::{name}`.
    Named(&'a str),
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
                ParamKind::Typed(type_name) => ArgumentType::Named(type_name),
            },
            optional: !param.required,
        });
        let body = self.body.iter().map(|body| Argument {
            name: "body",
            source: ArgumentSource::Body(body),
            ty: match &body.kind {
                BodyKind::Text => ArgumentType::Str,
                BodyKind::Bytes => ArgumentType::Bytes,
                BodyKind::Json { type_name, .. }
                | BodyKind::Form { type_name, .. }
                | BodyKind::Multipart { type_name, .. } => ArgumentType::Named(type_name),
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

    /// The component names of the JSON success bodies.
    pub fn success_schemas(&self) -> impl Iterator<Item = &str> {
        self.successes.iter().filter_map(|case| case.body.schema())
    }
}

/// The body of a success response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SuccessBody {
    /// No body documented: the method returns `()` (what came is kept in
    /// the raw response).
    Empty,
    /// JSON, decoded into `type_name` (the component `schema`).
    Json { type_name: String, schema: String },
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
    /// The Rust type name of a JSON body.
    pub fn type_name(&self) -> Option<&str> {
        match self {
            SuccessBody::Json { type_name, .. } => Some(type_name),
            _ => None,
        }
    }

    /// The component name of a JSON body.
    pub fn schema(&self) -> Option<&str> {
        match self {
            SuccessBody::Json { schema, .. } => Some(schema),
            _ => None,
        }
    }
}

/// The responses of one operation, as the emitter needs them.
struct Responses {
    successes: Vec<SuccessCase>,
    raw_success: bool,
    errors: Vec<ErrorCase>,
    accept: String,
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
    fn of(self, item: &openapiv3::PathItem) -> Option<&SpecOperation> {
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

/// Builds the [`Api`] of a loaded document, or reports every problem found.
pub fn build(document: &Document) -> Result<Api, Error> {
    let mut builder = Builder {
        spec: &document.spec,
        problems: Vec::new(),
        schemas: document
            .spec
            .components
            .as_ref()
            .map(|components| {
                components
                    .schemas
                    .iter()
                    .map(|(name, schema)| (name.clone(), schema.clone()))
                    .collect()
            })
            .unwrap_or_default(),
        credentials: crate::ir::security::Credentials::new(&document.spec),
        type_names: crate::names::TypeNames::default(),
    };
    for name in builder.schemas.keys() {
        builder.type_names.add(name);
    }
    crate::ir::validate::check_refs(&document.raw, &mut builder.problems);
    let mut warnings = Vec::new();
    if !document.strict {
        lenient_references(&mut builder.problems, &mut warnings);
    }

    // Every operation first, so that names are decided for all of them
    // before any type is hoisted under a name derived from them.
    let found = path_operations(document, &mut builder.problems, &mut warnings);
    let names = crate::names::operation_names(
        &found
            .iter()
            .map(|found| crate::names::OperationNaming {
                path: found.path,
                method: found.method.key(),
                operation_id: found.operation.operation_id.as_deref(),
                first_tag: found.operation.tags.first().map(String::as_str),
            })
            .collect::<Vec<_>>(),
    );
    let mut operations = Vec::new();
    for (found, fn_name) in found.into_iter().zip(names) {
        if let Some(op) = builder.operation_or_warnings(document, found, fn_name, &mut warnings) {
            operations.push(op);
        }
    }
    operations.sort_by(|a, b| a.fn_name.cmp(&b.fn_name));
    let mut page_warnings = Vec::new();
    crate::ir::pagination::read(document, &mut operations, &mut page_warnings);
    if document.strict {
        builder
            .problems
            .extend(page_warnings.into_iter().map(|warning| Problem {
                pointer: warning.pointer,
                message: format!("{} (an error: the spec is read strictly)", warning.message),
            }));
    } else {
        warnings.extend(page_warnings);
    }
    name_sibling_methods(&mut operations);

    let enum_aliases = crate::ir::validate::enum_aliases(&document.raw, &mut builder.problems);
    let securities: Vec<Vec<Vec<usize>>> =
        operations.iter().map(|op| op.security.clone()).collect();
    builder.credentials.mark_required(&securities);

    if !builder.problems.is_empty() {
        return Err(Error::many(&document.path, builder.problems));
    }
    Ok(Api {
        title: document.spec.info.title.clone(),
        version: document.spec.info.version.clone(),
        description: document.spec.info.description.clone(),
        default_server: document
            .spec
            .servers
            .first()
            .map(|server| server.url.clone()),
        credentials: builder.credentials.list,
        operations,
        tags: document
            .spec
            .tags
            .iter()
            .map(|tag| (tag.name.clone(), tag.description.clone()))
            .collect(),
        schemas: builder.schemas,
        type_names: builder.type_names,
        enum_aliases,
        warnings,
    })
}

struct Builder<'a> {
    spec: &'a OpenAPI,
    problems: Vec<Problem>,
    schemas: BTreeMap<String, ReferenceOr<Schema>>,
    credentials: crate::ir::security::Credentials<'a>,
    type_names: crate::names::TypeNames,
}

impl Builder<'_> {
    /// The operation `found`, named `fn_name`; or, where the generator
    /// cannot express it and the spec is not read strictly, nothing, with
    /// each of its problems turned into a warning: one such operation does
    /// not sink the spec. (Read strictly, its problems stay problems.)
    fn operation_or_warnings(
        &mut self,
        document: &Document,
        found: FoundOperation<'_>,
        fn_name: String,
        warnings: &mut Vec<Warning>,
    ) -> Option<Operation> {
        let FoundOperation {
            path,
            method,
            operation,
            path_params,
        } = found;
        let at = pointer(["paths", path, method.key()]);
        let problems_before = self.problems.len();
        let left_out = format!(
            "the operation (`{method} {path}`) is left out of the client, with no method `{fn_name}`"
        );
        let built = self.operation(path, method, operation, path_params, fn_name, &at);
        if built.is_none() && !document.strict {
            warnings.extend(
                self.problems
                    .drain(problems_before..)
                    .map(|problem| Warning {
                        pointer: problem.pointer,
                        message: format!("{}; {left_out}", problem.message),
                    }),
            );
        }
        built
    }

    fn problem(&mut self, at: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            pointer: at.to_string(),
            message: message.into(),
        });
    }

    fn operation(
        &mut self,
        path: &str,
        method: HttpMethod,
        operation: &SpecOperation,
        path_level_params: &[ReferenceOr<Parameter>],
        fn_name: String,
        at: &str,
    ) -> Option<Operation> {
        let problems_before = self.problems.len();
        // Named by `names::operation_names`; the operationId, where there is
        // one, is still what the docs and spans show.
        let operation_id = operation
            .operation_id
            .clone()
            .unwrap_or_else(|| fn_name.clone());
        let type_stem = fn_name.trim_end_matches('_').to_pascal_case();

        let (params, declared_content_type) =
            self.params(path, &type_stem, operation, path_level_params, at);
        let (body, alternatives) = match &operation.request_body {
            Some(body) => match self.body(body, &type_stem, &format!("{at}/requestBody")) {
                Some((body, alternatives)) => (Some(body), alternatives),
                None => (None, Vec::new()),
            },
            None => (None, Vec::new()),
        };
        // A body sets its own `Content-Type`; the declared one stands in
        // only where nothing else would be sent.
        let bodiless_content_type = declared_content_type.filter(|_| body.is_none());
        // Named once every operation's method name is known.
        let alternatives = alternatives
            .into_iter()
            .map(|body| Alternative {
                fn_name: String::new(),
                body,
            })
            .collect();

        let responses = self.responses(operation, &type_stem, at);

        let security =
            self.credentials
                .of_operation(operation.security.as_ref(), at, &mut self.problems);
        let marked_idempotent = self.marked_idempotent(operation, at);
        if self.problems.len() > problems_before {
            return None;
        }
        Some(Operation {
            operation_id,
            has_operation_id: operation.operation_id.is_some(),
            fn_name,
            type_stem,
            tag: operation.tags.first().cloned(),
            method,
            path: path.to_string(),
            template: PathTemplate::parse(path),
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            deprecated: operation.deprecated,
            params,
            bodiless_content_type,
            body,
            alternatives,
            successes: responses.successes,
            raw_success: responses.raw_success,
            stream_fn: None,
            pagination: None,
            accept: responses.accept,
            errors: responses.errors,
            security,
            idempotent: method.is_idempotent() || marked_idempotent,
        })
    }

    /// Whether the operation carries `x-agent-clients-idempotent: true`;
    /// any value but a boolean is a problem (a typo must not silently turn
    /// retries off, or on).
    fn marked_idempotent(&mut self, operation: &SpecOperation, at: &str) -> bool {
        match operation.extensions.get(IDEMPOTENT_EXTENSION) {
            None => false,
            Some(serde_json::Value::Bool(marked)) => *marked,
            Some(_) => {
                self.problem(
                    &format!("{at}/{IDEMPOTENT_EXTENSION}"),
                    format!("`{IDEMPOTENT_EXTENSION}` must be `true` or `false`"),
                );
                false
            }
        }
    }

    /// The operation's parameters as arguments, and the value a declared
    /// `Content-Type` header parameter pins ([`Operation::bodiless_content_type`]).
    fn params(
        &mut self,
        path: &str,
        stem: &str,
        operation: &SpecOperation,
        path_level_params: &[ReferenceOr<Parameter>],
        at: &str,
    ) -> (Vec<Param>, Option<String>) {
        // Operation-level parameters override path-level ones with the same
        // name and location, as OpenAPI specifies.
        let mut by_key: BTreeMap<(ParamLocation, String), Param> = BTreeMap::new();
        let mut content_type = None;
        let levels = [
            (path_level_params, pointer(["paths", path, "parameters"])),
            (&operation.parameters[..], format!("{at}/parameters")),
        ];
        for (list, list_at) in levels {
            for (index, parameter) in list.iter().enumerate() {
                let param_at = format!("{list_at}/{index}");
                let Some(parameter) = self.resolve_parameter(parameter, &param_at) else {
                    continue;
                };
                if let Some(value) = pinned_content_type(&parameter) {
                    content_type = Some(value);
                }
                if let Some(param) = self.param(&parameter, stem, &param_at) {
                    by_key.insert((param.location, param.name.to_lowercase()), param);
                }
            }
        }
        let template = PathTemplate::parse(path);
        let template_names: Vec<String> = template.params().map(String::from).collect();
        let mut params: Vec<Param> = by_key.into_values().collect();
        for name in &template_names {
            if !params
                .iter()
                .any(|p| p.location == ParamLocation::Path && &p.name == name)
            {
                let param = self.undeclared_path_param(path, stem, name);
                params.push(param);
            }
        }
        // Arguments: path parameters in template order, then headers, then
        // query parameters, each by name.
        params.sort_by_key(|param| {
            let position = template_names.iter().position(|name| *name == param.name);
            (param.location, position, param.name.clone())
        });
        for param in params.iter().filter(|p| p.location == ParamLocation::Path) {
            if !template_names.contains(&param.name) {
                self.problem(
                    &format!("{at}/parameters"),
                    format!(
                        "path parameter `{}` is not in the path template",
                        param.name
                    ),
                );
            }
        }
        disambiguate_arguments(&mut params);
        (params, content_type)
    }

    fn param(&mut self, parameter: &Parameter, stem: &str, at: &str) -> Option<Param> {
        use openapiv3::{PathStyle, QueryStyle};
        let (location, data, style) = match parameter {
            Parameter::Path {
                parameter_data,
                style,
            } => {
                let style = match style {
                    PathStyle::Simple => ParamStyle::Simple,
                    PathStyle::Label => ParamStyle::Label,
                    PathStyle::Matrix => ParamStyle::Matrix,
                };
                (ParamLocation::Path, parameter_data, style)
            }
            Parameter::Header { parameter_data, .. } => {
                (ParamLocation::Header, parameter_data, ParamStyle::Simple)
            }
            Parameter::Query {
                parameter_data,
                style,
                ..
            } => {
                let style = match style {
                    QueryStyle::Form => ParamStyle::Form,
                    QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                    QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                    QueryStyle::DeepObject => ParamStyle::DeepObject,
                };
                (ParamLocation::Query, parameter_data, style)
            }
            // A cookie's only style is `form`; `explode` does not apply to
            // a single `name=value` cookie, so lists are comma-joined.
            Parameter::Cookie { parameter_data, .. } => {
                (ParamLocation::Cookie, parameter_data, ParamStyle::Simple)
            }
        };
        // "If `in` is "header" and the name field is "Accept",
        // "Content-Type" or "Authorization", the parameter definition SHALL
        // be ignored" (OpenAPI 3.0.3 and 3.1, Parameter Object). The client
        // sets the first two from the body and the responses it reads.
        // `Authorization` is kept: specs without a security scheme (keeper)
        // document their credentials only that way, and dropping it would
        // leave their clients no way to authenticate.
        if location == ParamLocation::Header
            && ["accept", "content-type"].contains(&data.name.to_ascii_lowercase().as_str())
        {
            return None;
        }
        let explode = data.explode.unwrap_or(style == ParamStyle::Form);
        if location == ParamLocation::Path && !data.required {
            self.problem(at, "a path parameter must be `required: true`");
        }
        let (schema, json) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => (schema, false),
            ParameterSchemaOrContent::Content(content) => {
                let json_schema = content
                    .iter()
                    .find(|(media_type, _)| is_json(media_type))
                    .and_then(|(_, media)| media.schema.as_ref());
                let Some(schema) = json_schema else {
                    self.problem(
                        &format!("{at}/content"),
                        "a parameter described by `content` is supported with a JSON media type and its schema",
                    );
                    return None;
                };
                (schema, true)
            }
        };
        let resolved = self.resolve_schema(schema, &format!("{at}/schema"))?;
        let kind = match &resolved.schema_kind {
            // Sent as JSON: the engine's type, even for a scalar.
            _ if json => {
                let hoisted = format!("{stem}{}", data.name.to_pascal_case());
                ParamKind::Typed(self.named_schema(schema, &hoisted).0)
            }
            SchemaKind::Type(Type::String(string)) if string.enumeration.is_empty() => {
                match &string.format {
                    VariantOrUnknownOrEmpty::Unknown(format) if format == "uuid" => ParamKind::Uuid,
                    _ => ParamKind::String,
                }
            }
            SchemaKind::Type(Type::Integer(_)) => ParamKind::Integer,
            SchemaKind::Type(Type::Number(_)) => ParamKind::Number,
            SchemaKind::Type(Type::Boolean(_)) => ParamKind::Boolean,
            // Enums, arrays, objects, compositions: the engine's type.
            _ => {
                let hoisted = format!("{stem}{}", data.name.to_pascal_case());
                ParamKind::Typed(self.named_schema(schema, &hoisted).0)
            }
        };
        let rust_name = param_rust_name(&data.name);
        // A cookie's name is a token too (RFC 6265), the same characters.
        if matches!(location, ParamLocation::Header | ParamLocation::Cookie)
            && !crate::names::is_http_token(&data.name)
        {
            self.problem(
                at,
                format!(
                    "`{}` is not a valid HTTP {} name",
                    data.name,
                    location.name()
                ),
            );
        }
        Some(Param {
            name: data.name.clone(),
            rust_name,
            location,
            required: data.required,
            kind,
            style,
            explode,
            json,
            description: data.description.clone(),
            schema: serde_json::to_value(schema).unwrap_or(Value::Null),
        })
    }

    /// A path parameter the template names but the operation does not
    /// declare (OpenAPI requires it to; Vapi's `DELETE /call/{id}` does
    /// not). Rather than refuse the operation, it is taken from another
    /// operation of the same path that declares it, or else as a string,
    /// and its doc says which.
    fn undeclared_path_param(&mut self, path: &str, stem: &str, name: &str) -> Param {
        let spec = self.spec;
        let mut sibling = None;
        if let Some(ReferenceOr::Item(item)) = spec.paths.paths.get(path) {
            'found: for (method, operation) in item.iter() {
                for (index, parameter) in operation.parameters.iter().enumerate() {
                    let at = format!("{}/{method}/parameters/{index}", pointer(["paths", path]));
                    let Some(parameter) = self.resolve_parameter(parameter, &at) else {
                        continue;
                    };
                    if matches!(parameter, Parameter::Path { .. })
                        && parameter.parameter_data_ref().name == name
                    {
                        sibling = Some((method.to_uppercase(), at, parameter));
                        break 'found;
                    }
                }
            }
        }
        let assumption = match &sibling {
            Some((method, _, _)) => format!(
                "not declared by the spec for this operation; declared as `{method} {path}` declares it"
            ),
            None => "not declared by the spec; the path template names it, so it is sent as text"
                .to_string(),
        };
        let declared = sibling.and_then(|(_, at, parameter)| self.param(&parameter, stem, &at));
        let mut param = declared.unwrap_or_else(|| Param {
            name: name.to_string(),
            rust_name: param_rust_name(name),
            location: ParamLocation::Path,
            required: true,
            kind: ParamKind::String,
            style: ParamStyle::Simple,
            explode: false,
            json: false,
            description: None,
            schema: serde_json::json!({"type": "string"}),
        });
        param.description = Some(match param.description.take() {
            Some(description) => format!("{} ({assumption})", description.trim_end_matches('.')),
            None => format!("{} ({assumption})", "The path parameter"),
        });
        param
    }

    /// The request body: of the media types offered, JSON is preferred,
    /// then a form, then `multipart/form-data`, then text, then any other
    /// but multipart as bytes. The other media types offered are the
    /// alternatives (`Operation::alternatives`), in the same order; one
    /// whose shape is undocumented (a typed kind without a schema) is left
    /// out, since nothing could type it.
    fn body(
        &mut self,
        body: &ReferenceOr<RequestBody>,
        stem: &str,
        at: &str,
    ) -> Option<(Body, Vec<Body>)> {
        let body = self.resolve_component(body, "requestBodies", |c| &c.request_bodies, at)?;
        let content_at = format!("{at}/content");
        // The variants of `MediaKind` are in order of preference; among the
        // same kind, the order offered (the sort is stable).
        let mut offered: Vec<(MediaKind, &String, &MediaType)> = body
            .content
            .iter()
            .map(|(media_type, media)| (MediaKind::of(media_type), media_type, media))
            .filter(|(kind, _, _)| *kind != MediaKind::OtherMultipart)
            .collect();
        offered.sort_by_key(|(kind, _, _)| *kind);
        let Some(&(kind, media_type, media)) = offered.first() else {
            let offered: Vec<&str> = body.content.keys().map(String::as_str).collect();
            let message = if offered.is_empty() {
                "the request body documents no media type".to_string()
            } else {
                format!(
                    "of the multipart request bodies only `multipart/form-data` is supported; this one is {}",
                    offered.join(", ")
                )
            };
            self.problem(&content_at, message);
            return None;
        };
        let mut hoisted = Vec::new();
        let main = self.body_as(
            kind,
            media_type,
            media,
            body.required,
            stem,
            &content_at,
            &mut hoisted,
        )?;
        let mut alternatives = Vec::new();
        for &(kind, media_type, media) in &offered[1..] {
            let typed = matches!(
                kind,
                MediaKind::Json | MediaKind::Form | MediaKind::MultipartForm
            );
            if typed && media.schema.is_none() {
                continue;
            }
            let alternative = self.body_as(
                kind,
                media_type,
                media,
                body.required,
                stem,
                &content_at,
                &mut hoisted,
            )?;
            alternatives.push(alternative);
        }
        Some((main, alternatives))
    }

    /// The body as one media type. An inline schema is hoisted as
    /// `{stem}Body` (numbered when taken), once for every media type that
    /// documents the same one (`hoisted`).
    #[allow(clippy::too_many_arguments)]
    fn body_as<'m>(
        &mut self,
        media_kind: MediaKind,
        media_type: &str,
        media: &'m MediaType,
        required: bool,
        stem: &str,
        content_at: &str,
        hoisted: &mut Vec<(&'m ReferenceOr<Schema>, (String, String))>,
    ) -> Option<Body> {
        self.check_header_text(media_type, content_at);
        let mut typed = |this: &mut Self| {
            let Some(schema) = &media.schema else {
                this.problem(
                    content_at,
                    format!("the {media_type} request body has no schema"),
                );
                return None;
            };
            if let Some((_, names)) = hoisted.iter().find(|(seen, _)| *seen == schema) {
                return Some(names.clone());
            }
            let names = this.named_schema(schema, &format!("{stem}Body"));
            hoisted.push((schema, names.clone()));
            Some(names)
        };
        let kind = match media_kind {
            MediaKind::Json => {
                let (type_name, schema) = typed(self)?;
                BodyKind::Json { type_name, schema }
            }
            MediaKind::Form => {
                let (type_name, schema) = typed(self)?;
                BodyKind::Form { type_name, schema }
            }
            MediaKind::MultipartForm => {
                let (type_name, schema) = typed(self)?;
                let parts =
                    crate::ir::multipart::parts(&mut self.schemas, &schema, &media.encoding);
                BodyKind::Multipart {
                    type_name,
                    schema,
                    parts,
                }
            }
            MediaKind::Text | MediaKind::EventStream => BodyKind::Text,
            MediaKind::Binary | MediaKind::OtherMultipart => BodyKind::Bytes,
        };
        Some(Body {
            required,
            media_type: media_type.to_string(),
            kind,
        })
    }

    /// Sorts an operation's responses into the success and the error cases.
    fn responses(&mut self, operation: &SpecOperation, type_stem: &str, at: &str) -> Responses {
        let responses_at = format!("{at}/responses");
        let mut cases: Vec<(StatusMatch, &ReferenceOr<Response>)> = operation
            .responses
            .responses
            .iter()
            .map(|(status, response)| {
                let status = match status {
                    StatusCode::Code(code) => StatusMatch::Code(*code),
                    StatusCode::Range(range) => StatusMatch::Range(*range),
                };
                (status, response)
            })
            .collect();
        if let Some(default) = &operation.responses.default {
            cases.push((StatusMatch::Default, default));
        }
        let is_success = |status: StatusMatch| {
            matches!(status, StatusMatch::Code(200..=299) | StatusMatch::Range(2))
        };
        // Without a documented 2xx the method returns the body of any status
        // below 400 as received (see `Operation::raw_success`), so the 1xx
        // and 3xx responses documented there (a `101` upgrade) need no type.
        let raw_success = !cases.iter().any(|(status, _)| is_success(*status));
        let mut out = Responses {
            successes: Vec::new(),
            raw_success,
            errors: Vec::new(),
            accept: String::new(),
        };
        let mut media_types: Vec<String> = Vec::new();
        let mut successes = Vec::new();
        for (status, response) in cases {
            if raw_success
                && matches!(
                    status,
                    StatusMatch::Code(100..=399) | StatusMatch::Range(1 | 3)
                )
            {
                continue;
            }
            let response_at = format!("{responses_at}/{}", status.key());
            let Some(response) = self.resolve_response(response, &response_at) else {
                continue;
            };
            for media_type in response.content.keys() {
                if !media_types.contains(media_type) {
                    media_types.push(media_type.clone());
                }
            }
            if is_success(status) {
                successes.push((status, response));
                continue;
            }
            let name = format!("{type_stem}{}", status_variant(status));
            let (type_name, schema) = match self.response_body(&response, &name) {
                SuccessBody::Json { type_name, schema } => (Some(type_name), Some(schema)),
                _ => (None, None),
            };
            out.errors.push(ErrorCase {
                status,
                variant: status_variant(status),
                type_name,
                schema,
                description: response.description.clone(),
            });
        }
        out.successes = self.success_cases(successes, type_stem);
        out.errors.sort_by_key(|case| case.status);
        out.accept = if raw_success {
            // Whatever the server sends is what the caller gets.
            "*/*".to_string()
        } else {
            self.accept(media_types, &responses_at)
        };
        out
    }

    /// The success cases, exact statuses first. Where all document the same
    /// body it is hoisted once as `{stem}Response`; where they differ, each
    /// distinct inline body is hoisted as `{stem}{Variant}` (`Accepted`).
    fn success_cases(
        &mut self,
        mut responses: Vec<(StatusMatch, Response)>,
        type_stem: &str,
    ) -> Vec<SuccessCase> {
        responses.sort_by_key(|(status, _)| *status);
        let shapes: Vec<Value> = responses
            .iter()
            .map(|(_, response)| body_shape(response))
            .collect();
        let all_same = shapes.windows(2).all(|pair| pair[0] == pair[1]);
        let mut hoisted: Vec<(&Value, SuccessBody)> = Vec::new();
        let mut cases = Vec::new();
        for ((status, response), shape) in responses.iter().zip(&shapes) {
            let variant = status_variant(*status);
            let body = match hoisted.iter().find(|(seen, _)| *seen == shape) {
                Some((_, body)) => body.clone(),
                None => {
                    let name = if all_same {
                        format!("{type_stem}Response")
                    } else {
                        format!("{type_stem}{variant}")
                    };
                    let body = self.response_body(response, &name);
                    hoisted.push((shape, body.clone()));
                    body
                }
            };
            cases.push(SuccessCase {
                status: *status,
                variant,
                body,
                description: response.description.clone(),
            });
        }
        cases
    }

    /// What a response documents as its body: JSON with a schema is typed
    /// (hoisted as `name` when inline); other media types as
    /// [`untyped_body`] says.
    fn response_body(&mut self, response: &Response, name: &str) -> SuccessBody {
        match response
            .content
            .iter()
            .find(|(media_type, _)| is_json(media_type))
        {
            Some((_, media)) => match &media.schema {
                Some(schema) => {
                    let (type_name, schema) = self.named_schema(schema, name);
                    SuccessBody::Json { type_name, schema }
                }
                // JSON of no documented shape: kept as received.
                None => SuccessBody::Empty,
            },
            None => untyped_body(response),
        }
    }

    /// The `Accept` header value for these response media types; they must
    /// be valid header text, since the runtime sends them as they are.
    fn accept(&mut self, media_types: Vec<String>, at: &str) -> String {
        if media_types.is_empty() {
            return "application/json".to_string();
        }
        let accept = media_types.join(", ");
        self.check_header_text(&accept, at);
        accept
    }

    /// Media types are sent as header values as they are written: they must
    /// be header text.
    fn check_header_text(&mut self, text: &str, at: &str) {
        if !text
            .bytes()
            .all(|b| b == b' ' || b == b'\t' || (0x21..0x7f).contains(&b))
        {
            self.problem(
                at,
                format!("the media type `{text}` cannot be sent in an HTTP header"),
            );
        }
    }

    /// Returns the Rust type name and component name of a schema, hoisting an
    /// inline schema into the components under `hoisted_name`.
    fn named_schema(
        &mut self,
        schema: &ReferenceOr<Schema>,
        hoisted_name: &str,
    ) -> (String, String) {
        match schema {
            ReferenceOr::Reference { reference } => {
                let name = reference
                    .strip_prefix("#/components/schemas/")
                    .unwrap_or(reference)
                    .to_string();
                (self.type_names.get(&name), name)
            }
            ReferenceOr::Item(item) => {
                // A name free as a component and as a Rust type.
                let mut name = hoisted_name.to_string();
                let mut suffix = 2;
                while self.schemas.contains_key(&name)
                    || self.type_names.is_taken(&type_name_for(&name))
                {
                    name = format!("{hoisted_name}{suffix}");
                    suffix += 1;
                }
                self.schemas
                    .insert(name.clone(), ReferenceOr::Item(item.clone()));
                let type_name = self.type_names.add(&name).to_string();
                (type_name, name)
            }
        }
    }

    fn resolve_schema(&mut self, schema: &ReferenceOr<Schema>, at: &str) -> Option<Schema> {
        let reference = match schema {
            ReferenceOr::Item(schema) => return Some(schema.clone()),
            ReferenceOr::Reference { reference } => reference,
        };
        match crate::refs::resolve(&self.schemas, reference) {
            Ok(schema) => Some(schema.clone()),
            Err(message) => {
                self.problem(at, message);
                None
            }
        }
    }

    /// Resolves a `#/components/<kind>/<name>` reference (one level, as
    /// OpenAPI allows for these objects), reporting a dangling one.
    fn resolve_component<T: Clone>(
        &mut self,
        item: &ReferenceOr<T>,
        kind: &str,
        pick: impl Fn(&openapiv3::Components) -> &indexmap::IndexMap<String, ReferenceOr<T>>,
        at: &str,
    ) -> Option<T> {
        match item {
            ReferenceOr::Item(item) => Some(item.clone()),
            ReferenceOr::Reference { reference } => {
                let prefix = format!("#/components/{kind}/");
                let resolved = reference
                    .strip_prefix(prefix.as_str())
                    .and_then(|name| pick(self.spec.components.as_ref()?).get(name));
                match resolved {
                    Some(ReferenceOr::Item(item)) => Some(item.clone()),
                    _ => {
                        self.problem(
                            at,
                            format!(
                                "`{reference}` does not resolve to one of the components' {kind}"
                            ),
                        );
                        None
                    }
                }
            }
        }
    }

    fn resolve_parameter(
        &mut self,
        parameter: &ReferenceOr<Parameter>,
        at: &str,
    ) -> Option<Parameter> {
        self.resolve_component(parameter, "parameters", |c| &c.parameters, at)
    }

    fn resolve_response(&mut self, response: &ReferenceOr<Response>, at: &str) -> Option<Response> {
        self.resolve_component(response, "responses", |c| &c.responses, at)
    }
}

/// The value a required `Content-Type` header parameter pins: its one
/// `enum` value, or else its `default`, when that is valid header text.
fn pinned_content_type(parameter: &Parameter) -> Option<String> {
    let Parameter::Header { parameter_data, .. } = parameter else {
        return None;
    };
    if !parameter_data.required || !parameter_data.name.eq_ignore_ascii_case("content-type") {
        return None;
    }
    let ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) = &parameter_data.format else {
        return None;
    };
    let SchemaKind::Type(Type::String(string)) = &schema.schema_kind else {
        return None;
    };
    let value = match string.enumeration.as_slice() {
        [Some(only)] => only.clone(),
        [] => schema.schema_data.default.as_ref()?.as_str()?.to_string(),
        _ => return None,
    };
    let header_text = !value.is_empty() && value.bytes().all(|b| b == b' ' || b.is_ascii_graphic());
    header_text.then_some(value)
}

/// One operation of the document, where it was found.
struct FoundOperation<'a> {
    path: &'a str,
    method: HttpMethod,
    operation: &'a SpecOperation,
    /// The path item's parameters, which the operation's override.
    path_params: &'a [ReferenceOr<Parameter>],
}

/// Every operation of every path item, in document order. A path item
/// still given by `$ref` (`normalize` inlined every reference that leads to
/// one) leads nowhere: its operations are left out with a warning, or, for
/// a strict spec, it is a problem.
fn path_operations<'a>(
    document: &'a Document,
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<Warning>,
) -> Vec<FoundOperation<'a>> {
    let mut found = Vec::new();
    for (path, item) in &document.spec.paths.paths {
        let ReferenceOr::Item(item) = item else {
            let problem = Problem {
                pointer: pointer(["paths", path.as_str()]),
                message: "the path item's `$ref` leads to no path item in this document; its operations are left out of the client".into(),
            };
            if document.strict {
                problems.push(problem);
            } else {
                warnings.push(problem);
            }
            continue;
        };
        for method in HttpMethod::ALL {
            if let Some(operation) = method.of(item) {
                found.push(FoundOperation {
                    path,
                    method,
                    operation,
                    path_params: &item.parameters,
                });
            }
        }
    }
    found
}

/// Dangling references that need not sink a spec read leniently: one
/// inside an operation is reported by the operation that resolves it,
/// which is then left out; one in a component (a parameter, response or
/// body; schema references were read as any value by `normalize`) leaves
/// out whatever operation uses that component, and is a warning here so an
/// unused one is still seen.
fn lenient_references(problems: &mut Vec<Problem>, warnings: &mut Vec<Warning>) {
    problems.retain(|problem| !problem.pointer.starts_with("/paths/"));
    let (in_components, others): (Vec<Problem>, Vec<Problem>) = problems
        .drain(..)
        .partition(|problem| problem.pointer.starts_with("/components/"));
    *problems = others;
    warnings.extend(in_components.into_iter().map(|problem| Warning {
        pointer: problem.pointer,
        message: format!(
            "{}; an operation that uses it is left out of the client",
            problem.message
        ),
    }));
}

/// A parameter's argument name: snake case, never a keyword or starting
/// with a digit.
fn param_rust_name(name: &str) -> String {
    let mut rust_name = name.to_snake_case();
    if rust_name.is_empty() || rust_name.starts_with(|c: char| c.is_ascii_digit()) {
        rust_name = format!("param_{rust_name}");
    }
    if is_rust_keyword(&rust_name) {
        rust_name.push('_');
    }
    rust_name
}

/// Names the sibling methods, past every operation's own name: the
/// streaming sibling of a method that returns bytes, or of a paginated one
/// (`{fn_name}_stream`), and one per alternative request media type (`{fn_name}_form`, or the
/// media subtype where the kind is the main body's or an earlier
/// alternative's: `{fn_name}_x_markdown`). A taken name is numbered.
fn name_sibling_methods(operations: &mut [Operation]) {
    let mut taken: BTreeSet<String> = operations.iter().map(|op| op.fn_name.clone()).collect();
    let mut claim = |base: String| {
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        taken.insert(name.clone());
        name
    };
    for op in operations {
        if op.shared_success_body() == Some(SuccessBody::Bytes) {
            op.stream_fn = Some(claim(format!("{}_stream", op.fn_name)));
        }
        if let Some(pagination) = &mut op.pagination {
            pagination.fn_name = claim(format!("{}_stream", op.fn_name));
        }
        let mut kinds: Vec<&'static str> = op.body.iter().map(|body| body.kind.suffix()).collect();
        for alternative in &mut op.alternatives {
            let kind = alternative.body.kind.suffix();
            let suffix = if kinds.contains(&kind) {
                let essence = alternative.body.media_type.split(';').next().unwrap_or("");
                crate::names::identifier(essence.rsplit('/').next().unwrap_or(essence))
            } else {
                kind.to_string()
            };
            kinds.push(kind);
            alternative.fn_name = claim(format!("{}_{suffix}", op.fn_name));
        }
    }
}

/// What decides a response's body type, to tell success bodies apart: the
/// JSON schema if there is one, else whether there is content at all.
fn body_shape(response: &Response) -> Value {
    let json = response
        .content
        .iter()
        .find(|(media_type, _)| is_json(media_type));
    match json {
        Some((_, media)) if media.schema.is_some() => {
            serde_json::to_value(&media.schema).unwrap_or(Value::Null)
        }
        // JSON of no documented shape is kept as received, like no content.
        Some(_) => Value::from("empty"),
        None => Value::from(format!("{:?}", untyped_body(response))),
    }
}

/// The body of a response without JSON: none, text when every media type
/// is `text/*`, events when every one is `text/event-stream`, else bytes
/// (a mix of kinds has only bytes in common).
fn untyped_body(response: &Response) -> SuccessBody {
    let mut kinds = response.content.keys().map(|media| MediaKind::of(media));
    let Some(first) = kinds.next() else {
        return SuccessBody::Empty;
    };
    let same = kinds.all(|kind| kind == first);
    match first {
        MediaKind::Text if same => SuccessBody::Text,
        MediaKind::EventStream if same => SuccessBody::Events,
        _ => SuccessBody::Bytes,
    }
}

fn is_json(media_type: &str) -> bool {
    MediaKind::of(media_type) == MediaKind::Json
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

/// Names the generated method uses itself: an argument must not shadow them.
const METHOD_LOCALS: [&str; 3] = ["body", "request", "response"];

/// Makes argument names unique: a parameter named like a method local gets
/// a trailing `_`; parameters whose names meet after snake-casing (`fooBar`
/// and `foo_bar`, or `id` in the path and in the query) get their location
/// appended, then a number. Deterministic: `params` is in a fixed order.
fn disambiguate_arguments(params: &mut [Param]) {
    let mut taken: BTreeSet<String> = METHOD_LOCALS.iter().map(|s| s.to_string()).collect();
    for param in params.iter_mut() {
        if !taken.contains(&param.rust_name) {
            taken.insert(param.rust_name.clone());
            continue;
        }
        let location = param.location.name();
        let base = if METHOD_LOCALS.contains(&param.rust_name.as_str()) {
            format!("{}_", param.rust_name)
        } else {
            format!("{}_{location}", param.rust_name)
        };
        let mut candidate = base.clone();
        let mut n = 2;
        while taken.contains(&candidate) {
            candidate = format!("{base}{n}");
            n += 1;
        }
        taken.insert(candidate.clone());
        param.rust_name = candidate;
    }
}

/// The variant name of a status in the success or error enum: `202` is
/// `Accepted`, `404` is `NotFound`.
pub fn status_variant(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => match code {
            200 => "Ok".into(),
            201 => "Created".into(),
            202 => "Accepted".into(),
            203 => "NonAuthoritativeInformation".into(),
            204 => "NoContent".into(),
            205 => "ResetContent".into(),
            206 => "PartialContent".into(),
            207 => "MultiStatus".into(),
            400 => "BadRequest".into(),
            401 => "Unauthorized".into(),
            402 => "PaymentRequired".into(),
            403 => "Forbidden".into(),
            404 => "NotFound".into(),
            405 => "MethodNotAllowed".into(),
            406 => "NotAcceptable".into(),
            408 => "RequestTimeout".into(),
            409 => "Conflict".into(),
            410 => "Gone".into(),
            412 => "PreconditionFailed".into(),
            413 => "PayloadTooLarge".into(),
            415 => "UnsupportedMediaType".into(),
            422 => "UnprocessableEntity".into(),
            429 => "TooManyRequests".into(),
            500 => "InternalServerError".into(),
            501 => "NotImplemented".into(),
            502 => "BadGateway".into(),
            503 => "ServiceUnavailable".into(),
            504 => "GatewayTimeout".into(),
            other => format!("Status{other}"),
        },
        StatusMatch::Range(range) => format!("Status{range}xx"),
        StatusMatch::Default => "Default".into(),
    }
}

#[cfg(test)]
mod tests {
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
}

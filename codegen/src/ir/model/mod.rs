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
use crate::ir::names::{is_rust_keyword, type_name_for};
pub use crate::ir::security::{Credential, CredentialKind};
use crate::load::Document;
pub use crate::media_kind::MediaKind;
use crate::normalize::Warning;

mod bodies;
mod events;
mod operation;
mod operations;
pub mod pagination;
mod params;
mod resolve;
mod responses;
mod servers;
#[cfg(test)]
mod tests;

pub use events::{Event, EventSource, SIGNATURE_EXTENSION, SignatureScheme};
pub use operation::*;
pub use pagination::{PageBy, Pagination};
pub use responses::status_variant;
pub use servers::{Server, ServerVariable, UrlPiece};

use operations::{lenient_references, name_sibling_methods, path_operations};

/// `x-agent-clients-idempotent: true` on an operation: repeating it leaves
/// the server as one request does (RFC 9110, section 9.2.2), although its
/// method does not say so; a `POST` or `PATCH` that sets fields to given
/// values, say. The runtime then retries it like a `PUT`.
pub const IDEMPOTENT_EXTENSION: &str = "x-agent-clients-idempotent";

/// `x-agent-clients-idempotency-header: NAME` on an operation, or at the
/// top of a spec for every `POST` and `PATCH`: the server accepts an
/// idempotency key in header `NAME` although the spec declares no such
/// parameter. On an operation, `false` opts it out of the top-level one.
pub const IDEMPOTENCY_HEADER_EXTENSION: &str = "x-agent-clients-idempotency-header";

/// `x-agent-clients-event-key: PROPERTY` at the top of a spec (its
/// overlay): every event's body holds its webhook's key in `PROPERTY`, which
/// is how a received body says which event it is where its schema does not
/// (no `const` on it). See [`crate::ir::events`].
pub const EVENT_KEY_EXTENSION: &str = "x-agent-clients-event-key";

/// Everything the emitters need to know about one spec.
#[derive(Debug, Clone)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// The first server's URL where it has no variables: the client's
    /// default base URL, as a constant.
    pub default_server: Option<String>,
    /// The servers the client can reach (absolute URLs), the first the
    /// default ([`servers`]).
    pub servers: Vec<Server>,
    /// Credentials the client needs, one per security scheme used.
    pub credentials: Vec<Credential>,
    /// Operations, ordered by function name.
    pub operations: Vec<Operation>,
    /// Webhooks, then callbacks, in document order ([`Event`]).
    pub events: Vec<Event>,
    /// The property whose value is an event's key, where the spec's
    /// overlay names one ([`EVENT_KEY_EXTENSION`]).
    pub event_key: Option<String>,
    /// How the vendor signs its deliveries, where the spec's overlay says
    /// ([`SIGNATURE_EXTENSION`]).
    pub webhook_signature: Option<SignatureScheme>,
    /// The document's `tags`, in its order: name and description.
    pub tags: Vec<(String, Option<String>)>,
    /// Component schemas after hoisting, by component name.
    pub schemas: BTreeMap<String, ReferenceOr<Schema>>,
    /// The same schemas as JSON, converted once: what the type space, the
    /// reachability walk and the driver's samples read.
    pub schema_values: BTreeMap<String, Value>,
    /// The Rust type name of each of `schemas`, distinct from each other.
    pub type_names: crate::ir::names::TypeNames,
    /// The type id of each of `schemas` (and of a `$ref` that names none):
    /// what the operations hold.
    pub components: crate::ir::ComponentIds,
    /// `x-enum-aliases` of component schemas: schema name, then canonical
    /// value to extra accepted values.
    pub enum_aliases: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    /// The operations left out because the generator cannot express them,
    /// one warning per problem (a strict spec is refused instead).
    pub warnings: Vec<Warning>,
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
        let roots = self
            .operations
            .iter()
            .flat_map(|op| op.bodies().filter_map(Body::ty));
        self.reachable(roots)
    }

    /// Component schema names reachable from success and error responses,
    /// and from the bodies of events.
    pub fn response_schemas(&self) -> BTreeSet<String> {
        let responses = self.operations.iter().flat_map(|op| {
            op.success_types()
                .chain(op.errors.iter().filter_map(|case| case.ty))
                .collect::<Vec<_>>()
        });
        // An event's body is sent by the API's server, as a response is.
        let events = self
            .events
            .iter()
            .filter_map(|event| event.request.body.as_ref().and_then(Body::ty));
        self.reachable(responses.chain(events))
    }

    /// The component names reachable from the components `roots`.
    fn reachable(&self, roots: impl Iterator<Item = crate::ir::TypeId>) -> BTreeSet<String> {
        let names = roots.filter_map(|id| self.components.name(id).map(String::from));
        crate::reach::reachable(&self.schema_values, names)
    }
}

/// Builds the [`Api`] of a loaded document, or reports every problem found;
/// strictly if its overlay says so.
pub fn build(document: &Document) -> Result<Api, Error> {
    build_with(document, document.strict)
}

/// [`build`], strictly (every problem an error, no operation left out) if
/// `strict`.
pub fn build_with(document: &Document, strict: bool) -> Result<Api, Error> {
    let mut builder = Builder {
        strict,
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
        type_names: crate::ir::names::TypeNames::default(),
        components: crate::ir::ComponentIds::default(),
        idempotency_header: None,
        shared: BTreeMap::new(),
    };
    builder.idempotency_header = builder.spec_idempotency_header();
    for name in builder.schemas.keys() {
        builder.type_names.add(name);
        builder.components.id(name);
    }
    builder.problems.extend(document.unresolved.iter().cloned());
    let mut warnings = Vec::new();
    if !strict {
        lenient_references(&mut builder.problems, &mut warnings);
    }
    let enum_aliases = crate::ir::validate::enum_aliases(&document.raw, &mut builder.problems);

    // Every operation first, so that names are decided for all of them
    // before any type is hoisted under a name derived from them.
    let found = path_operations(document, strict, &mut builder.problems, &mut warnings);
    let names = crate::ir::names::operation_names(
        &found
            .iter()
            .map(|found| crate::ir::names::OperationNaming {
                path: found.path,
                method: found.method.key(),
                operation_id: found.operation.operation_id.as_deref(),
                first_tag: found.operation.tags.first().map(String::as_str),
            })
            .collect::<Vec<_>>(),
    );
    let with_callbacks: Vec<events::WithCallbacks<'_>> = found
        .iter()
        .zip(&names)
        .filter(|(found, _)| !found.operation.callbacks.is_empty())
        .map(|(found, fn_name)| (fn_name.clone(), found.path, found.method, found.operation))
        .collect();
    let mut operations = Vec::new();
    for (found, fn_name) in found.into_iter().zip(names) {
        if let Some(op) = builder.operation_or_warnings(found, fn_name, &mut warnings) {
            operations.push(op);
        }
    }
    operations.sort_by(|a, b| a.fn_name.cmp(&b.fn_name));
    let events = builder.events(
        events::found_events(document, &with_callbacks),
        &mut warnings,
    );
    let event_key = event_key(document, &mut builder.problems);
    let webhook_signature = events::signature_scheme(document, &mut builder.problems);
    let mut page_warnings = Vec::new();
    pagination::read(document, &mut operations, &mut page_warnings);
    if strict {
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

    let securities: Vec<Vec<Vec<usize>>> =
        operations.iter().map(|op| op.security.clone()).collect();
    builder.credentials.mark_required(&securities);

    let servers = servers::servers(&document.spec, &mut warnings);
    if !builder.problems.is_empty() {
        return Err(Error::many(&document.path, builder.problems));
    }
    Ok(Api {
        title: document.spec.info.title.clone(),
        version: document.spec.info.version.clone(),
        description: document.spec.info.description.clone(),
        default_server: servers
            .first()
            .filter(|server| server.variables.is_empty())
            .map(|server| server.url.clone()),
        servers,
        credentials: builder.credentials.list,
        operations,
        events,
        event_key,
        webhook_signature,
        tags: document
            .spec
            .tags
            .iter()
            .map(|tag| (tag.name.clone(), tag.description.clone()))
            .collect(),
        schema_values: builder
            .schemas
            .iter()
            .map(|(name, schema)| {
                // A typed schema always serializes; `true` (any value) otherwise.
                let value = serde_json::to_value(schema).unwrap_or(Value::Bool(true));
                (name.clone(), value)
            })
            .collect(),
        schemas: builder.schemas,
        type_names: builder.type_names,
        components: builder.components,
        enum_aliases,
        warnings,
    })
}

/// The overlay's [`EVENT_KEY_EXTENSION`]: a property name, or a problem.
fn event_key(document: &Document, problems: &mut Vec<Problem>) -> Option<String> {
    match document.spec.extensions.get(EVENT_KEY_EXTENSION)? {
        Value::String(field) if !field.is_empty() => Some(field.clone()),
        _ => {
            problems.push(Problem {
                pointer: format!("/{EVENT_KEY_EXTENSION}"),
                message: format!("`{EVENT_KEY_EXTENSION}` must name a property"),
            });
            None
        }
    }
}

struct Builder<'a> {
    /// Every problem is an error: no operation is left out.
    strict: bool,
    spec: &'a OpenAPI,
    problems: Vec<Problem>,
    schemas: BTreeMap<String, ReferenceOr<Schema>>,
    credentials: crate::ir::security::Credentials<'a>,
    type_names: crate::ir::names::TypeNames,
    components: crate::ir::ComponentIds,
    /// The spec-wide idempotency header of `POST`s and `PATCH`es
    /// ([`IDEMPOTENCY_HEADER_EXTENSION`]).
    idempotency_header: Option<String>,
    /// The type of each schema inline in a component that operations refer
    /// to, by its pointer ([`Builder::shared_schema`]).
    shared: BTreeMap<String, crate::ir::TypeId>,
}

//! Finding the operations: each path item's operations, named, read or
//! left out with a warning, and their sibling methods named.

use super::*;
use crate::ir::names::methods;

impl Builder<'_> {
    /// The operation `found`, named `fn_name`; or, where the generator
    /// cannot express it and the spec is not read strictly, nothing, with
    /// each of its problems turned into a warning: one such operation does
    /// not sink the spec. (Read strictly, its problems stay problems.)
    pub(super) fn operation_or_warnings(
        &mut self,
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
        if built.is_none() && !self.strict {
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

    pub(super) fn problem(&mut self, at: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            pointer: at.to_string(),
            message: message.into(),
        });
    }

    pub(super) fn operation(
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
        let idempotency_header = self.idempotency_header(method, operation, &params, at);
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
            idempotency_header,
        })
    }

    /// The header the operation takes an idempotency key in
    /// ([`Operation::idempotency_header`]): the overlay's word on the
    /// operation, else a declared header parameter so named, else the
    /// spec-wide overlay name for a `POST` or `PATCH`.
    pub(super) fn idempotency_header(
        &mut self,
        method: HttpMethod,
        operation: &SpecOperation,
        params: &[Param],
        at: &str,
    ) -> Option<String> {
        let own = operation.extensions.get(IDEMPOTENCY_HEADER_EXTENSION);
        if let Some(value) = own {
            let at = format!("{at}/{IDEMPOTENCY_HEADER_EXTENSION}");
            return match value {
                serde_json::Value::Bool(false) => None,
                value => self.header_name(value, &at),
            };
        }
        let declared = params.iter().find(|param| {
            param.location == ParamLocation::Header
                && param.name.to_ascii_lowercase().ends_with("idempotency-key")
        });
        if let Some(param) = declared {
            return Some(param.name.to_ascii_lowercase());
        }
        let spec_wide = self.idempotency_header.clone()?;
        matches!(method, HttpMethod::Post | HttpMethod::Patch).then_some(spec_wide)
    }

    /// The spec-wide [`IDEMPOTENCY_HEADER_EXTENSION`], read once: a problem
    /// in it is the document's, not each operation's.
    pub(super) fn spec_idempotency_header(&mut self) -> Option<String> {
        let value = self.spec.extensions.get(IDEMPOTENCY_HEADER_EXTENSION)?;
        self.header_name(value, &format!("/{IDEMPOTENCY_HEADER_EXTENSION}"))
    }

    /// An extension's value that must be a header name, lowercased; any
    /// other is a problem (a typo must not silently send no key).
    pub(super) fn header_name(&mut self, value: &serde_json::Value, at: &str) -> Option<String> {
        let valid = |name: &str| {
            !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
        };
        match value.as_str() {
            Some(name) if valid(name) => Some(name.to_ascii_lowercase()),
            _ => {
                self.problem(
                    at,
                    format!("`{IDEMPOTENCY_HEADER_EXTENSION}` must be a header name (or `false`)"),
                );
                None
            }
        }
    }

    /// Whether the operation carries `x-agent-clients-idempotent: true`;
    /// any value but a boolean is a problem (a typo must not silently turn
    /// retries off, or on).
    pub(super) fn marked_idempotent(&mut self, operation: &SpecOperation, at: &str) -> bool {
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
}

/// One operation of the document, where it was found.
pub(super) struct FoundOperation<'a> {
    pub(super) path: &'a str,
    pub(super) method: HttpMethod,
    pub(super) operation: &'a SpecOperation,
    /// The path item's parameters, which the operation's override.
    pub(super) path_params: &'a [ReferenceOr<Parameter>],
}

/// Every operation of every path item, in document order. A path item
/// still given by `$ref` (`normalize` inlined every reference that leads to
/// one) leads nowhere: its operations are left out with a warning, or, for
/// a strict spec, it is a problem.
pub(super) fn path_operations<'a>(
    document: &'a Document,
    strict: bool,
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
            if strict {
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
pub(super) fn lenient_references(problems: &mut Vec<Problem>, warnings: &mut Vec<Warning>) {
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

/// Names each operation's sibling methods ([`methods::sibling_methods`]).
pub(super) fn name_sibling_methods(operations: &mut [Operation]) {
    let naming: Vec<methods::SiblingNaming> = operations
        .iter()
        .map(|op| methods::SiblingNaming {
            fn_name: &op.fn_name,
            streamed: op.shared_success_body() == Some(SuccessBody::Bytes),
            paginated: op.pagination.is_some(),
            body_kind: op.body.as_ref().map(|body| body.kind.label()),
            alternatives: op
                .alternatives
                .iter()
                .map(|alternative| {
                    (
                        alternative.body.kind.label(),
                        alternative.body.media_type.as_str(),
                    )
                })
                .collect(),
        })
        .collect();
    let names = methods::sibling_methods(&naming);
    for (op, names) in operations.iter_mut().zip(names) {
        op.stream_fn = names.stream;
        if let (Some(pagination), Some(name)) = (&mut op.pagination, names.pages) {
            pagination.fn_name = name;
        }
        for (alternative, name) in op.alternatives.iter_mut().zip(names.alternatives) {
            alternative.fn_name = name;
        }
    }
}

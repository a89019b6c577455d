//! Spec evolution: every change between two versions of a spec, classified
//! as breaking or not for a caller of the generated code, and the semver
//! bump `agent-clients` needs.
//!
//! Rules are about the generated Rust API as much as the wire: a new
//! parameter changes a method's arguments; a property that becomes optional
//! changes a field from `T` to `Option<T>`; a value added to a response enum
//! adds a variant that exhaustive `match`es must handle. Descriptions,
//! summaries, examples and `x-` notes never count.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use crate::error::{escape_pointer_token, pointer};
use crate::ir::model::{self, Api, ParamLocation};
use crate::load::Document;

/// One difference between the old and the new spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Stable rule name, e.g. `operation-removed`.
    pub rule: &'static str,
    /// JSON pointer in the new spec (the old one for removals).
    pub pointer: String,
    pub breaking: bool,
    pub message: String,
}

/// The semver bump a set of changes needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    /// The bump for `changes`, in semver terms (before the 0.x shift).
    pub fn of(changes: &[Change]) -> Bump {
        if changes.iter().any(|c| c.breaking) {
            Bump::Major
        } else if changes.is_empty() {
            Bump::None
        } else {
            Bump::Minor
        }
    }

    /// What the bump means for a crate at `version`: below 1.0, cargo treats
    /// the minor number as the major one.
    pub fn for_version(self, version: &str) -> Bump {
        let zero_major = version.starts_with("0.");
        match (self, zero_major) {
            (Bump::Major, true) => Bump::Minor,
            (Bump::Minor, true) => Bump::Patch,
            (bump, _) => bump,
        }
    }

    /// The smallest version with this bump applied to `version`.
    pub fn apply(self, version: &str) -> String {
        let mut parts: Vec<u64> = version
            .split(['.', '-', '+'])
            .take(3)
            .map(|part| part.parse().unwrap_or(0))
            .collect();
        parts.resize(3, 0);
        match self {
            Bump::Major => parts = vec![parts[0] + 1, 0, 0],
            Bump::Minor => parts = vec![parts[0], parts[1] + 1, 0],
            Bump::Patch => parts[2] += 1,
            Bump::None => {}
        }
        format!("{}.{}.{}", parts[0], parts[1], parts[2])
    }
}

/// Does `new_version` carry at least `bump` over `old_version`?
pub fn version_satisfies(old_version: &str, new_version: &str, bump: Bump) -> bool {
    let parse = |v: &str| -> (u64, u64, u64) {
        let mut parts = v
            .split(['.', '-', '+'])
            .map(|p| p.parse::<u64>().unwrap_or(0));
        (
            parts.next().unwrap_or(0),
            parts.next().unwrap_or(0),
            parts.next().unwrap_or(0),
        )
    };
    let (old, new) = (parse(old_version), parse(new_version));
    match bump {
        Bump::None => true,
        Bump::Patch => new > old,
        Bump::Minor => (new.0, new.1) > (old.0, old.1),
        Bump::Major => new.0 > old.0,
    }
}

/// Every change from `old` to `new`.
pub fn diff(old: &Document, new: &Document) -> Result<Vec<Change>, crate::Error> {
    let old_api = model::build(old)?;
    let new_api = model::build(new)?;
    let mut differ = Differ {
        old: &old.raw,
        new: &new.raw,
        old_components: &old_api.components,
        new_components: &new_api.components,
        changes: Vec::new(),
    };
    differ.operations(&old_api, &new_api);
    Ok(differ.changes)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    Request,
    Response,
}

struct Differ<'a> {
    old: &'a Value,
    new: &'a Value,
    /// Which component each type of the old and the new model is.
    old_components: &'a crate::ir::ComponentIds,
    new_components: &'a crate::ir::ComponentIds,
    changes: Vec<Change>,
}

impl Differ<'_> {
    fn push(&mut self, rule: &'static str, at: &str, breaking: bool, message: String) {
        self.changes.push(Change {
            rule,
            pointer: at.to_string(),
            breaking,
            message,
        });
    }

    fn operations(&mut self, old: &Api, new: &Api) {
        let old_ops: BTreeMap<&str, &model::Operation> = old
            .operations
            .iter()
            .map(|op| (op.operation_id.as_str(), op))
            .collect();
        let new_ops: BTreeMap<&str, &model::Operation> = new
            .operations
            .iter()
            .map(|op| (op.operation_id.as_str(), op))
            .collect();
        let op_at = |op: &model::Operation| pointer(["paths", op.path.as_str(), op.method.key()]);

        for (id, old_op) in &old_ops {
            if new_ops.contains_key(id) {
                continue;
            }
            // Same method and path under another operationId: a rename.
            if let Some(renamed) = new.operations.iter().find(|op| {
                op.method == old_op.method
                    && op.path == old_op.path
                    && !old_ops.contains_key(op.operation_id.as_str())
            }) {
                self.push(
                    "operation-id-changed",
                    &format!("{}/operationId", op_at(renamed)),
                    true,
                    format!(
                        "operationId `{id}` became `{}`: the method `{}` is renamed `{}`",
                        renamed.operation_id, old_op.fn_name, renamed.fn_name
                    ),
                );
            } else {
                self.push(
                    "operation-removed",
                    &op_at(old_op),
                    true,
                    format!(
                        "operation `{id}` ({} {}) was removed",
                        old_op.method, old_op.path
                    ),
                );
            }
        }
        for (id, new_op) in &new_ops {
            match old_ops.get(id) {
                None => {
                    let renamed = old.operations.iter().any(|op| {
                        op.method == new_op.method
                            && op.path == new_op.path
                            && !new_ops.contains_key(op.operation_id.as_str())
                    });
                    if !renamed {
                        self.push(
                            "operation-added",
                            &op_at(new_op),
                            false,
                            format!(
                                "operation `{id}` ({} {}) was added",
                                new_op.method, new_op.path
                            ),
                        );
                    }
                }
                Some(old_op) => self.operation(old_op, new_op, &op_at(new_op)),
            }
        }
        // Credentials the constructors now take; a new optional one is a
        // new `with_*` method, which breaks nothing.
        let old_required: BTreeSet<&str> = old
            .credentials
            .iter()
            .filter(|c| c.required)
            .map(|c| c.scheme.as_str())
            .collect();
        for credential in new.credentials.iter().filter(|c| c.required) {
            if !old_required.contains(credential.scheme.as_str()) {
                self.push(
                    "security-added",
                    &pointer(["components", "securitySchemes", &credential.scheme]),
                    true,
                    format!(
                        "security scheme `{}` is now required: the client constructors take a new `{}` argument",
                        credential.scheme, credential.arg_name
                    ),
                );
            }
        }
    }

    fn operation(&mut self, old: &model::Operation, new: &model::Operation, at: &str) {
        let id = &new.operation_id;
        if old.method != new.method || old.path != new.path {
            self.push(
                "path-or-method-changed",
                at,
                true,
                format!(
                    "operation `{id}` moved from {} {} to {} {}",
                    old.method, old.path, new.method, new.path
                ),
            );
        }
        let key = |p: &model::Param| (p.location, p.name.to_ascii_lowercase());
        let old_params: BTreeMap<_, _> = old.params.iter().map(|p| (key(p), p)).collect();
        let new_params: BTreeMap<_, _> = new.params.iter().map(|p| (key(p), p)).collect();
        let location = ParamLocation::name;
        for (k, param) in &old_params {
            if !new_params.contains_key(k) {
                self.push(
                    "parameter-removed",
                    &format!("{at}/parameters"),
                    true,
                    format!(
                        "{} parameter `{}` of `{id}` was removed: the method loses an argument",
                        location(param.location),
                        param.name
                    ),
                );
            }
        }
        for (k, param) in &new_params {
            match old_params.get(k) {
                None => self.push(
                    if param.required {
                        "required-parameter-added"
                    } else {
                        "parameter-added"
                    },
                    &format!("{at}/parameters"),
                    true,
                    format!(
                        "{} {} parameter `{}` was added to `{id}`: the method takes a new argument",
                        if param.required {
                            "required"
                        } else {
                            "optional"
                        },
                        location(param.location),
                        param.name
                    ),
                ),
                Some(old_param) => {
                    if old_param.kind != param.kind {
                        self.push(
                            "type-changed",
                            &format!("{at}/parameters"),
                            true,
                            format!(
                                "parameter `{}` of `{id}` changed type ({:?} to {:?})",
                                param.name, old_param.kind, param.kind
                            ),
                        );
                    }
                    if !old_param.required && param.required {
                        self.push(
                            "required-parameter-added",
                            &format!("{at}/parameters"),
                            true,
                            format!("parameter `{}` of `{id}` became required", param.name),
                        );
                    }
                }
            }
        }

        match (&old.body, &new.body) {
            (Some(old_body), Some(new_body)) if old_body.media_type != new_body.media_type => self
                .push(
                    "request-media-type-changed",
                    &format!("{at}/requestBody"),
                    true,
                    format!(
                        "`{id}` now sends {} instead of {}",
                        new_body.media_type, old_body.media_type
                    ),
                ),
            (Some(old_body), Some(new_body)) => {
                let old_schema = old_body.ty().and_then(|ty| self.old_components.name(ty));
                let new_schema = new_body.ty().and_then(|ty| self.new_components.name(ty));
                if let (Some(old_schema), Some(new_schema)) = (old_schema, new_schema) {
                    self.schema(
                        &json_ref(old_schema),
                        &json_ref(new_schema),
                        Direction::Request,
                        &format!("{at}/requestBody"),
                        &mut BTreeSet::new(),
                    );
                }
            }
            (None, Some(_)) => self.push(
                "request-body-added",
                &format!("{at}/requestBody"),
                true,
                format!("`{id}` now takes a request body"),
            ),
            (Some(_), None) => self.push(
                "request-body-removed",
                at,
                true,
                format!("`{id}` no longer takes a request body"),
            ),
            (None, None) => {}
        }

        let new_successes: BTreeMap<_, _> = new
            .successes
            .iter()
            .map(|case| (case.status, case))
            .collect();
        for case in &old.successes {
            let key = case.status.key();
            let Some(new_case) = new_successes.get(&case.status) else {
                self.push(
                    "success-status-removed",
                    &format!("{at}/responses"),
                    true,
                    format!("success status {key} of `{id}` is no longer documented"),
                );
                continue;
            };
            let old_schema = case.body.ty().and_then(|ty| self.old_components.name(ty));
            let new_schema = new_case
                .body
                .ty()
                .and_then(|ty| self.new_components.name(ty));
            match (old_schema, new_schema) {
                (Some(old_schema), Some(new_schema)) => self.schema(
                    &json_ref(old_schema),
                    &json_ref(new_schema),
                    Direction::Response,
                    &format!("{at}/responses/{key}"),
                    &mut BTreeSet::new(),
                ),
                (Some(_), None) => self.push(
                    "type-changed",
                    &format!("{at}/responses/{key}"),
                    true,
                    format!("the {key} body of `{id}` was removed"),
                ),
                (None, Some(_)) => self.push(
                    "type-changed",
                    &format!("{at}/responses/{key}"),
                    true,
                    format!("`{id}` now returns a body for {key} (the return type changes)"),
                ),
                (None, None) => {}
            }
        }
        let was_shared = old.shared_success_body().is_some();
        if was_shared != new.shared_success_body().is_some() {
            let now = if was_shared {
                "carry different bodies: the method now returns an enum of them"
            } else {
                "carry one body: the method no longer returns an enum"
            };
            self.push(
                "type-changed",
                &format!("{at}/responses"),
                true,
                format!("the success responses of `{id}` now {now}"),
            );
        }

        let old_errors: BTreeMap<_, _> = old.errors.iter().map(|e| (e.status, e)).collect();
        for case in &new.errors {
            match old_errors.get(&case.status) {
                // The error enums are #[non_exhaustive]: a new variant does
                // not break a match.
                None => self.push(
                    "error-response-added",
                    &format!("{at}/responses"),
                    false,
                    format!("`{id}` documents a new error: {}", case.variant),
                ),
                Some(old_case) => {
                    let o = old_case.ty.and_then(|ty| self.old_components.name(ty));
                    let n = case.ty.and_then(|ty| self.new_components.name(ty));
                    if let (Some(o), Some(n)) = (o, n) {
                        self.schema(
                            &json_ref(o),
                            &json_ref(n),
                            Direction::Response,
                            &format!("{at}/responses"),
                            &mut BTreeSet::new(),
                        );
                    }
                }
            }
        }
        for case in &old.errors {
            if !new.errors.iter().any(|e| e.status == case.status) {
                self.push(
                    "error-response-removed",
                    &format!("{at}/responses"),
                    true,
                    format!(
                        "`{id}` no longer documents {}: its error variant is removed",
                        case.variant
                    ),
                );
            }
        }
    }

    /// Compares two schemas reached the same way; `seen` stops cycles.
    fn schema(
        &mut self,
        old: &Value,
        new: &Value,
        direction: Direction,
        at: &str,
        seen: &mut BTreeSet<(String, String)>,
    ) {
        let (old, old_name) = resolve(self.old, old);
        let (new, new_name) = resolve(self.new, new);
        if let (Some(o), Some(n)) = (&old_name, &new_name)
            && (!seen.insert((o.clone(), n.clone())) || seen.len() > 256)
        {
            return;
        }
        let (Some(old), Some(new)) = (old, new) else {
            return;
        };
        let field = |v: &Value, k: &str| v.get(k).cloned();

        for keyword in ["type", "format"] {
            if field(old, keyword) != field(new, keyword) {
                self.push(
                    "type-changed",
                    at,
                    true,
                    format!(
                        "{keyword} changed from {} to {}",
                        field(old, keyword).map_or("none".into(), |v| v.to_string()),
                        field(new, keyword).map_or("none".into(), |v| v.to_string())
                    ),
                );
            }
        }
        let nullable = |v: &Value| v.get("nullable") == Some(&Value::Bool(true));
        if direction == Direction::Response && !nullable(old) && nullable(new) {
            self.push(
                "response-made-nullable",
                at,
                true,
                "a response value became nullable: its field type changes".into(),
            );
        }

        let values = |v: &Value| -> BTreeSet<String> {
            v.get("enum")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|x| x.to_string())
                .collect()
        };
        let (old_values, new_values) = (values(old), values(new));
        for removed in old_values.difference(&new_values) {
            self.push(
                "enum-value-removed",
                &format!("{at}/enum"),
                true,
                format!("enum value {removed} was removed: its variant disappears"),
            );
        }
        for added in new_values.difference(&old_values) {
            if direction == Direction::Response {
                self.push("response-enum-value-added", &format!("{at}/enum"), true, format!("enum value {added} was added to a response enum: a new variant exhaustive matches must handle"));
            } else {
                self.push(
                    "request-enum-value-added",
                    &format!("{at}/enum"),
                    false,
                    format!("enum value {added} can now be sent"),
                );
            }
        }

        if direction == Direction::Request {
            self.constraints(old, new, at);
        }

        // Objects: properties and requiredness.
        let properties = |v: &Value| {
            v.get("properties")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default()
        };
        let required = |v: &Value| -> BTreeSet<String> {
            v.get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        };
        let (old_props, new_props) = (properties(old), properties(new));
        let (old_required, new_required) = (required(old), required(new));
        for (name, old_prop) in &old_props {
            let prop_at = format!("{at}/properties/{}", escape_pointer_token(name));
            match new_props.get(name) {
                None => self.push(
                    if direction == Direction::Request {
                        "request-property-removed"
                    } else {
                        "response-property-removed"
                    },
                    &prop_at,
                    true,
                    format!("property `{name}` was removed: its field disappears"),
                ),
                Some(new_prop) => {
                    if direction == Direction::Request
                        && !old_required.contains(name)
                        && new_required.contains(name)
                    {
                        self.push(
                            "request-property-required",
                            &prop_at,
                            true,
                            format!("property `{name}` became required"),
                        );
                    }
                    if direction == Direction::Response
                        && old_required.contains(name)
                        && !new_required.contains(name)
                    {
                        self.push("response-made-optional", &prop_at, true, format!("response property `{name}` became optional: its field becomes an `Option`"));
                    }
                    self.schema(old_prop, new_prop, direction, &prop_at, seen);
                }
            }
        }
        for name in new_props
            .keys()
            .filter(|name| !old_props.contains_key(*name))
        {
            let prop_at = format!("{at}/properties/{}", escape_pointer_token(name));
            if direction == Direction::Request && new_required.contains(name) {
                self.push(
                    "request-property-added-required",
                    &prop_at,
                    true,
                    format!("required property `{name}` was added: callers must now set it"),
                );
            } else {
                self.push(
                    "property-added",
                    &prop_at,
                    false,
                    format!("optional property `{name}` was added"),
                );
            }
        }
        for keyword in ["items", "additionalProperties"] {
            if let (Some(o), Some(n)) = (old.get(keyword), new.get(keyword))
                && o.is_object()
                && n.is_object()
            {
                self.schema(o, n, direction, &format!("{at}/{keyword}"), seen);
            }
        }
    }

    /// Request-side constraints: tightened is breaking (values that were
    /// accepted are now refused before sending), loosened is not.
    fn constraints(&mut self, old: &Value, new: &Value, at: &str) {
        let number = |v: &Value, k: &str| v.get(k).and_then(Value::as_f64);
        // (keyword, true when a larger value is tighter)
        for (keyword, larger_is_tighter) in [
            ("maxLength", false),
            ("maxItems", false),
            ("maximum", false),
            ("minLength", true),
            ("minItems", true),
            ("minimum", true),
        ] {
            let tightened = match (number(old, keyword), number(new, keyword)) {
                (None, Some(_)) => true,
                (Some(o), Some(n)) => (larger_is_tighter && n > o) || (!larger_is_tighter && n < o),
                _ => false,
            };
            if tightened {
                self.push(
                    "constraint-tightened",
                    &format!("{at}/{keyword}"),
                    true,
                    format!(
                        "{keyword} tightened from {} to {}",
                        number(old, keyword).map_or("none".into(), |v| v.to_string()),
                        number(new, keyword).map_or("none".into(), |v| v.to_string())
                    ),
                );
            }
        }
        let pattern = |v: &Value| v.get("pattern").and_then(Value::as_str).map(String::from);
        if let Some(new_pattern) = pattern(new)
            && pattern(old).as_deref() != Some(new_pattern.as_str())
        {
            {
                self.push(
                    "constraint-tightened",
                    &format!("{at}/pattern"),
                    true,
                    format!(
                        "pattern {} to `{new_pattern}`",
                        pattern(old).map_or("added:".into(), |p| format!("changed from `{p}`"))
                    ),
                );
            }
        }
    }
}

fn json_ref(component: &str) -> Value {
    serde_json::json!({"$ref": crate::refs::schema_reference(component)})
}

/// The schema `schema` ends at, following its `$ref`s inside `document`
/// (the one resolver, [`crate::refs::follow`]), and the name of the last
/// component passed through; no schema where the references lead nowhere.
fn resolve<'a>(document: &'a Value, schema: &'a Value) -> (Option<&'a Value>, Option<String>) {
    let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
        return (Some(schema), None);
    };
    let name = |reference: &str| crate::refs::component_name(reference).map(String::from);
    match crate::refs::follow(document, reference) {
        Ok((target, last)) => (Some(target), name(&last)),
        Err(_) => (None, name(reference)),
    }
}

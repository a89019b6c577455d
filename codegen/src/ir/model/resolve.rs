//! References the model follows: named schemas (inline ones hoisted into
//! components), parameters and responses.

use super::*;

impl Builder<'_> {
    /// The type of a schema, hoisting an inline schema into the components
    /// under `hoisted_name`.
    pub(super) fn named_schema(
        &mut self,
        schema: &ReferenceOr<Schema>,
        hoisted_name: &str,
    ) -> crate::ir::TypeId {
        match schema {
            ReferenceOr::Reference { reference } => {
                let name = crate::refs::component_name(reference)
                    .unwrap_or(reference)
                    .to_string();
                self.components.id(&name)
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
                self.type_names.add(&name);
                self.components.id(&name)
            }
        }
    }

    pub(super) fn resolve_schema(
        &mut self,
        schema: &ReferenceOr<Schema>,
        at: &str,
    ) -> Option<Schema> {
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
    pub(super) fn resolve_component<T: Clone>(
        &mut self,
        item: &ReferenceOr<T>,
        kind: &str,
        pick: impl Fn(&openapiv3::Components) -> &indexmap::IndexMap<String, ReferenceOr<T>>,
        at: &str,
    ) -> Option<T> {
        match item {
            ReferenceOr::Item(item) => Some(item.clone()),
            ReferenceOr::Reference { reference } => {
                let resolved = crate::refs::component_of_kind(reference, kind)
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

    pub(super) fn resolve_parameter(
        &mut self,
        parameter: &ReferenceOr<Parameter>,
        at: &str,
    ) -> Option<Parameter> {
        self.resolve_component(parameter, "parameters", |c| &c.parameters, at)
    }

    pub(super) fn resolve_response(
        &mut self,
        response: &ReferenceOr<Response>,
        at: &str,
    ) -> Option<Response> {
        self.resolve_component(response, "responses", |c| &c.responses, at)
    }
}

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

    /// The type of a schema that a reusable component holds (a response,
    /// request body or parameter under `components`): an inline one is
    /// hoisted once, under `hoisted_name`, and every operation that refers
    /// to the component holds that one type. `origin` is the schema's place
    /// in the component (its pointer), which is what makes it the same.
    pub(super) fn shared_schema(
        &mut self,
        schema: &ReferenceOr<Schema>,
        origin: &str,
        hoisted_name: &str,
    ) -> crate::ir::TypeId {
        if matches!(schema, ReferenceOr::Reference { .. }) {
            return self.named_schema(schema, hoisted_name);
        }
        if let Some(id) = self.shared.get(origin) {
            return *id;
        }
        let id = self.named_schema(schema, hoisted_name);
        self.shared.insert(origin.to_string(), id);
        id
    }

    /// The type of a schema written in `place`, at `within` there (its
    /// pointer below the response, body or parameter, `/content/...`): hoisted under
    /// `own_name` when inline in the operation, shared as
    /// [`Self::shared_schema`] says when inline in a component.
    pub(super) fn place_schema(
        &mut self,
        schema: &ReferenceOr<Schema>,
        place: &Place,
        within: &str,
        own_name: &str,
    ) -> crate::ir::TypeId {
        match place {
            Place::Own => self.named_schema(schema, own_name),
            Place::Component { pointer, name } => {
                self.shared_schema(schema, &format!("{pointer}{within}"), name)
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

    /// Where `item` is written: its own operation's, or a component's that
    /// `item` refers to (`#/components/{kind}/NAME`).
    pub(super) fn place_of<T>(item: &ReferenceOr<T>, kind: &str) -> Place {
        let ReferenceOr::Reference { reference } = item else {
            return Place::Own;
        };
        match crate::refs::component_of_kind(reference, kind) {
            Some(name) => Place::Component {
                pointer: reference.clone(),
                name: crate::error::unescape_pointer_token(name),
            },
            None => Place::Own,
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

/// Where a response, request body or parameter is written, which decides
/// whether the types inline in it are the operation's own or shared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Place {
    /// In the operation: its inline schemas are hoisted under names made
    /// from the operation's.
    Own,
    /// In `components`, at `pointer`: its inline schemas are hoisted once,
    /// named after the component (`name`, unescaped), and shared by every
    /// operation that refers to it.
    Component { pointer: String, name: String },
}

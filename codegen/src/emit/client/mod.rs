//! Stage 4, client: emit the `Client`, its constructors and one async method
//! per operation, calling the hand-written runtime of `agent-clients`.
//!
//! This is where the generator replaces progenitor's operation code: the
//! credentials the spec's `security` requires are constructor arguments,
//! base URLs are normalised by the runtime, no `api-version` header is sent,
//! and every documented error status gets its own typed variant.

mod constructors;
mod enums;
mod methods;
mod mock;
mod pages;
mod request;
mod response;
mod servers;
mod templates;

use constructors::*;
use enums::*;
use methods::*;
use request::*;
use response::*;
use servers::{offers_servers, servers_module};
use templates::*;

use std::cell::RefCell;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;
use syn::{Arm, Expr, ImplItem, ImplItemFn, Item, Pat, Stmt, Type};

use super::features::{Gates, gate};
use super::syntax::{
    self, Holes, Template, bool_expr, doc_lines as doc, fn_arg, ident, int_expr, list_attr,
    path_type, slice_ref,
};
use crate::ir::lower::{Group, Ir};
use crate::ir::model::{
    Api, Argument, ArgumentSource, ArgumentType, Body, BodyKind, Credential, CredentialKind,
    ErrorCase, Operation, Param, ParamKind, ParamLocation, ParamStyle, PathPiece, StatusMatch,
    SuccessBody, SuccessCase,
};
use crate::ir::model::{PageBy, Pagination};
use crate::ir::pages::PageFields;
use crate::ir::{Presence, TypeId, TypeSpace};

/// The client items: `Client`, its methods, the error enums and the
/// operation table; with `mock`, the `mock` module.
///
/// The items around the methods are written once per spec and parsed; the
/// methods, enums and operation constants (most of a client) are built as
/// syn values from templates parsed once per thread, with no parse.
pub fn generate(ir: &Ir, mock: bool) -> Vec<Item> {
    TEMPLATES.with(|templates| {
        let emit = Emit {
            templates,
            space: &ir.space,
            pages: &ir.pages,
            gates: ir
                .split
                .as_ref()
                .map(|split| RefCell::new(Gates::new(split))),
        };
        let mut items = emit.client(&ir.api, &ir.groups);
        if mock {
            items.push(emit.mock_module(&ir.api));
        }
        items
    })
}

/// What the emitting functions share: the templates, which types have a
/// `Validate` impl, and what the paginated operations' pages hold.
struct Emit<'a> {
    templates: &'a Templates,
    /// The types, by id: their names, and which have a `Validate` impl.
    space: &'a TypeSpace,
    pages: &'a std::collections::BTreeMap<String, PageFields>,
    gates: Option<RefCell<Gates<'a>>>,
}

impl Emit<'_> {
    /// The `cfg` attribute of `op`'s feature, in a split client.
    fn operation_gate(&self, op: &Operation) -> Option<syn::Attribute> {
        self.gates
            .as_ref()
            .map(|gates| gates.borrow_mut().operation(op))
    }

    /// `item` behind `op`'s feature, in a split client.
    fn gated(&self, op: &Operation, mut item: Item) -> Item {
        if let Some(attribute) = self.operation_gate(op) {
            gate(&mut item, attribute);
        }
        item
    }
}

impl Emit<'_> {
    fn client(&self, api: &Api, groups: &[Group]) -> Vec<Item> {
        let client_doc = doc(&client_doc(api, groups));
        let constructors = constructors(api);
        let skeleton: syn::File = syn::parse2(quote! {
            #(#client_doc)*
            #[derive(Clone, Debug)]
            pub struct Client {
                runtime: ::agent_clients_runtime::Runtime,
            }

            impl Client {
                #constructors

                /// The base URL requests go to, without a trailing `/`.
                pub fn base_url(&self) -> &str {
                    self.runtime.base_url()
                }

                /// A handle to this client (the same connections and credentials) whose calls
                /// use `options`: a time limit, extra headers, a retry policy or an idempotency
                /// key for some calls only. This client is unchanged.
                pub fn with_options(&self, options: ::agent_clients_runtime::CallOptions) -> Self {
                    Client {
                        runtime: self.runtime.with_options(options),
                    }
                }
            }

            /// Static facts about each operation, used by the runtime for
            /// credentials, retries and tracing.
            mod operations {}
        })
        .unwrap_or_else(|error| {
            panic!("the client's items do not parse (a generator bug): {error}")
        });
        let mut items = skeleton.items;
        let mut operations_mod = items.pop().expect("the skeleton ends in `mod operations`");
        // With one group, the methods follow the constructors in one block.
        if groups.len() > 1 {
            items.extend(self.method_blocks(api, groups));
        } else if let Item::Impl(block) = &mut items[1] {
            for op in &api.operations {
                block.items.extend(self.operation_methods(api, op));
            }
        }
        for op in &api.operations {
            items.extend(success_enum(self.space, op).map(|item| self.gated(op, item)));
            items.push(self.gated(op, error_enum(self.space, op)));
        }
        if let Item::Mod(module) = &mut operations_mod
            && let Some((_, consts)) = &mut module.content
        {
            consts.extend(
                api.operations
                    .iter()
                    .map(|op| self.gated(op, self.operation_const(op))),
            );
        }
        items.push(operations_mod);
        if offers_servers(api) {
            items.push(syn::parse2(servers_module(api)).unwrap_or_else(|error| {
                panic!("the servers module does not parse (a generator bug): {error}")
            }));
        }
        items
    }
}

/// The client's doc: the API's title and description, and where its
/// operations are grouped by tag, the groups.
fn client_doc(api: &Api, groups: &[Group]) -> String {
    let mut text = format!("Client for {} (API version {}).", api.title, api.version);
    if let Some(description) = &api.description {
        text.push_str("\n\n");
        text.push_str(description.trim());
    }
    if groups.len() > 1 {
        text.push_str(if groups.iter().any(|group| group.feature.is_some()) {
            "\n\nIts methods are grouped by the spec's tags, one `impl` block each, each behind \
             a Cargo feature (with the types only its operations use), in this order:\n"
        } else {
            "\n\nIts methods are grouped by the spec's tags, one `impl` block each, in this order:\n"
        });
        for group in groups {
            let count = group.operations.len();
            let first = group.operations.first().map_or(String::new(), |at| {
                format!(", from [`Client::{}`]", api.operations[*at].fn_name)
            });
            text.push_str(&format!("\n- {} ({count}{first})", group_title(group)));
        }
    }
    text
}

fn group_title(group: &Group) -> String {
    match (group.tag.as_deref(), group.feature.as_deref()) {
        (Some(tag), Some(feature)) => format!("`{tag}`, feature `{feature}`"),
        (Some(tag), None) => format!("`{tag}`"),
        (None, Some(feature)) => format!("feature `{feature}`"),
        (None, None) => "untagged".to_string(),
    }
}

impl Emit<'_> {
    /// The operation methods where the spec's operations have several tags:
    /// one `impl` block per tag, with the tag's heading and description, so
    /// rustdoc shows them grouped.
    fn method_blocks(&self, api: &Api, groups: &[Group]) -> Vec<Item> {
        groups
            .iter()
            .map(|group| {
                let operations = group.operations.iter().map(|at| &api.operations[*at]);
                let mut text = match (group.tag.as_deref(), group.feature.as_deref()) {
                    (Some(tag), Some(feature)) => format!("# Tag `{tag}` (feature `{feature}`)"),
                    (None, Some(feature)) => format!("# Feature `{feature}`"),
                    (Some(tag), None) => format!("# Tag `{tag}`"),
                    (None, None) => "# Operations without a tag".to_string(),
                };
                if let Some(description) = group
                    .description
                    .as_deref()
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                {
                    text.push_str("\n\n");
                    text.push_str(description);
                }
                let mut block = self.templates.client_impl.fill(&Holes::default());
                if let Item::Impl(block) = &mut block {
                    block.attrs = doc(&text);
                    if let (Some(at), Some(_)) = (group.operations.first(), &group.feature) {
                        block
                            .attrs
                            .extend(self.operation_gate(&api.operations[*at]));
                    }
                    for op in operations {
                        block.items.extend(self.operation_methods(api, op));
                    }
                }
                block
            })
            .collect()
    }
}

/// `types::Name`: the path of a type of the `types` module.
fn type_path(space: &TypeSpace, id: TypeId) -> Type {
    path_type(&format!("types::{}", space.get(id).name), Vec::new())
}

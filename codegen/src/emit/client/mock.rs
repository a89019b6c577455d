//! The `mock` module of a client (behind its crate's `mock` feature): a
//! typed mock server for the tests of code that calls the client.
//!
//! One builder per operation, from the same IR description as the client's
//! method, so neither derives a signature on its own:
//!
//! - a setter per parameter and for the body, taking the method's own
//!   argument type, that narrows the expectation by running the client's
//!   own request-building statement (`add_param`, the body statement)
//!   against the runtime's recording request;
//! - a `respond_…` method per documented response, taking its typed body
//!   (the success, or an error enum variant's body), and `respond_raw` /
//!   `respond_with` for anything else.
//!
//! The runtime's `mock` module holds what is the same for every spec.

use syn::{Expr, ImplItem, ImplItemFn, Item, Stmt, Type};

use super::syntax::{self, Holes, Template, doc_lines as doc, ident, int_expr, path_type};
use super::{Emit, operation_const_name, path_value, reference};
use crate::ir::model::{
    Api, Argument, ArgumentSource, Body, BodyKind, Operation, ParamLocation, StatusMatch,
    SuccessBody,
};

/// The templates of the mock module, parsed once per thread.
pub(super) struct MockTemplates {
    server_method: Template<ImplItemFn>,
    builder_impl: Template<Item>,
    path_setter: Template<ImplItemFn>,
    when_setter: Template<ImplItemFn>,
    respond_json: Template<ImplItemFn>,
    respond_body: Template<ImplItemFn>,
    respond_empty: Template<ImplItemFn>,
    status_arg: syn::FnArg,
    into_bytes: Type,
}

impl MockTemplates {
    pub(super) fn new() -> Self {
        use syn::parse_quote as parse;
        MockTemplates {
            server_method: Template::new(parse! {
                pub fn __fn(&self) -> __Builder<'_> {
                    __Builder(self.0.expect_operation(&super::operations::__CONST))
                }
            }),
            builder_impl: Template::new(parse!(
                impl<'a> __Builder<'a> {}
            )),
            path_setter: Template::new(parse! {
                pub fn __name(self, __name: __Type) -> Self {
                    Self(self.0.path("__wire", || Ok(__value)))
                }
            }),
            when_setter: Template::new(parse! {
                pub fn __name(self, __name: __Type) -> Self {
                    Self(self.0.when("__wire", |request| __recorded))
                }
            }),
            respond_json: Template::new(parse! {
                pub fn __fn(self, value: __Type) -> ::agent_clients_runtime::mock::Mock<'a> {
                    self.0.respond_json(__status, value)
                }
            }),
            respond_body: Template::new(parse! {
                pub fn __fn(self, body: __Type) -> ::agent_clients_runtime::mock::Mock<'a> {
                    self.0.respond_body(__status, "__media", body)
                }
            }),
            respond_empty: Template::new(parse! {
                pub fn __fn(self) -> ::agent_clients_runtime::mock::Mock<'a> {
                    self.0.respond_empty(__status)
                }
            }),
            status_arg: parse!(status: u16),
            into_bytes: parse!(impl ::std::convert::Into<::std::vec::Vec<u8>>),
        }
    }
}

impl Emit<'_> {
    /// `#[cfg(feature = "mock")] pub mod mock { … }`: the server, and one
    /// builder per operation.
    pub(super) fn mock_module(&self, api: &Api) -> Item {
        let mut module: syn::ItemMod = syn::parse_quote! {
            /// Typed mock servers for the tests of code that calls [`Client`] (the `mock`
            /// feature).
            ///
            /// [`MockServer::start`](mock::MockServer::start) starts a local server; each of
            /// its methods expects one operation. Narrow the expectation with the operation's
            /// own argument types, answer it with a documented response's typed body (or
            /// `respond_raw`), say how many calls it expects, and mount it:
            ///
            /// ```text
            /// let server = mock::MockServer::start().await;
            /// server.some_operation().some_parameter(value).respond_ok(&body).expect(1).mount().await;
            /// let client = Client::with_base_url(&server.uri(), /* credentials */)?;
            /// ```
            ///
            /// A request that no expectation matches is answered `404`. Call counts are
            /// checked when the server is dropped, or by `server.verify().await`.
            #[cfg(feature = "mock")]
            pub mod mock {
                /// A local server on 127.0.0.1 answering as expected, for tests; it
                /// dereferences to the runtime's server (`uri`, `verify`,
                /// `received_requests`).
                pub struct MockServer(::agent_clients_runtime::mock::MockServer);

                impl MockServer {
                    /// Starts a server on a free port of 127.0.0.1.
                    pub async fn start() -> Self {
                        MockServer(::agent_clients_runtime::mock::MockServer::start().await)
                    }
                }

                impl ::std::ops::Deref for MockServer {
                    type Target = ::agent_clients_runtime::mock::MockServer;

                    fn deref(&self) -> &Self::Target {
                        &self.0
                    }
                }
            }
        };
        let (_, items) = module.content.as_mut().expect("the skeleton has a body");
        if let Some(Item::Impl(server)) = items.get_mut(1) {
            let methods = api.operations.iter().map(|op| {
                let mut method = self.server_method(op);
                method.attrs.extend(self.operation_gate(op));
                method
            });
            server.items.extend(methods.map(ImplItem::Fn));
        }
        items.extend(api.operations.iter().flat_map(|op| {
            self.builder(op)
                .into_iter()
                .map(|item| self.gated(op, item))
        }));
        items.extend(crate::emit::webhooks::mock_sender(api));
        if uses_types(api) {
            items.insert(
                0,
                syn::parse_quote!(
                    use super::types;
                ),
            );
        }
        Item::Mod(module)
    }

    /// `pub fn update_agent(&self) -> UpdateAgentMock<'_>`.
    fn server_method(&self, op: &Operation) -> ImplItemFn {
        let t = &self.templates.mock;
        let mut method = t.server_method.fill(
            &Holes::default()
                .ident("__fn", &ident(&op.fn_name))
                .ident("__Builder", &builder_name(op))
                .ident("__CONST", &operation_const_name(op)),
        );
        method.attrs = doc(&format!(
            "Expects `{} {}`, as [`Client::{}`](super::Client::{}) sends it.",
            op.method, op.path, op.fn_name, op.fn_name
        ));
        method
    }

    /// The builder of one operation: the struct (with the answers every
    /// operation has, from the runtime's `expectation!`) and its typed
    /// methods.
    fn builder(&self, op: &Operation) -> Vec<Item> {
        let t = &self.templates.mock;
        let name = builder_name(op);
        let multipart = op
            .body
            .as_ref()
            .is_some_and(|body| matches!(body.kind, BodyKind::Multipart { .. }));
        let doc = format!(
            "An expectation on [`Client::{}`](super::Client::{}).{}",
            op.fn_name,
            op.fn_name,
            if multipart {
                " Its multipart body is not matched: the boundary differs on each call."
            } else {
                ""
            }
        );
        let holes = Holes::default().ident("__Builder", &name);
        let mut methods = self.setters(op);
        methods.extend(self.responders(op));
        let mut items = vec![expectation_macro(&doc, &name)];
        if !methods.is_empty() {
            let mut block = t.builder_impl.fill(&holes);
            if let Item::Impl(item) = &mut block {
                item.items = methods.into_iter().map(ImplItem::Fn).collect();
            }
            items.push(block);
        }
        items
    }

    /// One setter per argument of the client's method; none for a
    /// multipart body.
    fn setters(&self, op: &Operation) -> Vec<ImplItemFn> {
        op.arguments()
            .into_iter()
            .filter_map(|argument| self.setter(argument))
            .collect()
    }

    fn setter(&self, argument: Argument<'_>) -> Option<ImplItemFn> {
        let t = &self.templates.mock;
        // A matcher wants the value, never its absence.
        let required = Argument {
            optional: false,
            ..argument
        };
        let ty = self.argument_type(&required);
        let name = ident(argument.name);
        let (mut setter, what) = match argument.source {
            ArgumentSource::Param(param) if param.location == ParamLocation::Path => {
                let value: Expr = syn::parse2(path_value(param))
                    .expect("a path parameter's value is an expression");
                let setter = t.path_setter.fill(
                    &Holes::default()
                        .ident("__name", &name)
                        .ty("__Type", &ty)
                        .str("__wire", &param.name)
                        .expr("__value", &value),
                );
                (setter, format!("path parameter `{}`", param.name))
            }
            ArgumentSource::Param(param) => {
                let value = syntax::path_expr(&param.rust_name);
                let statement = self.add_param(param, &value);
                let setter = self.when_setter(&name, &ty, &param.name, statement);
                (
                    setter,
                    format!("{} parameter `{}`", param.location.name(), param.name),
                )
            }
            ArgumentSource::Body(body) => {
                let statement = self.body_set_statement(body)?;
                let setter = self.when_setter(&name, &ty, "body", statement);
                (setter, body_match_doc(body).to_string())
            }
        };
        setter.attrs = doc(&format!(
            "Only requests whose {what} is `{}`.",
            argument.name
        ));
        Some(setter)
    }

    /// A setter whose closure runs `statement`, the client's own, against
    /// the recording request.
    fn when_setter(&self, name: &syn::Ident, ty: &Type, wire: &str, statement: Stmt) -> ImplItemFn {
        let recorded = recorded_expr(statement);
        self.templates.mock.when_setter.fill(
            &Holes::default()
                .ident("__name", name)
                .ty("__Type", ty)
                .str("__wire", wire)
                .expr("__recorded", &recorded),
        )
    }

    /// One `respond_…` per documented response: the successes, then the
    /// errors. A range or `default` takes its status as an argument.
    fn responders(&self, op: &Operation) -> Vec<ImplItemFn> {
        let successes = op.successes.iter().map(|case| {
            let what = if op.successes.len() == 1 {
                "the success".to_string()
            } else {
                let variant = format!("{}Success::{}", op.type_stem, case.variant);
                format!("[`{variant}`](super::{variant})")
            };
            (case.status, &case.variant, &case.body, what)
        });
        let error_bodies: Vec<SuccessBody> = op
            .errors
            .iter()
            .map(|case| match case.ty {
                Some(ty) => SuccessBody::Json { ty },
                None => SuccessBody::Empty,
            })
            .collect();
        let errors = op.errors.iter().zip(&error_bodies).map(|(case, body)| {
            let variant = format!("{}Error::{}", op.type_stem, case.variant);
            let what = format!("[`{variant}`](super::{variant})");
            (case.status, &case.variant, body, what)
        });
        let names = crate::ir::names::mock::responder_names(op);
        successes
            .chain(errors)
            .zip(names)
            .map(|((status, _, body, what), name)| {
                let mut method = self.responder(&name, status, body);
                method.attrs = doc(&responder_doc(status, &what));
                method
            })
            .collect()
    }

    fn responder(&self, name: &str, status: StatusMatch, body: &SuccessBody) -> ImplItemFn {
        let t = &self.templates.mock;
        let fn_name = ident(name);
        let status_expr = match status {
            StatusMatch::Code(code) => int_expr(code),
            StatusMatch::Range(_) | StatusMatch::Default => syntax::path_expr("status"),
        };
        let holes = Holes::default()
            .ident("__fn", &fn_name)
            .expr("__status", &status_expr);
        let str_ref = reference(path_type("str", Vec::new()));
        let mut method = match body {
            SuccessBody::Json { ty } => {
                let typed = reference(super::type_path(self.space, *ty));
                t.respond_json.fill(&holes.ty("__Type", &typed))
            }
            SuccessBody::Text => t
                .respond_body
                .fill(&holes.ty("__Type", &str_ref).str("__media", "text/plain")),
            SuccessBody::Events => t.respond_body.fill(
                &holes
                    .ty("__Type", &str_ref)
                    .str("__media", "text/event-stream"),
            ),
            SuccessBody::Bytes => t.respond_body.fill(
                &holes
                    .ty("__Type", &t.into_bytes)
                    .str("__media", "application/octet-stream"),
            ),
            SuccessBody::Empty => t.respond_empty.fill(&holes),
        };
        if !matches!(status, StatusMatch::Code(_)) {
            method.sig.inputs.insert(1, t.status_arg.clone());
        }
        method
    }
}

/// `::agent_clients_runtime::mock::expectation!(NameMock, "doc");`: the
/// builder struct, and the answers every operation has. A macro's
/// arguments are tokens in syn too: nothing here is parsed.
fn expectation_macro(doc: &str, name: &syn::Ident) -> Item {
    Item::Macro(syn::ItemMacro {
        attrs: Vec::new(),
        ident: None,
        mac: syn::Macro {
            path: syntax::path("::agent_clients_runtime::mock::expectation"),
            bang_token: Default::default(),
            delimiter: syn::MacroDelimiter::Paren(Default::default()),
            tokens: quote::quote!(#name, #doc),
        },
        semi_token: Some(Default::default()),
    })
}

/// Whether a builder names a type of the `types` module.
fn uses_types(api: &Api) -> bool {
    api.operations.iter().any(|op| {
        op.arguments()
            .iter()
            .any(|argument| matches!(argument.ty, crate::ir::model::ArgumentType::Named(_)))
            || op.successes.iter().any(|case| case.body.ty().is_some())
            || op.errors.iter().any(|case| case.ty.is_some())
    })
}

/// `UpdateAgentMock`: the operation's type stem, which the IR made distinct
/// among operations, and `Mock`, which keeps it apart from `MockServer`.
fn builder_name(op: &Operation) -> syn::Ident {
    ident(&format!("{}Mock", op.type_stem))
}

/// How a body setter compares, for its doc.
fn body_match_doc(body: &Body) -> &'static str {
    match body.kind {
        BodyKind::Json { .. } => "body (compared as JSON)",
        _ => "body",
    }
}

/// A responder's doc: the status, and what it stands for (the variant's
/// doc has the spec's words).
fn responder_doc(status: StatusMatch, what: &str) -> String {
    match status {
        StatusMatch::Code(code) => format!("Answers `{code}`: {what}."),
        StatusMatch::Range(hundreds) => format!("Answers `status`, a `{hundreds}XX`: {what}."),
        StatusMatch::Default => format!("Answers `status`, one the spec does not list: {what}."),
    }
}

/// The closure body that runs a request-building statement: the call, its
/// `?` dropped, so the closure returns what the call returns and the
/// runtime reads it; or, where an argument has a `?` of its own (a typed
/// parameter's text), the statement and `Ok(())`.
fn recorded_expr(statement: Stmt) -> Expr {
    let call = match &statement {
        Stmt::Expr(Expr::Try(call), _) => (*call.expr).clone(),
        Stmt::Expr(call, _) => call.clone(),
        _ => unreachable!("a request-building statement is a call"),
    };
    if !has_try(&call) {
        return call;
    }
    syn::parse_quote!({
        #statement
        Ok(())
    })
}

/// Whether `expr` holds a `?`.
fn has_try(expr: &Expr) -> bool {
    struct Finder(bool);
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        fn visit_expr_try(&mut self, _: &'ast syn::ExprTry) {
            self.0 = true;
        }
    }
    let mut finder = Finder(false);
    syn::visit::Visit::visit_expr(&mut finder, expr);
    finder.0
}

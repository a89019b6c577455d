//! One method per operation (and per alternative media type, and a
//! `_stream` sibling for streamed bodies): signatures, docs, attributes.

use super::*;

impl Emit<'_> {
    /// The Rust type of an argument, as the method declares it.
    pub(super) fn argument_type(&self, argument: &Argument) -> Type {
        let constant = &self.templates.types;
        let base = match argument.ty {
            ArgumentType::Str => constant.str_ref.clone(),
            ArgumentType::Uuid => constant.uuid_ref.clone(),
            ArgumentType::Integer => path_type("i64", Vec::new()),
            ArgumentType::Number => path_type("f64", Vec::new()),
            ArgumentType::Boolean => path_type("bool", Vec::new()),
            ArgumentType::Named(ty) => reference(type_path(self.space, ty)),
            // Owned, so a caller's `Vec<u8>` or `&'static [u8]` goes in
            // without a copy; an optional one is the runtime's type itself.
            ArgumentType::Bytes if argument.optional => {
                path_type("::agent_clients_runtime::Bytes", Vec::new())
            }
            ArgumentType::Bytes => constant.into_bytes.clone(),
        };
        if argument.optional {
            path_type("::std::option::Option", vec![base])
        } else {
            base
        }
    }

    /// Every method of one operation: its own, then one per alternative
    /// media type of its request body (the same operation, another body).
    pub(super) fn operation_methods(&self, api: &Api, op: &Operation) -> Vec<ImplItem> {
        let main_media = op.body.as_ref().map_or("", |body| body.media_type.as_str());
        let alternatives_note = (!op.alternatives.is_empty()).then(|| {
            let list: Vec<String> = op
                .alternatives
                .iter()
                .map(|alt| format!("`{}` ([`Client::{}`])", alt.body.media_type, alt.fn_name))
                .collect();
            format!(
                "The body is sent as `{main_media}`; the spec also accepts {}.",
                list.join(", ")
            )
        });
        let mut methods = self.method(api, op, &op.fn_name, alternatives_note.as_deref());
        if let (Some(pagination), Some(fields)) = (&op.pagination, self.pages.get(&op.fn_name)) {
            methods.push(ImplItem::Fn(self.pages_method(api, op, pagination, fields)));
        }
        for alternative in &op.alternatives {
            // The same operation (its constant, error enum, ...), another body.
            let variant = Operation {
                body: Some(alternative.body.clone()),
                alternatives: Vec::new(),
                stream_fn: None,
                ..op.clone()
            };
            let note = format!(
                "The body is sent as `{}`; [`Client::{}`] sends it as `{main_media}`.",
                alternative.body.media_type, op.fn_name
            );
            methods.extend(self.method(api, &variant, &alternative.fn_name, Some(&note)));
        }
        methods
    }

    /// The method `name` of one operation (`note`, if any, in its doc); for
    /// a success body of bytes, also its streaming sibling
    /// (`Operation::stream_fn`), which the buffered method calls and
    /// collects.
    pub(super) fn method(
        &self,
        api: &Api,
        op: &Operation,
        name: &str,
        note: Option<&str>,
    ) -> Vec<ImplItem> {
        let parts = MethodParts {
            attributes: method_attributes(op),
            args: self.arguments(op),
            build: self.build_request(op),
        };
        let notes = |own: &str| match note {
            Some(note) => format!("{own}\n\n{note}"),
            None => own.to_string(),
        };
        let methods = match (op.shared_success_body(), &op.stream_fn) {
            (Some(SuccessBody::Events), _) => {
                let own = notes("The events are read as they arrive, as an `EventStream`.");
                let doc = doc(&method_doc(api, op, Some(&own)));
                vec![self.streaming_method(op, name, doc, &parts, true)]
            }
            (Some(SuccessBody::Bytes), Some(stream_fn)) => {
                let own = notes(&format!(
                    "The body is read whole, up to `ClientConfig::max_response_bytes`; \
                     [`Client::{stream_fn}`] reads it as it arrives instead."
                ));
                let buffered =
                    collecting_method(op, stream_fn, doc(&method_doc(api, op, Some(&own))), &parts);
                let own = notes(&format!(
                    "The body is read as it arrives, as a `ByteStream`, never buffered whole; \
                     [`Client::{}`] reads it whole instead.",
                    op.fn_name
                ));
                let doc = doc(&method_doc(api, op, Some(&own)));
                let streaming = self.streaming_method(op, stream_fn, doc, &parts, false);
                vec![buffered, streaming]
            }
            _ => vec![self.buffered_method(op, name, doc(&method_doc(api, op, note)), &parts)],
        };
        methods.into_iter().map(ImplItem::Fn).collect()
    }

    /// The method that reads the response whole and types it.
    pub(super) fn buffered_method(
        &self,
        op: &Operation,
        name: &str,
        method_doc: Vec<syn::Attribute>,
        parts: &MethodParts,
    ) -> ImplItemFn {
        let success = match op.shared_success_body() {
            Some(body) => success_type(self.space, &body),
            None => path_type(&success_enum_name(op).to_string(), Vec::new()),
        };
        let error = path_type(&error_enum_name(op).to_string(), Vec::new());
        let arms = self.response_arms(op, true);
        let fn_name = ident(name);
        let holes = Holes::default()
            .ident("__fn", &fn_name)
            .ty("__Success", &success)
            .ty("__Error", &error)
            .expr("__arms", &arms);
        let mut method = self.templates.buffered_method.fill(&holes);
        parts.apply(&mut method, method_doc);
        method
    }

    /// The method that returns a success body unread (`ByteStream`, or as an
    /// `EventStream` when `events`); other statuses are read and typed.
    pub(super) fn streaming_method(
        &self,
        op: &Operation,
        fn_name: &str,
        method_doc: Vec<syn::Attribute>,
        parts: &MethodParts,
        events: bool,
    ) -> ImplItemFn {
        let fn_name = ident(fn_name);
        let t = self.templates;
        let (success, value) = if events {
            (&t.event_stream, &t.events_value)
        } else {
            (&t.byte_stream, &t.bytes_value)
        };
        let error = path_type(&error_enum_name(op).to_string(), Vec::new());
        let streams = streamed_statuses(op);
        let arms = self.response_arms(op, false);
        let holes = Holes::default()
            .ident("__fn", &fn_name)
            .ty("__Success", success)
            .ty("__Error", &error)
            .expr("__streams", &streams)
            .expr("__value", value)
            .expr("__arms", &arms);
        let mut method = t.streaming_method.fill(&holes);
        parts.apply(&mut method, method_doc);
        method
    }
}

/// Gives every elided reference lifetime the name `'a`, the lifetime of
/// the pages that borrow it.
pub(super) struct LifetimeA;

impl syn::visit_mut::VisitMut for LifetimeA {
    fn visit_type_reference_mut(&mut self, reference: &mut syn::TypeReference) {
        if reference.lifetime.is_none() {
            reference.lifetime = Some(syn::Lifetime::new("'a", proc_macro2::Span::call_site()));
        }
        syn::visit_mut::visit_type_reference_mut(self, reference);
    }
}

/// The buffered method of a bytes body: its streaming sibling, collected.
pub(super) fn collecting_method(
    op: &Operation,
    stream_fn: &str,
    method_doc: Vec<syn::Attribute>,
    parts: &MethodParts,
) -> ImplItemFn {
    let fn_name = ident(&op.fn_name);
    let stream_fn = ident(stream_fn);
    let error = error_enum_name(op);
    let names = op
        .params
        .iter()
        .map(|param| ident(&param.rust_name))
        .chain(op.body.as_ref().map(|_| ident("body")));
    // Rare (a body of bytes), so parsed.
    let mut method: ImplItemFn = syn::parse_quote! {
        pub async fn #fn_name(
            &self,
        ) -> ::std::result::Result<
            ::agent_clients_runtime::Response<::agent_clients_runtime::Bytes>,
            ::agent_clients_runtime::Error<#error>,
        > {
            self.#stream_fn(#(#names),*).await?.collect().await
        }
    };
    let body = std::mem::take(&mut method.block.stmts);
    parts.apply(&mut method, method_doc);
    method.block.stmts = body;
    // Calling its deprecated sibling is this method's own business.
    if op.deprecated {
        method.attrs.push(list_attr("allow", quote!(deprecated)));
    }
    method
}

/// What every method of an operation shares.
pub(super) struct MethodParts {
    /// `#[deprecated]`, clippy allowances.
    pub(super) attributes: Vec<syn::Attribute>,
    /// The arguments after `&self`.
    pub(super) args: Vec<syn::FnArg>,
    /// Statements that bind `request`, built and checked.
    pub(super) build: Vec<Stmt>,
}

impl MethodParts {
    /// Gives `method` (a template with `&self` its only argument) its doc,
    /// attributes and arguments, and the statements that build the request
    /// before its own.
    pub(super) fn apply(&self, method: &mut ImplItemFn, method_doc: Vec<syn::Attribute>) {
        method.attrs = method_doc;
        method.attrs.extend(self.attributes.iter().cloned());
        let inputs = &mut method.sig.inputs;
        // `&self, a, b` as written: a comma after `self` only before more.
        if !self.args.is_empty() && !inputs.trailing_punct() {
            inputs.push_punct(Default::default());
        }
        for (index, arg) in self.args.iter().enumerate() {
            if index > 0 {
                inputs.push_punct(Default::default());
            }
            inputs.push_value(arg.clone());
        }
        method.block.stmts.splice(0..0, self.build.iter().cloned());
    }
}

/// The Rust type a method returns for a success body.
pub(super) fn success_type(space: &TypeSpace, body: &SuccessBody) -> Type {
    match body {
        SuccessBody::Json { ty } => type_path(space, *ty),
        SuccessBody::Bytes => path_type("::agent_clients_runtime::Bytes", Vec::new()),
        SuccessBody::Text => path_type("::std::string::String", Vec::new()),
        SuccessBody::Events => path_type("::agent_clients_runtime::EventStream", Vec::new()),
        SuccessBody::Empty => Type::Tuple(syn::TypeTuple {
            attrs: Vec::new(),
            paren_token: Default::default(),
            elems: Default::default(),
        }),
    }
}

/// `&ty`.
pub(super) fn reference(ty: Type) -> Type {
    Type::Reference(syn::TypeReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        lifetime: None,
        mutability: None,
        elem: Box::new(ty),
    })
}

/// The method's doc: summary, description, what it sends, `note`, the
/// arguments and the credentials it needs.
pub(super) fn method_doc(api: &Api, op: &Operation, note: Option<&str>) -> String {
    let mut text = String::new();
    for paragraph in [&op.summary, &op.description].into_iter().flatten() {
        text.push_str(paragraph.trim());
        text.push_str("\n\n");
    }
    text.push_str(&if op.has_operation_id {
        format!(
            "Sends `{} {}` (operationId `{}`).",
            op.method, op.path, op.operation_id
        )
    } else {
        format!("Sends `{} {}`.", op.method, op.path)
    });
    if op.raw_success {
        text.push_str(
            "\n\nThe spec documents no success response, so the body of any status below 400 \
             is returned as received.",
        );
    }
    if let Some(note) = note {
        text.push_str("\n\n");
        text.push_str(note);
    }
    if let Some(content_type) = &op.bodiless_content_type {
        text.push_str(&format!(
            "\n\nSends `Content-Type: {content_type}`, as the spec's required header parameter pins, although there is no body."
        ));
    }
    if let Some(header) = &op.idempotency_header {
        text.push_str(&format!(
            "\n\nSends an idempotency key in `{header}`: the one given (as an argument, or in \
             `CallOptions::idempotency_key`), else a fresh UUIDv4; the same key on every retry, \
             so the call is retried like an idempotent one."
        ));
    }
    let mut arg_docs = String::new();
    for argument in op.arguments() {
        arg_docs.push_str(&format!("\n- `{}`: ", argument.name));
        arg_docs.push_str(&match argument.source {
            ArgumentSource::Param(param) => format!(
                "{} parameter `{}`{}",
                param.location.name(),
                param.name,
                param
                    .description
                    .as_ref()
                    .map(|d| format!(": {}", d.trim()))
                    .unwrap_or_default()
            ),
            ArgumentSource::Body(body) => body_doc(body),
        });
    }
    if !arg_docs.is_empty() {
        text.push_str("\n\nArguments:");
        text.push_str(&arg_docs);
    }
    text.push_str(&security_doc(api, op));
    text
}

/// What an argument list says of the request body.
pub(super) fn body_doc(body: &Body) -> String {
    let media_type = &body.media_type;
    match body.kind {
        BodyKind::Json { .. } => "the JSON request body".to_string(),
        BodyKind::Multipart { .. } => {
            "the request body, sent as `multipart/form-data`, one part per field".to_string()
        }
        BodyKind::Form { .. } => format!("the request body, sent as `{media_type}`"),
        BodyKind::Text => format!("the request body, sent as `{media_type}` text"),
        BodyKind::Bytes => format!("the request body, sent as `{media_type}` bytes"),
    }
}

pub(super) fn method_attributes(op: &Operation) -> Vec<syn::Attribute> {
    let deprecated = op.deprecated.then(|| syntax::path_attr("deprecated"));
    // Arguments mirror the spec's parameters one for one; an operation with
    // many of them is the spec's shape, not a design choice here. (`self`
    // counts toward clippy's limit of 7.)
    let many_arguments = (op.arguments().len() + 1 > 7)
        .then(|| list_attr("allow", quote!(clippy::too_many_arguments)));
    deprecated.into_iter().chain(many_arguments).collect()
}

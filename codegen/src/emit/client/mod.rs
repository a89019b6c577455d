//! Stage 4, client: emit the `Client`, its constructors and one async method
//! per operation, calling the hand-written runtime of `agent-clients`.
//!
//! This is where the generator replaces progenitor's operation code: the
//! credentials the spec's `security` requires are constructor arguments,
//! base URLs are normalised by the runtime, no `api-version` header is sent,
//! and every documented error status gets its own typed variant.

mod mock;

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
use crate::ir::Presence;
use crate::ir::features::Split;
use crate::ir::model::{
    Api, Argument, ArgumentSource, ArgumentType, Body, BodyKind, Credential, CredentialKind,
    ErrorCase, Operation, OperationGroup, Param, ParamKind, ParamLocation, ParamStyle, PathPiece,
    StatusMatch, SuccessBody, SuccessCase,
};
use crate::ir::pagination::{PageBy, PageFields, Pagination};

/// The client items: `Client`, its methods, the error enums and the
/// operation table; with `mock`, the `mock` module.
///
/// The items around the methods are written once per spec and parsed; the
/// methods, enums and operation constants (most of a client) are built as
/// syn values from templates parsed once per thread, with no parse.
pub fn generate(
    api: &Api,
    validated: &std::collections::BTreeSet<String>,
    pages: &std::collections::BTreeMap<String, PageFields>,
    mock: bool,
    split: Option<&Split>,
) -> Vec<Item> {
    TEMPLATES.with(|templates| {
        let emit = Emit {
            templates,
            validated,
            pages,
            split,
            gates: split.map(|split| RefCell::new(Gates::new(split))),
        };
        let mut items = emit.client(api);
        if mock {
            items.push(emit.mock_module(api));
        }
        items
    })
}

/// What the emitting functions share: the templates, which types have a
/// `Validate` impl, and what the paginated operations' pages hold.
struct Emit<'a> {
    templates: &'a Templates,
    validated: &'a std::collections::BTreeSet<String>,
    pages: &'a std::collections::BTreeMap<String, PageFields>,
    /// The client's split into features, if it is split.
    split: Option<&'a Split>,
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
    fn client(&self, api: &Api) -> Vec<Item> {
        let groups = match self.split {
            Some(split) => split.groups(api),
            None => api.operation_groups(),
        };
        let client_doc = doc(&client_doc(api, &groups));
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
            items.extend(self.method_blocks(api, &groups));
        } else if let Item::Impl(block) = &mut items[1] {
            for op in &api.operations {
                block.items.extend(self.operation_methods(api, op));
            }
        }
        for op in &api.operations {
            items.extend(success_enum(op).map(|item| self.gated(op, item)));
            items.push(self.gated(op, error_enum(op)));
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
        items
    }
}

/// The client's doc: the API's title and description, and where its
/// operations are grouped by tag, the groups.
fn client_doc(api: &Api, groups: &[OperationGroup<'_>]) -> String {
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
            let first = group.operations.first().map_or(String::new(), |op| {
                format!(", from [`Client::{}`]", op.fn_name)
            });
            text.push_str(&format!("\n- {} ({count}{first})", group_title(group)));
        }
    }
    text
}

fn group_title(group: &OperationGroup<'_>) -> String {
    match (group.tag, group.feature) {
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
    fn method_blocks(&self, api: &Api, groups: &[OperationGroup<'_>]) -> Vec<Item> {
        groups
            .iter()
            .map(|group| {
                let mut text = match (group.tag, group.feature) {
                    (Some(tag), Some(feature)) => format!("# Tag `{tag}` (feature `{feature}`)"),
                    (None, Some(feature)) => format!("# Feature `{feature}`"),
                    (Some(tag), None) => format!("# Tag `{tag}`"),
                    (None, None) => "# Operations without a tag".to_string(),
                };
                if let Some(description) =
                    group.description.map(str::trim).filter(|d| !d.is_empty())
                {
                    text.push_str("\n\n");
                    text.push_str(description);
                }
                let mut block = self.templates.client_impl.fill(&Holes::default());
                if let Item::Impl(block) = &mut block {
                    block.attrs = doc(&text);
                    if let (Some(op), Some(_)) = (group.operations.first(), group.feature) {
                        block.attrs.extend(self.operation_gate(op));
                    }
                    for op in &group.operations {
                        block.items.extend(self.operation_methods(api, op));
                    }
                }
                block
            })
            .collect()
    }
}

fn security_doc(api: &Api, op: &Operation) -> String {
    let alternatives: Vec<String> = op
        .security
        .iter()
        .map(|alternative| {
            let names: Vec<&str> = alternative
                .iter()
                .map(|index| api.credentials[*index].arg_name.as_str())
                .collect();
            match names.as_slice() {
                [] => "no credentials".to_string(),
                names => format!("`{}`", names.join("` and `")),
            }
        })
        .collect();
    match alternatives.as_slice() {
        [] => String::new(),
        [only] if only == "no credentials" => String::new(),
        [only] => format!("\n\nSends the client's {only}."),
        several => format!(
            "\n\nSends the client's {}, the first it has.",
            several.join(", or ")
        ),
    }
}

/// The runtime's `AuthScheme` for a credential, and how its doc says it
/// is sent.
fn auth_scheme(credential: &Credential) -> (TokenStream, String) {
    let scheme = quote!(::agent_clients_runtime::AuthScheme);
    match &credential.kind {
        CredentialKind::ApiKeyHeader { header } => {
            let header = header.to_ascii_lowercase();
            let sent = format!("the `{header}` header");
            (quote!(#scheme::ApiKeyHeader(#header)), sent)
        }
        CredentialKind::ApiKeyQuery { name } => (
            quote!(#scheme::ApiKeyQuery(#name)),
            format!("the `{name}` query parameter"),
        ),
        CredentialKind::ApiKeyCookie { name } => (
            quote!(#scheme::ApiKeyCookie(#name)),
            format!("the `{name}` cookie"),
        ),
        CredentialKind::Bearer => (
            quote!(#scheme::Bearer),
            "`Authorization: Bearer <token>`".to_string(),
        ),
        CredentialKind::Basic => (
            quote!(#scheme::Basic),
            "`Authorization: Basic` (give `user:password`)".to_string(),
        ),
        CredentialKind::Http { scheme: name } => (
            quote!(#scheme::Http(#name)),
            format!("`Authorization: {name} <credentials>`"),
        ),
    }
}

/// The constructor parameters (required credentials), the runtime's
/// credential list (every credential, `None` where not given), and docs.
fn credential_params(credentials: &[Credential]) -> (Vec<TokenStream>, Vec<TokenStream>, String) {
    let mut params = Vec::new();
    let mut entries = Vec::new();
    let mut docs = String::new();
    for credential in credentials {
        let name = ident(&credential.arg_name);
        let (scheme, sent) = auth_scheme(credential);
        if credential.required {
            params.push(quote!(#name: impl ::std::convert::Into<::agent_clients_runtime::Secret>));
            docs.push_str(&format!(
                "\n- `{}`: sent as {sent} (security scheme `{}`).",
                credential.arg_name, credential.scheme
            ));
            entries.push(quote!((#scheme, ::std::option::Option::Some(#name.into()))));
        } else {
            entries.push(quote!((#scheme, ::std::option::Option::None)));
        }
    }
    (params, entries, docs)
}

/// `with_*` methods for the credentials the constructors do not take.
fn credential_setters(credentials: &[Credential]) -> Vec<TokenStream> {
    credentials
        .iter()
        .enumerate()
        .filter(|(_, credential)| !credential.required)
        .map(|(index, credential)| {
            let method = format_ident!("with_{}", credential.arg_name);
            let name = ident(&credential.arg_name);
            let (_, sent) = auth_scheme(credential);
            let method_doc = doc(&format!(
                "Adds `{}`, sent as {sent} (security scheme `{}`) by the operations that accept it. Never printed.",
                credential.arg_name, credential.scheme
            ));
            let method_doc = quote!(#(#method_doc)*);
            let index = proc_macro2::Literal::usize_unsuffixed(index);
            quote! {
                #method_doc
                pub fn #method(
                    mut self,
                    #name: impl ::std::convert::Into<::agent_clients_runtime::Secret>,
                ) -> ::std::result::Result<Self, ::agent_clients_runtime::ConfigError> {
                    self.runtime.set_credential(#index, #name.into())?;
                    Ok(self)
                }
            }
        })
        .collect()
}

fn constructors(api: &Api) -> TokenStream {
    let (params, entries, credential_docs) = credential_params(&api.credentials);
    let args: Vec<TokenStream> = api
        .credentials
        .iter()
        .filter(|credential| credential.required)
        .map(|credential| {
            let name = ident(&credential.arg_name);
            quote!(#name)
        })
        .collect();
    let credentials_text = if credential_docs.is_empty() {
        "\n\nThe spec documents no credentials for this API.".to_string()
    } else {
        format!("\n\nCredentials are never printed:{credential_docs}")
    };

    let default = api.default_server.as_ref().map(|server| {
        let new_doc = doc(&format!(
            "A client for the documented server, `{server}`, with the default configuration.{credentials_text}"
        ));
        let new_doc = quote!(#(#new_doc)*);
        let params = params.clone();
        let args = args.clone();
        quote! {
            /// The server the spec documents.
            pub const DEFAULT_BASE_URL: &'static str = #server;

            #new_doc
            pub fn new(#(#params),*) -> ::std::result::Result<Self, ::agent_clients_runtime::ConfigError> {
                Self::with_base_url(Self::DEFAULT_BASE_URL, #(#args),*)
            }
        }
    });
    let with_base_url_doc = doc(&format!(
        "A client for `base_url` (with or without a trailing `/`), with the default configuration.{credentials_text}"
    ));
    let with_config_doc = doc(&format!(
        "A client for `base_url` with explicit timeouts, retries or HTTP client.{credentials_text}"
    ));
    let with_base_url_doc = quote!(#(#with_base_url_doc)*);
    let with_config_doc = quote!(#(#with_config_doc)*);
    let params_config = params.clone();
    let setters = credential_setters(&api.credentials);
    quote! {
        #default

        #with_base_url_doc
        pub fn with_base_url(base_url: &str, #(#params),*) -> ::std::result::Result<Self, ::agent_clients_runtime::ConfigError> {
            Self::with_config(base_url, #(#args,)* ::agent_clients_runtime::ClientConfig::default())
        }

        #with_config_doc
        pub fn with_config(
            base_url: &str,
            #(#params_config,)*
            config: ::agent_clients_runtime::ClientConfig,
        ) -> ::std::result::Result<Self, ::agent_clients_runtime::ConfigError> {
            let runtime = ::agent_clients_runtime::Runtime::new(
                base_url,
                ::std::vec![#(#entries),*],
                config,
            )?;
            Ok(Client { runtime })
        }

        #(#setters)*
    }
}

fn error_enum_name(op: &Operation) -> Ident {
    format_ident!("{}Error", op.type_stem)
}

fn operation_const_name(op: &Operation) -> Ident {
    ident(op.fn_name.to_uppercase().trim_end_matches('_'))
}

impl Emit<'_> {
    fn operation_const(&self, op: &Operation) -> Item {
        let name = operation_const_name(op);
        let method = ident(op.method.as_str());
        let security = slice_ref(
            op.security
                .iter()
                .map(|alternative| slice_ref(alternative.iter().map(int_expr))),
        );
        let idempotent = bool_expr(op.idempotent);
        let holes = Holes::default()
            .ident("__NAME", &name)
            .ident("__METHOD", &method)
            .str("__operation_id", &op.operation_id)
            .str("__path", &op.path)
            .str("__accept", &op.accept)
            .expr("__security", &security)
            .expr("__idempotent", &idempotent);
        self.templates.operation_const.fill(&holes)
    }
}

fn success_enum_name(op: &Operation) -> Ident {
    format_ident!("{}Success", op.type_stem)
}

/// The enum of an operation's success responses, for an operation whose
/// 2xx responses carry different bodies; nothing otherwise.
fn success_enum(op: &Operation) -> Option<Item> {
    if op.shared_success_body().is_some() {
        return None;
    }
    let enum_doc = doc(&format!(
        "The documented success responses of [`Client::{}`], which carry different bodies.\n\nNon-exhaustive: a status the spec documents later adds a variant.",
        op.fn_name
    ));
    let variants = op.successes.iter().map(|case| {
        let held = match &case.body {
            SuccessBody::Json { type_name, .. } => {
                Some(path_type(&format!("types::{type_name}"), Vec::new()))
            }
            SuccessBody::Bytes => Some(path_type("::agent_clients_runtime::Bytes", Vec::new())),
            // Nothing streams in an enum: event streams are their text.
            SuccessBody::Text | SuccessBody::Events => {
                Some(path_type("::std::string::String", Vec::new()))
            }
            SuccessBody::Empty => None,
        };
        variant(
            doc(&status_doc(case.status, &case.description)),
            &case.variant,
            held,
        )
    });
    // The variants hold the bodies as the methods return them; boxing the
    // large ones would change those types, so clippy's size lint is allowed.
    let holds_json = op
        .successes
        .iter()
        .any(|case| matches!(case.body, SuccessBody::Json { .. }));
    let allow = holds_json.then(|| list_attr("allow", quote!(clippy::large_enum_variant)));
    Some(response_enum(
        enum_doc,
        allow,
        &success_enum_name(op),
        variants,
    ))
}

/// A success or error enum: `Clone`, `Debug`, non-exhaustive.
fn response_enum(
    mut attrs: Vec<syn::Attribute>,
    allow: Option<syn::Attribute>,
    name: &Ident,
    variants: impl Iterator<Item = syn::Variant>,
) -> Item {
    attrs.push(list_attr("derive", quote!(Clone, Debug)));
    attrs.push(syntax::path_attr("non_exhaustive"));
    attrs.extend(allow);
    syntax::enum_item(attrs, name, variants)
}

/// A variant, holding one value of type `held` if given.
fn variant(attrs: Vec<syn::Attribute>, name: &str, held: Option<Type>) -> syn::Variant {
    syntax::variant(attrs, &ident(name), held)
}

/// A variant's doc: its status, then the response's description.
fn status_doc(status: StatusMatch, description: &str) -> String {
    let status = match status {
        StatusMatch::Code(code) => format!("Status {code}"),
        StatusMatch::Range(range) => format!("Any {range}xx status"),
        StatusMatch::Default => "Any other status (`default`)".to_string(),
    };
    match description.trim() {
        "" => format!("{status}."),
        description => format!("{status}: {description}"),
    }
}

fn error_enum(op: &Operation) -> Item {
    let enum_doc = doc(&format!(
        "The documented error responses of [`Client::{}`].\n\nNon-exhaustive: vendors document new error statuses, and a new variant must not break a `match`.",
        op.fn_name
    ));
    let variants = op.errors.iter().map(|case| {
        let held = case
            .type_name
            .as_ref()
            .map(|type_name| path_type(&format!("types::{type_name}"), Vec::new()));
        variant(
            doc(&status_doc(case.status, &case.description)),
            &case.variant,
            held,
        )
    });
    response_enum(enum_doc, None, &error_enum_name(op), variants)
}

impl Emit<'_> {
    /// The Rust type of an argument, as the method declares it.
    fn argument_type(&self, argument: &Argument) -> Type {
        let constant = &self.templates.types;
        let base = match argument.ty {
            ArgumentType::Str => constant.str_ref.clone(),
            ArgumentType::Uuid => constant.uuid_ref.clone(),
            ArgumentType::Integer => path_type("i64", Vec::new()),
            ArgumentType::Number => path_type("f64", Vec::new()),
            ArgumentType::Boolean => path_type("bool", Vec::new()),
            ArgumentType::Named(type_name) => {
                reference(path_type(&format!("types::{type_name}"), Vec::new()))
            }
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
    fn operation_methods(&self, api: &Api, op: &Operation) -> Vec<ImplItem> {
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
    fn method(&self, api: &Api, op: &Operation, name: &str, note: Option<&str>) -> Vec<ImplItem> {
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
    fn buffered_method(
        &self,
        op: &Operation,
        name: &str,
        method_doc: Vec<syn::Attribute>,
        parts: &MethodParts,
    ) -> ImplItemFn {
        let success = match op.shared_success_body() {
            Some(body) => success_type(&body),
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
    fn streaming_method(
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

impl Emit<'_> {
    /// The `…_stream` method of a paginated operation: every item, page
    /// after page, each page fetched by the operation's own method when
    /// reached. It takes the method's arguments but the cursor, borrowed
    /// for as long as the pages are read.
    fn pages_method(
        &self,
        api: &Api,
        op: &Operation,
        pagination: &Pagination,
        fields: &PageFields,
    ) -> ImplItemFn {
        let fn_name = ident(&pagination.fn_name);
        let error = error_enum_name(op);
        let parse_type = |text: &str| -> Type {
            syn::parse_str(text)
                .unwrap_or_else(|e| panic!("`{text}` does not parse (a generator bug): {e}"))
        };
        let item = parse_type(&fields.item_type);
        let cursor = pagination.position().and_then(|cursor| {
            op.params
                .iter()
                .find(|p| p.location == ParamLocation::Query && p.name == cursor)
                .map(|p| p.rust_name.as_str())
        });
        // What the page is fetched with: the cursor as given, or the
        // offset or page number it spells.
        let position = match pagination.by {
            PageBy::Cursor { .. } | PageBy::Link => quote!(cursor.as_deref()),
            PageBy::Offset { .. } | PageBy::Number { .. } => quote!(position),
        };
        let mut args = Vec::new();
        let mut values = Vec::new();
        for (argument, arg) in op.arguments().iter().zip(self.arguments(op)) {
            if Some(argument.name) == cursor {
                values.push(position.clone());
                continue;
            }
            let mut arg = arg;
            LifetimeA.visit_fn_arg_mut(&mut arg);
            args.push(arg);
            let name = ident(argument.name);
            values.push(quote!(#name));
        }
        let items = ident_or_index(&fields.items);
        let items = if fields.items_optional {
            quote!(page.#items.unwrap_or_default())
        } else {
            quote!(page.#items)
        };
        let method = ident(&op.fn_name);
        let parse_position = quote! {
            let position = cursor.as_deref().and_then(|position| position.parse::<i64>().ok());
        };
        let fetch = match (&pagination.by, &fields.next) {
            (PageBy::Offset { .. }, _) => quote! {
                #parse_position
                let page = self.#method(#(#values),*).await?.into_inner();
                let items = #items;
                let read = i64::try_from(items.len()).unwrap_or(i64::MAX);
                let next = position.unwrap_or(0).saturating_add(read);
                Ok((items, ::std::option::Option::Some(next.to_string())))
            },
            (PageBy::Number { first, .. }, _) => {
                let first = proc_macro2::Literal::i64_unsuffixed(*first);
                quote! {
                #parse_position
                let page = self.#method(#(#values),*).await?.into_inner();
                let next = position.unwrap_or(#first).saturating_add(1);
                Ok((#items, ::std::option::Option::Some(next.to_string())))
                }
            }
            (_, Some((next, presence))) => {
                let next = ident(next);
                let next = match presence {
                    Presence::Required => quote!(::std::option::Option::Some(page.#next)),
                    Presence::Nullable => quote!(page.#next.into_value()),
                    _ => quote!(page.#next),
                };
                quote! {
                    let page = self.#method(#(#values),*).await?.into_inner();
                    Ok((#items, #next))
                }
            }
            // The request as the method builds it, sent to the link the
            // last page named.
            (_, None) => {
                let build = self.build_request(op);
                let arms = self.response_arms(op, true);
                let page_type = parse_type(&fields.page_type);
                quote! {
                    #(#build)*
                    let request = match cursor {
                        ::std::option::Option::Some(link) => request.at_link(&self.runtime, &link)?,
                        ::std::option::Option::None => request,
                    };
                    let response = self.runtime.send(request).await?;
                    let next = response.next_link();
                    let page: ::agent_clients_runtime::Response<#page_type> = #arms?;
                    let page = page.into_inner();
                    Ok((#items, next))
                }
            }
        };
        let follows = match &pagination.by {
            PageBy::Cursor { cursor, .. } => format!("the `{cursor}` cursor"),
            PageBy::Offset { offset, .. } => {
                format!("the `{offset}` offset, advanced by the items each page holds")
            }
            PageBy::Number { page, first, .. } => {
                format!("the `{page}` page number, from {first} up")
            }
            PageBy::Link => {
                "the `Link: <…>; rel=\"next\"` header (to the API's own origin only)".to_string()
            }
        };
        let note = format!(
            "Every item of [`Client::{}`]'s pages, as a stream: a page is fetched when the items \
             before it are used up (retried and rate-limited like any call), following {follows}; \
             it ends after an empty page, a page with no next one, a page that names itself next, \
             or an error.",
            op.fn_name
        );
        let mut doc_op = op.clone();
        doc_op
            .params
            .retain(|p| Some(p.rust_name.as_str()) != cursor);
        let method_doc = doc(&method_doc(api, &doc_op, Some(&note)));
        // One per paginated operation, so parsed.
        let mut pages: ImplItemFn = syn::parse_quote! {
            pub fn #fn_name<'a>(
                &'a self,
                #(#args),*
            ) -> ::agent_clients_runtime::Pages<'a, #item, #error> {
                ::agent_clients_runtime::Pages::new(
                    move |cursor: ::std::option::Option<::std::string::String>| async move {
                        #fetch
                    },
                )
            }
        };
        pages.attrs = method_doc;
        pages.attrs.extend(method_attributes(&doc_op));
        if op.deprecated {
            // Calling its deprecated sibling is this method's own business.
            pages.attrs.push(list_attr("allow", quote!(deprecated)));
        }
        pages
    }
}

/// A field by name, or a tuple field by index (`0`).
fn ident_or_index(field: &str) -> TokenStream {
    match field.parse::<u32>() {
        Ok(index) => {
            let index = syn::Index::from(index as usize);
            quote!(#index)
        }
        Err(_) => {
            let field = ident(field);
            quote!(#field)
        }
    }
}

/// Gives every elided reference lifetime the name `'a`, the lifetime of
/// the pages that borrow it.
struct LifetimeA;

impl syn::visit_mut::VisitMut for LifetimeA {
    fn visit_type_reference_mut(&mut self, reference: &mut syn::TypeReference) {
        if reference.lifetime.is_none() {
            reference.lifetime = Some(syn::Lifetime::new("'a", proc_macro2::Span::call_site()));
        }
        syn::visit_mut::visit_type_reference_mut(self, reference);
    }
}

/// The buffered method of a bytes body: its streaming sibling, collected.
fn collecting_method(
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
struct MethodParts {
    /// `#[deprecated]`, clippy allowances.
    attributes: Vec<syn::Attribute>,
    /// The arguments after `&self`.
    args: Vec<syn::FnArg>,
    /// Statements that bind `request`, built and checked.
    build: Vec<Stmt>,
}

impl MethodParts {
    /// Gives `method` (a template with `&self` its only argument) its doc,
    /// attributes and arguments, and the statements that build the request
    /// before its own.
    fn apply(&self, method: &mut ImplItemFn, method_doc: Vec<syn::Attribute>) {
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
fn success_type(body: &SuccessBody) -> Type {
    match body {
        SuccessBody::Json { type_name, .. } => {
            path_type(&format!("types::{type_name}"), Vec::new())
        }
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
fn reference(ty: Type) -> Type {
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
fn method_doc(api: &Api, op: &Operation, note: Option<&str>) -> String {
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
fn body_doc(body: &Body) -> String {
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

fn method_attributes(op: &Operation) -> Vec<syn::Attribute> {
    let deprecated = op.deprecated.then(|| syntax::path_attr("deprecated"));
    // Arguments mirror the spec's parameters one for one; an operation with
    // many of them is the spec's shape, not a design choice here. (`self`
    // counts toward clippy's limit of 7.)
    let many_arguments = (op.arguments().len() + 1 > 7)
        .then(|| list_attr("allow", quote!(clippy::too_many_arguments)));
    deprecated.into_iter().chain(many_arguments).collect()
}

impl Emit<'_> {
    /// The method's arguments after `&self`, as [`Operation::arguments`]
    /// lists them.
    fn arguments(&self, op: &Operation) -> Vec<syn::FnArg> {
        op.arguments()
            .iter()
            .map(|argument| fn_arg(argument.name, self.argument_type(argument)))
            .collect()
    }

    /// Statements that bind `request`: path, headers, query, cookies and
    /// body, each checked against its documented constraints before
    /// anything is sent.
    fn build_request(&self, op: &Operation) -> Vec<Stmt> {
        let t = self.templates;
        let const_name = operation_const_name(op);
        let path_expr = self.path_expression(op);
        // `mut` only when something is added, or the output would warn.
        let adds = op.params.iter().any(|p| p.location != ParamLocation::Path)
            || op.body.is_some()
            || op.bodiless_content_type.is_some();
        let binding = if adds { &t.request_mut } else { &t.request };
        let holes = Holes::default()
            .ident("__CONST", &const_name)
            .expr("__path", &path_expr);
        let mut statements = vec![binding.fill(&holes)];
        if let Some(value) = &op.bodiless_content_type {
            statements.push(t.content_type.fill(&Holes::default().str("__value", value)));
        }
        for location in [
            ParamLocation::Header,
            ParamLocation::Query,
            ParamLocation::Cookie,
        ] {
            for param in op.params.iter().filter(|p| p.location == location) {
                statements.push(self.param_statement(param));
            }
        }
        if let Some(body) = &op.body {
            statements.extend(self.body_statements(body));
        }
        statements
    }

    /// A header, query or cookie parameter added to the request; an
    /// optional one only when given.
    fn param_statement(&self, param: &Param) -> Stmt {
        let name = ident(&param.rust_name);
        if param.required {
            let value = syntax::path_expr(&param.rust_name);
            return self.add_param(param, &value);
        }
        let value = syntax::path_expr("value");
        let add = self.add_param(param, &value);
        let mut statement = self
            .templates
            .if_some_value
            .fill(&Holes::default().ident("__name", &name));
        syntax::block_mut(&mut statement).push(add);
        statement
    }

    /// The statement that adds `param`, whose value is `value`.
    fn add_param(&self, param: &Param, value: &Expr) -> Stmt {
        let t = self.templates;
        match param.location {
            ParamLocation::Header => {
                let header = param.name.to_ascii_lowercase();
                let text = self.text_value(param, value);
                t.header.fill(
                    &Holes::default()
                        .str("__header", &header)
                        .expr("__value", &text),
                )
            }
            ParamLocation::Cookie => {
                let text = self.text_value(param, value);
                t.cookie.fill(
                    &Holes::default()
                        .str("__wire", &param.name)
                        .expr("__value", &text),
                )
            }
            ParamLocation::Query => self.query_statement(param, value),
            ParamLocation::Path => unreachable!("path parameters are in the path"),
        }
    }

    fn query_statement(&self, param: &Param, value: &Expr) -> Stmt {
        let t = self.templates;
        let holes = Holes::default()
            .str("__key", &param.name)
            .expr("__value", value);
        match param.kind {
            ParamKind::Typed(_) if param.json => t.query_json.fill(&holes),
            ParamKind::Typed(_) => {
                let style = ident(param.style.name());
                let explode = bool_expr(param.explode);
                t.query_value
                    .fill(&holes.ident("__Style", &style).expr("__explode", &explode))
            }
            _ => t.query_display.fill(&holes),
        }
    }

    /// The body, validated first where its type has constraints.
    fn body_statements(&self, body: &Body) -> Vec<Stmt> {
        let t = self.templates;
        let set = match self.body_set_statement(body) {
            Some(set) => set,
            None => {
                let parts = match &body.kind {
                    BodyKind::Multipart { parts, .. } => parts,
                    _ => unreachable!("only a multipart body has no plain statement"),
                };
                let parts = parts.iter().map(|part| {
                    let name = &part.name;
                    let content_type = match &part.content_type {
                        Some(content_type) => quote!(Some(#content_type)),
                        None => quote!(None),
                    };
                    quote!((#name, #content_type))
                });
                // Rare, so parsed.
                syn::parse_quote!(request.multipart(body, &[#(#parts),*])?;)
            }
        };
        let validate = body
            .type_name()
            .filter(|name| self.validated.contains(*name))
            .map(|_| t.validate_body.fill(&Holes::default()));
        if body.required {
            return validate.into_iter().chain([set]).collect();
        }
        let mut statement = t.if_some_body.fill(&Holes::default());
        let stmts = syntax::block_mut(&mut statement);
        stmts.extend(validate);
        stmts.push(set);
        vec![statement]
    }
}

impl Emit<'_> {
    /// The statement that sets a body given as `body` (required, or bound
    /// by `if let Some(body)`); `None` for multipart, whose statement names
    /// its parts.
    fn body_set_statement(&self, body: &Body) -> Option<Stmt> {
        let t = self.templates;
        let media = Holes::default().str("__media", &body.media_type);
        Some(match &body.kind {
            BodyKind::Json { .. } => t.body_json.fill(&media),
            BodyKind::Multipart { .. } => return None,
            BodyKind::Form { .. } => t.body_form.fill(&media),
            BodyKind::Text => t.body_text.fill(&media),
            BodyKind::Bytes if body.required => t.body_bytes_into.fill(&media),
            BodyKind::Bytes => t.body_bytes.fill(&media),
        })
    }
}

/// The statuses exact in the spec, which a range's arm leaves out so that
/// no two arms overlap.
fn exact_statuses(op: &Operation) -> Vec<u16> {
    op.successes
        .iter()
        .map(|case| case.status)
        .chain(op.errors.iter().map(|case| case.status))
        .filter_map(|status| match status {
            StatusMatch::Code(code) => Some(code),
            _ => None,
        })
        .collect()
}

impl Emit<'_> {
    /// The `match` on the status of a `response` read whole: the successes
    /// (unless they were streamed), specific error statuses and ranges, then
    /// (without a documented 2xx) any other non-error status as raw bytes,
    /// then `default` or the fallback.
    fn response_arms(&self, op: &Operation, with_successes: bool) -> Expr {
        let t = self.templates;
        let exact = exact_statuses(op);
        let error = error_enum_name(op);
        let mut arms = Vec::new();
        if with_successes {
            arms.extend(
                op.successes
                    .iter()
                    .filter_map(|case| self.success_arm(op, case, &exact)),
            );
        }
        let (default_arm, error_arms): (Vec<_>, Vec<_>) = op
            .errors
            .iter()
            .partition(|case| case.status == StatusMatch::Default);
        arms.extend(error_arms.into_iter().filter_map(|case| {
            let pattern = status_pattern(case.status, &exact)?;
            Some(arm(pattern, self.error_value(&error, case)))
        }));
        if with_successes && op.raw_success {
            arms.push(arm(range_pat(100, 399), t.bytes.clone()));
        }
        let fallback = match default_arm.first() {
            Some(case) => self.error_value(&error, case),
            None => t.unexpected.clone(),
        };
        if arms.is_empty() {
            // A lone `_` arm is no `match` at all.
            return fallback;
        }
        let mut status_match = t
            .status_match
            .fill(&Holes::default().expr("__fallback", &fallback));
        if let Expr::Match(found) = &mut status_match {
            found.arms.splice(0..0, arms);
        }
        status_match
    }

    fn success_arm(&self, op: &Operation, case: &SuccessCase, exact: &[u16]) -> Option<Arm> {
        let t = self.templates;
        let pattern = status_pattern(case.status, exact)?;
        let decode = if op.shared_success_body().is_some() {
            match &case.body {
                SuccessBody::Json { .. } => t.decode.clone(),
                SuccessBody::Bytes => t.bytes.clone(),
                SuccessBody::Text => t.text.clone(),
                // Streamed: never read whole.
                SuccessBody::Events => return None,
                SuccessBody::Empty => t.empty.clone(),
            }
        } else {
            let variant = ident(&case.variant);
            let success_enum = success_enum_name(op);
            let holes = Holes::default()
                .ident("__Enum", &success_enum)
                .ident("__Variant", &variant);
            match &case.body {
                SuccessBody::Json { .. } => t.decode_into.fill(&holes),
                SuccessBody::Bytes => t.bytes_into.fill(&holes),
                SuccessBody::Text | SuccessBody::Events => t.text_into.fill(&holes),
                SuccessBody::Empty => t.empty_as.fill(&holes),
            }
        };
        Some(arm(pattern, decode))
    }

    /// The `Err` of a documented error status, its body typed.
    fn error_value(&self, error: &Ident, case: &ErrorCase) -> Expr {
        let variant = ident(&case.variant);
        let holes = Holes::default()
            .ident("__Error", error)
            .ident("__Variant", &variant);
        match &case.type_name {
            Some(_) => self.templates.api_error_typed.fill(&holes),
            None => self.templates.api_error_unit.fill(&holes),
        }
    }

    /// The text of a header or cookie parameter's value: a `&str` as it is,
    /// a `content` (JSON) value as its JSON, another typed value in the
    /// `simple` style, any other kind formatted.
    fn text_value(&self, param: &Param, value: &Expr) -> Expr {
        let t = self.templates;
        let holes = Holes::default()
            .str("__wire", &param.name)
            .expr("__value", value);
        match param.kind {
            ParamKind::Typed(_) if param.json => t.json_text.fill(&holes),
            ParamKind::String => value.clone(),
            ParamKind::Typed(_) => {
                let explode = bool_expr(param.explode);
                t.header_text.fill(&holes.expr("__explode", &explode))
            }
            _ => t.to_string.fill(&holes),
        }
    }

    /// `format!("/agents/{}/status/", encode_path(id))`, or a plain string
    /// when the path has no parameters.
    fn path_expression(&self, op: &Operation) -> Expr {
        let mut format_string = String::new();
        let mut values = Vec::new();
        for piece in op.template.pieces() {
            let name = match piece {
                PathPiece::Literal(text) => {
                    format_string.push_str(&text.replace('{', "{{").replace('}', "}}"));
                    continue;
                }
                PathPiece::Param(name) => name,
            };
            format_string.push_str("{}");
            let param = op
                .params
                .iter()
                .find(|p| p.location == ParamLocation::Path && &p.name == name)
                .expect("model::build gives every template name a path parameter");
            values.push(path_value(param));
        }
        if values.is_empty() {
            return self
                .templates
                .string_from
                .fill(&Holes::default().str("__path", &format_string));
        }
        // A macro's arguments are tokens in syn too: nothing here is parsed.
        Expr::Macro(syn::ExprMacro {
            attrs: Vec::new(),
            mac: syn::Macro {
                path: syntax::path("::std::format"),
                bang_token: Default::default(),
                delimiter: syn::MacroDelimiter::Paren(Default::default()),
                tokens: quote!(#format_string, #(#values),*),
            },
        })
    }
}

/// `pattern => body,`.
fn arm(pat: Pat, body: Expr) -> Arm {
    Arm {
        attrs: Vec::new(),
        pat,
        fat_arrow_token: Default::default(),
        body: Box::new(body),
        comma: Some(Default::default()),
    }
}

/// The closure that tells `send_streaming` which statuses stream: the
/// successes (any status below 400 where the spec documents none). No
/// error status is a 2xx, so a success range streams whole.
fn streamed_statuses(op: &Operation) -> Expr {
    let literal = proc_macro2::Literal::u16_unsuffixed;
    let range = |low: u16, high: u16| {
        let (low, high) = (literal(low), literal(high));
        quote!((#low..=#high).contains(&status))
    };
    let tests: Vec<TokenStream> = if op.raw_success {
        vec![range(100, 399)]
    } else {
        op.successes
            .iter()
            .filter_map(|case| match case.status {
                StatusMatch::Code(code) => {
                    let code = literal(code);
                    Some(quote!(status == #code))
                }
                StatusMatch::Range(hundreds) => Some(range(hundreds * 100, hundreds * 100 + 99)),
                StatusMatch::Default => None,
            })
            .collect()
    };
    // Small and rare (a body of bytes or events), so parsed.
    syn::parse_quote!(|status| #(#tests)||*)
}

/// The `match` pattern of a status: `404`, `_`, or a range without the
/// `exact` statuses in it (`400..=403 | 405..=499`); `None` for a range they
/// cover whole.
fn status_pattern(status: StatusMatch, exact: &[u16]) -> Option<Pat> {
    Some(match status {
        StatusMatch::Code(code) => lit_pat(code),
        StatusMatch::Range(range) => {
            let mut pieces = Vec::new();
            let mut low = range * 100;
            let mut claimed: Vec<u16> = exact
                .iter()
                .copied()
                .filter(|code| code / 100 == range)
                .collect();
            claimed.sort_unstable();
            claimed.dedup();
            for code in claimed.into_iter().chain([range * 100 + 100]) {
                match code - low {
                    0 => {}
                    1 => pieces.push(lit_pat(low)),
                    _ => pieces.push(range_pat(low, code - 1)),
                }
                low = code + 1;
            }
            match pieces.len() {
                0 => return None,
                1 => pieces.pop().expect("one piece"),
                _ => Pat::Or(syn::PatOr {
                    attrs: Vec::new(),
                    leading_vert: None,
                    cases: pieces.into_iter().collect(),
                }),
            }
        }
        StatusMatch::Default => Pat::Wild(syn::PatWild {
            attrs: Vec::new(),
            underscore_token: Default::default(),
        }),
    })
}

/// The pattern `404`.
fn lit_pat(code: u16) -> Pat {
    match int_expr(code) {
        Expr::Lit(lit) => Pat::Lit(lit),
        _ => unreachable!("an integer literal"),
    }
}

/// The pattern `400..=499`.
fn range_pat(low: u16, high: u16) -> Pat {
    Pat::Range(syn::ExprRange {
        attrs: Vec::new(),
        start: Some(Box::new(int_expr(low))),
        limits: syn::RangeLimits::Closed(Default::default()),
        end: Some(Box::new(int_expr(high))),
    })
}

/// One path parameter's text in the path, encoded.
fn path_value(param: &Param) -> TokenStream {
    let arg = ident(&param.rust_name);
    match (&param.kind, param.style) {
        (ParamKind::Typed(_), _) if param.json => {
            let wire = &param.name;
            quote! {
                ::agent_clients_runtime::encode_path(
                    &::agent_clients_runtime::params::json_text(#wire, #arg)?,
                )
            }
        }
        (ParamKind::String, ParamStyle::Simple) => {
            quote!(::agent_clients_runtime::encode_path(#arg))
        }
        (ParamKind::Typed(_), _) | (_, ParamStyle::Label | ParamStyle::Matrix) => {
            // Laid out (and encoded value by value) by the runtime.
            let wire = &param.name;
            let style = ident(param.style.name());
            let explode = param.explode;
            quote! {
                ::agent_clients_runtime::params::path_text(
                    #wire,
                    &#arg,
                    ::agent_clients_runtime::params::Style::#style,
                    #explode,
                )?
            }
        }
        _ => quote!(::agent_clients_runtime::encode_path(&#arg.to_string())),
    }
}

/// The fixed parts of a client's methods, parsed once per thread. The
/// placeholders: `__fn`, `__NAME`, `__Enum`, `__Error`, `__Variant`,
/// `__Style` and `__name` are identifiers; `__Success` and `__Error` (in a
/// method's return type) types; `__value`, `__path`, `__arms`, `__fallback`,
/// `__explode`, `__security` and `__idempotent` expressions; quoted ones
/// (`"__key"`) string literals.
struct Templates {
    client_impl: Template<Item>,
    operation_const: Template<Item>,
    buffered_method: Template<ImplItemFn>,
    streaming_method: Template<ImplItemFn>,
    event_stream: Type,
    byte_stream: Type,
    events_value: Expr,
    bytes_value: Expr,
    request: Template<Stmt>,
    request_mut: Template<Stmt>,
    content_type: Template<Stmt>,
    if_some_value: Template<Stmt>,
    header: Template<Stmt>,
    cookie: Template<Stmt>,
    query_json: Template<Stmt>,
    query_value: Template<Stmt>,
    query_display: Template<Stmt>,
    json_text: Template<Expr>,
    header_text: Template<Expr>,
    to_string: Template<Expr>,
    string_from: Template<Expr>,
    validate_body: Template<Stmt>,
    if_some_body: Template<Stmt>,
    body_json: Template<Stmt>,
    body_form: Template<Stmt>,
    body_text: Template<Stmt>,
    body_bytes_into: Template<Stmt>,
    body_bytes: Template<Stmt>,
    status_match: Template<Expr>,
    decode: Expr,
    bytes: Expr,
    text: Expr,
    empty: Expr,
    unexpected: Expr,
    decode_into: Template<Expr>,
    bytes_into: Template<Expr>,
    text_into: Template<Expr>,
    empty_as: Template<Expr>,
    api_error_typed: Template<Expr>,
    api_error_unit: Template<Expr>,
    types: ArgumentTypes,
    mock: mock::MockTemplates,
}

/// Argument types with no part that varies.
struct ArgumentTypes {
    str_ref: Type,
    uuid_ref: Type,
    into_bytes: Type,
}

thread_local! {
    static TEMPLATES: Templates = Templates::new();
}

impl Templates {
    fn new() -> Self {
        use syn::parse_quote as parse;
        Templates {
            client_impl: Template::new(parse!(impl Client {})),
            operation_const: Template::new(parse! {
                pub(super) static __NAME: ::agent_clients_runtime::Operation = ::agent_clients_runtime::Operation {
                    operation_id: "__operation_id",
                    method: ::agent_clients_runtime::Method::__METHOD,
                    path_template: "__path",
                    accept: "__accept",
                    security: __security,
                    idempotent: __idempotent,
                };
            }),
            buffered_method: Template::new(parse! {
                pub async fn __fn(
                    &self,
                ) -> ::std::result::Result<
                    ::agent_clients_runtime::Response<__Success>,
                    ::agent_clients_runtime::Error<__Error>,
                > {
                    let response = self.runtime.send(request).await?;
                    __arms
                }
            }),
            streaming_method: Template::new(parse! {
                pub async fn __fn(
                    &self,
                ) -> ::std::result::Result<
                    ::agent_clients_runtime::Response<__Success>,
                    ::agent_clients_runtime::Error<__Error>,
                > {
                    let response = match self.runtime.send_streaming(request, __streams).await? {
                        ::agent_clients_runtime::Sent::Streaming(stream) => return Ok(__value),
                        ::agent_clients_runtime::Sent::Buffered(response) => response,
                    };
                    __arms
                }
            }),
            event_stream: parse!(::agent_clients_runtime::EventStream),
            byte_stream: parse!(::agent_clients_runtime::ByteStream),
            events_value: parse!(stream.map(::agent_clients_runtime::EventStream::new)),
            bytes_value: parse!(stream),
            request: Template::new(parse! {
                let request = self.runtime.request(&operations::__CONST, __path);
            }),
            request_mut: Template::new(parse! {
                let mut request = self.runtime.request(&operations::__CONST, __path);
            }),
            content_type: Template::new(parse!(request.header("content-type", "__value")?;)),
            if_some_value: Template::new(parse!(if let Some(value) = __name {})),
            header: Template::new(parse!(request.header("__header", __value)?;)),
            cookie: Template::new(parse!(request.cookie("__wire", __value);)),
            query_json: Template::new(parse! {
                request.query("__key", ::agent_clients_runtime::params::json_text("__key", __value)?);
            }),
            query_value: Template::new(parse! {
                request.query_value(
                    "__key",
                    __value,
                    ::agent_clients_runtime::params::Style::__Style,
                    __explode,
                )?;
            }),
            query_display: Template::new(parse!(request.query("__key", __value.to_string());)),
            json_text: Template::new(parse! {
                &::agent_clients_runtime::params::json_text("__wire", __value)?
            }),
            header_text: Template::new(parse! {
                &::agent_clients_runtime::params::header_text("__wire", __value, __explode)?
            }),
            to_string: Template::new(parse!(&__value.to_string())),
            string_from: Template::new(parse!(::std::string::String::from("__path"))),
            validate_body: Template::new(parse! {
                ::agent_clients_runtime::Validate::validate(body, "body")?;
            }),
            if_some_body: Template::new(parse!(if let Some(body) = body {})),
            body_json: Template::new(parse!(request.json(body)?;)),
            body_form: Template::new(parse!(request.form("__media", body)?;)),
            body_text: Template::new(parse!(request.bytes("__media", body.to_owned());)),
            body_bytes_into: Template::new(parse!(request.bytes("__media", body.into());)),
            body_bytes: Template::new(parse!(request.bytes("__media", body);)),
            status_match: Template::new(parse! {
                match response.status().as_u16() {
                    _ => __fallback,
                }
            }),
            decode: parse!(response.decode()),
            bytes: parse!(response.bytes()),
            text: parse!(response.text()),
            empty: parse!(response.empty()),
            unexpected: parse!(Err(response.unexpected())),
            decode_into: Template::new(parse!(response.decode_into(__Enum::__Variant))),
            bytes_into: Template::new(parse!(response.bytes_into(__Enum::__Variant))),
            text_into: Template::new(parse!(response.text_into(__Enum::__Variant))),
            empty_as: Template::new(parse!(response.empty_as(__Enum::__Variant))),
            api_error_typed: Template::new(parse! {
                Err(response.api_error(|body| ::serde_json::from_slice(body).map(__Error::__Variant)))
            }),
            api_error_unit: Template::new(parse!(Err(
                response.api_error(|_| Ok(__Error::__Variant))
            ))),
            mock: mock::MockTemplates::new(),
            types: ArgumentTypes {
                str_ref: parse!(&str),
                uuid_ref: parse!(&::uuid::Uuid),
                into_bytes: parse!(impl ::std::convert::Into<::agent_clients_runtime::Bytes>),
            },
        }
    }
}

#[cfg(test)]
mod status_pattern_tests {
    use super::*;

    fn pattern(status: StatusMatch, exact: &[u16]) -> Option<String> {
        status_pattern(status, exact).map(|pat| quote!(#pat).to_string())
    }

    #[test]
    fn ranges_leave_out_the_exact_statuses_beside_them() {
        let range = StatusMatch::Range(4);
        assert_eq!(pattern(range, &[]).unwrap(), "400 ..= 499");
        assert_eq!(
            pattern(range, &[404, 401, 200, 404]).unwrap(),
            "400 | 402 ..= 403 | 405 ..= 499"
        );
        assert_eq!(pattern(range, &[400, 499]).unwrap(), "401 ..= 498");
        let all: Vec<u16> = (400..500).collect();
        assert_eq!(pattern(range, &all), None);
        assert_eq!(pattern(StatusMatch::Code(404), &[404]).unwrap(), "404");
        assert_eq!(pattern(StatusMatch::Default, &[]).unwrap(), "_");
    }
}

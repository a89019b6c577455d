//! Stage 4, client: emit the `Client`, its constructors and one async method
//! per operation, calling the hand-written runtime of `agent-clients`.
//!
//! This is where the generator replaces progenitor's operation code: the
//! credentials the spec's `security` requires are constructor arguments,
//! base URLs are normalised by the runtime, no `api-version` header is sent,
//! and every documented error status gets its own typed variant.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::ir::model::{
    Api, Argument, ArgumentSource, ArgumentType, Body, BodyKind, Credential, CredentialKind,
    ErrorCase, Operation, OperationGroup, Param, ParamKind, ParamLocation, ParamStyle, PathPiece,
    StatusMatch, SuccessBody, SuccessCase,
};

fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

fn doc(text: &str) -> TokenStream {
    let lines = text.trim_end().lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// The client items: `Client`, its methods, the error enums and the
/// operation table.
pub fn generate(api: &Api, validated: &std::collections::BTreeSet<String>) -> TokenStream {
    let groups = api.operation_groups();
    let client_doc = doc(&client_doc(api, &groups));
    let constructors = constructors(api);
    // With one group, the methods follow the constructors in one block.
    let (methods, method_blocks) = if groups.len() > 1 {
        (TokenStream::new(), method_blocks(api, &groups, validated))
    } else {
        let methods = api
            .operations
            .iter()
            .map(|op| operation_methods(api, op, validated));
        (quote!(#(#methods)*), TokenStream::new())
    };
    let error_enums = api.operations.iter().map(|op| {
        let success = success_enum(op);
        let error = error_enum(op);
        quote!(#success #error)
    });
    let operation_consts = api.operations.iter().map(operation_const);

    quote! {
        #client_doc
        #[derive(Clone, Debug)]
        pub struct Client {
            runtime: ::agent_clients::runtime::Runtime,
        }

        impl Client {
            #constructors

            /// The base URL requests go to, without a trailing `/`.
            pub fn base_url(&self) -> &str {
                self.runtime.base_url()
            }

            #methods
        }

        #method_blocks

        #(#error_enums)*

        /// Static facts about each operation, used by the runtime for
        /// credentials, retries and tracing.
        mod operations {
            #(#operation_consts)*
        }
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
        text.push_str(
            "\n\nIts methods are grouped by the spec's tags, one `impl` block each, in this order:\n",
        );
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
    match group.tag {
        Some(tag) => format!("`{tag}`"),
        None => "untagged".to_string(),
    }
}

/// The operation methods where the spec's operations have several tags:
/// one `impl` block per tag, with the tag's heading and description, so
/// rustdoc shows them grouped.
fn method_blocks(
    api: &Api,
    groups: &[OperationGroup<'_>],
    validated: &std::collections::BTreeSet<String>,
) -> TokenStream {
    let blocks = groups.iter().map(|group| {
        let mut text = match group.tag {
            Some(tag) => format!("# Tag `{tag}`"),
            None => "# Operations without a tag".to_string(),
        };
        if let Some(description) = group.description.map(str::trim).filter(|d| !d.is_empty()) {
            text.push_str("\n\n");
            text.push_str(description);
        }
        let block_doc = doc(&text);
        let methods = group
            .operations
            .iter()
            .map(|op| operation_methods(api, op, validated));
        quote! {
            #block_doc
            impl Client {
                #(#methods)*
            }
        }
    });
    quote!(#(#blocks)*)
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
    let scheme = quote!(::agent_clients::runtime::AuthScheme);
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
            params.push(quote!(#name: impl ::std::convert::Into<::agent_clients::runtime::Secret>));
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
            let index = proc_macro2::Literal::usize_unsuffixed(index);
            quote! {
                #method_doc
                pub fn #method(
                    mut self,
                    #name: impl ::std::convert::Into<::agent_clients::runtime::Secret>,
                ) -> ::std::result::Result<Self, ::agent_clients::runtime::ConfigError> {
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
        let params = params.clone();
        let args = args.clone();
        quote! {
            /// The server the spec documents.
            pub const DEFAULT_BASE_URL: &'static str = #server;

            #new_doc
            pub fn new(#(#params),*) -> ::std::result::Result<Self, ::agent_clients::runtime::ConfigError> {
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
    let params_config = params.clone();
    let setters = credential_setters(&api.credentials);
    quote! {
        #default

        #with_base_url_doc
        pub fn with_base_url(base_url: &str, #(#params),*) -> ::std::result::Result<Self, ::agent_clients::runtime::ConfigError> {
            Self::with_config(base_url, #(#args,)* ::agent_clients::runtime::ClientConfig::default())
        }

        #with_config_doc
        pub fn with_config(
            base_url: &str,
            #(#params_config,)*
            config: ::agent_clients::runtime::ClientConfig,
        ) -> ::std::result::Result<Self, ::agent_clients::runtime::ConfigError> {
            let runtime = ::agent_clients::runtime::Runtime::new(
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

fn operation_const(op: &Operation) -> TokenStream {
    let name = operation_const_name(op);
    let operation_id = &op.operation_id;
    let method = ident(op.method.as_str());
    let path = &op.path;
    let accept = &op.accept;
    let idempotent = op.idempotent;
    let security = op.security.iter().map(|alternative| {
        let indexes = alternative
            .iter()
            .map(|index| proc_macro2::Literal::usize_unsuffixed(*index));
        quote!(&[#(#indexes),*])
    });
    quote! {
        pub(super) static #name: ::agent_clients::runtime::Operation = ::agent_clients::runtime::Operation {
            operation_id: #operation_id,
            method: ::agent_clients::runtime::Method::#method,
            path_template: #path,
            accept: #accept,
            security: &[#(#security),*],
            idempotent: #idempotent,
        };
    }
}

fn success_enum_name(op: &Operation) -> Ident {
    format_ident!("{}Success", op.type_stem)
}

/// The enum of an operation's success responses, for an operation whose
/// 2xx responses carry different bodies; nothing otherwise.
fn success_enum(op: &Operation) -> TokenStream {
    if op.shared_success_body().is_some() {
        return TokenStream::new();
    }
    let name = success_enum_name(op);
    let enum_doc = doc(&format!(
        "The documented success responses of [`Client::{}`], which carry different bodies.\n\nNon-exhaustive: a status the spec documents later adds a variant.",
        op.fn_name
    ));
    let variants = op.successes.iter().map(|case| {
        let variant = ident(&case.variant);
        let variant_doc = doc(&status_doc(case.status, &case.description));
        match &case.body {
            SuccessBody::Json { type_name, .. } => {
                let ty = ident(type_name);
                quote!(#variant_doc #variant(types::#ty),)
            }
            SuccessBody::Bytes => quote!(#variant_doc #variant(::agent_clients::runtime::Bytes),),
            // Nothing streams in an enum: event streams are their text.
            SuccessBody::Text | SuccessBody::Events => {
                quote!(#variant_doc #variant(::std::string::String),)
            }
            SuccessBody::Empty => quote!(#variant_doc #variant,),
        }
    });
    // The variants hold the bodies as the methods return them; boxing the
    // large ones would change those types, so clippy's size lint is allowed.
    let holds_json = op
        .successes
        .iter()
        .any(|case| matches!(case.body, SuccessBody::Json { .. }));
    let allow = holds_json.then(|| quote!(#[allow(clippy::large_enum_variant)]));
    quote! {
        #enum_doc
        #[derive(Clone, Debug)]
        #[non_exhaustive]
        #allow
        pub enum #name {
            #(#variants)*
        }
    }
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

fn error_enum(op: &Operation) -> TokenStream {
    let name = error_enum_name(op);
    let enum_doc = doc(&format!(
        "The documented error responses of [`Client::{}`].\n\nNon-exhaustive: vendors document new error statuses, and a new variant must not break a `match`.",
        op.fn_name
    ));
    let variants = op.errors.iter().map(|case| {
        let variant = ident(&case.variant);
        let variant_doc = doc(&status_doc(case.status, &case.description));
        match &case.type_name {
            Some(type_name) => {
                let ty = ident(type_name);
                quote!(#variant_doc #variant(types::#ty),)
            }
            None => quote!(#variant_doc #variant,),
        }
    });
    quote! {
        #enum_doc
        #[derive(Clone, Debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }
    }
}

/// The Rust type of an argument, as the method declares it.
fn argument_type(argument: &Argument) -> TokenStream {
    let base = match argument.ty {
        ArgumentType::Str => quote!(&str),
        ArgumentType::Uuid => quote!(&::uuid::Uuid),
        ArgumentType::Integer => quote!(i64),
        ArgumentType::Number => quote!(f64),
        ArgumentType::Boolean => quote!(bool),
        ArgumentType::Named(type_name) => {
            let ty = ident(type_name);
            quote!(&types::#ty)
        }
        // Owned, so a caller's `Vec<u8>` or `&'static [u8]` goes in without
        // a copy; an optional one is the runtime's type itself.
        ArgumentType::Bytes if argument.optional => quote!(::agent_clients::runtime::Bytes),
        ArgumentType::Bytes => {
            quote!(impl ::std::convert::Into<::agent_clients::runtime::Bytes>)
        }
    };
    if argument.optional {
        quote!(::std::option::Option<#base>)
    } else {
        base
    }
}

/// Every method of one operation: its own, then one per alternative media
/// type of its request body (the same operation, another body).
fn operation_methods(
    api: &Api,
    op: &Operation,
    validated: &std::collections::BTreeSet<String>,
) -> TokenStream {
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
    let own = method(
        api,
        op,
        &op.fn_name,
        validated,
        alternatives_note.as_deref(),
    );
    let alternatives = op.alternatives.iter().map(|alternative| {
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
        method(api, &variant, &alternative.fn_name, validated, Some(&note))
    });
    quote!(#own #(#alternatives)*)
}

/// The method `name` of one operation (`note`, if any, in its doc); for a
/// success body of bytes, also its streaming sibling
/// (`Operation::stream_fn`), which the buffered method calls and collects.
fn method(
    api: &Api,
    op: &Operation,
    name: &str,
    validated: &std::collections::BTreeSet<String>,
    note: Option<&str>,
) -> TokenStream {
    let parts = MethodParts {
        attributes: method_attributes(op),
        args: arguments(op),
        build: build_request(op, validated),
    };
    let notes = |own: &str| match note {
        Some(note) => format!("{own}\n\n{note}"),
        None => own.to_string(),
    };
    match (op.shared_success_body(), &op.stream_fn) {
        (Some(SuccessBody::Events), _) => {
            let own = notes("The events are read as they arrive, as an `EventStream`.");
            let doc = doc(&method_doc(api, op, Some(&own)));
            streaming_method(op, name, doc, &parts, true)
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
            let streaming = streaming_method(op, stream_fn, doc, &parts, false);
            quote!(#buffered #streaming)
        }
        _ => buffered_method(op, name, doc(&method_doc(api, op, note)), &parts),
    }
}

/// What every method of an operation shares.
struct MethodParts {
    /// `#[deprecated]`, clippy allowances.
    attributes: TokenStream,
    /// The arguments after `&self`.
    args: Vec<TokenStream>,
    /// Statements that bind `request`, built and checked.
    build: TokenStream,
}

/// The method that reads the response whole and types it.
fn buffered_method(
    op: &Operation,
    name: &str,
    method_doc: TokenStream,
    parts: &MethodParts,
) -> TokenStream {
    let MethodParts {
        attributes,
        args,
        build,
    } = parts;
    let fn_name = ident(name);
    let success = match op.shared_success_body() {
        Some(body) => success_type(&body),
        None => {
            let name = success_enum_name(op);
            quote!(#name)
        }
    };
    let error = error_enum_name(op);
    let arms = response_arms(op, true);
    quote! {
        #method_doc
        #attributes
        pub async fn #fn_name(
            &self,
            #(#args),*
        ) -> ::std::result::Result<
            ::agent_clients::runtime::Response<#success>,
            ::agent_clients::runtime::Error<#error>,
        > {
            #build
            let response = self.runtime.send(request).await?;
            #arms
        }
    }
}

/// The method that returns a success body unread (`ByteStream`, or as an
/// `EventStream` when `events`); other statuses are read and typed.
fn streaming_method(
    op: &Operation,
    fn_name: &str,
    method_doc: TokenStream,
    parts: &MethodParts,
    events: bool,
) -> TokenStream {
    let MethodParts {
        attributes,
        args,
        build,
    } = parts;
    let fn_name = ident(fn_name);
    let (success, value) = if events {
        (
            quote!(::agent_clients::runtime::EventStream),
            quote!(stream.map(::agent_clients::runtime::EventStream::new)),
        )
    } else {
        (quote!(::agent_clients::runtime::ByteStream), quote!(stream))
    };
    let error = error_enum_name(op);
    let streams = streamed_statuses(op);
    let arms = response_arms(op, false);
    quote! {
        #method_doc
        #attributes
        pub async fn #fn_name(
            &self,
            #(#args),*
        ) -> ::std::result::Result<
            ::agent_clients::runtime::Response<#success>,
            ::agent_clients::runtime::Error<#error>,
        > {
            #build
            let response = match self.runtime.send_streaming(request, #streams).await? {
                ::agent_clients::runtime::Sent::Streaming(stream) => return Ok(#value),
                ::agent_clients::runtime::Sent::Buffered(response) => response,
            };
            #arms
        }
    }
}

/// The buffered method of a bytes body: its streaming sibling, collected.
fn collecting_method(
    op: &Operation,
    stream_fn: &str,
    method_doc: TokenStream,
    parts: &MethodParts,
) -> TokenStream {
    let attributes = &parts.attributes;
    let args = &parts.args;
    let fn_name = ident(&op.fn_name);
    let stream_fn = ident(stream_fn);
    // Calling its deprecated sibling is this method's own business.
    let allow = op.deprecated.then(|| quote!(#[allow(deprecated)]));
    let error = error_enum_name(op);
    let names = op
        .params
        .iter()
        .map(|param| ident(&param.rust_name))
        .chain(op.body.as_ref().map(|_| ident("body")));
    quote! {
        #method_doc
        #attributes
        #allow
        pub async fn #fn_name(
            &self,
            #(#args),*
        ) -> ::std::result::Result<
            ::agent_clients::runtime::Response<::agent_clients::runtime::Bytes>,
            ::agent_clients::runtime::Error<#error>,
        > {
            self.#stream_fn(#(#names),*).await?.collect().await
        }
    }
}

/// The Rust type a method returns for a success body.
fn success_type(body: &SuccessBody) -> TokenStream {
    match body {
        SuccessBody::Json { type_name, .. } => {
            let ty = ident(type_name);
            quote!(types::#ty)
        }
        SuccessBody::Bytes => quote!(::agent_clients::runtime::Bytes),
        SuccessBody::Text => quote!(::std::string::String),
        SuccessBody::Events => quote!(::agent_clients::runtime::EventStream),
        SuccessBody::Empty => quote!(()),
    }
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

fn method_attributes(op: &Operation) -> TokenStream {
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    // Arguments mirror the spec's parameters one for one; an operation with
    // many of them is the spec's shape, not a design choice here. (`self`
    // counts toward clippy's limit of 7.)
    let many_arguments =
        (op.arguments().len() + 1 > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote!(#deprecated #many_arguments)
}

/// The method's arguments after `&self`, as [`Operation::arguments`] lists
/// them.
fn arguments(op: &Operation) -> Vec<TokenStream> {
    op.arguments()
        .iter()
        .map(|argument| {
            let name = ident(argument.name);
            let ty = argument_type(argument);
            quote!(#name: #ty)
        })
        .collect()
}

/// Statements that bind `request`: path, headers, query, cookies and body,
/// each checked against its documented constraints before anything is sent.
fn build_request(op: &Operation, validated: &std::collections::BTreeSet<String>) -> TokenStream {
    let const_name = operation_const_name(op);
    let path_expr = path_expression(op);
    let headers = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Header)
        .map(header_statement);
    let queries = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .map(query_statement);
    let cookies = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Cookie)
        .map(cookie_statement);
    let body = op.body.as_ref().map(|body| body_statement(body, validated));
    let content_type = op
        .bodiless_content_type
        .as_ref()
        .map(|value| quote!(request.header("content-type", #value)?;));
    // `mut` only when something is added, or the output would warn.
    let request_binding = if op.params.iter().any(|p| p.location != ParamLocation::Path)
        || op.body.is_some()
        || content_type.is_some()
    {
        quote!(mut request)
    } else {
        quote!(request)
    };
    quote! {
        let #request_binding = self.runtime.request(&operations::#const_name, #path_expr);
        #content_type
        #(#headers)*
        #(#queries)*
        #(#cookies)*
        #body
    }
}

/// A header parameter: a `&str` goes in as it is; a typed value is laid
/// out in the `simple` style; other kinds are formatted.
fn header_statement(param: &Param) -> TokenStream {
    let name = ident(&param.rust_name);
    let header = param.name.to_ascii_lowercase();
    let text = |value: TokenStream| text_value(param, &param.name, param.explode, value);
    if param.required {
        let value = text(quote!(#name));
        quote!(request.header(#header, #value)?;)
    } else {
        let value = text(quote!(value));
        quote! {
            if let Some(value) = #name {
                request.header(#header, #value)?;
            }
        }
    }
}

fn cookie_statement(param: &Param) -> TokenStream {
    let name = ident(&param.rust_name);
    let wire = &param.name;
    let text = |value: TokenStream| text_value(param, wire, param.explode, value);
    if param.required {
        let value = text(quote!(#name));
        quote!(request.cookie(#wire, #value);)
    } else {
        let value = text(quote!(value));
        quote! {
            if let Some(value) = #name {
                request.cookie(#wire, #value);
            }
        }
    }
}

fn query_statement(param: &Param) -> TokenStream {
    let name = ident(&param.rust_name);
    let key = &param.name;
    let add = |value: TokenStream| match param.kind {
        ParamKind::Typed(_) if param.json => quote! {
            request.query(#key, ::agent_clients::runtime::params::json_text(#key, #value)?);
        },
        ParamKind::Typed(_) => {
            let style = ident(param.style.name());
            let explode = param.explode;
            quote! {
                request.query_value(
                    #key,
                    #value,
                    ::agent_clients::runtime::params::Style::#style,
                    #explode,
                )?;
            }
        }
        _ => quote!(request.query(#key, #value.to_string());),
    };
    if param.required {
        add(quote!(#name))
    } else {
        let add = add(quote!(value));
        quote! {
            if let Some(value) = #name {
                #add
            }
        }
    }
}

/// The body, validated first where its type has constraints.
fn body_statement(body: &Body, validated: &std::collections::BTreeSet<String>) -> TokenStream {
    let validate = body
        .type_name()
        .filter(|name| validated.contains(*name))
        .map(|_| quote!(::agent_clients::runtime::Validate::validate(body, "body")?;));
    let media_type = &body.media_type;
    let set = match &body.kind {
        BodyKind::Json { .. } => quote!(request.json(body)?;),
        BodyKind::Multipart { parts, .. } => {
            let parts = parts.iter().map(|part| {
                let name = &part.name;
                let content_type = match &part.content_type {
                    Some(content_type) => quote!(Some(#content_type)),
                    None => quote!(None),
                };
                quote!((#name, #content_type))
            });
            quote!(request.multipart(body, &[#(#parts),*])?;)
        }
        BodyKind::Form { .. } => quote!(request.form(#media_type, body)?;),
        BodyKind::Text => quote!(request.bytes(#media_type, body.to_owned());),
        BodyKind::Bytes if body.required => quote!(request.bytes(#media_type, body.into());),
        BodyKind::Bytes => quote!(request.bytes(#media_type, body);),
    };
    if body.required {
        quote! {
            #validate
            #set
        }
    } else {
        quote! {
            if let Some(body) = body {
                #validate
                #set
            }
        }
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

/// The `match` on the status of a `response` read whole: the successes
/// (unless they were streamed), specific error statuses and ranges, then
/// (without a documented 2xx) any other non-error status as raw bytes,
/// then `default` or the fallback.
fn response_arms(op: &Operation, with_successes: bool) -> TokenStream {
    let exact = exact_statuses(op);
    let error = error_enum_name(op);
    let success_arms = with_successes
        .then(|| {
            op.successes
                .iter()
                .filter_map(|case| success_arm(op, case, &exact))
        })
        .into_iter()
        .flatten();
    let (default_arm, error_arms): (Vec<_>, Vec<_>) = op
        .errors
        .iter()
        .partition(|case| case.status == StatusMatch::Default);
    let error_arms = error_arms
        .into_iter()
        .map(|case| error_arm(&error, case, &exact));
    let raw_arm =
        (with_successes && op.raw_success).then(|| quote!(100..=399 => response.bytes(),));
    let fallback = match default_arm.first() {
        Some(case) => error_value(&error, case),
        None => quote!(Err(response.unexpected())),
    };
    let mut arms = success_arms.chain(error_arms).chain(raw_arm).peekable();
    if arms.peek().is_none() {
        // A lone `_` arm is no `match` at all.
        return fallback;
    }
    quote! {
        match response.status().as_u16() {
            #(#arms)*
            _ => #fallback,
        }
    }
}

fn success_arm(op: &Operation, case: &SuccessCase, exact: &[u16]) -> Option<TokenStream> {
    let pattern = status_pattern(case.status, exact)?;
    let decode = if op.shared_success_body().is_some() {
        match &case.body {
            SuccessBody::Json { .. } => quote!(response.decode()),
            SuccessBody::Bytes => quote!(response.bytes()),
            SuccessBody::Text => quote!(response.text()),
            // Streamed: never read whole.
            SuccessBody::Events => return None,
            SuccessBody::Empty => quote!(response.empty()),
        }
    } else {
        let variant = ident(&case.variant);
        let success_enum = success_enum_name(op);
        let variant = quote!(#success_enum::#variant);
        match &case.body {
            SuccessBody::Json { .. } => quote!(response.decode_into(#variant)),
            SuccessBody::Bytes => quote!(response.bytes_into(#variant)),
            SuccessBody::Text | SuccessBody::Events => quote!(response.text_into(#variant)),
            SuccessBody::Empty => quote!(response.empty_as(#variant)),
        }
    };
    Some(quote!(#pattern => #decode,))
}

/// The closure that tells `send_streaming` which statuses stream: the
/// successes (any status below 400 where the spec documents none). No
/// error status is a 2xx, so a success range streams whole.
fn streamed_statuses(op: &Operation) -> TokenStream {
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
    quote!(|status| #(#tests)||*)
}

/// The text of a header or cookie parameter's value: a `&str` as it is, a
/// `content` (JSON) value as its JSON, another typed value in the `simple`
/// style, any other kind formatted.
fn text_value(param: &Param, wire: &str, explode: bool, value: TokenStream) -> TokenStream {
    match param.kind {
        ParamKind::Typed(_) if param.json => quote! {
            &::agent_clients::runtime::params::json_text(#wire, #value)?
        },
        ParamKind::String => value,
        ParamKind::Typed(_) => quote! {
            &::agent_clients::runtime::params::header_text(#wire, #value, #explode)?
        },
        _ => quote!(&#value.to_string()),
    }
}

/// The `match` pattern of a status: `404`, `_`, or a range without the
/// `exact` statuses in it (`400..=403 | 405..=499`); `None` for a range they
/// cover whole.
fn status_pattern(status: StatusMatch, exact: &[u16]) -> Option<TokenStream> {
    let literal = proc_macro2::Literal::u16_unsuffixed;
    Some(match status {
        StatusMatch::Code(code) => {
            let code = literal(code);
            quote!(#code)
        }
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
                    1 => {
                        let single = literal(low);
                        pieces.push(quote!(#single));
                    }
                    _ => {
                        let (from, to) = (literal(low), literal(code - 1));
                        pieces.push(quote!(#from..=#to));
                    }
                }
                low = code + 1;
            }
            if pieces.is_empty() {
                return None;
            }
            quote!(#(#pieces)|*)
        }
        StatusMatch::Default => quote!(_),
    })
}

fn error_arm(error: &Ident, case: &ErrorCase, exact: &[u16]) -> TokenStream {
    let Some(pattern) = status_pattern(case.status, exact) else {
        return TokenStream::new();
    };
    let value = error_value(error, case);
    quote!(#pattern => #value,)
}

/// The `Err` of a documented error status, its body typed.
fn error_value(error: &Ident, case: &ErrorCase) -> TokenStream {
    let variant = ident(&case.variant);
    let decode = match &case.type_name {
        Some(_) => quote!(|body| ::serde_json::from_slice(body).map(#error::#variant)),
        None => quote!(|_| Ok(#error::#variant)),
    };
    quote!(Err(response.api_error(#decode)))
}

/// `format!("/agents/{}/status/", encode_path(id))`, or a plain string when
/// the path has no parameters.
fn path_expression(op: &Operation) -> TokenStream {
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
        let arg = ident(&param.rust_name);
        values.push(match (&param.kind, param.style) {
            (ParamKind::Typed(_), _) if param.json => {
                let wire = &param.name;
                quote! {
                    ::agent_clients::runtime::encode_path(
                        &::agent_clients::runtime::params::json_text(#wire, #arg)?,
                    )
                }
            }
            (ParamKind::String, ParamStyle::Simple) => {
                quote!(::agent_clients::runtime::encode_path(#arg))
            }
            (ParamKind::Typed(_), _) | (_, ParamStyle::Label | ParamStyle::Matrix) => {
                // Laid out (and encoded value by value) by the runtime.
                let wire = &param.name;
                let style = ident(param.style.name());
                let explode = param.explode;
                quote! {
                    ::agent_clients::runtime::params::path_text(
                        #wire,
                        &#arg,
                        ::agent_clients::runtime::params::Style::#style,
                        #explode,
                    )?
                }
            }
            _ => quote!(::agent_clients::runtime::encode_path(&#arg.to_string())),
        });
    }
    if values.is_empty() {
        quote!(::std::string::String::from(#format_string))
    } else {
        quote!(::std::format!(#format_string, #(#values),*))
    }
}

#[cfg(test)]
mod status_pattern_tests {
    use super::*;

    fn pattern(status: StatusMatch, exact: &[u16]) -> Option<String> {
        status_pattern(status, exact).map(|tokens| tokens.to_string())
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

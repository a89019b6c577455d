//! The fixed parts of a client's methods, parsed once per thread.

use super::*;

/// The fixed parts of a client's methods, parsed once per thread. The
/// placeholders: `__fn`, `__NAME`, `__Enum`, `__Error`, `__Variant`,
/// `__Style` and `__name` are identifiers; `__Success` and `__Error` (in a
/// method's return type) types; `__value`, `__path`, `__arms`, `__fallback`,
/// `__explode`, `__security` and `__idempotent` expressions; quoted ones
/// (`"__key"`) string literals.
pub(super) struct Templates {
    pub(super) client_impl: Template<Item>,
    pub(super) operation_const: Template<Item>,
    pub(super) buffered_method: Template<ImplItemFn>,
    pub(super) streaming_method: Template<ImplItemFn>,
    pub(super) event_stream: Type,
    pub(super) byte_stream: Type,
    pub(super) events_value: Expr,
    pub(super) bytes_value: Expr,
    pub(super) request: Template<Stmt>,
    pub(super) request_mut: Template<Stmt>,
    pub(super) content_type: Template<Stmt>,
    pub(super) if_some_value: Template<Stmt>,
    pub(super) header: Template<Stmt>,
    pub(super) idempotency_key: Template<Stmt>,
    pub(super) cookie: Template<Stmt>,
    pub(super) query_json: Template<Stmt>,
    pub(super) query_value: Template<Stmt>,
    pub(super) query_display: Template<Stmt>,
    pub(super) json_text: Template<Expr>,
    pub(super) header_text: Template<Expr>,
    pub(super) to_string: Template<Expr>,
    pub(super) string_from: Template<Expr>,
    pub(super) validate_body: Template<Stmt>,
    pub(super) if_some_body: Template<Stmt>,
    pub(super) body_json: Template<Stmt>,
    pub(super) body_form: Template<Stmt>,
    pub(super) body_text: Template<Stmt>,
    pub(super) body_bytes_into: Template<Stmt>,
    pub(super) body_bytes: Template<Stmt>,
    pub(super) status_match: Template<Expr>,
    pub(super) decode: Expr,
    pub(super) bytes: Expr,
    pub(super) text: Expr,
    pub(super) empty: Expr,
    pub(super) unexpected: Expr,
    pub(super) decode_into: Template<Expr>,
    pub(super) bytes_into: Template<Expr>,
    pub(super) text_into: Template<Expr>,
    pub(super) empty_as: Template<Expr>,
    pub(super) api_error_typed: Template<Expr>,
    pub(super) api_error_unit: Template<Expr>,
    pub(super) types: ArgumentTypes,
    pub(super) mock: mock::MockTemplates,
}

/// Argument types with no part that varies.
pub(super) struct ArgumentTypes {
    pub(super) str_ref: Type,
    pub(super) uuid_ref: Type,
    pub(super) into_bytes: Type,
}

thread_local! {
    pub(super) static TEMPLATES: Templates = Templates::new();
}

impl Templates {
    pub(super) fn new() -> Self {
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
            idempotency_key: Template::new(parse!(request.idempotency_key("__header");)),
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
            api_error_typed: Template::new(parse!(Err(response.error_body(__Error::__Variant)))),
            api_error_unit: Template::new(parse!(Err(response.error_status(__Error::__Variant)))),
            mock: mock::MockTemplates::new(),
            types: ArgumentTypes {
                str_ref: parse!(&str),
                uuid_ref: parse!(&::uuid::Uuid),
                into_bytes: parse!(impl ::std::convert::Into<::agent_clients_runtime::Bytes>),
            },
        }
    }
}

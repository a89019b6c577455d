//! Building a request: the path, the parameters in their styles, and
//! the body, checked first where its type has constraints.

use super::*;

impl Emit<'_> {
    /// The method's arguments after `&self`, as [`Operation::arguments`]
    /// lists them.
    pub(super) fn arguments(&self, op: &Operation) -> Vec<syn::FnArg> {
        op.arguments()
            .iter()
            .map(|argument| fn_arg(argument.name, self.argument_type(argument)))
            .collect()
    }

    /// Statements that bind `request`: path, headers, query, cookies and
    /// body, each checked against its documented constraints before
    /// anything is sent.
    pub(super) fn build_request(&self, op: &Operation) -> Vec<Stmt> {
        let t = self.templates;
        let const_name = operation_const_name(op);
        let path_expr = self.path_expression(op);
        // `mut` only when something is added, or the output would warn.
        let adds = op.params.iter().any(|p| p.location != ParamLocation::Path)
            || op.body.is_some()
            || op.bodiless_content_type.is_some()
            || op.idempotency_header.is_some();
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
        if let Some(header) = &op.idempotency_header {
            statements.push(
                t.idempotency_key
                    .fill(&Holes::default().str("__header", header)),
            );
        }
        if let Some(body) = &op.body {
            statements.extend(self.body_statements(body));
        }
        statements
    }

    /// A header, query or cookie parameter added to the request; an
    /// optional one only when given.
    pub(super) fn param_statement(&self, param: &Param) -> Stmt {
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
    pub(super) fn add_param(&self, param: &Param, value: &Expr) -> Stmt {
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

    pub(super) fn query_statement(&self, param: &Param, value: &Expr) -> Stmt {
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
    pub(super) fn body_statements(&self, body: &Body) -> Vec<Stmt> {
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
            .ty()
            .filter(|ty| self.space.validations().contains_key(ty))
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
    pub(super) fn body_set_statement(&self, body: &Body) -> Option<Stmt> {
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

impl Emit<'_> {
    /// `format!("/agents/{}/status/", encode_path(id))`, or a plain string
    /// when the path has no parameters.
    pub(super) fn path_expression(&self, op: &Operation) -> Expr {
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

pub(super) fn path_value(param: &Param) -> TokenStream {
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

//! The client's constructors: one argument per credential the spec's
//! `security` requires, and the docs that say which.

use super::*;

pub(super) fn security_doc(api: &Api, op: &Operation) -> String {
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
pub(super) fn auth_scheme(credential: &Credential) -> (TokenStream, String) {
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
pub(super) fn credential_params(
    credentials: &[Credential],
) -> (Vec<TokenStream>, Vec<TokenStream>, String) {
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
pub(super) fn credential_setters(credentials: &[Credential]) -> Vec<TokenStream> {
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

/// For each `oauth2` credential, the methods that make the client fetch
/// its tokens: by the spec's client credentials flow, by a refresh token
/// where the spec declares a flow that issues one, and by any flow the
/// caller builds. Named after the credential only where several have flows.
pub(super) fn token_flow_methods(credentials: &[Credential]) -> Vec<TokenStream> {
    let several = credentials.iter().filter(|c| c.flows.is_some()).count() > 1;
    let mut methods = Vec::new();
    for (index, credential) in credentials.iter().enumerate() {
        let Some(flows) = &credential.flows else {
            continue;
        };
        let prefix = if several {
            format!("{}_", credential.arg_name)
        } else {
            String::new()
        };
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        let kept = "The token is kept, fetched again shortly before it expires and once when the API \
                    answers `401`; calls made while it is fetched wait for that one fetch. Secrets \
                    and tokens are never printed.";
        // `.scopes([])` would leave the item type to infer.
        let scopes = &flows.scopes;
        let with_scopes = (!scopes.is_empty()).then(|| quote!(.scopes([#(#scopes),*])));
        let asks = match scopes.as_slice() {
            [] => "no scope (the spec's operations require none)".to_string(),
            scopes => format!(
                "the scopes the operations require: `{}`",
                scopes.join("`, `")
            ),
        };
        if let Some(url) = &flows.client_credentials {
            let method = format_ident!("with_{prefix}client_credentials");
            let method_doc = doc(&format!(
                "Gets `{}` (security scheme `{}`) from the spec's token endpoint, `{url}`, by OAuth2's client credentials grant, asking for {asks}.\n\n{kept}",
                credential.arg_name, credential.scheme
            ));
            methods.push(quote! {
                #(#method_doc)*
                pub fn #method(
                    mut self,
                    client_id: &str,
                    client_secret: impl ::std::convert::Into<::agent_clients_runtime::Secret>,
                ) -> ::std::result::Result<Self, ::agent_clients_runtime::ConfigError> {
                    let flow = ::agent_clients_runtime::OAuth2::client_credentials(#url, client_id, client_secret)
                        #with_scopes;
                    self.runtime.set_token_source(#index, flow)?;
                    Ok(self)
                }
            });
        }
        if let Some(url) = &flows.refresh {
            let method = format_ident!("with_{prefix}refresh_token");
            let method_doc = doc(&format!(
                "Gets `{}` (security scheme `{}`) from the spec's token endpoint, `{url}`, with a refresh token a public client obtained by the spec's authorization flow, asking for {asks}. A refresh token the server returns replaces it. (A confidential client: `with_{}_from(OAuth2::refresh_token(..).client_secret(..))`.)\n\n{kept}",
                credential.arg_name, credential.scheme, credential.arg_name
            ));
            methods.push(quote! {
                #(#method_doc)*
                pub fn #method(
                    mut self,
                    client_id: &str,
                    refresh_token: impl ::std::convert::Into<::agent_clients_runtime::Secret>,
                ) -> ::std::result::Result<Self, ::agent_clients_runtime::ConfigError> {
                    let flow = ::agent_clients_runtime::OAuth2::refresh_token(#url, client_id, refresh_token)
                        #with_scopes;
                    self.runtime.set_token_source(#index, flow)?;
                    Ok(self)
                }
            });
        }
        let method = format_ident!("with_{}_from", credential.arg_name);
        let method_doc = doc(&format!(
            "Gets `{}` (security scheme `{}`) by `flow`: other scopes, another token endpoint, a confidential client's refresh token. A relative token URL is the API's own.\n\n{kept}",
            credential.arg_name, credential.scheme
        ));
        methods.push(quote! {
            #(#method_doc)*
            pub fn #method(
                mut self,
                flow: ::agent_clients_runtime::OAuth2,
            ) -> ::std::result::Result<Self, ::agent_clients_runtime::ConfigError> {
                self.runtime.set_token_source(#index, flow)?;
                Ok(self)
            }
        });
    }
    methods
}

pub(super) fn constructors(api: &Api) -> TokenStream {
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
    let credentials_text = if api.credentials.is_empty() {
        "\n\nThe spec documents no credentials for this API.".to_string()
    } else if credential_docs.is_empty() {
        "\n\nCredentials are given with the `with_*` methods (a token, or an OAuth2 flow the client runs itself), and never printed.".to_string()
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
    let default = default.or_else(|| {
        offers_servers(api).then(|| {
            let new_doc = doc(&format!(
                "A client for the spec's first server, its variables at their defaults (`{}`), with the default configuration.{credentials_text}",
                api.servers[0].default_url()
            ));
            let params = params.clone();
            let args = args.clone();
            quote! {
                #(#new_doc)*
                pub fn new(#(#params),*) -> ::std::result::Result<Self, ::agent_clients_runtime::ConfigError> {
                    Self::for_server(&servers::Server::default(), #(#args),*)
                }
            }
        })
    });
    let for_server = offers_servers(api).then(|| {
        let for_server_doc = doc(&format!(
            "A client for `server`, one of the servers the spec documents with its variables filled in, with the default configuration.{credentials_text}"
        ));
        let params = params.clone();
        let args = args.clone();
        quote! {
            #(#for_server_doc)*
            pub fn for_server(server: &servers::Server, #(#params),*) -> ::std::result::Result<Self, ::agent_clients_runtime::ConfigError> {
                Self::with_base_url(&server.url(), #(#args),*)
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
    let flows = token_flow_methods(&api.credentials);
    quote! {
        #default

        #for_server

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

        #(#flows)*
    }
}

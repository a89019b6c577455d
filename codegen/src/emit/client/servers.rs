//! The `servers` module: the spec's servers as a typed choice, where it
//! offers more than one base URL (several servers, or variables). A spec
//! with one fixed server gets `Client::DEFAULT_BASE_URL` alone.

use super::*;
use crate::ir::model::{Server, ServerVariable, UrlPiece};

/// Whether the client offers `servers::Server`.
pub(super) fn offers_servers(api: &Api) -> bool {
    api.servers.len() > 1
        || api
            .servers
            .iter()
            .any(|server| !server.variables.is_empty())
}

/// `pub mod servers`: the `Server` enum, its `url()` and `Default` (the
/// first server, variables at their defaults), and one enum per variable
/// that lists its values.
pub(super) fn servers_module(api: &Api) -> TokenStream {
    let variants = api.servers.iter().map(server_variant);
    let arms = api.servers.iter().map(url_arm);
    let default = api.servers.first().map(default_server);
    let enums = variable_enums(&api.servers);
    quote! {
        /// The servers the spec documents, for [`Client::for_server`](super::Client::for_server).
        pub mod servers {
            /// Where the API is served; the first the spec lists is the default.
            #[derive(Clone, Debug, PartialEq, Eq)]
            #[non_exhaustive]
            pub enum Server {
                #(#variants,)*
            }

            impl Server {
                /// The base URL, its variables filled in.
                pub fn url(&self) -> ::std::string::String {
                    match self {
                        #(#arms)*
                    }
                }
            }

            impl ::std::default::Default for Server {
                /// The first server, each variable at the spec's default.
                fn default() -> Self {
                    #default
                }
            }

            #(#enums)*
        }
    }
}

fn server_variant(server: &Server) -> TokenStream {
    let name = ident(&server.variant);
    let text = match &server.description {
        Some(description) => format!("{}: `{}`.", description.trim(), server.url),
        None => format!("`{}`.", server.url),
    };
    let docs = doc(&text);
    if server.variables.is_empty() {
        return quote!(#(#docs)* #name);
    }
    let fields = server.variables.iter().map(|variable| {
        let field = ident(&variable.field);
        let ty = variable_type(variable);
        let mut text = format!("`{}` (default `{}`)", variable.name, variable.default);
        if let Some(description) = &variable.description {
            text = format!("{text}: {}", description.trim());
        }
        let docs = doc(&text);
        quote!(#(#docs)* #field: #ty)
    });
    quote!(#(#docs)* #name { #(#fields),* })
}

fn variable_type(variable: &ServerVariable) -> TokenStream {
    match &variable.ty {
        Some(ty) => {
            let ty = ident(ty);
            quote!(#ty)
        }
        None => quote!(::std::string::String),
    }
}

/// `Server::Variant { .. } => [..].concat(),`: the pieces, each variable
/// as its text.
fn url_arm(server: &Server) -> TokenStream {
    let name = ident(&server.variant);
    if server.variables.is_empty() {
        let url = &server.url;
        return quote!(Server::#name => ::std::string::String::from(#url),);
    }
    let parts = server.pieces.iter().map(|piece| match piece {
        UrlPiece::Literal(text) => quote!(#text),
        UrlPiece::Variable(index) => {
            let field = ident(&server.variables[*index].field);
            quote!(#field.as_str())
        }
    });
    // Only the variables the URL uses are bound: a declared one it does
    // not use would be an unused binding.
    let used: Vec<usize> = server
        .pieces
        .iter()
        .filter_map(|piece| match piece {
            UrlPiece::Variable(index) => Some(*index),
            UrlPiece::Literal(_) => None,
        })
        .collect();
    let fields = server
        .variables
        .iter()
        .enumerate()
        .filter(|(index, _)| used.contains(index))
        .map(|(_, variable)| ident(&variable.field));
    let rest = (used.len() < server.variables.len()).then(|| quote!(..));
    quote! {
        Server::#name { #(#fields,)* #rest } => [#(#parts),*].concat(),
    }
}

/// The server's variant with every variable at its default.
fn default_server(server: &Server) -> TokenStream {
    let name = ident(&server.variant);
    if server.variables.is_empty() {
        return quote!(Server::#name);
    }
    let fields = server.variables.iter().map(|variable| {
        let field = ident(&variable.field);
        let default = &variable.default;
        match &variable.ty {
            Some(ty) => {
                let ty = ident(ty);
                let (_, variant) = variable
                    .values
                    .iter()
                    .find(|(value, _)| value == default)
                    .expect("the model lists the default among the values");
                let variant = ident(variant);
                quote!(#field: #ty::#variant)
            }
            None => quote!(#field: ::std::string::String::from(#default)),
        }
    });
    quote!(Server::#name { #(#fields),* })
}

/// One enum per variable type, in order of first use.
fn variable_enums(servers: &[Server]) -> Vec<TokenStream> {
    let mut done = std::collections::BTreeSet::new();
    let mut enums = Vec::new();
    for variable in servers.iter().flat_map(|server| &server.variables) {
        let Some(ty) = &variable.ty else { continue };
        if !done.insert(ty.clone()) {
            continue;
        }
        let name = ident(ty);
        let variants: Vec<Ident> = variable.values.iter().map(|(_, v)| ident(v)).collect();
        let values = variable.values.iter().map(|(value, _)| value);
        let docs = doc(&format!(
            "The values the spec lists for server variable `{}`.",
            variable.name
        ));
        let variant_docs = variable.values.iter().map(|(value, _)| {
            let text = format!("`{value}`");
            quote!(#[doc = #text])
        });
        enums.push(quote! {
            #(#docs)*
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
            pub enum #name {
                #(#variant_docs #variants,)*
            }

            impl #name {
                /// The value as the URL carries it.
                pub fn as_str(self) -> &'static str {
                    match self {
                        #(#name::#variants => #values,)*
                    }
                }
            }
        });
    }
    enums
}

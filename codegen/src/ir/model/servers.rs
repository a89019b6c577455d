//! The spec's `servers`: each one the client can reach, its variables
//! typed. A relative server URL is left out: it is relative to wherever the
//! spec is served, which the generated client cannot know (a caller gives
//! that base URL to `with_base_url`).

use openapiv3::OpenAPI;

use crate::ir::names::servers::{server_variants, value_variants, variable_fields, variable_types};
use crate::normalize::Warning;

/// A server the client can be built for.
#[derive(Debug, Clone)]
pub struct Server {
    /// The URL as the spec writes it, `{variables}` and all.
    pub url: String,
    pub description: Option<String>,
    /// Its variant of the generated `servers::Server` enum.
    pub variant: String,
    /// The URL, cut at its variables.
    pub pieces: Vec<UrlPiece>,
    pub variables: Vec<ServerVariable>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlPiece {
    Literal(String),
    /// The variable at this index of [`Server::variables`].
    Variable(usize),
}

#[derive(Debug, Clone)]
pub struct ServerVariable {
    /// As the URL names it.
    pub name: String,
    /// Its field in the server's variant.
    pub field: String,
    pub description: Option<String>,
    pub default: String,
    /// The values the spec lists, each with its variant; empty where any
    /// text goes.
    pub values: Vec<(String, String)>,
    /// The enum (in the `servers` module) of a variable that lists values;
    /// shared by variables of one name with the same values.
    pub ty: Option<String>,
}

impl Server {
    /// The URL with every variable at its default.
    pub fn default_url(&self) -> String {
        self.pieces
            .iter()
            .map(|piece| match piece {
                UrlPiece::Literal(text) => text.as_str(),
                UrlPiece::Variable(index) => self.variables[*index].default.as_str(),
            })
            .collect()
    }
}

/// The servers the client can reach, in the spec's order (the first is
/// the default). One whose URL names an undeclared variable is left out,
/// with a warning naming it.
pub fn servers(spec: &OpenAPI, warnings: &mut Vec<Warning>) -> Vec<Server> {
    let mut kept = Vec::new();
    for (index, server) in spec.servers.iter().enumerate() {
        let at = format!("/servers/{index}");
        let declared = server.variables.clone().unwrap_or_default();
        let Some(pieces) = pieces(
            &server.url,
            |name| declared.get_index_of(name),
            &at,
            warnings,
        ) else {
            continue;
        };
        let names: Vec<&str> = declared.keys().map(String::as_str).collect();
        let fields = variable_fields(&names);
        let variables = declared
            .iter()
            .zip(fields)
            .map(|((name, variable), field)| {
                let mut listed = variable.enumeration.clone();
                if !listed.is_empty() && !listed.contains(&variable.default) {
                    warnings.push(Warning {
                        pointer: format!("{at}/variables/{name}/default"),
                        message: format!(
                            "the default `{}` is not one of the listed values; it is offered too",
                            variable.default
                        ),
                    });
                    listed.push(variable.default.clone());
                }
                let variants = value_variants(&listed);
                ServerVariable {
                    name: name.clone(),
                    field,
                    description: variable.description.clone(),
                    default: variable.default.clone(),
                    values: listed.into_iter().zip(variants).collect(),
                    ty: None,
                }
            })
            .collect();
        let server = Server {
            url: server.url.clone(),
            description: server.description.clone(),
            variant: String::new(),
            pieces,
            variables,
        };
        if is_absolute(&server.default_url()) {
            kept.push(server);
        }
    }
    name(&mut kept);
    kept
}

/// `url` cut at its `{variables}`, each found by `index_of`; `None`, with a
/// warning, where one is not declared.
fn pieces(
    url: &str,
    index_of: impl Fn(&str) -> Option<usize>,
    at: &str,
    warnings: &mut Vec<Warning>,
) -> Option<Vec<UrlPiece>> {
    let mut pieces = Vec::new();
    let mut rest = url;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|close| open + close) else {
            break;
        };
        let name = &rest[open + 1..close];
        let Some(index) = index_of(name) else {
            warnings.push(Warning {
                pointer: format!("{at}/url"),
                message: format!(
                    "the URL names variable `{name}`, which `variables` does not declare; \
                     the server is left out"
                ),
            });
            return None;
        };
        if open > 0 {
            pieces.push(UrlPiece::Literal(rest[..open].to_string()));
        }
        pieces.push(UrlPiece::Variable(index));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(UrlPiece::Literal(rest.to_string()));
    }
    Some(pieces)
}

fn is_absolute(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    ["http://", "https://"]
        .iter()
        .any(|scheme| lower.starts_with(scheme) && lower.len() > scheme.len())
}

/// Decides the variants, and the enum of each variable that lists values.
fn name(servers: &mut [Server]) {
    let descriptions: Vec<Option<&str>> =
        servers.iter().map(|s| s.description.as_deref()).collect();
    let variants = server_variants(&descriptions);
    for (server, variant) in servers.iter_mut().zip(variants) {
        server.variant = variant;
    }
    let listed: Vec<(usize, usize)> = servers
        .iter()
        .enumerate()
        .flat_map(|(s, server)| {
            server
                .variables
                .iter()
                .enumerate()
                .filter(|(_, variable)| !variable.values.is_empty())
                .map(move |(v, _)| (s, v))
        })
        .collect();
    let values: Vec<Vec<String>> = listed
        .iter()
        .map(|(s, v)| {
            let variable = &servers[*s].variables[*v];
            variable
                .values
                .iter()
                .map(|(value, _)| value.clone())
                .collect()
        })
        .collect();
    let keys: Vec<(&str, &str, &[String])> = listed
        .iter()
        .zip(&values)
        .map(|((s, v), values)| {
            let server = &servers[*s];
            (
                server.variant.as_str(),
                server.variables[*v].name.as_str(),
                values.as_slice(),
            )
        })
        .collect();
    let types = variable_types(&keys);
    for ((s, v), ty) in listed.into_iter().zip(types) {
        servers[s].variables[v].ty = Some(ty);
    }
}

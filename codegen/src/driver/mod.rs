//! A program that drives a sample of a generated client's operations
//! against a mock server that validates every request (Prism serving the
//! same spec), to show the client is right on the wire, not only compiled.
//!
//! [`plan`] picks the operations: in method-name order, each one that
//! exercises something not exercised yet (a request body kind, a response
//! kind, a parameter location and style, a security scheme) and whose
//! arguments [`sample`] can build. What no operation could exercise
//! is listed as uncovered. [`program`] writes the program: it calls each
//! sampled method with those arguments and prints one JSON line per call
//! saying whether the server accepted the request.
//!
//! It is beside the stages, not one of them: it reads the IR's operations
//! and writes a test program, never the client.

pub mod sample;

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::ir::TypeSpace;
use crate::ir::model::{
    Api, Argument, ArgumentSource, ArgumentType, Body, BodyKind, Operation, Param, ParamKind,
    ParamStyle, SuccessBody,
};

/// The operations to drive, and what none of them could.
pub struct Plan {
    pub calls: Vec<Call>,
    /// Features the spec uses that no drivable operation exercises.
    pub uncovered: Vec<String>,
}

/// One sampled operation.
pub struct Call {
    pub fn_name: String,
    /// Whether an argument is decoded into a generated type.
    typed: bool,
    /// What it exercises (`request body json`, `query parameter, form,
    /// exploded`, `security scheme bearerAuth`, ...).
    pub covers: Vec<String>,
    /// The method's arguments after `&self`.
    args: Vec<TokenStream>,
}

/// Picks the operations to drive.
pub fn plan(api: &Api, space: &TypeSpace) -> Plan {
    let components = &api.schema_values;
    let mut used = BTreeSet::new();
    let mut covered = BTreeSet::new();
    let mut calls = Vec::new();
    for op in &api.operations {
        used.extend(features(api, op, None));
        let Some((args, sampled_params)) = arguments(api, space, op, components) else {
            continue;
        };
        let typed = op
            .params
            .iter()
            .zip(&sampled_params)
            .any(|(param, given)| *given && matches!(param.kind, ParamKind::Typed(_)))
            || op.body.as_ref().is_some_and(|body| body.ty().is_some());
        let covers = features(api, op, Some(&sampled_params));
        if covers.iter().any(|feature| !covered.contains(feature)) {
            covered.extend(covers.iter().cloned());
            calls.push(Call {
                fn_name: op.fn_name.clone(),
                typed,
                covers,
                args,
            });
        }
    }
    Plan {
        calls,
        uncovered: used.difference(&covered).cloned().collect(),
    }
}

/// What calling `op` exercises: with `sampled`, only the parameters given
/// a value (an optional one may not be).
fn features(api: &Api, op: &Operation, sampled: Option<&[bool]>) -> Vec<String> {
    let mut out = vec![
        format!("request body {}", body_kind(op.body.as_ref())),
        format!("response {}", response_kind(op)),
    ];
    for (index, param) in op.params.iter().enumerate() {
        if sampled.is_some_and(|given| !given[index]) {
            continue;
        }
        out.push(if param.json {
            format!("{} parameter as JSON", param.location.name())
        } else {
            format!(
                "{} parameter, {}{}",
                param.location.name(),
                param.style.name(),
                if param.explode { ", exploded" } else { "" }
            )
        });
    }
    match op.security.first() {
        None => out.push("no credentials".to_string()),
        Some(alternative) => out.extend(
            alternative
                .iter()
                .filter_map(|index| api.credentials.get(*index))
                .map(|credential| format!("security scheme {}", credential.scheme)),
        ),
    }
    let mut seen = BTreeSet::new();
    out.retain(|feature| seen.insert(feature.clone()));
    out
}

fn body_kind(body: Option<&Body>) -> &'static str {
    match body.map(|body| &body.kind) {
        None => "none",
        Some(BodyKind::Json { .. }) => "json",
        Some(BodyKind::Form { .. }) => "form",
        Some(BodyKind::Multipart { .. }) => "multipart",
        Some(BodyKind::Text) => "text",
        Some(BodyKind::Bytes) => "bytes",
    }
}

fn response_kind(op: &Operation) -> &'static str {
    match op.shared_success_body() {
        None => "enum of bodies",
        Some(SuccessBody::Empty) => "empty",
        Some(SuccessBody::Json { .. }) => "json",
        Some(SuccessBody::Text) => "text",
        Some(SuccessBody::Events) => "event stream",
        Some(SuccessBody::Bytes) => "bytes",
    }
}

/// The arguments of `op` ([`Operation::arguments`]), and which parameters
/// got a value; `None` where a required one cannot be built.
fn arguments(
    api: &Api,
    space: &TypeSpace,
    op: &Operation,
    components: &BTreeMap<String, Value>,
) -> Option<(Vec<TokenStream>, Vec<bool>)> {
    let mut args = Vec::new();
    let mut given = Vec::new();
    for argument in op.arguments() {
        let value = argument_value(api, space, &argument, components);
        match argument.source {
            ArgumentSource::Param(_) => given.push(value.is_some()),
            // The call is there to exercise its body: it must have one.
            ArgumentSource::Body(_) if value.is_none() => return None,
            ArgumentSource::Body(_) => {}
        }
        args.push(match value {
            Some(value) if argument.optional => quote!(::std::option::Option::Some(#value)),
            Some(value) => value,
            None if argument.optional => quote!(::std::option::Option::None),
            None => return None,
        });
    }
    Some((args, given))
}

/// A value for `argument`, built from its schema; `None` where none can be.
fn argument_value(
    api: &Api,
    space: &TypeSpace,
    argument: &Argument,
    components: &BTreeMap<String, Value>,
) -> Option<TokenStream> {
    let sample = match argument.source {
        ArgumentSource::Param(param) => parameter_sample(param, components)?,
        ArgumentSource::Body(body) => match body.ty() {
            Some(ty) => {
                let schema = components.get(api.components.name(ty)?)?;
                sample::value(schema, components)?
            }
            // A text or bytes body: any content.
            None => Value::String("sample".into()),
        },
    };
    Some(match argument.ty {
        ArgumentType::Str => {
            let text = sample.as_str()?;
            quote!(#text)
        }
        ArgumentType::Uuid => {
            let text = sample.as_str()?;
            quote!(&::uuid::Uuid::parse_str(#text).map_err(|error| error.to_string())?)
        }
        ArgumentType::Integer => {
            let number = Literal::i64_unsuffixed(sample.as_i64()?);
            quote!(#number)
        }
        ArgumentType::Number => {
            let number = Literal::f64_unsuffixed(sample.as_f64()?);
            quote!(#number)
        }
        ArgumentType::Boolean => {
            let value = sample.as_bool()?;
            quote!(#value)
        }
        ArgumentType::Named(ty) => decoded(&space.get(ty).name, &sample),
        ArgumentType::Bytes => quote!(::agent_clients_runtime::Bytes::from_static(b"sample")),
    })
}

/// A sample of a parameter's schema.
fn parameter_sample(param: &Param, components: &BTreeMap<String, Value>) -> Option<Value> {
    // An exploded `form` list is one `name=item` pair per item, so a list
    // of one reads as a scalar; two items show the layout. Delimited styles
    // keep one item: Prism 5 splits their decoded value on the text `%20`
    // (or `|`), so it cannot read a list of two sent as the RFCs say.
    if param.style == ParamStyle::Form && param.explode {
        sample::parameter_value(&param.schema, components)
    } else {
        sample::value(&param.schema, components)
    }
}

/// `&decode::<types::T>("{json}")?`: the sample as the generated type.
fn decoded(type_name: &str, sample: &Value) -> TokenStream {
    let ty = Ident::new(type_name, Span::call_site());
    let text = sample.to_string();
    quote!(&decode::<types::#ty>(#text)?)
}

/// The driver's source: a `main` that builds the client for the base URL
/// given as its argument, with a placeholder for every credential, makes
/// each call of `plan` and prints one JSON line per call; it exits 1 when
/// the server rejected any request.
pub fn program(api: &Api, plan: &Plan, library: &str) -> Result<String, syn::Error> {
    let library = Ident::new(library, Span::call_site());
    let required = api
        .credentials
        .iter()
        .filter(|credential| credential.required)
        .map(|credential| placeholder(&credential.kind));
    let setters = api
        .credentials
        .iter()
        .filter(|credential| !credential.required)
        .map(|credential| {
            let setter = Ident::new(&format!("with_{}", credential.arg_name), Span::call_site());
            let value = placeholder(&credential.kind);
            quote!(let client = client.#setter(#value).map_err(|error| error.to_string())?;)
        });
    let calls = plan.calls.iter().map(|call| {
        let method = Ident::new(&call.fn_name, Span::call_site());
        let name = &call.fn_name;
        let covers = &call.covers;
        let args = &call.args;
        quote! {
            let result = async { Ok::<_, String>(outcome(client.#method(#(#args),*).await)) }.await;
            failed |= report(#name, &[#(#covers),*], result);
        }
    });
    let typed = plan.calls.iter().any(|call| call.typed);
    let (types_import, decode) = if typed {
        (
            quote!(use #library::types;),
            quote! {
                fn decode<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
                    serde_json::from_str(text).map_err(|error| {
                        format!("the sample does not decode as the generated type: {error}")
                    })
                }
            },
        )
    } else {
        (TokenStream::new(), TokenStream::new())
    };
    let tokens = quote! {
        //! Drives a sample of the client's operations against a server
        //! that validates requests (`@generated` by `cargo xtask corpus`).

        // The sample drives deprecated operations too.
        #![allow(deprecated)]

        use #library::Client;
        #types_import
        use agent_clients_runtime::{Error, RawResponse, Response};

        #[tokio::main(flavor = "current_thread")]
        async fn main() {
            let base_url = ::std::env::args().nth(1).unwrap_or_default();
            match run(&base_url).await {
                Ok(false) => {}
                Ok(true) => ::std::process::exit(1),
                Err(error) => {
                    ::std::eprintln!("cannot drive the client: {error}");
                    ::std::process::exit(2);
                }
            }
        }

        /// Makes every call; whether any was rejected.
        async fn run(base_url: &str) -> Result<bool, String> {
            // A mock's redirect leads to a `Location` it made up: what is
            // under test is whether the request was accepted, not where the
            // redirect goes.
            let config = agent_clients_runtime::ClientConfig::default()
                .retry(agent_clients_runtime::RetryPolicy::disabled())
                .redirect(agent_clients_runtime::RedirectPolicy::none());
            let client = Client::with_config(base_url, #(#required,)* config)
                .map_err(|error| error.to_string())?;
            #(#setters)*
            let mut failed = false;
            #(#calls)*
            Ok(failed)
        }

        #decode

        /// The status, Prism's objection to the request if it made one,
        /// and a note on what it said about its own response.
        ///
        /// Prism reports request violations in its `sl-violations` header
        /// or in a problem+json error of its own; violations located in
        /// the response, and the errors it gives when it cannot mock a
        /// response, are about its mock, not the request.
        fn verdict(response: &RawResponse) -> (u16, Option<String>, String) {
            const MOCK_ERRORS: [&str; 2] = ["NO_RESPONSE_RESPONSE_DEFINED", "NO_COMPLEX_OBJECT_TEXT"];
            let status = response.status().as_u16();
            if let Some(header) = response.headers().get("sl-violations") {
                let text = String::from_utf8_lossy(header.as_bytes()).into_owned();
                let violations: Vec<serde_json::Value> =
                    serde_json::from_str(&text).unwrap_or_default();
                let about_response = !violations.is_empty()
                    && violations.iter().all(|violation| violation["location"][0] == "response");
                // A warning (a deprecated parameter sent) is not a rejection.
                let warnings_only = !violations.is_empty()
                    && violations.iter().all(|violation| violation["severity"] == "Warning");
                return if about_response {
                    (status, None, format!("Prism's mock response breaks the spec: {text}"))
                } else if warnings_only {
                    (status, None, format!("Prism warns: {text}"))
                } else {
                    (status, Some(text), String::new())
                };
            }
            let body = response.body_text();
            let Some((_, kind)) = body.split_once("stoplight.io/prism/errors#") else {
                return (status, None, String::new());
            };
            let kind: String = kind.chars().take_while(|c| c.is_ascii_uppercase() || *c == '_').collect();
            // "Cannot find serializer for audio/mpeg" comes as `UNKNOWN`.
            if MOCK_ERRORS.contains(&kind.as_str()) || body.contains("Cannot find serializer for") {
                (status, None, format!("Prism could not mock a response: {kind}"))
            } else {
                (status, Some(body), String::new())
            }
        }

        /// Accepted (the status, and a note when the response did not
        /// decode), or why not.
        fn outcome<T, E: ::std::fmt::Debug>(
            result: Result<Response<T>, Error<E>>,
        ) -> (bool, u16, String) {
            let (response, note) = match &result {
                Ok(response) => (response.raw(), String::new()),
                Err(Error::Decode { response, source }) => {
                    (response, format!("the response did not decode: {source}"))
                }
                Err(error) => match error.response() {
                    Some(response) => (response, String::new()),
                    None => return (false, 0, error.to_string()),
                },
            };
            match verdict(response) {
                (status, Some(objection), _) => (false, status, objection),
                (status, None, mock_note) if !mock_note.is_empty() => (true, status, mock_note),
                (status, None, _) => (true, status, note),
            }
        }

        /// Prints the call's line; whether it failed.
        fn report(operation: &str, covers: &[&str], outcome: Result<(bool, u16, String), String>) -> bool {
            let (accepted, status, detail) = outcome.unwrap_or_else(|error| (false, 0, error));
            let line = serde_json::json!({
                "operation": operation,
                "covers": covers,
                "accepted": accepted,
                "status": status,
                "detail": detail,
            });
            ::std::println!("{line}");
            !accepted
        }
    };
    let file = syn::parse2::<syn::File>(tokens)?;
    Ok(prettyplease::unparse(&file))
}

/// A credential value of the right shape for its scheme.
fn placeholder(kind: &crate::ir::model::CredentialKind) -> TokenStream {
    match kind {
        crate::ir::model::CredentialKind::Basic => quote!("sample-user:sample-password"),
        _ => quote!("sample-credential"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_of(fixture: &str) -> (Api, Plan) {
        let path = crate::test_support::manifest_dir()
            .join("tests/fixtures")
            .join(fixture);
        let document = crate::load::load(&path).unwrap();
        let api = crate::ir::model::build(&document).unwrap();
        let plan = plan(&api, &TypeSpace::new(&api));
        (api, plan)
    }

    #[test]
    fn every_body_kind_gets_a_call() {
        let (api, plan) = plan_of("request-bodies.yaml");
        let covered: BTreeSet<&str> = plan
            .calls
            .iter()
            .flat_map(|call| call.covers.iter().map(String::as_str))
            .collect();
        for kind in ["json", "form", "multipart", "text", "bytes"] {
            assert!(
                covered.contains(format!("request body {kind}").as_str()),
                "{kind}: {covered:?}"
            );
        }
        assert!(plan.uncovered.is_empty(), "{:?}", plan.uncovered);
        // A call is added only for something new.
        let mut seen = BTreeSet::new();
        for call in &plan.calls {
            let new = call
                .covers
                .iter()
                .filter(|f| seen.insert((*f).clone()))
                .count();
            assert!(new > 0, "{} adds nothing", call.fn_name);
        }
        let source = program(&api, &plan, "fixture").unwrap();
        for call in &plan.calls {
            assert!(source.contains(&format!(".{}(", call.fn_name)), "{source}");
        }
    }

    #[test]
    fn styles_and_schemes_are_covered_or_listed() {
        for fixture in ["parameter-styles.yaml", "security-schemes.yaml"] {
            let (api, plan) = plan_of(fixture);
            let used: BTreeSet<String> = api
                .operations
                .iter()
                .flat_map(|op| features(&api, op, None))
                .collect();
            let covered: BTreeSet<String> = plan
                .calls
                .iter()
                .flat_map(|call| call.covers.iter().cloned())
                .chain(plan.uncovered.iter().cloned())
                .collect();
            assert_eq!(used, covered, "{fixture}");
            assert!(
                used.iter()
                    .any(|feature| feature.starts_with("security scheme"))
                    || fixture != "security-schemes.yaml"
            );
        }
    }
}

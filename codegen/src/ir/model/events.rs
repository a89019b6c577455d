//! Events: each webhook (OpenAPI 3.1's `webhooks`) and each callback of an
//! operation (3.0 and 3.1), read as a request that the API sends and the
//! user's server receives. Each is built as an operation is (its body's
//! types hoisted and held by id, its header parameters, the answers the
//! receiver may give), and named by [`crate::ir::names::events`].
//!
//! An event the generator cannot express is left out with a warning (read
//! strictly, an error), as an operation is.

use super::*;
use crate::ir::names::events::{EventNaming, event_variants};

/// A webhook or callback.
#[derive(Debug, Clone)]
pub struct Event {
    /// The webhook's key, or the callback's name: what the spec calls it.
    pub key: String,
    pub source: EventSource,
    /// Its variant of the `webhooks::Event` enum.
    pub variant: String,
    /// The request the API sends: its method, header parameters, body and
    /// the responses the receiver may answer with. Its path is empty (a
    /// receiver's URL is the user's) and it needs no credential.
    pub request: Operation,
    /// Where the spec declares it.
    pub pointer: String,
}

/// Where an event is declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventSource {
    /// Under the document's `webhooks`.
    Webhook,
    /// Under the `callbacks` of the operation `operation` (its method
    /// name), at the runtime expression `expression` (the URL the API
    /// calls, such as `{$request.body#/callbackUrl}`).
    Callback {
        operation: String,
        expression: String,
    },
}

/// One event of the document, where it was found.
pub(super) struct FoundEvent<'a> {
    key: &'a str,
    source: EventSource,
    method: HttpMethod,
    operation: &'a SpecOperation,
    path_params: &'a [ReferenceOr<Parameter>],
    /// The path item's place: `["webhooks", key]`, or an operation's
    /// `["paths", path, method, "callbacks", name, expression]`.
    place: Vec<&'a str>,
    /// Its path item has other methods too (its name then says which).
    several_methods: bool,
}

impl FoundEvent<'_> {
    /// The JSON pointer of its operation, made when an event is built.
    fn pointer(&self) -> String {
        pointer(self.place.iter().copied().chain([self.method.key()]))
    }
}

/// An operation whose callbacks are events: its method name, path, method
/// and spec operation.
pub(super) type WithCallbacks<'a> = (String, &'a str, HttpMethod, &'a SpecOperation);

/// Every webhook in document order, then every callback of `operations`.
pub(super) fn found_events<'a>(
    document: &'a Document,
    operations: &[WithCallbacks<'a>],
) -> Vec<FoundEvent<'a>> {
    let mut found = Vec::new();
    for (key, item) in &document.webhooks {
        let place = vec!["webhooks", key.as_str()];
        path_item_events(&mut found, key, EventSource::Webhook, item, place);
    }
    for (fn_name, path, method, operation) in operations {
        for (name, callback) in &operation.callbacks {
            for (expression, item) in callback {
                let source = EventSource::Callback {
                    operation: fn_name.clone(),
                    expression: expression.clone(),
                };
                let place = vec![
                    "paths",
                    path,
                    method.key(),
                    "callbacks",
                    name.as_str(),
                    expression.as_str(),
                ];
                path_item_events(&mut found, name, source, item, place);
            }
        }
    }
    found
}

fn path_item_events<'a>(
    found: &mut Vec<FoundEvent<'a>>,
    key: &'a str,
    source: EventSource,
    item: &'a openapiv3::PathItem,
    place: Vec<&'a str>,
) {
    let methods: Vec<HttpMethod> = HttpMethod::ALL
        .into_iter()
        .filter(|method| method.of(item).is_some())
        .collect();
    for method in &methods {
        if let Some(operation) = method.of(item) {
            found.push(FoundEvent {
                key,
                source: source.clone(),
                method: *method,
                operation,
                path_params: &item.parameters,
                place: place.clone(),
                several_methods: methods.len() > 1,
            });
        }
    }
}

impl Builder<'_> {
    /// The events of `found` that the generator can express, named; each
    /// other one is left out with a warning per problem (strictly, its
    /// problems stay problems).
    pub(super) fn events(
        &mut self,
        found: Vec<FoundEvent<'_>>,
        warnings: &mut Vec<Warning>,
    ) -> Vec<Event> {
        let naming: Vec<EventNaming<'_>> = found
            .iter()
            .map(|event| EventNaming {
                key: event.key,
                method: event.several_methods.then(|| event.method.key()),
            })
            .collect();
        let variants = event_variants(&naming);
        let mut events = Vec::new();
        for (event, variant) in found.into_iter().zip(variants) {
            // Credentials are the client's, for the requests it sends; a
            // receiver checks a delivery's signature instead.
            let mut operation = event.operation.clone();
            operation.security = Some(Vec::new());
            operation.callbacks.clear();
            let problems_before = self.problems.len();
            let fn_name = variant.to_snake_case();
            let at = event.pointer();
            let built = self.operation(
                "",
                event.method,
                &operation,
                event.path_params,
                fn_name,
                &at,
            );
            match built {
                Some(request) => events.push(Event {
                    key: event.key.to_string(),
                    source: event.source,
                    variant,
                    request,
                    pointer: at,
                }),
                None if !self.strict => warnings.extend(
                    self.problems
                        .drain(problems_before..)
                        .map(|problem| Warning {
                            pointer: problem.pointer,
                            message: format!(
                                "{}; the event `{}` is left out of the `webhooks` module",
                                problem.message, event.key
                            ),
                        }),
                ),
                None => {}
            }
        }
        events
    }
}

/// `x-agent-clients-webhook-signature` at the top of a spec (its overlay):
/// how the vendor signs its deliveries, where the spec or its docs say.
/// The generated `webhooks::scheme()` returns it.
///
/// ```yaml
/// x-agent-clients-webhook-signature:
///   scheme: standard-webhooks        # the headers default to webhook-*
///   id-header: svix-id
///   timestamp-header: svix-timestamp
///   signature-header: svix-signature
/// ```
///
/// The other schemes: `timestamped` (`header`, `timestamp-key` `t`,
/// `signature-key` `v1`, `encoding` `hex`), `body` (`header`, `prefix`
/// empty, `algorithm` `sha256` or `sha1`, `encoding`), `url-form`
/// (`header`), `ed25519` (`signature-header`, `timestamp-header`,
/// `encoding`), `shared-secret` (`header`).
pub const SIGNATURE_EXTENSION: &str = "x-agent-clients-webhook-signature";

/// A signature scheme, as the runtime's `webhooks::Scheme` has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureScheme {
    StandardWebhooks {
        id_header: String,
        timestamp_header: String,
        signature_header: String,
    },
    Timestamped {
        header: String,
        timestamp_key: String,
        signature_key: String,
        hex: bool,
    },
    Body {
        header: String,
        prefix: String,
        sha1: bool,
        hex: bool,
    },
    UrlForm {
        header: String,
    },
    Ed25519 {
        signature_header: String,
        timestamp_header: Option<String>,
        hex: bool,
    },
    SharedSecret {
        header: String,
    },
}

/// The spec's [`SIGNATURE_EXTENSION`], or a problem naming what is wrong.
pub(super) fn signature_scheme(
    document: &Document,
    problems: &mut Vec<Problem>,
) -> Option<SignatureScheme> {
    let value = document.spec.extensions.get(SIGNATURE_EXTENSION)?;
    let at = format!("/{SIGNATURE_EXTENSION}");
    match read_scheme(value) {
        Ok(scheme) => Some(scheme),
        Err(message) => {
            problems.push(Problem {
                pointer: at,
                message,
            });
            None
        }
    }
}

fn read_scheme(value: &Value) -> Result<SignatureScheme, String> {
    let object = value
        .as_object()
        .ok_or("must be a mapping with a `scheme`")?;
    let text = |key: &str| -> Result<Option<String>, String> {
        match object.get(key) {
            None => Ok(None),
            Some(Value::String(text)) if !text.is_empty() || key == "prefix" => {
                Ok(Some(text.clone()))
            }
            Some(_) => Err(format!("`{key}` must be text")),
        }
    };
    let or = |key: &str, default: &str| text(key).map(|found| found.unwrap_or(default.into()));
    let required = |key: &str| text(key)?.ok_or(format!("`{key}` is required"));
    let hex = || match text("encoding")?.as_deref() {
        None | Some("hex") => Ok(true),
        Some("base64") => Ok(false),
        Some(other) => Err(format!("`encoding` is `hex` or `base64`, not `{other}`")),
    };
    let scheme = text("scheme")?.ok_or("`scheme` is required")?;
    let known = [
        "standard-webhooks",
        "timestamped",
        "body",
        "url-form",
        "ed25519",
        "shared-secret",
    ];
    Ok(match scheme.as_str() {
        "standard-webhooks" => SignatureScheme::StandardWebhooks {
            id_header: or("id-header", "webhook-id")?,
            timestamp_header: or("timestamp-header", "webhook-timestamp")?,
            signature_header: or("signature-header", "webhook-signature")?,
        },
        "timestamped" => SignatureScheme::Timestamped {
            header: required("header")?,
            timestamp_key: or("timestamp-key", "t")?,
            signature_key: or("signature-key", "v1")?,
            hex: hex()?,
        },
        "body" => SignatureScheme::Body {
            header: required("header")?,
            prefix: or("prefix", "")?,
            sha1: match text("algorithm")?.as_deref() {
                None | Some("sha256") => false,
                Some("sha1") => true,
                Some(other) => {
                    return Err(format!("`algorithm` is `sha256` or `sha1`, not `{other}`"));
                }
            },
            hex: hex()?,
        },
        "url-form" => SignatureScheme::UrlForm {
            header: required("header")?,
        },
        "ed25519" => SignatureScheme::Ed25519 {
            signature_header: required("signature-header")?,
            timestamp_header: text("timestamp-header")?,
            hex: hex()?,
        },
        "shared-secret" => SignatureScheme::SharedSecret {
            header: required("header")?,
        },
        other => {
            return Err(format!(
                "`scheme` is one of {}, not `{other}`",
                known.join(", ")
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scheme_is_read_with_its_defaults_or_refused_naming_why() {
        let read = |yaml: serde_json::Value| read_scheme(&yaml);
        assert_eq!(
            read(serde_json::json!({"scheme": "standard-webhooks", "id-header": "svix-id"})),
            Ok(SignatureScheme::StandardWebhooks {
                id_header: "svix-id".into(),
                timestamp_header: "webhook-timestamp".into(),
                signature_header: "webhook-signature".into(),
            })
        );
        assert_eq!(
            read(
                serde_json::json!({"scheme": "body", "header": "x-hub-signature-256", "prefix": "sha256="})
            ),
            Ok(SignatureScheme::Body {
                header: "x-hub-signature-256".into(),
                prefix: "sha256=".into(),
                sha1: false,
                hex: true,
            })
        );
        assert_eq!(
            read(serde_json::json!({"scheme": "body"})),
            Err("`header` is required".into())
        );
        assert_eq!(
            read(serde_json::json!({"scheme": "hmac"})),
            Err("`scheme` is one of standard-webhooks, timestamped, body, url-form, ed25519, shared-secret, not `hmac`".into())
        );
        assert_eq!(
            read(
                serde_json::json!({"scheme": "ed25519", "signature-header": "x", "encoding": "b32"})
            ),
            Err("`encoding` is `hex` or `base64`, not `b32`".into())
        );
    }
}

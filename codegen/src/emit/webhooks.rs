//! The `webhooks` module (behind the crate's `webhooks` feature) of a spec
//! that declares events: one enum of them all, read from a delivery whose
//! signature the runtime has checked. How a body says which event it is was
//! decided by the IR ([`Dispatch`]); this only prints it.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Item;

use super::syntax::{doc_lines, ident, path_type};
use crate::ir::events::Dispatch;
use crate::ir::lower::Ir;
use crate::ir::model::{BodyKind, Event, EventSource, SignatureScheme, StatusMatch, SuccessBody};

/// The module, where the spec declares an event. Its enum may hold events of
/// very different sizes unboxed (`clippy::large_enum_variant` is allowed):
/// a receiver holds one event at a time, and a box would be in the way of
/// every `match`.
pub fn module(ir: &Ir) -> Option<Item> {
    let events = &ir.api.events;
    if events.is_empty() {
        return None;
    }
    let variants = events.iter().map(|event| variant(ir, event));
    let keys = events.iter().map(|event| event.key.as_str());
    let key_arms = events.iter().map(|event| {
        let pattern = pattern(event);
        let key = &event.key;
        quote!(#pattern => ::std::option::Option::Some(#key),)
    });
    let parse = parse_body(ir);
    let by_key = first_of_each(events.iter().map(|event| (event.key.as_str(), event)));
    let key_arms_parse = by_key.iter().map(|(key, event)| {
        let read = read(event);
        quote!(#key => #read,)
    });
    let parse_doc = doc_lines(&parse_doc(ir));
    let body_arms = events.iter().map(body_arm);
    let media_arms = events.iter().map(|event| {
        let pattern = pattern(event);
        match &event.request.body {
            Some(body) => {
                let media = &body.media_type;
                quote!(#pattern => ::std::option::Option::Some(#media),)
            }
            None => quote!(#pattern => ::std::option::Option::None,),
        }
    });
    let scheme = ir.api.webhook_signature.as_ref().map(scheme_items);
    // Only where an event's body or answer is typed: an unused import
    // would fail `-D warnings`.
    let typed = events.iter().any(|event| {
        matches!(
            event.request.body.as_ref().map(|body| &body.kind),
            Some(BodyKind::Json { .. })
        ) || event
            .request
            .successes
            .iter()
            .any(|case| matches!(case.body, SuccessBody::Json { .. }))
    });
    let uses = typed.then(|| {
        quote!(
            use super::types;
        )
    });
    let answers = events.iter().flat_map(|event| answers(ir, event));
    let module: syn::ItemMod = syn::parse2(quote! {
        /// The events this API sends to your server, its webhooks and callbacks, typed
        /// (the `webhooks` feature).
        ///
        /// Check a delivery before reading it: make a
        /// [`Verifier`](::agent_clients_runtime::webhooks::Verifier) with the vendor's
        /// signature scheme and your secret; [`Event::receive`] then checks the signature on
        /// the body's raw bytes, the signed timestamp's age, and only then reads the body as
        /// the event it is.
        #[cfg(feature = "webhooks")]
        pub mod webhooks {
            #uses

            #scheme

            /// Every event the spec declares.
            #[derive(Clone, Debug, PartialEq)]
            #[non_exhaustive]
            #[allow(clippy::large_enum_variant)]
            pub enum Event {
                #(#variants)*
                /// A body that no declared event matches, or whose event the spec gives no
                /// way to tell: the events it may be, and the body as JSON.
                Unknown(::agent_clients_runtime::webhooks::UnknownEvent),
            }

            impl Event {
                /// The key of every event, as the spec names it, in its order.
                pub const KEYS: &'static [&'static str] = &[#(#keys),*];

                /// The spec's key of this event; `None` for [`Event::Unknown`].
                pub fn key(&self) -> ::std::option::Option<&'static str> {
                    match self {
                        #(#key_arms)*
                        Event::Unknown(_) => ::std::option::Option::None,
                    }
                }

                /// The body the API sends for this event: its JSON, or the bytes of a body
                /// that is not JSON, or nothing.
                pub fn to_body(&self) -> ::std::vec::Vec<u8> {
                    match self {
                        #(#body_arms)*
                        Event::Unknown(unknown) => ::agent_clients_runtime::webhooks::to_json(&unknown.body),
                    }
                }

                /// The media type of [`Event::to_body`], where the event has a body.
                pub fn media_type(&self) -> ::std::option::Option<&'static str> {
                    match self {
                        #(#media_arms)*
                        Event::Unknown(_) => ::std::option::Option::Some("application/json"),
                    }
                }

                /// Checks `delivery`'s signature with `verifier` (on the raw body, with the
                /// signed timestamp's age), then reads its body ([`Event::parse`]).
                pub fn receive(
                    verifier: &::agent_clients_runtime::webhooks::Verifier,
                    delivery: &::agent_clients_runtime::webhooks::Delivery<'_>,
                ) -> ::std::result::Result<Self, ::agent_clients_runtime::webhooks::WebhookError> {
                    verifier.verify(delivery)?;
                    Self::parse(delivery.body)
                }

                #(#parse_doc)*
                pub fn parse(
                    body: &[u8],
                ) -> ::std::result::Result<Self, ::agent_clients_runtime::webhooks::WebhookError> {
                    #parse
                }

                #(#answers)*

                /// Reads a verified body as the event the spec calls `key` (a receiver with
                /// one URL per event knows which). Where two events share a key, the first.
                pub fn parse_as(
                    key: &str,
                    body: &[u8],
                ) -> ::std::result::Result<Self, ::agent_clients_runtime::webhooks::WebhookError> {
                    match key {
                        #(#key_arms_parse)*
                        _ => ::std::result::Result::Err(
                            ::agent_clients_runtime::webhooks::WebhookError::UnknownEvent {
                                key: key.to_string(),
                            },
                        ),
                    }
                }
            }
        }
    })
    .unwrap_or_else(|error| {
        panic!("the webhooks module does not parse (a generator bug): {error}")
    });
    Some(Item::Mod(module))
}

/// One variant: its docs, and what it holds.
fn variant(ir: &Ir, event: &Event) -> TokenStream {
    let name = ident(&event.variant);
    let docs = doc_lines(&variant_doc(event));
    match event.request.body.as_ref().map(|body| &body.kind) {
        Some(BodyKind::Json { ty }) => {
            let ty = path_type(&format!("types::{}", ir.space.get(*ty).name), Vec::new());
            quote!(#(#docs)* #name(#ty),)
        }
        Some(_) => quote!(#(#docs)* #name(::agent_clients_runtime::Bytes),),
        None => quote!(#(#docs)* #name,),
    }
}

fn variant_doc(event: &Event) -> String {
    let request = &event.request;
    let declared = match &event.source {
        EventSource::Webhook => format!("The webhook `{}` (`{}`).", event.key, request.method),
        EventSource::Callback {
            operation,
            expression,
        } => format!(
            "The callback `{}` of [`Client::{operation}`](super::Client::{operation}): `{} {expression}`.",
            event.key, request.method
        ),
    };
    let mut text = declared;
    for part in [&request.summary, &request.description]
        .into_iter()
        .flatten()
    {
        let part = part.trim();
        if !part.is_empty() && !text.contains(part) {
            text.push_str("\n\n");
            text.push_str(part);
        }
    }
    if matches!(request.body.as_ref().map(|body| &body.kind), Some(kind) if !matches!(kind, BodyKind::Json { .. }))
    {
        text.push_str("\n\nIts body is not JSON: it is kept as received.");
    }
    text
}

/// The expression that reads `body` as `event`.
fn read(event: &Event) -> TokenStream {
    let name = ident(&event.variant);
    match event.request.body.as_ref().map(|body| &body.kind) {
        Some(BodyKind::Json { .. }) => {
            quote!(::agent_clients_runtime::webhooks::json(body).map(Event::#name))
        }
        Some(_) => quote!(::std::result::Result::Ok(Event::#name(
            ::agent_clients_runtime::Bytes::copy_from_slice(body)
        ))),
        None => quote!(::std::result::Result::Ok(Event::#name)),
    }
}

/// `parse`'s body, as the IR's dispatch says.
fn parse_body(ir: &Ir) -> TokenStream {
    let events = &ir.api.events;
    let unknown = |tag: TokenStream| {
        quote! {
            ::agent_clients_runtime::webhooks::UnknownEvent::new(body, Self::KEYS, #tag)
                .map(Event::Unknown)
        }
    };
    let (field, values): (&str, Vec<Option<&str>>) = match &ir.dispatch {
        Dispatch::Only => return read(&events[0]),
        Dispatch::Unknown => return unknown(quote!(::std::option::Option::None)),
        Dispatch::Tag { field, values } => (field, values.iter().map(|v| v.as_deref()).collect()),
        Dispatch::Key { field } => (field, events.iter().map(|e| Some(e.key.as_str())).collect()),
    };
    let tagged = first_of_each(
        values
            .iter()
            .zip(events)
            .filter_map(|(value, event)| value.map(|value| (value, event))),
    );
    let arms = tagged.iter().map(|(value, event)| {
        let read = read(event);
        quote!(::std::option::Option::Some(#value) => #read,)
    });
    let fallback = unknown(quote!(tag.map(|tag| (#field, tag))));
    quote! {
        let tag = ::agent_clients_runtime::webhooks::tag(body, #field)?;
        match tag.as_deref() {
            #(#arms)*
            _ => #fallback,
        }
    }
}

fn parse_doc(ir: &Ir) -> String {
    let first = "Reads a verified body as the event it is";
    match &ir.dispatch {
        Dispatch::Tag { field, .. } => format!(
            "{first}: by its `{field}` property, whose value each event's schema fixes. A \
             value no event has is [`Event::Unknown`]."
        ),
        Dispatch::Key { field } => format!(
            "{first}: by its `{field}` property, which holds the event's key. A key no event \
             has is [`Event::Unknown`]."
        ),
        Dispatch::Only => format!("{first}: the spec declares one event."),
        Dispatch::Unknown => format!(
            "{first}, where the spec says how: this one gives no way to tell its events apart, \
             so a body is [`Event::Unknown`], with the events it may be; use \
             [`Event::parse_as`] where the URL says which."
        ),
    }
}

/// The first of each key, in order (a later one would be unreachable).
fn first_of_each<'a, T>(pairs: impl Iterator<Item = (&'a str, T)>) -> Vec<(&'a str, T)> {
    let mut seen = std::collections::BTreeSet::new();
    pairs.filter(|(key, _)| seen.insert(*key)).collect()
}

/// `scheme()` and `verifier(key)`, for a spec whose overlay says how its
/// vendor signs.
fn scheme_items(scheme: &SignatureScheme) -> TokenStream {
    let runtime = quote!(::agent_clients_runtime::webhooks);
    let encoding = |hex: &bool| match hex {
        true => quote!(#runtime::Encoding::Hex),
        false => quote!(#runtime::Encoding::Base64),
    };
    let value = match scheme {
        SignatureScheme::StandardWebhooks {
            id_header,
            timestamp_header,
            signature_header,
        } => quote!(#runtime::Scheme::StandardWebhooks {
            id_header: #id_header.into(),
            timestamp_header: #timestamp_header.into(),
            signature_header: #signature_header.into(),
        }),
        SignatureScheme::Timestamped {
            header,
            timestamp_key,
            signature_key,
            hex,
        } => {
            let encoding = encoding(hex);
            quote!(#runtime::Scheme::Timestamped {
                header: #header.into(),
                timestamp_key: #timestamp_key.into(),
                signature_key: #signature_key.into(),
                encoding: #encoding,
            })
        }
        SignatureScheme::Body {
            header,
            prefix,
            sha1,
            hex,
        } => {
            let encoding = encoding(hex);
            let algorithm = match sha1 {
                true => quote!(#runtime::Algorithm::Sha1),
                false => quote!(#runtime::Algorithm::Sha256),
            };
            quote!(#runtime::Scheme::Body {
                header: #header.into(),
                prefix: #prefix.into(),
                algorithm: #algorithm,
                encoding: #encoding,
            })
        }
        SignatureScheme::UrlForm { header } => {
            quote!(#runtime::Scheme::UrlForm { header: #header.into() })
        }
        SignatureScheme::Ed25519 {
            signature_header,
            timestamp_header,
            hex,
        } => {
            let encoding = encoding(hex);
            let timestamp = match timestamp_header {
                Some(name) => quote!(::std::option::Option::Some(#name.into())),
                None => quote!(::std::option::Option::None),
            };
            quote!(#runtime::Scheme::Ed25519 {
                signature_header: #signature_header.into(),
                timestamp_header: #timestamp,
                encoding: #encoding,
            })
        }
        SignatureScheme::SharedSecret { header } => {
            quote!(#runtime::Scheme::SharedSecret { header: #header.into() })
        }
    };
    quote! {
        /// How the API signs its deliveries, as its spec (or overlay) says.
        pub fn scheme() -> #runtime::Scheme {
            #value
        }

        /// A verifier of the API's deliveries, accepting `key` (add the old key with
        /// `with_key` during a rotation).
        pub fn verifier(key: #runtime::WebhookSecret) -> #runtime::Verifier {
            #runtime::Verifier::new(scheme(), key)
        }
    }
}

/// `Event::Name(_)`, or `Event::Name` for an event without a body.
fn pattern(event: &Event) -> TokenStream {
    let name = ident(&event.variant);
    match event.request.body {
        Some(_) => quote!(Event::#name(_)),
        None => quote!(Event::#name),
    }
}

/// `to_body`'s arm for `event`.
fn body_arm(event: &Event) -> TokenStream {
    let name = ident(&event.variant);
    match event.request.body.as_ref().map(|body| &body.kind) {
        Some(BodyKind::Json { .. }) => {
            quote!(Event::#name(event) => ::agent_clients_runtime::webhooks::to_json(event),)
        }
        Some(_) => quote!(Event::#name(bytes) => bytes.to_vec(),),
        None => quote!(Event::#name => ::std::vec::Vec::new(),),
    }
}

/// The mock module's test sender (with the `webhooks` feature too): an
/// event signed as the API signs it, POSTed to the user's receiver. Where
/// the spec does not say how the API signs, the caller names the scheme.
pub fn mock_sender(api: &crate::ir::model::Api) -> Option<Item> {
    if api.events.is_empty() {
        return None;
    }
    let runtime = quote!(::agent_clients_runtime::webhooks);
    let (scheme_param, scheme, how) = match api.webhook_signature {
        Some(_) => (
            quote!(),
            quote!(&super::webhooks::scheme()),
            "as the API signs its deliveries ([`super::webhooks::scheme`])",
        ),
        None => (
            quote!(scheme: &#runtime::Scheme,),
            quote!(scheme),
            "under `scheme` (the spec does not say how the API signs)",
        ),
    };
    let docs = doc_lines(&format!(
        "Signs `event` with `key` {how}, now, and POSTs it to `url`: a test of your \
         receiver without the API. Returns the receiver's status."
    ));
    Some(syn::parse_quote! {
        #(#docs)*
        #[cfg(feature = "webhooks")]
        pub async fn send_event(
            url: &str,
            #scheme_param
            key: &#runtime::WebhookSecret,
            event: &super::webhooks::Event,
        ) -> ::std::result::Result<::agent_clients_runtime::StatusCode, #runtime::SendError> {
            #runtime::send(url, #scheme, key, event.to_body(), event.media_type()).await
        }
    })
}

/// `answer_{event}` for each answer of `event` whose body the spec types:
/// the receiver's reply, typed. (Other answers are `Answer::empty(status)`.)
fn answers(ir: &Ir, event: &Event) -> Vec<TokenStream> {
    let typed: Vec<(u16, crate::ir::TypeId, &str)> = event
        .request
        .successes
        .iter()
        .filter_map(|case| match (&case.status, &case.body) {
            (StatusMatch::Code(code), SuccessBody::Json { ty }) => {
                Some((*code, *ty, case.description.as_str()))
            }
            (StatusMatch::Range(_), SuccessBody::Json { ty }) => {
                Some((200, *ty, case.description.as_str()))
            }
            _ => None,
        })
        .collect();
    let several = typed.len() > 1;
    typed
        .into_iter()
        .map(|(status, ty, description)| {
            let snake = heck::ToSnakeCase::to_snake_case(event.variant.as_str());
            let name = match several {
                true => ident(&format!("answer_{snake}_{status}")),
                false => ident(&format!("answer_{snake}")),
            };
            let ty = path_type(&format!("types::{}", ir.space.get(ty).name), Vec::new());
            let docs = doc_lines(&format!(
                "The answer to [`Event::{}`] the spec declares (`{status}`): {}",
                event.variant,
                description.trim()
            ));
            let status = proc_macro2::Literal::u16_unsuffixed(status);
            quote! {
                #(#docs)*
                pub fn #name(body: &#ty) -> ::agent_clients_runtime::webhooks::Answer {
                    ::agent_clients_runtime::webhooks::Answer::json(#status, body)
                }
            }
        })
        .collect()
}

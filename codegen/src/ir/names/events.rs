//! The names of a client's events (webhooks and callbacks): each one's
//! variant of the `webhooks::Event` enum, which is also the stem of the
//! types hoisted from it.

use std::collections::BTreeSet;

use heck::ToPascalCase;

use super::rules::first_free;

/// What an event's name is made from.
pub struct EventNaming<'a> {
    /// The webhook's key, or the callback's name.
    pub key: &'a str,
    /// The method, where the key's path item has more than one.
    pub method: Option<&'a str>,
}

/// The variant the generated enum keeps for a body that no declared event
/// matches.
pub const UNKNOWN_VARIANT: &str = "Unknown";

/// One variant name per event, in order: the key in Pascal case (`email.sent`
/// is `EmailSent`), then the method where a key has several; a name that
/// does not start with a letter gets `Event` in front, and one taken (by an
/// earlier event, or [`UNKNOWN_VARIANT`]) is numbered (`EmailSent2`).
pub fn event_variants(events: &[EventNaming<'_>]) -> Vec<String> {
    let mut taken: BTreeSet<String> = BTreeSet::from([UNKNOWN_VARIANT.to_string()]);
    events
        .iter()
        .map(|event| {
            let mut base = event.key.to_pascal_case();
            if let Some(method) = event.method {
                base.push_str(&method.to_pascal_case());
            }
            if !base.starts_with(|c: char| c.is_ascii_alphabetic()) {
                base = format!("Event{base}");
            }
            let name = first_free(&base, &taken, "");
            taken.insert(name.clone());
            name
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(keys: &[(&str, Option<&str>)]) -> Vec<String> {
        let events: Vec<EventNaming<'_>> = keys
            .iter()
            .map(|(key, method)| EventNaming {
                key,
                method: *method,
            })
            .collect();
        event_variants(&events)
    }

    #[test]
    fn keys_become_distinct_variants() {
        assert_eq!(
            named(&[
                ("email.sent", None),
                ("email_sent", None),
                ("subscription_created", None),
                ("unknown", None),
                ("2fa.done", None),
                ("ping", Some("get")),
                ("ping", Some("post")),
                ("", None),
            ]),
            [
                "EmailSent",
                "EmailSent2",
                "SubscriptionCreated",
                "Unknown2",
                "Event2faDone",
                "PingGet",
                "PingPost",
                "Event",
            ]
        );
    }
}

//! Each scheme family against the same list of attacks, and each against
//! a vector computed outside this crate.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, HeaderValue};

use super::*;

const TIMESTAMP: i64 = 1_700_000_000;
const URL: &str = "https://receiver.example/hooks?tenant=1";
const BODY: &[u8] = br#"{"type":"call.ended","id":"evt_1"}"#;

fn at(timestamp: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(timestamp as u64)
}

/// One scheme family, with what it takes to attack it.
struct Family {
    name: &'static str,
    scheme: Scheme,
    /// Signs; `verify_key` verifies (the same, but for Ed25519).
    key: WebhookSecret,
    verify_key: WebhookSecret,
    other_key: WebhookSecret,
    other_verify_key: WebhookSecret,
    /// The header that carries the signature.
    signature_header: &'static str,
    malformed: &'static str,
    empty: &'static str,
    /// Moves the signed timestamp by one second, where one is signed.
    retime: Option<fn(&mut HeaderMap)>,
}

fn set(headers: &mut HeaderMap, name: &'static str, value: &str) {
    headers.insert(name, HeaderValue::from_str(value).unwrap());
}

fn families() -> Vec<Family> {
    let seed = WebhookSecret::new([7u8; 32]);
    let other_seed = WebhookSecret::new([9u8; 32]);
    let hmac = |name, scheme, signature_header, malformed, empty, retime| Family {
        name,
        scheme,
        key: WebhookSecret::new("test-secret"),
        verify_key: WebhookSecret::new("test-secret"),
        other_key: WebhookSecret::new("other-secret"),
        other_verify_key: WebhookSecret::new("other-secret"),
        signature_header,
        malformed,
        empty,
        retime,
    };
    vec![
        hmac(
            "standard webhooks",
            Scheme::standard_webhooks(),
            "webhook-signature",
            "v1:not-a-pair",
            "v2,c2lnbmF0dXJl",
            Some(|headers| set(headers, "webhook-timestamp", &(TIMESTAMP + 1).to_string())),
        ),
        hmac(
            "timestamped",
            Scheme::Timestamped {
                header: "stripe-signature".into(),
                timestamp_key: "t".into(),
                signature_key: "v1".into(),
                encoding: Encoding::Hex,
            },
            "stripe-signature",
            "t=1700000000,v1=zz",
            "t=1700000000,v0=abcd",
            Some(|headers| {
                let value = headers["stripe-signature"].to_str().unwrap().to_string();
                let moved = value.replace(&TIMESTAMP.to_string(), &(TIMESTAMP + 1).to_string());
                set(headers, "stripe-signature", &moved);
            }),
        ),
        hmac(
            "body, sha256, hex",
            Scheme::Body {
                header: "x-hub-signature-256".into(),
                prefix: "sha256=".into(),
                algorithm: Algorithm::Sha256,
                encoding: Encoding::Hex,
            },
            "x-hub-signature-256",
            "sha1=abcd",
            "sha256=",
            None,
        ),
        hmac(
            "body, sha1, base64",
            Scheme::Body {
                header: "x-signature".into(),
                prefix: String::new(),
                algorithm: Algorithm::Sha1,
                encoding: Encoding::Base64,
            },
            "x-signature",
            "%%%",
            "",
            None,
        ),
        hmac(
            "url and form",
            Scheme::UrlForm {
                header: "x-twilio-signature".into(),
            },
            "x-twilio-signature",
            "not base64!",
            "",
            None,
        ),
        Family {
            name: "ed25519",
            scheme: Scheme::Ed25519 {
                signature_header: "x-signature-ed25519".into(),
                timestamp_header: Some("x-signature-timestamp".into()),
                encoding: Encoding::Hex,
            },
            verify_key: ed25519_public_key(&seed).unwrap(),
            key: seed,
            other_verify_key: ed25519_public_key(&other_seed).unwrap(),
            other_key: other_seed,
            signature_header: "x-signature-ed25519",
            malformed: "xyz",
            empty: "",
            retime: Some(|headers| {
                set(
                    headers,
                    "x-signature-timestamp",
                    &(TIMESTAMP + 1).to_string(),
                )
            }),
        },
        hmac(
            "shared secret",
            Scheme::SharedSecret {
                header: "x-webhook-token".into(),
            },
            "x-webhook-token",
            "caf\u{e9}",
            "",
            None,
        ),
    ]
}

fn signed(family: &Family, key: &WebhookSecret, timestamp: i64) -> HeaderMap {
    let outgoing = Outgoing {
        url: URL,
        body: BODY,
        id: "msg_1",
        timestamp,
    };
    family.scheme.sign(key, &outgoing).unwrap()
}

fn verify(verifier: &Verifier, headers: &HeaderMap, body: &[u8]) -> Result<(), WebhookError> {
    let delivery = Delivery {
        url: URL,
        headers,
        body,
    };
    verifier.verify_at(&delivery, at(TIMESTAMP + 30))
}

#[test]
fn each_family_accepts_what_it_signed_and_refuses_each_attack() {
    for family in families() {
        let name = family.name;
        let verifier = Verifier::new(family.scheme.clone(), family.verify_key.clone());
        let headers = signed(&family, &family.key, TIMESTAMP);
        assert_eq!(verify(&verifier, &headers, BODY), Ok(()), "{name}: valid");

        // A shared secret signs nothing of the body: it only says who sent it.
        let signs_body = !matches!(family.scheme, Scheme::SharedSecret { .. });
        let mut altered = BODY.to_vec();
        altered[3] ^= 1;
        assert_eq!(
            verify(&verifier, &headers, &altered).is_err(),
            signs_body,
            "{name}: altered body"
        );
        if signs_body {
            assert_eq!(
                verify(&verifier, &headers, &altered),
                Err(WebhookError::BadSignature),
                "{name}: altered body"
            );
        }

        let wrong = signed(&family, &family.other_key, TIMESTAMP);
        assert_eq!(
            verify(&verifier, &wrong, BODY),
            Err(WebhookError::BadSignature),
            "{name}: wrong key"
        );

        let mut missing = headers.clone();
        missing.remove(family.signature_header);
        assert_eq!(
            verify(&verifier, &missing, BODY),
            Err(WebhookError::MissingHeader {
                name: family.signature_header.into()
            }),
            "{name}: missing header"
        );

        let mut malformed = headers.clone();
        malformed.insert(
            family.signature_header,
            HeaderValue::from_bytes(family.malformed.as_bytes()).unwrap(),
        );
        assert!(
            matches!(
                verify(&verifier, &malformed, BODY),
                Err(WebhookError::MalformedHeader { name, .. }) if name == family.signature_header
            ),
            "{name}: malformed header gave {:?}",
            verify(&verifier, &malformed, BODY)
        );

        let mut empty = headers.clone();
        set(&mut empty, family.signature_header, family.empty);
        assert_eq!(
            verify(&verifier, &empty, BODY),
            Err(WebhookError::NoSignature {
                name: family.signature_header.into()
            }),
            "{name}: empty signature list"
        );

        let rotated = Verifier::new(family.scheme.clone(), family.other_verify_key.clone())
            .with_key(family.verify_key.clone());
        assert_eq!(verify(&rotated, &headers, BODY), Ok(()), "{name}: new key");
        assert_eq!(verify(&rotated, &wrong, BODY), Ok(()), "{name}: old key");
    }
}

#[test]
fn a_signed_timestamp_can_be_neither_moved_nor_stale() {
    for family in families() {
        let Some(retime) = family.retime else {
            continue;
        };
        let name = family.name;
        let verifier = Verifier::new(family.scheme.clone(), family.verify_key.clone());
        let mut moved = signed(&family, &family.key, TIMESTAMP);
        retime(&mut moved);
        assert_eq!(
            verify(&verifier, &moved, BODY),
            Err(WebhookError::BadSignature),
            "{name}: altered timestamp"
        );

        // Signed 301 s before the receiver's clock (TIMESTAMP + 30).
        let stale = signed(&family, &family.key, TIMESTAMP - 271);
        assert_eq!(
            verify(&verifier, &stale, BODY),
            Err(WebhookError::StaleTimestamp {
                timestamp: TIMESTAMP - 271,
                now: TIMESTAMP + 30,
                tolerance: DEFAULT_TOLERANCE,
            }),
            "{name}: stale"
        );
        let future = signed(&family, &family.key, TIMESTAMP + 331);
        assert!(
            matches!(
                verify(&verifier, &future, BODY),
                Err(WebhookError::StaleTimestamp { .. })
            ),
            "{name}: from the future"
        );
        let lenient = verifier.clone().with_tolerance(Duration::from_secs(600));
        assert_eq!(verify(&lenient, &stale, BODY), Ok(()), "{name}: tolerance");
    }
}

/// The example of the Standard Webhooks specification; the signature was
/// computed with Python's `hmac` (`base64(hmac_sha256(base64decode(key),
/// id + "." + timestamp + "." + payload))`), not with this crate.
#[test]
fn standard_webhooks_matches_the_specification_example() {
    let key = WebhookSecret::standard("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    let mut headers = HeaderMap::new();
    set(&mut headers, "webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek");
    set(&mut headers, "webhook-timestamp", "1614265330");
    set(
        &mut headers,
        "webhook-signature",
        "v1a,ignored v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    );
    let delivery = Delivery {
        url: URL,
        headers: &headers,
        body: br#"{"test": 2432232314}"#,
    };
    let verifier = Verifier::new(Scheme::standard_webhooks(), key.clone());
    assert_eq!(verifier.verify_at(&delivery, at(1_614_265_330)), Ok(()));
    let outgoing = Outgoing {
        url: URL,
        body: delivery.body,
        id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
        timestamp: 1_614_265_330,
    };
    let ours = Scheme::standard_webhooks().sign(&key, &outgoing).unwrap();
    assert_eq!(
        ours["webhook-signature"],
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    );
}

/// Twilio's documented example (auth token `12345`): the signature was
/// computed with Python's `hmac`, not with this crate.
#[test]
fn url_form_matches_an_outside_computation() {
    let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    let body = b"To=%2B18005551212&From=%2B12349013030&Digits=1234&Caller=%2B12349013030&CallSid=CA1234567890ABCDE";
    let mut headers = HeaderMap::new();
    set(
        &mut headers,
        "x-twilio-signature",
        "0/KCTR6DLpKmkAf8muzZqo1nDgQ=",
    );
    let delivery = Delivery {
        url,
        headers: &headers,
        body,
    };
    let scheme = Scheme::UrlForm {
        header: "x-twilio-signature".into(),
    };
    let verifier = Verifier::new(scheme, WebhookSecret::new("12345"));
    assert_eq!(verifier.verify(&delivery), Ok(()));
}

/// RFC 8032's first Ed25519 test key, signing `{timestamp}{body}` as
/// Discord does; the signature was computed with Python's `cryptography`.
#[test]
fn ed25519_matches_an_outside_computation() {
    let public =
        WebhookSecret::hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
            .unwrap();
    let mut headers = HeaderMap::new();
    set(&mut headers, "x-signature-timestamp", "1700000000");
    set(
        &mut headers,
        "x-signature-ed25519",
        "1695961a47c91a1ec033b819b7e87e3dbc583dd0cee6d1fd0216f58ac87b6228\
         ae531ddbf91fb7bc28d7edf7f08604da16f54624f38a6bc0614e4dc13cd47f0f",
    );
    let delivery = Delivery {
        url: URL,
        headers: &headers,
        body: br#"{"type":1}"#,
    };
    let scheme = Scheme::Ed25519 {
        signature_header: "x-signature-ed25519".into(),
        timestamp_header: Some("x-signature-timestamp".into()),
        encoding: Encoding::Hex,
    };
    let verifier = Verifier::new(scheme, public);
    assert_eq!(verifier.verify_at(&delivery, at(TIMESTAMP)), Ok(()));
}

#[test]
fn stripe_like_header_matches_an_outside_computation() {
    let mut headers = HeaderMap::new();
    set(
        &mut headers,
        "stripe-signature",
        "t=1700000000,v1=248a374f50f943a28b0f6ab50faf9a7e7e29b710fa26df9fb1618b9bf8ea9c9a",
    );
    let delivery = Delivery {
        url: URL,
        headers: &headers,
        body: br#"{"id":"evt_1"}"#,
    };
    let scheme = Scheme::Timestamped {
        header: "stripe-signature".into(),
        timestamp_key: "t".into(),
        signature_key: "v1".into(),
        encoding: Encoding::Hex,
    };
    let verifier = Verifier::new(scheme, WebhookSecret::new("whsec_test_secret"));
    assert_eq!(verifier.verify_at(&delivery, at(TIMESTAMP)), Ok(()));
}

#[test]
fn keys_and_header_values_stay_out_of_debug_and_errors() {
    let key = WebhookSecret::new("hunter2-secret");
    let verifier = Verifier::new(
        Scheme::SharedSecret {
            header: "x-webhook-token".into(),
        },
        key.clone(),
    );
    let mut headers = HeaderMap::new();
    set(&mut headers, "x-webhook-token", "hunter2-guess");
    let delivery = Delivery {
        url: URL,
        headers: &headers,
        body: BODY,
    };
    let error = verifier.verify(&delivery).unwrap_err();
    for shown in [
        format!("{key:?}"),
        format!("{key}"),
        format!("{verifier:?}"),
        format!("{delivery:?}"),
        format!("{error:?}"),
        error.to_string(),
    ] {
        assert!(!shown.contains("hunter2"), "{shown}");
    }
    assert_eq!(error, WebhookError::BadSignature);
}

#[test]
fn a_verifier_without_keys_refuses() {
    let headers = HeaderMap::new();
    let delivery = Delivery {
        url: URL,
        headers: &headers,
        body: BODY,
    };
    let mut verifier = Verifier::new(Scheme::standard_webhooks(), WebhookSecret::new("k"));
    verifier.keys.clear();
    assert_eq!(verifier.verify(&delivery), Err(WebhookError::NoKey));
}

#[test]
fn a_bad_standard_secret_is_a_key_error() {
    assert!(matches!(
        WebhookSecret::standard("whsec_***"),
        Err(WebhookError::MalformedKey { .. })
    ));
}

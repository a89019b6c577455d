//! The signature schemes, each read from a delivery into what it signed and
//! the signatures it carries, then matched against a key.

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::{Delivery, WebhookError, WebhookSecret};

/// How a vendor signs its deliveries: the families published APIs use,
/// with the header names and encodings as parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Scheme {
    /// [Standard Webhooks](https://www.standardwebhooks.com/): HMAC-SHA256
    /// of `{id}.{timestamp}.{body}` under the `whsec_` secret's key, sent
    /// base64 as `v1,<signature>` in a space-separated list (several
    /// during a rotation); the id and the Unix timestamp in their own
    /// headers. [`Scheme::standard_webhooks`] has the standard's header
    /// names; some senders use their own prefix (`svix-id`, ...).
    StandardWebhooks {
        id_header: String,
        timestamp_header: String,
        signature_header: String,
    },
    /// One header holding the Unix timestamp and the signatures,
    /// `t=1492774577,v1=5257a869...` (Stripe's form): HMAC-SHA256 of
    /// `{timestamp}.{body}`. Keys other than the two named are ignored.
    Timestamped {
        header: String,
        timestamp_key: String,
        signature_key: String,
        encoding: Encoding,
    },
    /// HMAC of the body alone, in one header after `prefix` (`sha256=` in
    /// GitHub's form; empty for none). No timestamp is signed: such a
    /// delivery can be replayed, which the scheme cannot stop.
    Body {
        header: String,
        prefix: String,
        algorithm: Algorithm,
        encoding: Encoding,
    },
    /// HMAC-SHA1, base64, of the URL the vendor called followed by each
    /// parameter of the form-encoded body, name then value, sorted by name
    /// (Twilio's form). No timestamp is signed.
    UrlForm { header: String },
    /// Ed25519 under the vendor's published public key, of the timestamp
    /// header's value (where there is one) followed by the body (Discord's
    /// form: `X-Signature-Ed25519` in hex, `X-Signature-Timestamp`).
    Ed25519 {
        signature_header: String,
        timestamp_header: Option<String>,
        encoding: Encoding,
    },
    /// A secret the vendor sends as a header's value, compared in constant
    /// time. No timestamp, nothing of the body is signed.
    SharedSecret { header: String },
}

/// The hash of an HMAC scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    Sha256,
    /// SHA-1, as some vendors still sign; HMAC-SHA1 has no known attack.
    Sha1,
}

/// How a signature is written in its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Lower- or upper-case hex.
    Hex,
    /// Standard base64, with padding.
    Base64,
}

/// What a delivery signed, and the signatures it carries.
pub(super) struct Signed {
    pub(super) timestamp: Option<i64>,
    pub(super) message: Vec<u8>,
    pub(super) signatures: Vec<Vec<u8>>,
}

impl Scheme {
    /// Standard Webhooks with the standard's header names.
    pub fn standard_webhooks() -> Self {
        Scheme::StandardWebhooks {
            id_header: "webhook-id".into(),
            timestamp_header: "webhook-timestamp".into(),
            signature_header: "webhook-signature".into(),
        }
    }

    /// Reads what `delivery` signed and the signatures it carries.
    pub(super) fn read(&self, delivery: &Delivery<'_>) -> Result<Signed, WebhookError> {
        match self {
            Scheme::StandardWebhooks {
                id_header,
                timestamp_header,
                signature_header,
            } => {
                let id = header(delivery, id_header)?;
                let timestamp_text = header(delivery, timestamp_header)?;
                let timestamp = unix_timestamp(timestamp_header, timestamp_text)?;
                let listed = header(delivery, signature_header)?;
                let signatures = standard_signatures(signature_header, listed)?;
                let message = standard_message(id, timestamp_text, delivery.body);
                Ok(Signed {
                    timestamp: Some(timestamp),
                    message,
                    signatures,
                })
            }
            Scheme::Timestamped {
                header: name,
                timestamp_key,
                signature_key,
                encoding,
            } => {
                let value = header(delivery, name)?;
                let (timestamp_text, signatures) =
                    timestamped_parts(name, value, timestamp_key, signature_key, *encoding)?;
                let timestamp = unix_timestamp(name, timestamp_text)?;
                let message = timestamped_message(timestamp_text, delivery.body);
                Ok(Signed {
                    timestamp: Some(timestamp),
                    message,
                    signatures,
                })
            }
            Scheme::Body {
                header: name,
                prefix,
                encoding,
                ..
            } => {
                let value = header(delivery, name)?;
                let encoded = value
                    .strip_prefix(prefix.as_str())
                    .ok_or_else(|| malformed(name, "the signature lacks the scheme's prefix"))?;
                Ok(Signed {
                    timestamp: None,
                    message: delivery.body.to_vec(),
                    signatures: vec![decode(name, encoded, *encoding)?],
                })
            }
            Scheme::UrlForm { header: name } => {
                let value = header(delivery, name)?;
                Ok(Signed {
                    timestamp: None,
                    message: url_form_message(delivery),
                    signatures: vec![decode(name, value, Encoding::Base64)?],
                })
            }
            Scheme::Ed25519 {
                signature_header,
                timestamp_header,
                encoding,
            } => {
                let signature = header(delivery, signature_header)?;
                let signature = decode(signature_header, signature, *encoding)?;
                let (timestamp, prefix) = match timestamp_header {
                    Some(name) => {
                        let text = header(delivery, name)?;
                        (Some(unix_timestamp(name, text)?), text.as_bytes())
                    }
                    None => (None, &b""[..]),
                };
                Ok(Signed {
                    timestamp,
                    message: [prefix, delivery.body].concat(),
                    signatures: vec![signature],
                })
            }
            Scheme::SharedSecret { header: name } => {
                let value = header(delivery, name)?;
                if value.is_empty() {
                    return Err(WebhookError::NoSignature { name: name.into() });
                }
                Ok(Signed {
                    timestamp: None,
                    message: Vec::new(),
                    signatures: vec![value.as_bytes().to_vec()],
                })
            }
        }
    }

    /// Whether any of `signed`'s signatures is `key`'s over its message.
    /// Every comparison is in constant time.
    pub(super) fn matches(&self, key: &WebhookSecret, signed: &Signed) -> bool {
        match self {
            Scheme::StandardWebhooks { .. } | Scheme::Timestamped { .. } => {
                any_hmac::<Hmac<Sha256>>(key, signed)
            }
            Scheme::Body {
                algorithm: Algorithm::Sha256,
                ..
            } => any_hmac::<Hmac<Sha256>>(key, signed),
            Scheme::Body {
                algorithm: Algorithm::Sha1,
                ..
            }
            | Scheme::UrlForm { .. } => any_hmac::<Hmac<Sha1>>(key, signed),
            Scheme::Ed25519 { .. } => any_ed25519(key, signed),
            Scheme::SharedSecret { .. } => signed.signatures.iter().any(|given| {
                // Digests first, so that the comparison's time does not
                // depend on the lengths either.
                let given = Sha256::digest(given);
                let wanted = Sha256::digest(key.expose_secret());
                bool::from(given.as_slice().ct_eq(wanted.as_slice()))
            }),
        }
    }
}

/// What Standard Webhooks signs: `{id}.{timestamp}.{body}`. Verifying and
/// signing both make it here, so they cannot disagree.
pub(super) fn standard_message(id: &str, timestamp: &str, body: &[u8]) -> Vec<u8> {
    [id.as_bytes(), b".", timestamp.as_bytes(), b".", body].concat()
}

/// What a timestamped header's HMAC signs: `{timestamp}.{body}`.
pub(super) fn timestamped_message(timestamp: &str, body: &[u8]) -> Vec<u8> {
    [timestamp.as_bytes(), b".", body].concat()
}

/// Whether any signature is the HMAC of the message under `key`
/// (`verify_slice` compares in constant time).
fn any_hmac<M: Mac + KeyInit + Clone>(key: &WebhookSecret, signed: &Signed) -> bool {
    let Ok(mut mac) = <M as KeyInit>::new_from_slice(key.expose_secret()) else {
        return false;
    };
    mac.update(&signed.message);
    signed
        .signatures
        .iter()
        .any(|signature| mac.clone().verify_slice(signature).is_ok())
}

fn any_ed25519(key: &WebhookSecret, signed: &Signed) -> bool {
    let Ok(key) = <[u8; 32]>::try_from(key.expose_secret()) else {
        return false;
    };
    let Ok(key) = ed25519_dalek::VerifyingKey::from_bytes(&key) else {
        return false;
    };
    signed.signatures.iter().any(|signature| {
        ed25519_dalek::Signature::from_slice(signature)
            .is_ok_and(|signature| key.verify_strict(&signed.message, &signature).is_ok())
    })
}

/// The text of header `name`.
fn header<'a>(delivery: &Delivery<'a>, name: &str) -> Result<&'a str, WebhookError> {
    let value = delivery
        .headers
        .get(name)
        .ok_or_else(|| WebhookError::MissingHeader { name: name.into() })?;
    value
        .to_str()
        .map_err(|_| malformed(name, "the value is not visible ASCII"))
}

fn malformed(name: &str, reason: &'static str) -> WebhookError {
    WebhookError::MalformedHeader {
        name: name.into(),
        reason,
    }
}

/// Seconds since the Unix epoch, written as a decimal integer.
fn unix_timestamp(name: &str, text: &str) -> Result<i64, WebhookError> {
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(malformed(
            name,
            "the timestamp is not whole seconds since 1970",
        ));
    }
    text.parse()
        .map_err(|_| malformed(name, "the timestamp is out of range"))
}

fn decode(name: &str, text: &str, encoding: Encoding) -> Result<Vec<u8>, WebhookError> {
    let text = text.trim();
    let decoded = match encoding {
        Encoding::Hex => hex::decode(text).ok(),
        Encoding::Base64 => base64::engine::general_purpose::STANDARD.decode(text).ok(),
    };
    match decoded {
        Some(bytes) if !bytes.is_empty() => Ok(bytes),
        Some(_) => Err(WebhookError::NoSignature { name: name.into() }),
        None => Err(malformed(
            name,
            match encoding {
                Encoding::Hex => "the signature is not hex",
                Encoding::Base64 => "the signature is not base64",
            },
        )),
    }
}

/// Standard Webhooks' list: `v1,<base64>` entries separated by spaces;
/// entries of other versions are skipped, as the standard says.
fn standard_signatures(name: &str, listed: &str) -> Result<Vec<Vec<u8>>, WebhookError> {
    let mut signatures = Vec::new();
    for entry in listed.split(' ').filter(|entry| !entry.is_empty()) {
        let (version, encoded) = entry
            .split_once(',')
            .ok_or_else(|| malformed(name, "an entry is not `version,signature`"))?;
        if version == "v1" {
            signatures.push(decode(name, encoded, Encoding::Base64)?);
        }
    }
    if signatures.is_empty() {
        return Err(WebhookError::NoSignature { name: name.into() });
    }
    Ok(signatures)
}

/// A `t=…,v1=…` header's timestamp and decoded signatures.
fn timestamped_parts<'a>(
    name: &str,
    value: &'a str,
    timestamp_key: &str,
    signature_key: &str,
    encoding: Encoding,
) -> Result<(&'a str, Vec<Vec<u8>>), WebhookError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for pair in value.split(',') {
        let (key, text) = pair
            .trim()
            .split_once('=')
            .ok_or_else(|| malformed(name, "an entry is not `key=value`"))?;
        if key == timestamp_key {
            if timestamp.replace(text).is_some() {
                return Err(malformed(name, "the timestamp is given twice"));
            }
        } else if key == signature_key {
            signatures.push(decode(name, text, encoding)?);
        }
    }
    let timestamp = timestamp.ok_or_else(|| malformed(name, "there is no timestamp"))?;
    if signatures.is_empty() {
        return Err(WebhookError::NoSignature { name: name.into() });
    }
    Ok((timestamp, signatures))
}

/// The URL, then each form parameter's name and value, sorted by name
/// (then value, so that a repeated name signs the same either way).
pub(super) fn url_form_message(delivery: &Delivery<'_>) -> Vec<u8> {
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(delivery.body)
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    pairs.sort();
    let mut message = delivery.url.as_bytes().to_vec();
    for (name, value) in pairs {
        message.extend_from_slice(name.as_bytes());
        message.extend_from_slice(value.as_bytes());
    }
    message
}

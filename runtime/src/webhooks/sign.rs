//! Signing deliveries the way each scheme's vendor does: what a test
//! sender needs to reach a receiver without the vendor.

use base64::Engine as _;
use ed25519_dalek::Signer as _;
use hmac::{Hmac, KeyInit, Mac};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use sha1::Sha1;
use sha2::Sha256;

use super::scheme::{standard_message, timestamped_message, url_form_message};
use super::{Algorithm, Delivery, Encoding, Scheme, WebhookError, WebhookSecret};

/// A delivery to sign: the URL it goes to, its body, and for the schemes
/// that sign them, its id and Unix timestamp.
#[derive(Debug, Clone, Copy)]
pub struct Outgoing<'a> {
    pub url: &'a str,
    pub body: &'a [u8],
    pub id: &'a str,
    pub timestamp: i64,
}

impl Scheme {
    /// The headers a vendor signing `outgoing` with `key` sends (for
    /// Ed25519, `key` is the 32-byte private seed).
    pub fn sign(
        &self,
        key: &WebhookSecret,
        outgoing: &Outgoing<'_>,
    ) -> Result<HeaderMap, WebhookError> {
        let mut headers = HeaderMap::new();
        let timestamp = outgoing.timestamp.to_string();
        match self {
            Scheme::StandardWebhooks {
                id_header,
                timestamp_header,
                signature_header,
            } => {
                let message = standard_message(outgoing.id, &timestamp, outgoing.body);
                let signature = hmac::<Hmac<Sha256>>(key, &message)?;
                insert(&mut headers, id_header, outgoing.id)?;
                insert(&mut headers, timestamp_header, &timestamp)?;
                let listed = format!("v1,{}", encode(&signature, Encoding::Base64));
                insert(&mut headers, signature_header, &listed)?;
            }
            Scheme::Timestamped {
                header,
                timestamp_key,
                signature_key,
                encoding,
            } => {
                let message = timestamped_message(&timestamp, outgoing.body);
                let signature = hmac::<Hmac<Sha256>>(key, &message)?;
                let value = format!(
                    "{timestamp_key}={timestamp},{signature_key}={}",
                    encode(&signature, *encoding)
                );
                insert(&mut headers, header, &value)?;
            }
            Scheme::Body {
                header,
                prefix,
                algorithm,
                encoding,
            } => {
                let signature = match algorithm {
                    Algorithm::Sha256 => hmac::<Hmac<Sha256>>(key, outgoing.body)?,
                    Algorithm::Sha1 => hmac::<Hmac<Sha1>>(key, outgoing.body)?,
                };
                insert(
                    &mut headers,
                    header,
                    &format!("{prefix}{}", encode(&signature, *encoding)),
                )?;
            }
            Scheme::UrlForm { header } => {
                let empty = HeaderMap::new();
                let message = url_form_message(&Delivery {
                    url: outgoing.url,
                    headers: &empty,
                    body: outgoing.body,
                });
                let signature = hmac::<Hmac<Sha1>>(key, &message)?;
                insert(&mut headers, header, &encode(&signature, Encoding::Base64))?;
            }
            Scheme::Ed25519 {
                signature_header,
                timestamp_header,
                encoding,
            } => {
                let signing = signing_key(key)?;
                let prefix = match timestamp_header {
                    Some(name) => {
                        insert(&mut headers, name, &timestamp)?;
                        timestamp.as_bytes()
                    }
                    None => &b""[..],
                };
                let signature = signing.sign(&[prefix, outgoing.body].concat());
                insert(
                    &mut headers,
                    signature_header,
                    &encode(&signature.to_bytes(), *encoding),
                )?;
            }
            Scheme::SharedSecret { header } => {
                let value = std::str::from_utf8(key.expose_secret()).map_err(|_| {
                    WebhookError::MalformedKey {
                        reason: "a shared secret sent as a header must be text",
                    }
                })?;
                insert(&mut headers, header, value)?;
                if let Some(value) = headers.get_mut(header.as_str()) {
                    value.set_sensitive(true);
                }
            }
        }
        Ok(headers)
    }
}

/// The public key that verifies what the Ed25519 seed `seed` signs.
pub fn ed25519_public_key(seed: &WebhookSecret) -> Result<WebhookSecret, WebhookError> {
    Ok(WebhookSecret::new(
        signing_key(seed)?.verifying_key().to_bytes().to_vec(),
    ))
}

fn signing_key(seed: &WebhookSecret) -> Result<ed25519_dalek::SigningKey, WebhookError> {
    let seed =
        <[u8; 32]>::try_from(seed.expose_secret()).map_err(|_| WebhookError::MalformedKey {
            reason: "an Ed25519 private key is a 32-byte seed",
        })?;
    Ok(ed25519_dalek::SigningKey::from_bytes(&seed))
}

fn hmac<M: Mac + KeyInit>(key: &WebhookSecret, message: &[u8]) -> Result<Vec<u8>, WebhookError> {
    let mut mac = <M as KeyInit>::new_from_slice(key.expose_secret()).map_err(|_| {
        WebhookError::MalformedKey {
            reason: "the HMAC key is not accepted",
        }
    })?;
    mac.update(message);
    Ok(mac.finalize().into_bytes().to_vec())
}

fn encode(bytes: &[u8], encoding: Encoding) -> String {
    match encoding {
        Encoding::Hex => hex::encode(bytes),
        Encoding::Base64 => base64::engine::general_purpose::STANDARD.encode(bytes),
    }
}

fn insert(headers: &mut HeaderMap, name: &str, value: &str) -> Result<(), WebhookError> {
    let header =
        HeaderName::from_bytes(name.as_bytes()).map_err(|_| WebhookError::MalformedHeader {
            name: name.into(),
            reason: "not a header name",
        })?;
    let value = HeaderValue::from_str(value).map_err(|_| WebhookError::MalformedHeader {
        name: name.into(),
        reason: "not a header value",
    })?;
    headers.insert(header, value);
    Ok(())
}

//! Receiving webhooks: a delivery's signature checked on its raw bytes,
//! before anything parses them.
//!
//! A [`Verifier`] holds one [`Scheme`] (how the vendor signs), the keys it
//! accepts (several during a key rotation: any one of them verifies) and
//! a tolerance for the delivery's timestamp. [`Verifier::verify`] takes the
//! [`Delivery`] as received (the headers, the body bytes untouched and, for
//! the schemes that sign it, the URL the vendor called) and answers `Ok` or
//! the one [`WebhookError`] that says why not.
//!
//! What each check stops:
//! - the signature is computed over the bytes received, never over a body
//!   parsed and written again (which would differ in spacing or key order,
//!   so a valid delivery would fail, and a check of what was parsed could
//!   be fooled by what the parser ignores);
//! - signatures are compared in constant time (`hmac`'s `verify_slice`,
//!   `subtle`), so the time an answer takes says nothing about how many
//!   bytes of a forged signature were right;
//! - a signed timestamp outside the tolerance (5 minutes by default, either
//!   way) is refused, so a delivery captured once cannot be replayed later;
//! - keys never reach `Debug`, `Display` or an error: [`WebhookSecret`]
//!   prints `[redacted]`, and errors name headers, never values.
//!
//! The schemes are the families published APIs use ([`Scheme`]); a spec's
//! overlay says which one a vendor uses and with which header names.

mod body;
mod scheme;
mod send;
mod sign;

#[cfg(test)]
mod tests;

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;

pub use body::{Answer, UnknownEvent, json, tag};
pub use scheme::{Algorithm, Encoding, Scheme};
pub use send::{SendError, send, to_json};
pub use sign::{Outgoing, ed25519_public_key};

/// How far a signed timestamp may be from the receiver's clock, either
/// way, unless the verifier is told otherwise: Standard Webhooks' and
/// Stripe's default.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// A received webhook delivery, as the receiver's web framework hands it
/// over: nothing here has been parsed.
#[derive(Clone, Copy)]
pub struct Delivery<'a> {
    /// The URL the vendor called, exactly as it called it (scheme, host,
    /// path and query): only [`Scheme::UrlForm`] signs it.
    pub url: &'a str,
    pub headers: &'a HeaderMap,
    /// The body bytes as received.
    pub body: &'a [u8],
}

impl fmt::Debug for Delivery<'_> {
    /// The header names and the body's length: a header value may be a
    /// secret ([`Scheme::SharedSecret`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Delivery")
            .field("url", &self.url)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// A key that signs or verifies deliveries: an HMAC secret, a shared
/// secret, or an Ed25519 public key (not secret, kept the same way).
///
/// `Debug` and `Display` print `[redacted]`.
#[derive(Clone)]
pub struct WebhookSecret(Vec<u8>);

impl WebhookSecret {
    /// The secret's bytes as given (a shared secret; an HMAC key used as
    /// text, as most vendors' are).
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        WebhookSecret(bytes.into())
    }

    /// A Standard Webhooks secret: `whsec_` then the key in base64 (the
    /// prefix may be left out).
    pub fn standard(text: &str) -> Result<Self, WebhookError> {
        use base64::Engine as _;
        let encoded = text.strip_prefix("whsec_").unwrap_or(text);
        base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .map(WebhookSecret)
            .map_err(|_| WebhookError::MalformedKey {
                reason: "a Standard Webhooks secret is `whsec_` then base64",
            })
    }

    /// A key written in hex (an Ed25519 public key, as Discord publishes
    /// its applications' keys).
    pub fn hex(text: &str) -> Result<Self, WebhookError> {
        hex::decode(text.trim())
            .map(WebhookSecret)
            .map_err(|_| WebhookError::MalformedKey {
                reason: "the key is not hex",
            })
    }

    /// The key itself. Named so that any use of it is easy to find in
    /// review.
    pub fn expose_secret(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret([redacted])")
    }
}

impl fmt::Display for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Why a delivery is refused. Each check has its own kind; none carries a
/// header's value, a key or the body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// A header the scheme needs is absent.
    MissingHeader { name: String },
    /// A header is there but not in the scheme's form (not text, no
    /// timestamp, a signature that is not hex or base64 ...).
    MalformedHeader { name: String, reason: &'static str },
    /// The signature header lists no signature of the scheme's version.
    NoSignature { name: String },
    /// No listed signature matches the body under any key.
    BadSignature,
    /// The signed timestamp is further from now than the tolerance.
    StaleTimestamp {
        /// Seconds since the Unix epoch, as signed.
        timestamp: i64,
        /// Seconds since the Unix epoch, by the receiver's clock.
        now: i64,
        tolerance: Duration,
    },
    /// A key is not in the form its scheme needs.
    MalformedKey { reason: &'static str },
    /// The verifier has no key.
    NoKey,
    /// The delivery verified, but its body is not JSON, or not the event
    /// it names (serde's message: where, and what it expected).
    MalformedBody { reason: String },
    /// A body was asked for as an event the spec does not declare.
    UnknownEvent { key: String },
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::MissingHeader { name } => {
                write!(f, "the webhook has no `{name}` header")
            }
            WebhookError::MalformedHeader { name, reason } => {
                write!(f, "the webhook's `{name}` header is malformed: {reason}")
            }
            WebhookError::NoSignature { name } => {
                write!(f, "the webhook's `{name}` header lists no signature")
            }
            WebhookError::BadSignature => {
                f.write_str("the webhook's signature does not match its body under any key")
            }
            WebhookError::StaleTimestamp {
                timestamp,
                now,
                tolerance,
            } => write!(
                f,
                "the webhook was signed at {timestamp}, {}s from now ({now}); \
                 at most {}s is accepted",
                now.abs_diff(*timestamp),
                tolerance.as_secs()
            ),
            WebhookError::MalformedKey { reason } => {
                write!(f, "a webhook key is malformed: {reason}")
            }
            WebhookError::NoKey => f.write_str("the webhook verifier has no key"),
            WebhookError::MalformedBody { reason } => {
                write!(f, "the webhook's body is not the event it names: {reason}")
            }
            WebhookError::UnknownEvent { key } => {
                write!(f, "the spec declares no event `{key}`")
            }
        }
    }
}

impl std::error::Error for WebhookError {}

/// Checks deliveries signed under one scheme with any of its keys.
#[derive(Debug, Clone)]
pub struct Verifier {
    scheme: Scheme,
    keys: Vec<WebhookSecret>,
    tolerance: Duration,
}

impl Verifier {
    /// A verifier of `scheme` accepting `key`, with the default tolerance.
    pub fn new(scheme: Scheme, key: WebhookSecret) -> Self {
        Verifier {
            scheme,
            keys: vec![key],
            tolerance: DEFAULT_TOLERANCE,
        }
    }

    /// Accepts `key` as well: during a rotation, the old key and the new.
    pub fn with_key(mut self, key: WebhookSecret) -> Self {
        self.keys.push(key);
        self
    }

    /// How far a signed timestamp may be from now, either way.
    pub fn with_tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    pub fn scheme(&self) -> &Scheme {
        &self.scheme
    }

    /// Checks `delivery` by the system clock.
    pub fn verify(&self, delivery: &Delivery<'_>) -> Result<(), WebhookError> {
        self.verify_at(delivery, SystemTime::now())
    }

    /// Checks `delivery` as if the clock read `now`.
    pub fn verify_at(&self, delivery: &Delivery<'_>, now: SystemTime) -> Result<(), WebhookError> {
        if self.keys.is_empty() {
            return Err(WebhookError::NoKey);
        }
        let signed = self.scheme.read(delivery)?;
        if let Some(timestamp) = signed.timestamp {
            self.check_timestamp(timestamp, now)?;
        }
        if self
            .keys
            .iter()
            .any(|key| self.scheme.matches(key, &signed))
        {
            Ok(())
        } else {
            Err(WebhookError::BadSignature)
        }
    }

    fn check_timestamp(&self, timestamp: i64, now: SystemTime) -> Result<(), WebhookError> {
        let now = unix_seconds(now);
        if now.abs_diff(timestamp) > self.tolerance.as_secs() {
            return Err(WebhookError::StaleTimestamp {
                timestamp,
                now,
                tolerance: self.tolerance,
            });
        }
        Ok(())
    }
}

/// Seconds since the Unix epoch (negative before it).
fn unix_seconds(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => -i64::try_from(before.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

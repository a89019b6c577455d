//! A test sender: a delivery signed the way the vendor signs, POSTed to the
//! user's receiver, so a receiver is tested without the vendor.

use std::fmt;
use std::time::SystemTime;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderValue};

use super::{Outgoing, Scheme, WebhookError, WebhookSecret, unix_seconds};

/// Why a test delivery was not sent.
#[derive(Debug)]
#[non_exhaustive]
pub enum SendError {
    /// The key cannot sign under the scheme.
    Sign(WebhookError),
    /// The receiver could not be reached (reqwest's error: never a key).
    Request(reqwest::Error),
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendError::Sign(error) => write!(f, "the test delivery cannot be signed: {error}"),
            SendError::Request(error) => write!(f, "the test delivery was not sent: {error}"),
        }
    }
}

impl std::error::Error for SendError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SendError::Sign(error) => Some(error),
            SendError::Request(error) => Some(error),
        }
    }
}

/// Signs `body` under `scheme` with `key`, as the vendor would now (a fresh
/// delivery id, the current time), and POSTs it to `url` with `content_type`;
/// the receiver's status. For tests: the vendor's own sender is the vendor.
pub async fn send(
    url: &str,
    scheme: &Scheme,
    key: &WebhookSecret,
    body: Vec<u8>,
    content_type: Option<&str>,
) -> Result<StatusCode, SendError> {
    let timestamp = unix_seconds(SystemTime::now());
    let id = format!("msg_test_{timestamp}_{}", body.len());
    let outgoing = Outgoing {
        url,
        body: &body,
        id: &id,
        timestamp,
    };
    let mut headers = scheme.sign(key, &outgoing).map_err(SendError::Sign)?;
    if let Some(value) = content_type.and_then(|value| HeaderValue::from_str(value).ok()) {
        headers.insert(CONTENT_TYPE, value);
    }
    let response = reqwest::Client::new()
        .post(url)
        .headers(headers)
        .body(body)
        .send()
        .await
        .map_err(SendError::Request)?;
    Ok(response.status())
}

/// `value` as JSON: an event's body. Generated types always serialize
/// (their maps have string keys); a failure is a generator bug.
pub fn to_json<T: serde::Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("generated types serialize to JSON")
}

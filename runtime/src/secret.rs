//! Credentials that never show up in `Debug`, `Display`, errors or logs.

use std::fmt;

/// An API key or bearer token.
///
/// Its `Debug` and `Display` print `[redacted]`; the value only leaves this
/// type as an HTTP header value marked sensitive, which `reqwest` and
/// `hyper` also keep out of their debug output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The credential itself. Named so that any use of it is easy to find
    /// in review.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_string())
    }
}

impl From<&String> for Secret {
    fn from(value: &String) -> Self {
        Secret(value.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_never_shows_the_value() {
        let secret = Secret::new("sk_live_abc123");
        assert!(!format!("{secret:?}").contains("abc123"));
        assert!(!format!("{secret}").contains("abc123"));
        assert!(!format!("{secret:#?}").contains("abc123"));
        assert_eq!(secret.expose_secret(), "sk_live_abc123");
    }
}

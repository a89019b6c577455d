//! Forward-compatible enums for response values.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An enum value read from a server: a variant the spec documents, or a
/// value it does not (yet) list, kept as the raw string.
///
/// Servers add enum values without notice; a closed Rust enum would turn
/// every such response into a decode error. Generated response types wrap
/// their enum fields in `Open`, while request types keep the plain enum so
/// that only documented values can be sent. `Unknown` serializes back to the
/// exact string received.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Open<T> {
    /// A value the spec documents.
    Known(T),
    /// A value the spec does not list, exactly as received.
    Unknown(String),
}

impl<T> Open<T> {
    /// The documented variant, if it is one.
    pub fn known(&self) -> Option<&T> {
        match self {
            Open::Known(value) => Some(value),
            Open::Unknown(_) => None,
        }
    }

    /// True for a value the spec does not list.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Open::Unknown(_))
    }
}

impl<T> From<T> for Open<T> {
    fn from(value: T) -> Self {
        Open::Known(value)
    }
}

impl<T: PartialEq> PartialEq<T> for Open<T> {
    fn eq(&self, other: &T) -> bool {
        self.known() == Some(other)
    }
}

impl<T: fmt::Display> fmt::Display for Open<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Open::Known(value) => value.fmt(f),
            Open::Unknown(raw) => f.write_str(raw),
        }
    }
}

impl<T: Serialize> Serialize for Open<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Open::Known(value) => value.serialize(serializer),
            Open::Unknown(raw) => serializer.serialize_str(raw),
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Open<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::IntoDeserializer;
        // String enums only: anything but a string is still an error, as the
        // schema says `type: string`.
        let raw = String::deserialize(deserializer)?;
        let known: Result<T, serde::de::value::Error> =
            T::deserialize(raw.as_str().into_deserializer());
        Ok(match known {
            Ok(value) => Open::Known(value),
            Err(_) => Open::Unknown(raw),
        })
    }
}

/// Reads a generated string enum from a string, by its `FromStr` (its
/// wire values and their aliases); any other value is serde's "unknown
/// variant" error naming `values`, as a derived impl's would be. Generated
/// enums call this instead of deriving `Deserialize`, which costs a visitor
/// and a field enum per type to compile.
#[doc(hidden)]
pub fn string_enum<'de, D, T>(
    deserializer: D,
    values: &'static [&'static str],
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: std::str::FromStr,
{
    struct Values<T>(&'static [&'static str], std::marker::PhantomData<T>);

    impl<T: std::str::FromStr> serde::de::Visitor<'_> for Values<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "one of {:?}", self.0)
        }

        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
            value.parse().map_err(|_| E::unknown_variant(value, self.0))
        }
    }

    deserializer.deserialize_str(Values(values, std::marker::PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Serialize, Deserialize, Debug, PartialEq, Clone, Copy)]
    enum Status {
        #[serde(rename = "active")]
        Active,
    }

    #[test]
    fn unknown_values_round_trip() {
        let known: Open<Status> = serde_json::from_value(json!("active")).unwrap();
        assert_eq!(known, Open::Known(Status::Active));
        assert_eq!(known, Status::Active);
        let unknown: Open<Status> = serde_json::from_value(json!("suspended")).unwrap();
        assert_eq!(unknown, Open::Unknown("suspended".into()));
        assert_eq!(serde_json::to_value(&unknown).unwrap(), json!("suspended"));
        assert_eq!(serde_json::to_value(&known).unwrap(), json!("active"));
        assert!(serde_json::from_value::<Open<Status>>(json!(3)).is_err());
    }
}

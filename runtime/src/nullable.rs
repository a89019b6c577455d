//! Three states for optional, nullable fields: absent, `null`, or a value.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A field that is optional *and* nullable in the spec.
///
/// In a partial update the three states mean different things: `Absent`
/// leaves the field unchanged (it is not sent), `Null` clears it (`"x":
/// null` is sent), `Value` sets it. `Option` cannot tell the first two apart.
/// Generated structs mark such fields `#[serde(default, skip_serializing_if =
/// "Nullable::is_absent")]`, so reading a response distinguishes them too.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Nullable<T> {
    /// Not present: not sent, or not received.
    #[default]
    Absent,
    /// Present and `null`.
    Null,
    /// Present with a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// A value the engine wrote as an `Option` (a spec default): `None` is
    /// `null`.
    #[doc(hidden)]
    pub fn from_option(value: Option<T>) -> Self {
        match value {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        }
    }

    /// True when the field is not present.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// True when the field is present and `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one.
    pub fn as_value(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            _ => None,
        }
    }

    /// The value, if there is one.
    pub fn into_value(self) -> Option<T> {
        match self {
            Nullable::Value(value) => Some(value),
            _ => None,
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // `Absent` is skipped by the field attribute; if a caller
            // serializes it directly, `null` is the only JSON for nothing.
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
            Nullable::Value(value) => serializer.serialize_some(value),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Patch {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        field: Nullable<u32>,
    }

    #[test]
    fn three_states_on_the_wire() {
        assert_eq!(
            serde_json::to_value(Patch {
                field: Nullable::Absent
            })
            .unwrap(),
            json!({})
        );
        assert_eq!(
            serde_json::to_value(Patch {
                field: Nullable::Null
            })
            .unwrap(),
            json!({"field": null})
        );
        assert_eq!(
            serde_json::to_value(Patch { field: 7.into() }).unwrap(),
            json!({"field": 7})
        );
        let read = |v| serde_json::from_value::<Patch>(v).unwrap().field;
        assert_eq!(read(json!({})), Nullable::Absent);
        assert_eq!(read(json!({"field": null})), Nullable::Null);
        assert_eq!(read(json!({"field": 7})), Nullable::Value(7));
    }
}

//! How a generated struct reads itself from a JSON object: what serde's
//! derived `Deserialize` does for one, at a fraction of its compile cost.
//!
//! A derived impl writes, per struct, an enum of its fields with a visitor
//! and a `Deserialize` impl of its own, and a second visitor that reads the
//! struct from a map and again from a sequence. Deriving it was most of
//! what a generated client cost to check (#34, BENCHMARKS.md section 5).
//! Here the shared parts are written once: the visitor ([`object`]), the
//! field names' lookup ([`next_key`]), the duplicate and missing field
//! errors; each struct implements [`Object`]: one slot per field, one
//! `match` arm per field, one struct literal.
//!
//! What a derived impl does and this keeps: unknown fields are skipped, a
//! field given twice is serde's "duplicate field" error, a missing required
//! field is its "missing field" error, and a missing `Option` (or
//! `Nullable`) field is empty. What it drops: reading a struct from a
//! sequence of its field values, which no JSON API sends.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

/// A generated struct read from a map, field by field.
#[doc(hidden)]
pub trait Object: Sized {
    /// The struct's name, for "expected struct NAME".
    const NAME: &'static str;
    /// The fields' wire names; [`next_key`] gives a key's index here.
    const FIELDS: &'static [&'static str];

    /// Reads the struct from the entries of `map`.
    fn read<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Reads a `T` from `deserializer`: what `T`'s `Deserialize` impl calls.
#[doc(hidden)]
pub fn object<'de, D: Deserializer<'de>, T: Object>(deserializer: D) -> Result<T, D::Error> {
    struct ObjectVisitor<T>(PhantomData<T>);

    impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "struct {}", T::NAME)
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::read(map)
        }
    }

    deserializer.deserialize_struct(T::NAME, T::FIELDS, ObjectVisitor(PhantomData))
}

/// The index in `fields` of the next key of `map` (`fields.len()` for a
/// key not among them), or `None` after the last.
#[doc(hidden)]
pub fn next_key<'de, A: MapAccess<'de>>(
    map: &mut A,
    fields: &'static [&'static str],
) -> Result<Option<usize>, A::Error> {
    map.next_key_seed(FieldIndex(fields))
}

/// Reads the next value of `map` into `slot`, the field named `name`; a
/// field given twice is an error, as a derived impl's is.
#[doc(hidden)]
pub fn field<'de, A: MapAccess<'de>, T: de::Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Skips the value of a field the struct does not have.
#[doc(hidden)]
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// The value of required field `name`, or serde's "missing field" error.
#[doc(hidden)]
pub fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

/// A key, read as its index among a struct's fields.
struct FieldIndex(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for FieldIndex {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for FieldIndex {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<usize, E> {
        self.visit_bytes(key.as_bytes())
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<usize, E> {
        let fields = self.0;
        Ok(fields
            .iter()
            .position(|field| field.as_bytes() == key)
            .unwrap_or(fields.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Nullable;
    use serde_json::json;

    /// What the generator writes for a struct of a required, an optional
    /// and a nullable field.
    #[derive(Debug, PartialEq)]
    struct Call {
        id: String,
        note: Option<String>,
        ended: Nullable<u32>,
    }

    impl<'de> de::Deserialize<'de> for Call {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            object(deserializer)
        }
    }

    impl Object for Call {
        const NAME: &'static str = "Call";
        const FIELDS: &'static [&'static str] = &["ended", "id", "note"];

        fn read<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            let mut ended = None;
            let mut id = None;
            let mut note = None;
            while let Some(key) = next_key(&mut map, Self::FIELDS)? {
                match key {
                    0 => field(&mut map, &mut ended, "ended")?,
                    1 => field(&mut map, &mut id, "id")?,
                    2 => field(&mut map, &mut note, "note")?,
                    _ => skip(&mut map)?,
                }
            }
            Ok(Self {
                ended: ended.unwrap_or_default(),
                id: required(id, "id")?,
                note: note.unwrap_or_default(),
            })
        }
    }

    fn read(value: &str) -> Result<Call, String> {
        serde_json::from_str(value).map_err(|error| error.to_string())
    }

    #[test]
    fn fields_are_read_by_wire_name_and_unknown_ones_skipped() {
        let call = read(r#"{"note": "hi", "extra": {"deep": [1]}, "id": "c1", "ended": 3}"#);
        assert_eq!(
            call.unwrap(),
            Call {
                id: "c1".into(),
                note: Some("hi".into()),
                ended: Nullable::Value(3),
            }
        );
        // From a `Value` too, and with escaped keys (not borrowed).
        let call: Call = serde_json::from_value(json!({"id": "c2", "ended": null})).unwrap();
        assert_eq!(call.ended, Nullable::Null);
        assert_eq!(read(r#"{"\u0069d": "c3"}"#).unwrap().id, "c3");
    }

    #[test]
    fn absent_optional_fields_are_empty_and_a_missing_required_one_is_an_error() {
        let call = read(r#"{"id": "c1", "note": null}"#).unwrap();
        assert_eq!((call.note, call.ended), (None, Nullable::Absent));
        let error = read(r#"{"note": "hi"}"#).unwrap_err();
        assert!(error.starts_with("missing field `id`"), "{error}");
    }

    #[test]
    fn errors_say_what_a_derived_impl_says() {
        let twice = read(r#"{"id": "a", "id": "b"}"#).unwrap_err();
        assert!(twice.starts_with("duplicate field `id`"), "{twice}");
        let wrong = read(r#"{"id": 7}"#).unwrap_err();
        assert!(
            wrong.starts_with("invalid type: integer `7`, expected a string"),
            "{wrong}"
        );
        let not_an_object = read(r#"["c1", null, null]"#).unwrap_err();
        assert!(
            not_an_object.contains("expected struct Call"),
            "{not_an_object}"
        );
    }
}

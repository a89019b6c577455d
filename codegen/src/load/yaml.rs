//! YAML read straight into a JSON value, in one pass.
//!
//! A spec in YAML is read as JSON is: every later stage works on
//! `serde_json::Value`. Going through `serde_yaml_ng::Value` first built the
//! document twice, and converting it cost as much as parsing it.
//!
//! What JSON cannot hold is mapped or refused here: unquoted scalar keys
//! (`200:`, `true:`, `~:`) become their JSON spelling, as `serde_yaml_ng`
//! prints them; a key that is a sequence or mapping, a duplicate key and a
//! number with no JSON form (`.inf`, `.nan`) are errors with their line and
//! column. A custom tag (`!foo value`) is dropped and its value kept.
//!
//! Integers are read as JSON input reads them (`serde_json`): exactly where
//! 64 bits hold them, otherwise as the nearest `f64`, so a bound such as
//! `maximum: 18446744073709551616` reaches `normalize` in the one form it
//! repairs, whichever the file's syntax. A key keeps an integer's digits.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Parses one YAML document into JSON.
pub fn to_json(text: &str) -> Result<Value, serde_yaml_ng::Error> {
    AnyValue.deserialize(serde_yaml_ng::Deserializer::from_str(text))
}

/// Seed and visitor for any YAML node.
#[derive(Clone, Copy)]
struct AnyValue;

impl<'de> DeserializeSeed<'de> for AnyValue {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for AnyValue {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    /// Beyond 64 bits (`serde_yaml_ng` hands over up to 128): as JSON reads
    /// such a number, the nearest `f64`.
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        match i64::try_from(v) {
            Ok(v) => Ok(Value::from(v)),
            Err(_) => self.visit_f64(v as f64),
        }
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        match u64::try_from(v) {
            Ok(v) => Ok(Value::from(v)),
            Err(_) => self.visit_f64(v as f64),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom(format!("the number {v} has no JSON form")))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key_seed(Key)? {
            if object.contains_key(&key) {
                // Refused while reading the value, so the error has its place.
                return map.next_value_seed(Duplicate(key));
            }
            let value = map.next_value_seed(self)?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // `!tag value`: the tag names the variant; the value is what counts.
        let (_tag, variant) = data.variant::<de::IgnoredAny>()?;
        de::VariantAccess::newtype_variant_seed(variant, self)
    }
}

/// Seed that refuses the value of a key already seen in its mapping.
struct Duplicate(String);

impl<'de> DeserializeSeed<'de> for Duplicate {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// Every node is the wrong type for it, so the error names the key and the
/// place: "invalid type: integer `2`, expected one value for key `a` ...".
impl Visitor<'_> for Duplicate {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "one value for key `{}`, which appears twice", self.0)
    }
}

/// Seed and visitor for a mapping key: any scalar, as a string.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a scalar mapping key; OpenAPI keys are strings")
    }

    fn visit_bool<E>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i128<E>(self, v: i128) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u128<E>(self, v: u128) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E>(self, v: f64) -> Result<String, E> {
        Ok(serde_yaml_ng::Number::from(v).to_string())
    }

    fn visit_str<E>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_string<E>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_unit<E>(self) -> Result<String, E> {
        Ok("null".to_owned())
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<String, A::Error> {
        let (_tag, variant) = data.variant::<de::IgnoredAny>()?;
        de::VariantAccess::newtype_variant_seed(variant, self)
    }
}

#[cfg(test)]
mod tests {
    use super::to_json;
    use serde_json::json;

    #[test]
    fn scalar_keys_become_strings() {
        let value = to_json("200: a\ntrue: b\n~: c\n1.5: d\nname: e\n").unwrap();
        assert_eq!(
            value,
            json!({"200": "a", "true": "b", "null": "c", "1.5": "d", "name": "e"})
        );
    }

    #[test]
    fn values_keep_their_types() {
        let value = to_json("b: [1, -2, 2.5, true, null, '3', x]\na: {c: !custom 4}\n").unwrap();
        assert_eq!(
            value,
            json!({"b": [1, -2, 2.5, true, null, "3", "x"], "a": {"c": 4}})
        );
    }

    #[test]
    fn integers_of_any_size_are_read_as_json_reads_them() {
        let yaml = "a: [18446744073709551615, -9223372036854775808, 18446744073709551616, \
                    -9223372036854775809, 1000000000000000000000000000000, \
                    -1000000000000000000000000000000, \
                    100000000000000000000000000000000000000000]\n\
                    18446744073709551616: key\n-170141183460469231731687303715884105728: key\n";
        let json = r#"{"a": [18446744073709551615, -9223372036854775808, 18446744073709551616,
            -9223372036854775809, 1000000000000000000000000000000,
            -1000000000000000000000000000000,
            100000000000000000000000000000000000000000],
            "18446744073709551616": "key", "-170141183460469231731687303715884105728": "key"}"#;
        let value = to_json(yaml).unwrap();
        assert_eq!(
            value,
            serde_json::from_str::<serde_json::Value>(json).unwrap()
        );
        // Exact where 64 bits hold them.
        assert_eq!(value["a"][0].as_u64(), Some(u64::MAX));
        assert_eq!(value["a"][1].as_i64(), Some(i64::MIN));
        assert_eq!(value["a"][2].as_f64(), Some(18446744073709551616.0));
        assert_eq!(value["a"][5].as_f64(), Some(-1e30));
    }

    #[test]
    fn what_json_cannot_hold_is_refused_with_its_place() {
        for (text, expected) in [
            ("a: .inf\n", "has no JSON form"),
            ("a: 1\na: 2\n", "key `a`, which appears twice"),
            ("? [a]\n: 1\n", "a scalar mapping key"),
        ] {
            let message = to_json(text).unwrap_err().to_string();
            assert!(message.contains(expected), "{text:?}: {message}");
            assert!(message.contains("line"), "{text:?}: {message}");
        }
    }
}

//! What a value must satisfy beyond its type: the validation keywords of
//! its schema, read once, for the Rust type `build` decided for it.
//!
//! A rule is kept only where its type can be checked for it: lengths and
//! patterns on a `String` (not on an enum, whose listed values are its
//! check, nor on a UUID or a timestamp, which keep no text to measure),
//! bounds on numbers, item counts on lists. A bound its type cannot pass
//! (a `minimum` at or below the type's least value) is no bound and is
//! dropped, so no check compares what always holds. Validation keywords
//! shape nothing: they are checked on requests only ([`super::validation`]).

use serde_json::{Map, Value};

use super::{IntType, Ty};

/// What one value must satisfy.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Constraints {
    /// Rules on the value itself, in the order they are checked.
    pub rules: Vec<Rule>,
    /// For a list: what each item must satisfy.
    pub items: Option<Box<Constraints>>,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty() && self.items.is_none()
    }
}

/// One rule on one value.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// In Unicode code points, as JSON Schema counts.
    MaxLength(u64),
    MinLength(u64),
    /// An ECMA-262 pattern (normalize drops one that is not), with the
    /// description of its schema, for the error message.
    Pattern {
        source: String,
        description: String,
    },
    Minimum {
        bound: Bound,
        exclusive: bool,
    },
    Maximum {
        bound: Bound,
        exclusive: bool,
    },
    MaxItems(u64),
    MinItems(u64),
}

/// A numeric bound, in a type that holds both it and every value of its
/// field exactly: `i128` for any Rust integer type, `f64` for `f32` and
/// `f64`. (Comparing integers as `f64` loses precision above 2^53.)
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    Integer(i128),
    /// `f32` is whether the value is one; it widens to `f64` without loss.
    Number {
        bound: f64,
        f32: bool,
    },
}

/// The constraints of `schema` for a value of type `ty` (what `build`
/// decided for it). A `$ref` adds none: the type it names carries its own.
pub(super) fn of(schema: &Value, ty: &Ty) -> Constraints {
    let Value::Object(map) = schema else {
        return Constraints::default();
    };
    if map.contains_key("$ref") {
        return Constraints::default();
    }
    let mut constraints = match ty {
        // `null` allowed or not, the keywords are the same value's.
        Ty::Option(inner) => return of(schema, inner),
        Ty::String => string_rules(map),
        Ty::Integer(int) => integer_rules(map, *int),
        Ty::F32 => number_rules(map, true),
        Ty::F64 => number_rules(map, false),
        Ty::List(item) => Constraints {
            rules: list_rules(map),
            items: map
                .get("items")
                .map(|items| of(items, item))
                .filter(|items| !items.is_empty())
                .map(Box::new),
        },
        _ => Constraints::default(),
    };
    // A schema that is one other (`allOf: [X]`, `oneOf: [X, null]`) has that
    // one's keywords too.
    for keyword in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(parts)) = map.get(keyword)
            && let [only] = only_shaping(parts).as_slice()
        {
            let inner = of(only, ty);
            constraints.rules.extend(inner.rules);
            if constraints.items.is_none() {
                constraints.items = inner.items;
            }
        }
    }
    constraints
}

/// The parts of a composition that say something of the value (not a
/// `null` alternative, not a part holding only a description).
fn only_shaping(parts: &[Value]) -> Vec<&Value> {
    parts
        .iter()
        .filter(|part| {
            part.as_object().is_some_and(|map| {
                map.keys().any(|key| key != "description" && key != "title")
                    && map.get("type").and_then(Value::as_str) != Some("null")
            })
        })
        .collect()
}

fn string_rules(map: &Map<String, Value>) -> Constraints {
    let mut rules = Vec::new();
    rules.extend(count(map, "maxLength").map(Rule::MaxLength));
    rules.extend(count(map, "minLength").map(Rule::MinLength));
    if let Some(Value::String(source)) = map.get("pattern") {
        rules.push(Rule::Pattern {
            source: source.clone(),
            description: map
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
        });
    }
    Constraints { rules, items: None }
}

fn list_rules(map: &Map<String, Value>) -> Vec<Rule> {
    let mut rules = Vec::new();
    rules.extend(count(map, "maxItems").map(Rule::MaxItems));
    rules.extend(count(map, "minItems").map(Rule::MinItems));
    rules
}

/// A length or count keyword: a non-negative integer.
fn count(map: &Map<String, Value>, keyword: &str) -> Option<u64> {
    map.get(keyword).and_then(Value::as_u64)
}

fn integer_rules(map: &Map<String, Value>, int: IntType) -> Constraints {
    let (least, most) = int.range();
    let mut rules = Vec::new();
    // A bound the type's whole range meets is no bound.
    if let Some(bound) = integer(map.get("minimum")) {
        let exclusive = exclusive(map, "exclusiveMinimum");
        if bound > least || (exclusive && bound == least) {
            rules.push(Rule::Minimum {
                bound: Bound::Integer(bound),
                exclusive,
            });
        }
    }
    if let Some(bound) = integer(map.get("maximum")) {
        let exclusive = exclusive(map, "exclusiveMaximum");
        if bound < most || (exclusive && bound == most) {
            rules.push(Rule::Maximum {
                bound: Bound::Integer(bound),
                exclusive,
            });
        }
    }
    Constraints { rules, items: None }
}

/// An integer bound of any size; a fractional one (normalize rounds them)
/// is none.
fn integer(value: Option<&Value>) -> Option<i128> {
    let number = value?.as_number()?;
    number
        .as_i64()
        .map(i128::from)
        .or_else(|| number.as_u64().map(i128::from))
}

fn number_rules(map: &Map<String, Value>, f32: bool) -> Constraints {
    let mut rules = Vec::new();
    let bound = |keyword: &str| {
        map.get(keyword)
            .and_then(Value::as_f64)
            .map(|bound| Bound::Number { bound, f32 })
    };
    rules.extend(bound("minimum").map(|bound| Rule::Minimum {
        bound,
        exclusive: exclusive(map, "exclusiveMinimum"),
    }));
    rules.extend(bound("maximum").map(|bound| Rule::Maximum {
        bound,
        exclusive: exclusive(map, "exclusiveMaximum"),
    }));
    Constraints { rules, items: None }
}

/// OpenAPI 3.0's boolean `exclusiveMinimum` / `exclusiveMaximum` (3.1's
/// numeric form is rewritten into it by normalize).
fn exclusive(map: &Map<String, Value>, keyword: &str) -> bool {
    map.get(keyword) == Some(&Value::Bool(true))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn rules_follow_the_decided_type_through_nullable_lists() {
        let schema = json!({
            "type": "array", "nullable": true, "maxItems": 3,
            "items": {"type": "string", "nullable": true, "maxLength": 5, "pattern": "^a"}
        });
        let ty = Ty::Option(Box::new(Ty::List(Box::new(Ty::Option(Box::new(
            Ty::String,
        ))))));
        let constraints = of(&schema, &ty);
        assert_eq!(constraints.rules, vec![Rule::MaxItems(3)]);
        let items = constraints.items.expect("item rules");
        assert_eq!(items.rules.len(), 2, "{items:?}");
        assert_eq!(items.rules[0], Rule::MaxLength(5));
    }

    #[test]
    fn a_rule_its_type_cannot_hold_is_not_kept() {
        let enum_schema = json!({"type": "string", "enum": ["a"], "maxLength": 1});
        assert!(of(&enum_schema, &Ty::Named(super::super::TypeId(0))).is_empty());
        let uuid = json!({"type": "string", "format": "uuid", "maxLength": 36});
        assert!(of(&uuid, &Ty::Uuid).is_empty());
        let reference = json!({"$ref": "#/components/schemas/X", "maxLength": 1});
        assert!(of(&reference, &Ty::String).is_empty());
    }

    #[test]
    fn an_integer_bound_the_whole_range_meets_is_none() {
        let schema = json!({"type": "integer", "minimum": 0, "maximum": 255});
        assert!(of(&schema, &Ty::Integer(IntType::U8)).is_empty());
        let schema = json!({"type": "integer", "minimum": 1, "maximum": 18446744073709551615u64});
        assert_eq!(
            of(&schema, &Ty::Integer(IntType::U64)).rules,
            vec![Rule::Minimum {
                bound: Bound::Integer(1),
                exclusive: false
            }]
        );
        let schema = json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true});
        assert_eq!(of(&schema, &Ty::Integer(IntType::U8)).rules.len(), 1);
    }

    #[test]
    fn number_bounds_keep_whether_the_value_is_an_f32() {
        let schema = json!({"type": "number", "format": "float", "minimum": 0.5});
        assert_eq!(
            of(&schema, &Ty::F32).rules,
            vec![Rule::Minimum {
                bound: Bound::Number {
                    bound: 0.5,
                    f32: true
                },
                exclusive: false
            }]
        );
    }

    #[test]
    fn a_one_part_composition_lends_its_keywords() {
        let schema = json!({"allOf": [{"type": "string", "maxLength": 4}], "description": "d"});
        assert_eq!(of(&schema, &Ty::String).rules, vec![Rule::MaxLength(4)]);
    }
}

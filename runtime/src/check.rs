//! Client-side checks of documented request constraints, called by generated
//! `Validate` impls before any byte is sent.

use std::fmt;
use std::sync::OnceLock;

use super::InvalidRequest;

/// Implemented by every generated request type.
pub trait Validate {
    /// Checks the documented constraints; `at` is the path of this value in
    /// the request (`body`, `body.business_hours`).
    fn validate(&self, at: &str) -> Result<(), InvalidRequest>;
}

fn fail(at: &str, field: &str, rule: String, message: String) -> Result<(), InvalidRequest> {
    Err(InvalidRequest {
        field: join(at, field),
        rule,
        message,
    })
}

/// `body` + `name` is `body.name`; `body.tags` + `[2]` is `body.tags[2]`.
#[doc(hidden)]
pub fn join(at: &str, field: &str) -> String {
    if field.starts_with('[') {
        format!("{at}{field}")
    } else {
        format!("{at}.{field}")
    }
}

/// JSON Schema lengths count Unicode code points, not bytes.
pub fn max_length(at: &str, field: &str, value: &str, max: usize) -> Result<(), InvalidRequest> {
    let length = value.chars().count();
    if length > max {
        return fail(
            at,
            field,
            format!("maxLength {max}"),
            format!("is {length} characters long; at most {max} are allowed"),
        );
    }
    Ok(())
}

pub fn min_length(at: &str, field: &str, value: &str, min: usize) -> Result<(), InvalidRequest> {
    let length = value.chars().count();
    if length < min {
        return fail(
            at,
            field,
            format!("minLength {min}"),
            format!("is {length} characters long; at least {min} are required"),
        );
    }
    Ok(())
}

/// A regular expression from the spec, compiled on first use with ECMA-262
/// semantics (what OpenAPI's `pattern` means).
pub struct Pattern {
    source: &'static str,
    description: &'static str,
    compiled: OnceLock<Result<regress::Regex, String>>,
}

impl Pattern {
    /// `description` names the rule for people (`E.164 phone number`), or is
    /// empty.
    pub const fn new(source: &'static str, description: &'static str) -> Self {
        Pattern {
            source,
            description,
            compiled: OnceLock::new(),
        }
    }
}

pub fn pattern(
    at: &str,
    field: &str,
    value: &str,
    pattern: &Pattern,
) -> Result<(), InvalidRequest> {
    let compiled = pattern
        .compiled
        .get_or_init(|| regress::Regex::new(pattern.source).map_err(|error| error.to_string()));
    let rule = format!("pattern {}", pattern.source);
    match compiled {
        Ok(regex) if regex.find(value).is_some() => Ok(()),
        Ok(_) => {
            let what = if pattern.description.is_empty() {
                String::new()
            } else {
                format!(" ({})", pattern.description)
            };
            fail(
                at,
                field,
                rule,
                format!("{value:?} does not match {}{what}", pattern.source),
            )
        }
        Err(error) => fail(
            at,
            field,
            rule,
            format!("the spec's pattern does not compile: {error}"),
        ),
    }
}

/// `minimum` (and `exclusiveMinimum`), compared in a type that holds the
/// field's values and the bound exactly: `i128` for integers, `f64` for
/// numbers (an `f32` widens to it without loss).
pub fn minimum<T: PartialOrd + fmt::Display>(
    at: &str,
    field: &str,
    value: T,
    min: T,
    exclusive: bool,
) -> Result<(), InvalidRequest> {
    if value < min || (exclusive && value == min) {
        let rule = if exclusive {
            format!("exclusiveMinimum {min}")
        } else {
            format!("minimum {min}")
        };
        return fail(
            at,
            field,
            rule,
            format!(
                "is {value}; the smallest allowed value is {min}{}",
                if exclusive { " (exclusive)" } else { "" }
            ),
        );
    }
    Ok(())
}

/// `maximum` (and `exclusiveMaximum`), compared as [`minimum`] is.
pub fn maximum<T: PartialOrd + fmt::Display>(
    at: &str,
    field: &str,
    value: T,
    max: T,
    exclusive: bool,
) -> Result<(), InvalidRequest> {
    if value > max || (exclusive && value == max) {
        let rule = if exclusive {
            format!("exclusiveMaximum {max}")
        } else {
            format!("maximum {max}")
        };
        return fail(
            at,
            field,
            rule,
            format!(
                "is {value}; the largest allowed value is {max}{}",
                if exclusive { " (exclusive)" } else { "" }
            ),
        );
    }
    Ok(())
}

pub fn max_items(at: &str, field: &str, len: usize, max: usize) -> Result<(), InvalidRequest> {
    if len > max {
        return fail(
            at,
            field,
            format!("maxItems {max}"),
            format!("has {len} items; at most {max} are allowed"),
        );
    }
    Ok(())
}

pub fn min_items(at: &str, field: &str, len: usize, min: usize) -> Result<(), InvalidRequest> {
    if len < min {
        return fail(
            at,
            field,
            format!("minItems {min}"),
            format!("has {len} items; at least {min} are required"),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    static E164: Pattern = Pattern::new(r"^\+[1-9][0-9]{1,14}$", "E.164 phone number");

    #[test]
    fn rules_name_field_and_rule() {
        let error = max_length("body", "name", &"é".repeat(101), 100).unwrap_err();
        assert_eq!(error.field, "body.name");
        assert_eq!(error.rule, "maxLength 100");
        assert!(max_length("body", "name", &"é".repeat(100), 100).is_ok());
        assert!(pattern("body", "transfer_number", "+15559876543", &E164).is_ok());
        let error = pattern("body", "transfer_number", "555-1234", &E164).unwrap_err();
        assert!(error.message.contains("E.164"), "{error}");
        assert!(minimum("body", "debounceDelayMs", -1.0, 0.0, false).is_err());
        assert!(minimum("body", "debounceDelayMs", 0.0, 0.0, false).is_ok());
        assert!(minimum("body", "x", 0.0, 0.0, true).is_err());
        assert_eq!(join("body.tags", "[2]"), "body.tags[2]");
    }

    #[test]
    fn a_broken_pattern_is_an_error_not_a_panic() {
        static BROKEN: Pattern = Pattern::new("(", "");
        let error = pattern("body", "x", "a", &BROKEN).unwrap_err();
        assert!(error.message.contains("does not compile"), "{error}");
    }
}

//! Document-wide checks of our `x-` extensions. (That every reference
//! resolves is found by `normalize`, and judged by the model; per-operation
//! checks happen while the model is built, `model/`.)

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{Problem, pointer};

/// Reads `x-enum-aliases` (canonical value to accepted alternatives) from
/// component schemas.
pub fn enum_aliases(
    raw: &Value,
    problems: &mut Vec<Problem>,
) -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let mut out = BTreeMap::new();
    let Some(schemas) = raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return out;
    };
    for (name, schema) in schemas {
        let Some(aliases) = schema.get("x-enum-aliases") else {
            continue;
        };
        let at = pointer(["components", "schemas", name, "x-enum-aliases"]);
        let values: Vec<&str> = schema
            .get("enum")
            .and_then(Value::as_array)
            .map(|values| values.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let Some(aliases) = aliases.as_object() else {
            problems.push(Problem {
                pointer: at,
                message: "`x-enum-aliases` must map enum values to lists of aliases".into(),
            });
            continue;
        };
        let mut map = BTreeMap::new();
        for (canonical, list) in aliases {
            if !values.contains(&canonical.as_str()) {
                problems.push(Problem {
                    pointer: at.clone(),
                    message: format!("`{canonical}` is not one of the schema's enum values"),
                });
                continue;
            }
            let list: Option<Vec<String>> = list.as_array().and_then(|items| {
                items
                    .iter()
                    .map(|item| item.as_str().map(String::from))
                    .collect()
            });
            match list {
                Some(list) => {
                    map.insert(canonical.clone(), list);
                }
                None => problems.push(Problem {
                    pointer: at.clone(),
                    message: format!("the aliases of `{canonical}` must be a list of strings"),
                }),
            }
        }
        out.insert(name.clone(), map);
    }
    out
}

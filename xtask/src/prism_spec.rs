//! The copy of a spec that Prism is given, for the corpus samples.
//!
//! Prism serves most specs as they are. Two kinds it cannot serve get a
//! changed copy, and the change is printed:
//!
//! - **`$ref`s that point outside the document.** Prism tries to download
//!   them, and there is no network. GitHub's SCIM examples carry `$ref`
//!   fields that are data: URLs of api.github.com. Such a key is renamed
//!   `x-not-followed-$ref`. This changes no schema the generator accepts,
//!   because the generator refuses external references.
//! - **`$ref`s inside example values.** An example is data, but Prism's
//!   reference parser follows every `$ref`. Okta's examples hold JSON
//!   Schemas whose `#/definitions/...` pointers resolve nowhere in the
//!   spec, and Prism exits before listening. Those keys are renamed
//!   likewise; no schema changes.
//! - **Schemas whose expansion is too large.** Prism expands the schema tree
//!   of every operation. Vapi's schemas expand to 36 million nodes, and that
//!   is with its reference cycles cut (models hold tools, which hold handoff
//!   destinations, which hold assistants, which hold models). Prism 5.16
//!   never finished loading them: it was still "Starting" after 10 minutes.
//!   The copy unrolls references to the deepest level whose expansion stays
//!   within [`EXPANSION_BUDGET`]: each component is copied once per level at
//!   which it is used. A reference below the last level becomes `{}`, which
//!   accepts any value. Prism checks everything above that cut; the driver's
//!   samples are checked there as before, and only what lies below the cut
//!   goes unchecked.

use serde_json::{Map, Value};

/// The most schema nodes the operations may expand to. ElevenLabs expands
/// to 0.68 million nodes and GitHub to 0.28 million, and Prism loads both
/// within a minute.
const EXPANSION_BUDGET: usize = 1_000_000;

/// Deeper unrolling is never tried: no sample nests deeper than this.
const MAX_LEVELS: usize = 16;

const SCHEMAS: &str = "#/components/schemas/";

/// Changes `document` into what Prism can serve. Returns a note for each
/// change made.
pub fn prepare(document: &mut Value) -> Vec<String> {
    let mut notes = Vec::new();
    if neutralise_external_refs(document) {
        notes.push("`$ref`s pointing outside the document renamed `x-not-followed-$ref`".into());
    }
    if neutralise_example_refs(document, false) {
        notes.push("`$ref`s inside example values (data) renamed `x-not-followed-$ref`".into());
    }
    if let Some(levels) = levels_within_budget(document) {
        unroll(document, levels);
        notes.push(format!(
            "references unrolled {levels} levels deep; Prism accepts any value below that \
             (the full expansion exceeds {EXPANSION_BUDGET} schema nodes)"
        ));
    }
    notes
}

/// Renames every `$ref` inside an example value (`example`, and the
/// `value` of an Example object under `examples`), and returns whether any
/// was renamed. `in_data` is whether `value` is such data.
fn neutralise_example_refs(value: &mut Value, in_data: bool) -> bool {
    let mut changed = false;
    match value {
        Value::Object(map) => {
            if in_data && let Some(target) = map.remove("$ref") {
                map.insert("x-not-followed-$ref".to_string(), target);
                changed = true;
            }
            for (key, child) in map.iter_mut() {
                // `example`, and a 3.1 schema's list of `examples`.
                let data = in_data || key == "example" || (key == "examples" && child.is_array());
                if key == "examples" && !in_data && child.is_object() {
                    // A map of Example objects: each one's `value` is data.
                    for example in child
                        .as_object_mut()
                        .into_iter()
                        .flat_map(|m| m.values_mut())
                    {
                        if let Some(value) = example.get_mut("value") {
                            changed |= neutralise_example_refs(value, true);
                        }
                    }
                    continue;
                }
                changed |= neutralise_example_refs(child, data);
            }
        }
        Value::Array(items) => {
            for child in items {
                changed |= neutralise_example_refs(child, in_data);
            }
        }
        _ => {}
    }
    changed
}

/// Renames every `$ref` whose value is not a `#` pointer, and returns
/// whether any was renamed.
fn neutralise_external_refs(value: &mut Value) -> bool {
    let mut changed = false;
    match value {
        Value::Object(map) => {
            if map
                .get("$ref")
                .and_then(Value::as_str)
                .is_some_and(|target| !target.starts_with('#'))
                && let Some(target) = map.remove("$ref")
            {
                map.insert("x-not-followed-$ref".to_string(), target);
                changed = true;
            }
            for child in map.values_mut() {
                changed |= neutralise_external_refs(child);
            }
        }
        Value::Array(items) => {
            for child in items {
                changed |= neutralise_external_refs(child);
            }
        }
        _ => {}
    }
    changed
}

/// The component schemas of `document`.
fn schemas(document: &Value) -> Map<String, Value> {
    document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// `None` when the document, expanded as a dereferencer expands it (each
/// reference followed unless it closes a cycle), stays within the budget;
/// otherwise the deepest level of unrolling that does (at least one).
fn levels_within_budget(document: &Value) -> Option<usize> {
    let schemas = schemas(document);
    if Acyclic::new(&schemas).of_document(document) <= EXPANSION_BUDGET {
        return None;
    }
    let size = |levels| Expansion::new(&schemas, levels).of_document(document);
    Some(
        (1..MAX_LEVELS)
            .take_while(|&levels| size(levels) <= EXPANSION_BUDGET)
            .last()
            .unwrap_or(1),
    )
}

/// Keys whose values are data, not schemas: a `$ref` inside them is not a
/// reference.
fn is_data(key: &str) -> bool {
    matches!(key, "example" | "examples" | "enum" | "const" | "default") || key.starts_with("x-")
}

/// The component a value refers to, if it is a reference to one.
fn component_of(map: &Map<String, Value>) -> Option<&str> {
    map.get("$ref")?.as_str()?.strip_prefix(SCHEMAS)
}

/// Counts the nodes of the schema trees with every reference followed
/// unless it closes a cycle: how large the document is once dereferenced.
/// (Each component is counted once, with what it expands to the first time
/// it is met, so the count is an estimate where cycles are; it is the same
/// on every run.)
struct Acyclic<'a> {
    schemas: &'a Map<String, Value>,
    on_path: std::collections::HashSet<&'a str>,
    memo: std::collections::HashMap<&'a str, usize>,
}

impl<'a> Acyclic<'a> {
    fn new(schemas: &'a Map<String, Value>) -> Self {
        Acyclic {
            schemas,
            on_path: Default::default(),
            memo: Default::default(),
        }
    }

    fn of_document(&mut self, document: &'a Value) -> usize {
        outside_schemas(document).map(|value| self.of(value)).sum()
    }

    fn of(&mut self, value: &'a Value) -> usize {
        match value {
            Value::Object(map) => {
                if let Some(name) = component_of(map)
                    && let Some((name, schema)) = self.schemas.get_key_value(name)
                {
                    if self.on_path.contains(name.as_str()) {
                        return 1;
                    }
                    if let Some(&size) = self.memo.get(name.as_str()) {
                        return 1 + size;
                    }
                    self.on_path.insert(name);
                    let size = self.of(schema);
                    self.on_path.remove(name.as_str());
                    self.memo.insert(name, size);
                    return 1 + size;
                }
                1 + map
                    .iter()
                    .filter(|(key, _)| !is_data(key))
                    .map(|(_, child)| self.of(child))
                    .sum::<usize>()
            }
            Value::Array(items) => 1 + items.iter().map(|item| self.of(item)).sum::<usize>(),
            _ => 1,
        }
    }
}

/// Every part of the document but the component schemas, which count
/// where they are used.
fn outside_schemas(document: &Value) -> impl Iterator<Item = &Value> {
    document
        .as_object()
        .into_iter()
        .flatten()
        .flat_map(|(key, value)| {
            let parts: Vec<&Value> = match (key.as_str(), value) {
                ("components", Value::Object(components)) => components
                    .iter()
                    .filter(|(kind, _)| *kind != "schemas")
                    .map(|(_, value)| value)
                    .collect(),
                _ => vec![value],
            };
            parts
        })
}

/// Counts the nodes of the schema trees with references followed `levels`
/// deep: what Prism expands once the document is unrolled that deep.
struct Expansion<'a> {
    schemas: &'a Map<String, Value>,
    levels: usize,
    /// Nodes of a component expanded from a given level.
    memo: std::collections::HashMap<(&'a str, usize), usize>,
}

impl<'a> Expansion<'a> {
    fn new(schemas: &'a Map<String, Value>, levels: usize) -> Self {
        Expansion {
            schemas,
            levels,
            memo: Default::default(),
        }
    }

    fn of_document(&mut self, document: &'a Value) -> usize {
        outside_schemas(document)
            .map(|value| self.of(value, 0))
            .sum()
    }

    fn of(&mut self, value: &'a Value, level: usize) -> usize {
        match value {
            Value::Object(map) => {
                if let Some(name) = component_of(map)
                    && let Some((name, schema)) = self.schemas.get_key_value(name)
                {
                    if level >= self.levels {
                        return 1;
                    }
                    if let Some(&size) = self.memo.get(&(name.as_str(), level)) {
                        return 1 + size;
                    }
                    // Each reference goes a level down, so a cycle ends at
                    // the last level.
                    let size = self.of(schema, level + 1);
                    self.memo.insert((name.as_str(), level), size);
                    return 1 + size;
                }
                1 + map
                    .iter()
                    .filter(|(key, _)| !is_data(key))
                    .map(|(_, child)| self.of(child, level))
                    .sum::<usize>()
            }
            Value::Array(items) => 1 + items.iter().map(|item| self.of(item, level)).sum::<usize>(),
            _ => 1,
        }
    }
}

/// Rewrites `document` so that references reach `levels` deep: component
/// `X` used at level `n` becomes the copy `X__level{n}`, whose own
/// references are at level `n + 1`; below the last level a reference becomes
/// a schema that accepts anything, its target kept as `x-prism-cut`.
fn unroll(document: &mut Value, levels: usize) {
    // Taken out first, so that the walk over the document does not enter
    // them: they are reached through the references alone.
    let originals = match document
        .get_mut("components")
        .and_then(Value::as_object_mut)
        .and_then(|components| components.remove("schemas"))
    {
        Some(Value::Object(schemas)) => schemas,
        _ => Map::new(),
    };
    let mut unroller = Unroller {
        originals: &originals,
        levels,
        copies: Map::new(),
    };
    unroller.rewrite(document, 0);
    if let Some(components) = document
        .get_mut("components")
        .and_then(Value::as_object_mut)
    {
        components.insert("schemas".into(), Value::Object(unroller.copies));
    }
}

struct Unroller<'a> {
    originals: &'a Map<String, Value>,
    levels: usize,
    copies: Map<String, Value>,
}

impl Unroller<'_> {
    /// The name of `component`'s copy for `level`, made on first use.
    fn copy(&mut self, component: &str, level: usize) -> String {
        let key = format!("{component}__level{level}");
        if !self.copies.contains_key(&key) {
            // Claimed before the walk, so a cycle finds it taken.
            self.copies.insert(key.clone(), Value::Null);
            let mut schema = self.originals[component].clone();
            self.rewrite(&mut schema, level);
            self.copies.insert(key.clone(), schema);
        }
        format!("{SCHEMAS}{key}")
    }

    fn rewrite(&mut self, value: &mut Value, level: usize) {
        match value {
            Value::Object(map) => {
                if let Some(name) = component_of(map).map(String::from)
                    && self.originals.contains_key(&name)
                {
                    if level >= self.levels {
                        map.remove("$ref");
                        map.insert("x-prism-cut".into(), Value::String(name));
                    } else {
                        let target = self.copy(&name, level + 1);
                        map.insert("$ref".into(), Value::String(target));
                    }
                    return;
                }
                for (key, child) in map.iter_mut() {
                    if key == "discriminator" {
                        self.rewrite_mapping(child, level);
                    } else if !is_data(key) {
                        self.rewrite(child, level);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|item| self.rewrite(item, level)),
            _ => {}
        }
    }

    /// A discriminator's `mapping` names components as references do; below
    /// the last level it is dropped, and the `oneOf` alone decides.
    fn rewrite_mapping(&mut self, discriminator: &mut Value, level: usize) {
        let Some(Value::Object(mapping)) = discriminator.get_mut("mapping") else {
            return;
        };
        if level >= self.levels {
            discriminator
                .as_object_mut()
                .map(|discriminator| discriminator.remove("mapping"));
            return;
        }
        let mut rewritten = Map::new();
        for (value, target) in std::mem::take(mapping) {
            let target = match target.as_str().and_then(|t| t.strip_prefix(SCHEMAS)) {
                Some(name) if self.originals.contains_key(name) => {
                    Value::String(self.copy(name, level + 1))
                }
                _ => target,
            };
            rewritten.insert(value, target);
        }
        discriminator["mapping"] = Value::Object(rewritten);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_in_example_data_are_not_followed_and_schema_references_are() {
        let mut document = json!({
            "components": {
                "schemas": {"A": {
                    "properties": {"b": {"$ref": "#/components/schemas/B"}},
                    "example": {"$ref": "#/definitions/base"},
                }},
                "examples": {"E": {"value": {"allOf": [{"$ref": "#/definitions/base"}]}}},
            },
        });
        assert!(neutralise_example_refs(&mut document, false));
        let schemas = &document["components"]["schemas"];
        assert_eq!(
            schemas["A"]["properties"]["b"]["$ref"],
            "#/components/schemas/B"
        );
        assert_eq!(
            schemas["A"]["example"]["x-not-followed-$ref"],
            "#/definitions/base"
        );
        assert_eq!(
            document["components"]["examples"]["E"]["value"]["allOf"][0]["x-not-followed-$ref"],
            "#/definitions/base"
        );
    }

    /// A cycle (`Node` holds `Node`s) and a chain, used from one operation.
    fn document(levels_of_chain: usize) -> Value {
        let mut schemas = Map::new();
        schemas.insert(
            "Node".into(),
            json!({"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}}),
        );
        for n in 0..levels_of_chain {
            schemas.insert(
                format!("L{n}"),
                json!({"type": "object", "properties": {"next": {"$ref": format!("#/components/schemas/L{}", n + 1)}, "node": {"$ref": "#/components/schemas/Node"}}}),
            );
        }
        json!({
            "paths": {"/a": {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/L0"}}}}}}},
            "components": {"schemas": schemas},
        })
    }

    #[test]
    fn references_are_unrolled_level_by_level_and_cut_below() {
        let mut doc = document(4);
        unroll(&mut doc, 2);
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        let mut keys: Vec<&str> = schemas.keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(keys, ["L0__level1", "L1__level2", "Node__level2"]);
        assert_eq!(
            doc["paths"]["/a"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/L0__level1"
        );
        // Level 2 is the last: its references accept anything.
        assert_eq!(
            schemas["L1__level2"]["properties"]["next"],
            json!({"x-prism-cut": "L2"})
        );
        assert_eq!(
            schemas["Node__level2"]["properties"]["children"]["items"],
            json!({"x-prism-cut": "Node"})
        );
    }

    #[test]
    fn only_documents_over_budget_are_unrolled() {
        // A cycle alone stays small at every level: served as it is.
        let mut small = document(3);
        assert_eq!(levels_within_budget(&small), None);
        assert!(prepare(&mut small).is_empty());
        // A tree with many self-references would be huge unrolled 16 levels
        // deep, but a dereferencer stops at the cycle: served as it is too.
        let properties: Map<String, Value> = (0..8)
            .map(|p| {
                (
                    format!("c{p}"),
                    json!({"$ref": "#/components/schemas/Tree"}),
                )
            })
            .collect();
        let tree = json!({
            "paths": {"/t": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Tree"}}}}}}}},
            "components": {"schemas": {"Tree": {"type": "object", "properties": properties}}},
        });
        assert!(Expansion::new(&schemas(&tree), MAX_LEVELS).of_document(&tree) > EXPANSION_BUDGET);
        assert_eq!(levels_within_budget(&tree), None);

        // Wide fan-out at every level: 8 references to the next level, 12
        // levels deep, is 8^12 nodes in full.
        let mut chain = Map::new();
        for n in 0..12 {
            let properties: Map<String, Value> = (0..8)
                .map(|p| {
                    (
                        format!("p{p}"),
                        json!({"$ref": format!("#/components/schemas/W{}", n + 1)}),
                    )
                })
                .collect();
            chain.insert(
                format!("W{n}"),
                json!({"type": "object", "properties": properties}),
            );
        }
        chain.insert("W12".into(), json!({"type": "string"}));
        let mut wide = json!({
            "paths": {"/w": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/W0"}}}}}}}},
            "components": {"schemas": chain},
        });
        let levels = levels_within_budget(&wide).unwrap();
        // 8^6 * 3 nodes (a reference, `properties` and its value per level)
        // is under a million; 8^7 is not.
        assert!((5..=6).contains(&levels), "{levels}");
        let notes = prepare(&mut wide);
        assert_eq!(notes.len(), 1, "{notes:?}");
        let copies = schemas(&wide);
        let size = Expansion::new(&copies, MAX_LEVELS).of_document(&wide);
        assert!(size <= EXPANSION_BUDGET, "{size}");
    }

    #[test]
    fn discriminator_mappings_follow_their_copies() {
        let mut doc = json!({
            "paths": {"/p": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}}}}},
            "components": {"schemas": {
                "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}], "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}}},
                "Cat": {"type": "object", "properties": {"kind": {"type": "string"}}},
            }},
        });
        unroll(&mut doc, 2);
        let pet = &doc["components"]["schemas"]["Pet__level1"];
        assert_eq!(pet["oneOf"][0]["$ref"], "#/components/schemas/Cat__level2");
        assert_eq!(
            pet["discriminator"]["mapping"]["cat"],
            "#/components/schemas/Cat__level2"
        );
    }
}

//! References: where OpenAPI allows one that the later stages cannot hold,
//! and where OpenAPI allows none.
//!
//! OpenAPI (3.0 and 3.1) allows a Reference Object in place of a parameter,
//! request body, response, header (of a response or of an encoding),
//! example, link, callback (a component, or an operation's), security
//! scheme, path item (in `paths`, in a callback; 3.1: `components.pathItems`
//! and `webhooks` too) and schema. The typed document holds most of them
//! (`openapiv3`'s `ReferenceOr`), and the model follows one link from such
//! a place to a component of its kind. Where they do not, the reference is
//! replaced by a copy of what it names (the component is kept): valid, its
//! meaning kept, a repair.
//!
//! - [`structure`]: an operation's callback, and a path item of a callback,
//!   which `openapiv3` types without `ReferenceOr`;
//! - [`component_chains`] (after it, so each copy is of a component already
//!   walked): a component that is itself a reference
//!   (`components.responses.A: {$ref: '#/components/responses/B'}`), so that
//!   every reference to a component is one link to the component itself.
//!
//! A `$ref` where OpenAPI allows none (a `content` map, a media type, a
//! `responses` or `headers` map, a path's operation) but whose target is in
//! the document is read as what it names, with a warning ([`structure`]);
//! one whose target is not, or that leads back into itself, is an error
//! naming its pointer. Schemas are not walked here: a reference is allowed
//! in place of any of them, and the model follows their chains.

use serde_json::Value;

use super::{Findings, METHODS};
use crate::error::{Problem, escape_pointer_token, pointer};
use crate::refs::follow;

/// The `components` maps whose entries may be references, and what each
/// entry is. Schemas aside: a schema component that is a reference is
/// another name for a type, and the model follows those chains.
const COMPONENTS: [(&str, &str); 9] = [
    ("parameters", "parameter"),
    ("requestBodies", "request body"),
    ("responses", "response"),
    ("headers", "header"),
    ("examples", "example"),
    ("links", "link"),
    ("callbacks", "callback"),
    ("securitySchemes", "security scheme"),
    ("pathItems", "path item"),
];

/// A reference inside this many copies of others is not inlined: a
/// callback's there is left out (it holds itself, or nests deeper than any
/// published spec), a misplaced one is an error. The document stays
/// shallow enough for the later stages.
const MAX_NESTED: usize = 4;

/// At most this many nodes are copied in place of references, so that
/// references nested in what they name cannot blow a document up.
const MAX_INLINED_NODES: usize = 1_000_000;

/// Replaces each component that is a reference (through any chain of them)
/// with a copy of the component it ends at, the reference's `summary` and
/// `description` (3.1) over the target's. One that leads nowhere is left
/// for the model to report where it is used.
pub(super) fn component_chains(document: &mut Value, findings: &mut Findings) {
    let mut copies = Vec::new();
    for (section, what) in COMPONENTS {
        let Some(entries) = document
            .pointer(&pointer(["components", section]))
            .and_then(Value::as_object)
        else {
            continue;
        };
        for (name, entry) in entries {
            let Some(reference) = reference_of(entry) else {
                continue;
            };
            let Ok((Value::Object(target), _)) = follow(document, reference) else {
                continue;
            };
            let mut copy = target.clone();
            for key in ["summary", "description"] {
                if let Some(value) = entry.get(key) {
                    copy.insert(key.into(), value.clone());
                }
            }
            let at = pointer(["components", section, name]);
            let note = format!("the {what} `{reference}` refers to, copied here");
            copies.push((at, note, copy));
        }
    }
    for (at, note, copy) in copies {
        if let Some(slot) = document.pointer_mut(&at) {
            *slot = Value::Object(copy);
            findings.repair(at, note);
        }
    }
}

/// What a node of the document is, for what a `$ref` in its place means
/// and which of its children are walked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Node {
    Root,
    Paths,
    Webhooks,
    Components,
    /// A map of `components`, by its key.
    Section(&'static str),
    PathItem,
    Operation,
    /// A list of parameters.
    Parameters,
    Parameter,
    RequestBody,
    Responses,
    Response,
    /// A map of headers.
    Headers,
    Header,
    Content,
    MediaType,
    Examples,
    Encodings,
    Encoding,
    Links,
    Callbacks,
    Callback,
    /// Walked no further here: a schema, example, link or security scheme.
    Opaque,
}

impl Node {
    /// What the node is, in a message.
    fn name(self) -> &'static str {
        match self {
            Node::Root => "document",
            Node::Paths => "`paths` map",
            Node::Webhooks => "`webhooks` map",
            Node::Components => "`components` object",
            Node::Section(_) => "map of components",
            Node::PathItem => "path item",
            Node::Operation => "operation",
            Node::Parameters => "list of parameters",
            Node::Parameter => "parameter",
            Node::RequestBody => "request body",
            Node::Responses => "`responses` map",
            Node::Response => "response",
            Node::Headers => "`headers` map",
            Node::Header => "header",
            Node::Content => "`content` map",
            Node::MediaType => "media type",
            Node::Examples => "`examples` map",
            Node::Encodings => "`encoding` map",
            Node::Encoding => "encoding",
            Node::Links => "`links` map",
            Node::Callbacks => "`callbacks` map",
            Node::Callback => "callback",
            Node::Opaque => "node",
        }
    }

    /// The children walked, each with what a `$ref` in its place means.
    fn children(self, node: &Value) -> Vec<(String, Node, Rule)> {
        use Node::*;
        use Rule::{Held, Inlined, Misplaced};
        if let (Parameters, Value::Array(items)) = (self, node) {
            return (0..items.len())
                .map(|index| (index.to_string(), Parameter, Held))
                .collect();
        }
        let Value::Object(map) = node else {
            return Vec::new();
        };
        // A map of named entries, each of one kind.
        let entries = |kind: Node, rule: Rule| -> Vec<(String, Node, Rule)> {
            map.keys()
                .filter(|key| !key.starts_with("x-"))
                .map(|key| (key.clone(), kind, rule))
                .collect()
        };
        // An object's fields, each of its kind.
        let fields = |known: &[(&str, Node)]| -> Vec<(String, Node, Rule)> {
            known
                .iter()
                .filter(|(key, _)| map.contains_key(*key))
                .map(|(key, kind)| (key.to_string(), *kind, Misplaced))
                .collect()
        };
        match self {
            Root => fields(&[
                ("paths", Paths),
                ("webhooks", Webhooks),
                ("components", Components),
            ]),
            Paths | Webhooks => entries(PathItem, Held),
            Components => map
                .keys()
                .filter_map(|key| section(key))
                .map(|key| (key.to_string(), Section(key), Misplaced))
                .collect(),
            Section(section) => entries(
                match section {
                    "parameters" => Parameter,
                    "requestBodies" => RequestBody,
                    "responses" => Response,
                    "headers" => Header,
                    "callbacks" => Callback,
                    "pathItems" => PathItem,
                    _ => Opaque,
                },
                Held,
            ),
            PathItem => {
                let mut children = fields(&[("parameters", Parameters)]);
                children.extend(fields(&METHODS.map(|method| (method, Operation))));
                children
            }
            Operation => {
                let mut children = fields(&[
                    ("parameters", Parameters),
                    ("responses", Responses),
                    ("callbacks", Callbacks),
                ]);
                if map.contains_key("requestBody") {
                    children.push(("requestBody".into(), RequestBody, Held));
                }
                children
            }
            RequestBody => fields(&[("content", Content)]),
            Responses => entries(Response, Held),
            Response => fields(&[("headers", Headers), ("content", Content), ("links", Links)]),
            Headers => entries(Header, Held),
            Parameter | Header => fields(&[("content", Content), ("examples", Examples)]),
            Content => entries(MediaType, Misplaced),
            MediaType => fields(&[("examples", Examples), ("encoding", Encodings)]),
            Encodings => entries(Encoding, Misplaced),
            Encoding => fields(&[("headers", Headers)]),
            Callbacks => entries(Callback, Inlined),
            Callback => entries(PathItem, Inlined),
            Examples | Links | Parameters | Opaque => Vec::new(),
        }
        .into_iter()
        .filter(|(_, kind, _)| *kind != Opaque)
        .collect()
    }
}

/// The `components` map named `key`, if OpenAPI defines it.
fn section(key: &str) -> Option<&'static str> {
    if key == "schemas" {
        return Some("schemas");
    }
    COMPONENTS
        .iter()
        .map(|(section, _)| *section)
        .find(|section| *section == key)
}

/// Why a reference is not inlined.
enum Cut {
    /// The spec is valid there (a callback that holds itself).
    Valid(String),
    /// It is not (a reference to nothing).
    Invalid(String),
}

/// What a `$ref` in a node's place means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rule {
    /// Allowed, and the later stages hold it: left as it is.
    Held,
    /// Allowed, but the typed document cannot hold it: inlined, a repair.
    Inlined,
    /// Not allowed: read as what it names, with a warning.
    Misplaced,
}

/// One node to look at: where, what it is, what a `$ref` there means, and
/// the references inlined above it (to end a cycle).
struct Visit {
    at: String,
    node: Node,
    rule: Rule,
    inlined: Vec<String>,
}

/// Walks the document's structure (path items, operations, parameters,
/// bodies, responses, headers, media types, encodings, callbacks), inlining
/// each reference OpenAPI allows where the typed document cannot hold it
/// (an operation's callback, a callback's path item; a repair), and each
/// `$ref` where OpenAPI allows none (a warning). The error names the
/// pointer of a misplaced `$ref` that leads nowhere or back into itself.
pub(super) fn structure(document: &mut Value, findings: &mut Findings) -> Result<(), Problem> {
    let mut budget = MAX_INLINED_NODES;
    // The document as it was: what each reference names is copied from
    // here, so that a copy is unrolled one reference at a time, and the
    // limits below bound how deep.
    let mut original: Option<Value> = None;
    let mut stack = vec![Visit {
        at: String::new(),
        node: Node::Root,
        rule: Rule::Held,
        inlined: Vec::new(),
    }];
    while let Some(visit) = stack.pop() {
        let Some(value) = document.pointer(&visit.at) else {
            continue;
        };
        let Some(reference) = reference_of(value).map(str::to_string) else {
            let children = visit.node.children(value);
            stack.extend(children.into_iter().map(|(key, node, rule)| Visit {
                at: format!("{}/{}", visit.at, escape_pointer_token(&key)),
                node,
                rule,
                inlined: visit.inlined.clone(),
            }));
            continue;
        };
        if visit.rule == Rule::Held {
            // Its target is walked where it is.
            continue;
        }
        let what = visit.node.name();
        let original: &Value = original.get_or_insert_with(|| document.clone());
        let target =
            follow(original, &reference)
                .map_err(Cut::Invalid)
                .and_then(|(target, named)| {
                    if visit.inlined.contains(&named) {
                        Err(Cut::Valid(format!("`{reference}` leads back into itself")))
                    } else if visit.inlined.len() >= MAX_NESTED {
                        Err(Cut::Valid(format!(
                            "`{reference}` is inside {MAX_NESTED} other references inlined"
                        )))
                    } else if !(target.is_object() || target.is_array()) {
                        Err(Cut::Invalid(format!("`{reference}` names no {what}")))
                    } else {
                        Ok((target, named))
                    }
                });
        let (target, named) = match (target, visit.rule) {
            (Ok(found), _) => found,
            (Err(Cut::Valid(why) | Cut::Invalid(why)), Rule::Misplaced) => {
                return Err(Problem {
                    pointer: format!("{}/$ref", visit.at),
                    message: format!(
                        "OpenAPI allows no reference in place of {}, and {why}",
                        article(what)
                    ),
                });
            }
            (Err(cut), _) => {
                // A callback, which no client makes: left out, the rest
                // kept. Within itself it is valid (a repair); to nothing,
                // it is not (a warning).
                remove(document, &visit.at);
                let left_out = "is left out (a client makes no callbacks)";
                match cut {
                    Cut::Valid(why) => {
                        findings.repair(visit.at, format!("{why}; this {what} {left_out}"));
                    }
                    Cut::Invalid(why) => {
                        findings.warn(visit.at, format!("{why}; this {what} {left_out}"));
                    }
                }
                continue;
            }
        };
        let size = count_nodes(target);
        if size > budget {
            return Err(Problem {
                pointer: format!("{}/$ref", visit.at),
                message: format!(
                    "references here name more than {MAX_INLINED_NODES} nodes in all, more than a spec is read with"
                ),
            });
        }
        budget -= size;
        let copy = with_siblings(target.clone(), value);
        match visit.rule {
            Rule::Misplaced => findings.warn(
                visit.at.clone(),
                format!(
                    "OpenAPI allows no reference in place of {}; read as the {what} `{reference}` names",
                    article(what)
                ),
            ),
            // Inside a copy, the copy's own repair says it.
            _ if !visit.inlined.is_empty() => {}
            _ => findings.repair(
                visit.at.clone(),
                format!("the {what} `{reference}` refers to, inlined"),
            ),
        }
        if let Some(slot) = document.pointer_mut(&visit.at) {
            *slot = copy;
        }
        // The copy is looked at again, in place.
        let mut inlined = visit.inlined;
        inlined.push(named);
        stack.push(Visit { inlined, ..visit });
    }
    Ok(())
}

/// `what` after its indefinite article: "an operation", "a `content` map".
fn article(what: &str) -> String {
    let vowel = what
        .chars()
        .find(char::is_ascii_alphabetic)
        .is_some_and(|c| "aeiou".contains(c));
    format!("{} {what}", if vowel { "an" } else { "a" })
}

/// The reference a node is, if it is a `{$ref: "..."}` object.
fn reference_of(value: &Value) -> Option<&str> {
    value.get("$ref").and_then(Value::as_str)
}

/// The node a reference named, with the referring object's other keys (a
/// 3.1 `summary` or `description`) over its own.
fn with_siblings(target: Value, referring: &Value) -> Value {
    match (target, referring.as_object()) {
        (Value::Object(mut map), Some(referring)) => {
            for (key, value) in referring {
                if key != "$ref" {
                    map.insert(key.clone(), value.clone());
                }
            }
            Value::Object(map)
        }
        (target, _) => target,
    }
}

/// Removes the node at `at` from its parent map.
fn remove(document: &mut Value, at: &str) {
    let Some((parent, key)) = at.rsplit_once('/') else {
        return;
    };
    if let Some(Value::Object(map)) = document.pointer_mut(parent) {
        map.remove(&crate::error::unescape_pointer_token(key));
    }
}

/// How many JSON nodes `value` holds, itself included.
fn count_nodes(value: &Value) -> usize {
    let mut count = 0;
    let mut stack = vec![value];
    while let Some(node) = stack.pop() {
        count += 1;
        match node {
            Value::Array(items) => stack.extend(items),
            Value::Object(map) => stack.extend(map.values()),
            _ => {}
        }
    }
    count
}

#[cfg(test)]
mod tests;

/// Every `$ref` of the document (after the rewrites above) that does not
/// resolve inside it, sorted by pointer: external references are not
/// supported, and a dangling one would otherwise surface later without a
/// location. The model decides which of them are errors.
pub fn unresolved(raw: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    crate::reach::visit_refs(raw, "", &mut |at, reference| {
        let message = match reference.as_str() {
            Some(reference) => {
                if crate::refs::local_target(raw, reference).is_some() {
                    return;
                }
                format!("`{reference}` does not resolve inside this document")
            }
            None => "`$ref` must be a string".into(),
        };
        problems.push(Problem {
            pointer: at.to_string(),
            message,
        });
    });
    problems.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    problems
}

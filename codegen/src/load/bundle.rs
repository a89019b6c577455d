//! Multi-file specs, bundled into one document: an entry file whose `$ref`s
//! point into other files (`./schemas/Pet.yaml`, `../responses/NotFound.yaml`,
//! `common.yaml#/components/schemas/Id`) loads as the single document the
//! later stages read, with every reference internal (`#/...`).
//!
//! Where each referenced node goes:
//!
//! - a reference that is the whole of a named slot (`components.schemas.Pet`,
//!   a path item, the `components.schemas` map itself) is replaced by the
//!   node it names: the node lives there;
//! - any other reference to a schema, response, parameter, request body,
//!   header, example, link or callback puts the node in `components` under
//!   that kind, named after its fragment or file (`Pet`, numbered when the
//!   name is taken), and becomes a reference to it;
//! - a node referred to again is referred to where it first went, so
//!   recursion across files ends, and each schema is one type.
//!
//! Only files inside the entry file's folder (and its subfolders) are read,
//! so a spec cannot make the generator read anything else on the machine.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::{Error, escape_pointer_token};

/// At most this many files make one spec (the largest multi-file spec in
/// the corpus has 518), so a runaway reference graph stays bounded.
pub const MAX_FILES: usize = 10_000;

/// A bundled document, and the files it was read from.
pub struct Bundle {
    pub document: Value,
    /// Every file read, the entry first, then by path; each with the hex
    /// sha256 of its (line-ending normalised) text.
    pub files: Vec<(PathBuf, String)>,
    /// References that name a node of another kind than their place
    /// holds (a response that refers to a request body).
    pub warnings: Vec<crate::error::Problem>,
    /// References into the middle of a component, moved to a component of
    /// their own.
    pub repairs: Vec<crate::normalize::Repair>,
}

/// Whether any `$ref` of the document names another file (a cheap test,
/// so that single-file specs skip bundling).
pub fn refers_to_other_files(document: &Value) -> bool {
    let mut found = false;
    crate::reach::visit_refs(document, "", &mut |_, reference| {
        found |= reference.as_str().is_some_and(|r| !r.starts_with('#'));
    });
    found
}

/// Whether the document needs bundling: a `$ref` names another file, or a
/// node that is not a whole component (`#/components/responses/X/content/
/// application~1json/schema`), or a component of another kind than its
/// place holds (a response referring to a request body).
pub fn needs_bundling(document: &Value) -> bool {
    let mut found = false;
    crate::reach::visit_refs(document, "", &mut |at, reference| {
        let Some(reference) = reference.as_str() else {
            return;
        };
        let whole_component = crate::refs::whole_component(reference);
        found |= match whole_component {
            None => true,
            // A response is the value under a status code; anything else
            // there is a reference of another kind.
            Some((section, _)) => {
                let under_responses = at
                    .rsplit('/')
                    .nth(1)
                    .is_some_and(|parent| parent == "responses");
                under_responses
                    && section != "responses"
                    && !at.starts_with("/components/responses")
            }
        };
    });
    found
}

/// The kind of node a reference stands for, from where it sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Schema,
    /// A component of this `components` map (`responses`, `parameters`...).
    Component(&'static str),
    /// Replaced by the node in place: a path item, a whole `components`
    /// map, a named component slot, or anything else.
    InPlace,
}

/// Reads a file: its text, line endings normalised, and the hex sha256 of
/// that text.
pub type ReadFile = dyn Fn(&Path) -> Result<(String, String), Error>;

/// Where a referenced node is: a file (canonical) and a JSON pointer in it.
type Target = (PathBuf, String);

struct Bundler<'a> {
    folder: PathBuf,
    /// Reads a file's text (normalised) and its hash.
    read: &'a ReadFile,
    /// Parsed files by canonical path.
    files: BTreeMap<PathBuf, (Value, String)>,
    entry: PathBuf,
    /// Where each target went in the bundled document.
    placed: BTreeMap<Target, String>,
    /// Nodes put in `components` and not yet walked: kind, name, node, the
    /// file its references are relative to.
    pending: Vec<(&'static str, String, Value, PathBuf)>,
    /// Component names taken, by kind.
    taken: BTreeMap<&'static str, Vec<String>>,
    display: &'a Path,
    /// References of the entry document into the middle of a component, or
    /// to a component of another kind: where each is, the pointer it
    /// names, and the `components` map the node belongs in.
    inward: Vec<(String, String, &'static str)>,
    warnings: Vec<crate::error::Problem>,
    repairs: Vec<crate::normalize::Repair>,
}

/// Bundles the spec whose entry file is `entry` (already read as `text`,
/// with hash `sha256`). A document without references to other files comes
/// back as it is.
///
/// Files are read from inside `root` (default: the entry's folder); a spec
/// whose files sit beside its entry's folder (`../common/`) names the
/// folder that holds them all.
pub fn bundle(
    entry: &Path,
    display: &Path,
    document: Value,
    sha256: String,
    read: &ReadFile,
    root: Option<&Path>,
) -> Result<Bundle, Error> {
    // A document read from memory (tests, fuzzing) has no file: its own
    // references still bundle, and any to a file cannot be read.
    let entry = entry.canonicalize().unwrap_or_else(|_| entry.to_path_buf());
    let folder = match root {
        Some(root) => root.canonicalize().map_err(|error| {
            Error::new(
                display,
                "",
                format!(
                    "the folder to read from, `{}`, cannot be read: {error}",
                    root.display()
                ),
            )
        })?,
        None => entry.parent().map(Path::to_path_buf).unwrap_or_default(),
    };
    if !entry.starts_with(&folder) {
        return Err(Error::new(
            display,
            "",
            format!(
                "the spec is outside the folder to read from, `{}`",
                folder.display()
            ),
        ));
    }
    let mut bundler = Bundler {
        folder,
        read,
        files: BTreeMap::new(),
        entry: entry.clone(),
        placed: BTreeMap::new(),
        pending: Vec::new(),
        taken: BTreeMap::new(),
        display,
        inward: Vec::new(),
        warnings: Vec::new(),
        repairs: Vec::new(),
    };
    let mut document = document;
    if let Some(components) = document.get("components").and_then(Value::as_object) {
        for (kind, entries) in components {
            let names = entries
                .as_object()
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default();
            bundler
                .taken
                .insert(component_kind(kind).unwrap_or("other"), names);
        }
    }
    bundler.files.insert(entry.clone(), (Value::Null, sha256));
    // Components first, so that a node they name is referred to by that
    // name from the paths.
    let order = ["components", "paths", "webhooks"];
    let keys: Vec<String> = document
        .as_object()
        .map(|root| {
            let mut keys: Vec<String> = root.keys().cloned().collect();
            keys.sort_by_key(|key| order.iter().position(|o| o == key).unwrap_or(order.len()));
            keys
        })
        .unwrap_or_default();
    for key in keys {
        if let Some(node) = document.get_mut(&key) {
            bundler.walk(node, &mut vec![key.clone()], &entry.clone(), false)?;
        }
        bundler.flush(&mut document)?;
    }
    bundler.move_inward(&mut document)?;
    let mut files: Vec<(PathBuf, String)> = bundler
        .files
        .into_iter()
        .map(|(path, (_, sha))| (path, sha))
        .collect();
    // The entry first, the others by path.
    files.sort_by_key(|(path, _)| (*path != entry, path.clone()));
    Ok(Bundle {
        document,
        files,
        warnings: bundler.warnings,
        repairs: bundler.repairs,
    })
}

impl Bundler<'_> {
    /// Resolves every reference in `node` (at `at`, read from `base`).
    fn walk(
        &mut self,
        node: &mut Value,
        at: &mut Vec<String>,
        base: &Path,
        in_schema: bool,
    ) -> Result<(), Error> {
        match node {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref").cloned() {
                    return self.reference(node, &reference, at, base, in_schema);
                }
                if let [components, section] = at.as_slice()
                    && components == "components"
                {
                    self.reserve_slots(section.clone(), map, base)?;
                }
                // In a map of names (`properties`, `responses`), every key
                // is a name; elsewhere these keys hold data, never a
                // reference.
                let names = names_below(at, in_schema);
                for (key, child) in map.iter_mut() {
                    let data = key.starts_with("x-")
                        || matches!(
                            key.as_str(),
                            "example" | "value" | "default" | "enum" | "const"
                        );
                    if data && !names {
                        continue;
                    }
                    let child_in_schema = in_schema_below(at, key, in_schema);
                    at.push(key.clone());
                    let walked = self.walk(child, at, base, child_in_schema);
                    at.pop();
                    walked?;
                }
                Ok(())
            }
            Value::Array(items) => {
                for (index, item) in items.iter_mut().enumerate() {
                    at.push(index.to_string());
                    let walked = self.walk(item, at, base, in_schema);
                    at.pop();
                    walked?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// One `{$ref: ...}` object at `at`.
    fn reference(
        &mut self,
        node: &mut Value,
        reference: &str,
        at: &mut Vec<String>,
        base: &Path,
        in_schema: bool,
    ) -> Result<(), Error> {
        let pointer_at = pointer(at);
        let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if file.is_empty() && base == self.entry {
            // Internal to the entry document: what later stages read, if it
            // names a whole component of the kind its place holds.
            let section = match kind_at(at, in_schema) {
                Kind::Schema => "schemas",
                Kind::Component(section) => section,
                Kind::InPlace => return Ok(()),
            };
            let whole = fragment
                .strip_prefix(&format!("/components/{section}/"))
                .is_some_and(|name| !name.contains('/'));
            if !whole {
                self.inward
                    .push((pointer_at, fragment.to_string(), section));
            }
            return Ok(());
        }
        let target_file = if file.is_empty() {
            base.to_path_buf()
        } else {
            self.locate(base, file, &pointer_at)?
        };
        let fragment = percent_decode(fragment);
        let target: Target = (target_file.clone(), fragment.clone());
        // Placed elsewhere: refer to it there. (Placed here: a named slot
        // reserved before it was reached, `reserve_slots`.)
        if let Some(placed) = self.placed.get(&target)
            && *placed != pointer_at
        {
            set_reference(node, placed);
            return Ok(());
        }
        if target_file == self.entry {
            // Another file refers back into the entry document.
            set_reference(node, &fragment);
            return Ok(());
        }
        let content = self.node(&target, &pointer_at)?;
        match kind_at(at, in_schema) {
            Kind::InPlace => {
                self.placed.entry(target).or_insert(pointer_at);
                let siblings = node.as_object().cloned().unwrap_or_default();
                *node = with_siblings(content, siblings);
                self.walk(node, at, &target_file, in_schema)
            }
            kind => {
                let section = match kind {
                    Kind::Schema => "schemas",
                    Kind::Component(section) => section,
                    Kind::InPlace => unreachable!("handled above"),
                };
                let name = self.name(section, &target);
                let placed = format!("/components/{section}/{}", escape_pointer_token(&name));
                self.placed.insert(target, placed.clone());
                set_reference(node, &placed);
                self.pending.push((section, name, content, target_file));
                Ok(())
            }
        }
    }

    /// Moves each node the entry document refers to in the middle of a
    /// component (`#/components/parameters/state/schema`, valid JSON
    /// pointers the later stages do not follow) to a component of its own,
    /// and refers to it there; a reference to a component of another kind
    /// (a response naming a request body) likewise, with a warning. Until
    /// none is left: a moved node may hold more.
    fn move_inward(&mut self, document: &mut Value) -> Result<(), Error> {
        let entry = self.entry.clone();
        while let Some((at, fragment, section)) = self.inward.pop() {
            let target: Target = (entry.clone(), fragment.clone());
            let placed = match self.placed.get(&target) {
                Some(placed) => placed.clone(),
                None => {
                    // A pointer that resolves nowhere is left for the model
                    // to report, with its place.
                    let Some(node) = document.pointer(&fragment).cloned() else {
                        continue;
                    };
                    let name = self.name(section, &target);
                    let placed = format!("/components/{section}/{}", escape_pointer_token(&name));
                    self.repairs.push(crate::normalize::Repair {
                        pointer: at.clone(),
                        note: format!(
                            "`#{fragment}` moved to `#{placed}`, where a {section} entry belongs"
                        ),
                    });
                    self.placed.insert(target, placed.clone());
                    self.pending.push((section, name, node, entry.clone()));
                    self.flush(document)?;
                    placed
                }
            };
            let other_kind = fragment
                .strip_prefix("/components/")
                .and_then(|rest| rest.split_once('/'))
                .is_some_and(|(named, name)| named != section && !name.contains('/'));
            if other_kind {
                self.warnings.push(crate::error::Problem {
                    pointer: at.clone(),
                    message: format!(
                        "`#{fragment}` is not among the components' {section}; read as one, from `#{placed}`"
                    ),
                });
            }
            if let Some(node) = document.pointer_mut(&at) {
                set_reference(node, &placed);
            }
        }
        Ok(())
    }

    /// The named slots of a `components` map that refer to another file
    /// are where those nodes live: reserved before any is walked, so a
    /// reference met on the way goes to the slot rather than to a copy.
    fn reserve_slots(
        &mut self,
        section: String,
        map: &Map<String, Value>,
        base: &Path,
    ) -> Result<(), Error> {
        let kind = component_kind(&section).unwrap_or("other");
        for (name, slot) in map {
            self.taken.entry(kind).or_default().push(name.clone());
            let Some(reference) = slot.get("$ref").and_then(Value::as_str) else {
                continue;
            };
            let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
            if file.is_empty() && base == self.entry {
                continue;
            }
            let at = format!(
                "/components/{}/{}",
                escape_pointer_token(&section),
                escape_pointer_token(name)
            );
            let file = if file.is_empty() {
                base.to_path_buf()
            } else {
                self.locate(base, file, &at)?
            };
            self.placed
                .entry((file, percent_decode(fragment)))
                .or_insert(at);
        }
        Ok(())
    }

    /// Puts the nodes placed in `components` into the document and walks
    /// them, until none is left.
    fn flush(&mut self, document: &mut Value) -> Result<(), Error> {
        while let Some((section, name, content, base)) = self.pending.pop() {
            let Some(root) = document.as_object_mut() else {
                return Ok(());
            };
            let components = root
                .entry("components")
                .or_insert_with(|| Value::Object(Map::new()));
            let Some(components) = components.as_object_mut() else {
                return Err(Error::new(
                    self.display,
                    "/components",
                    "`components` is not a mapping",
                ));
            };
            let entries = components
                .entry(section)
                .or_insert_with(|| Value::Object(Map::new()));
            let Some(entries) = entries.as_object_mut() else {
                return Err(Error::new(
                    self.display,
                    format!("/components/{section}"),
                    "not a mapping",
                ));
            };
            let slot = entries.entry(name.clone()).or_insert(content);
            let mut at = vec!["components".to_string(), section.to_string(), name];
            self.walk(slot, &mut at, &base, section == "schemas")?;
        }
        Ok(())
    }

    /// The canonical path of `file`, relative to the file `base`; it must be
    /// inside the folder files are read from.
    fn locate(&self, base: &Path, file: &str, at: &str) -> Result<PathBuf, Error> {
        if file.contains("://") {
            return Err(Error::new(
                self.display,
                at,
                format!(
                    "`{file}` is a URL; references to other documents must be relative file paths"
                ),
            ));
        }
        let joined = base
            .parent()
            .unwrap_or(Path::new(""))
            .join(percent_decode(file));
        let path = joined.canonicalize().map_err(|error| {
            Error::new(
                self.display,
                at,
                format!("`{file}` cannot be read: {error}"),
            )
        })?;
        if !path.starts_with(&self.folder) {
            return Err(Error::new(
                self.display,
                at,
                format!(
                    "`{file}` is outside the folder files are read from (the spec's own, unless a root is given: the CLI's `--root DIR`); only files inside it are read"
                ),
            ));
        }
        Ok(path)
    }

    /// The node a target names, reading its file the first time.
    fn node(&mut self, target: &Target, at: &str) -> Result<Value, Error> {
        let (file, fragment) = target;
        if !self.files.contains_key(file) {
            if self.files.len() >= MAX_FILES {
                return Err(Error::new(
                    self.display,
                    at,
                    format!("the spec refers to more than {MAX_FILES} files"),
                ));
            }
            // Diagnostics name the file as the entry is named, not by the
            // machine's absolute path.
            let shown = self
                .display
                .parent()
                .unwrap_or(Path::new(""))
                .join(self.relative(file));
            let (text, sha256) =
                (self.read)(file).map_err(|error| Error::many(&shown, error.problems))?;
            let value = crate::load::parse_text(&shown, &text)?;
            self.files.insert(file.clone(), (value, sha256));
        }
        let document = &self.files[file].0;
        let node = if fragment.is_empty() {
            Some(document)
        } else {
            document.pointer(fragment)
        };
        node.cloned().ok_or_else(|| {
            Error::new(
                self.display,
                at,
                format!("`{}#{fragment}` does not resolve", self.relative(file)),
            )
        })
    }

    /// A component name for a target: the component it is inside (for a
    /// node in the middle of one, such as `/components/responses/Page/
    /// content/application~1json/schema`), else its fragment's last token,
    /// else its file's stem; numbered when the name is taken.
    fn name(&mut self, section: &'static str, (file, fragment): &Target) -> String {
        let tokens: Vec<&str> = fragment.split('/').skip(1).collect();
        let named = match tokens.as_slice() {
            ["components", _, component, _, ..] => Some(*component),
            [.., last] if !last.is_empty() => Some(*last),
            _ => None,
        };
        let stem = named
            .map(crate::error::unescape_pointer_token)
            .unwrap_or_else(|| {
                file.file_stem()
                    .map(|stem| stem.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "Component".into())
            });
        let taken = self.taken.entry(section).or_default();
        let mut name = stem.clone();
        let mut number = 2;
        while taken.contains(&name) {
            name = format!("{stem}{number}");
            number += 1;
        }
        taken.push(name.clone());
        name
    }

    fn relative(&self, file: &Path) -> String {
        file.strip_prefix(&self.folder)
            .unwrap_or(file)
            .display()
            .to_string()
    }
}

/// The `components` map a section name is, if OpenAPI defines it.
fn component_kind(section: &str) -> Option<&'static str> {
    Some(match section {
        "schemas" => "schemas",
        "responses" => "responses",
        "parameters" => "parameters",
        "requestBodies" => "requestBodies",
        "headers" => "headers",
        "examples" => "examples",
        "links" => "links",
        "callbacks" => "callbacks",
        "securitySchemes" => "securitySchemes",
        "pathItems" => "pathItems",
        _ => return None,
    })
}

/// The kind of node a reference at `at` stands for.
fn kind_at(at: &[String], in_schema: bool) -> Kind {
    let tokens: Vec<&str> = at.iter().map(String::as_str).collect();
    match tokens.as_slice() {
        // A named slot, or a whole map, of `components`; a path item.
        ["components", _] | ["components", _, _] | ["paths" | "webhooks", _] => Kind::InPlace,
        _ if in_schema => Kind::Schema,
        [.., "schema"] => Kind::Schema,
        [.., "parameters", _] => Kind::Component("parameters"),
        [.., "responses", _] => Kind::Component("responses"),
        [.., "requestBody"] => Kind::Component("requestBodies"),
        [.., "headers", _] => Kind::Component("headers"),
        [.., "examples", _] => Kind::Component("examples"),
        [.., "links", _] => Kind::Component("links"),
        [.., "callbacks", _] => Kind::Component("callbacks"),
        _ => Kind::InPlace,
    }
}

/// Whether the keys of the node at `at` are names: of properties in a
/// schema, of responses, media types or components outside one.
fn names_below(at: &[String], in_schema: bool) -> bool {
    at.last().is_some_and(|key| {
        if in_schema {
            crate::subschemas::is_schema_map(key)
        } else {
            crate::subschemas::is_name_map(key)
        }
    })
}

/// Whether the value under `key` of the node at `at` is a schema.
fn in_schema_below(at: &[String], key: &str, in_schema: bool) -> bool {
    if !in_schema && names_below(at, in_schema) {
        // A name: a parameter component may be called `schema`.
        return matches!(at, [c, s] if c == "components" && s == "schemas");
    }
    if in_schema {
        // Below a schema, the values of its schema keywords; `properties`
        // itself is a map of schemas, walked as one.
        return !matches!(key, "discriminator" | "xml" | "externalDocs");
    }
    key == "schema" || matches!(at, [c, s] if c == "components" && s == "schemas")
}

/// The node a reference resolved to, with the reference's sibling keys
/// (a 3.1 `description` beside `$ref`) over it.
fn with_siblings(content: Value, siblings: Map<String, Value>) -> Value {
    let mut siblings = siblings;
    siblings.remove("$ref");
    match content {
        Value::Object(mut map) if !siblings.is_empty() => {
            map.extend(siblings);
            Value::Object(map)
        }
        other => other,
    }
}

fn set_reference(node: &mut Value, pointer: &str) {
    if let Some(map) = node.as_object_mut() {
        map.insert("$ref".into(), Value::String(format!("#{pointer}")));
    }
}

fn pointer(at: &[String]) -> String {
    at.iter()
        .map(|token| format!("/{}", escape_pointer_token(token)))
        .collect()
}

/// `%20` and the like in a reference, as RFC 3986 encodes them.
fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests;

//! Stage 1, load: read a spec (YAML or JSON; [`yaml`]), bundle the files a
//! multi-file spec refers to into one document ([`bundle`]), apply its
//! overlay of documented corrections ([`overlay`]), have
//! [`crate::normalize`] rewrite OpenAPI 3.1 into the 3.0 shape and read
//! the rest leniently, and deserialize it as OpenAPI 3.0.x.
//!
//! The document is kept twice: as a JSON value (so every later stage can name
//! the JSON pointer of a problem and read `x-` extensions) and as the typed
//! `openapiv3` model.

pub mod bundle;
pub mod overlay;
pub mod yaml;

use std::path::{Path, PathBuf};

use openapiv3::OpenAPI;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::{Error, Problem, escape_pointer_token};

/// Specs larger than this are refused before parsing: no vendor document is
/// anywhere near it, and parsing an unbounded file would be unbounded memory.
pub const MAX_SPEC_BYTES: usize = 16 * 1024 * 1024;

/// Nesting deeper than this is refused; real OpenAPI documents stay under 30.
pub const MAX_DEPTH: usize = 128;

/// A loaded, overlaid and parsed spec.
#[derive(Debug, Clone)]
pub struct Document {
    /// The spec path as given by the caller; diagnostics print it.
    pub path: PathBuf,
    /// File name of the spec, as written in generated headers.
    pub file_name: String,
    /// Hex sha256 of the spec file's bytes (line endings normalised to `\n`);
    /// for a multi-file spec, of every file's path and sha256 ([`combined_sha256`]).
    pub sha256: String,
    /// How many other files a multi-file spec's entry file brought in.
    pub other_files: usize,
    /// The overlay that was applied, if any: its path as diagnostics name
    /// it (`/`-separated) and hex sha256.
    pub overlay: Option<(String, String)>,
    /// The document after the overlay and normalizing, as JSON.
    pub raw: Value,
    /// The same document, typed.
    pub spec: OpenAPI,
    /// What normalizing read leniently or ignored (`normalize`).
    pub warnings: Vec<crate::normalize::Warning>,
    /// Valid nodes normalizing rewrote, keeping their meaning.
    pub repairs: Vec<crate::normalize::Repair>,
    /// Every `$ref` that does not resolve inside the document: the model
    /// decides which are errors (all of them, read strictly).
    pub unresolved: Vec<Problem>,
    /// OpenAPI 3.1's `webhooks`, typed (the typed document is 3.0's, which
    /// has none), in document order. One that does not deserialize is left
    /// out with a warning.
    pub webhooks: Vec<(String, openapiv3::PathItem)>,
    /// Warnings are errors: `x-agent-clients-strict: true` at the top of
    /// the spec's overlay (the caller's `--strict` is [`crate::Options`]).
    pub strict: bool,
    /// Every file read: the spec (for a multi-file spec, the entry first,
    /// then the files it refers to), then the overlay. What a build script
    /// reruns on.
    pub files_read: Vec<PathBuf>,
    /// Whether the client is split into one Cargo feature per tag, as the
    /// overlay says (`x-agent-clients-features`; the caller's choice is
    /// [`crate::Options`]).
    pub features: FeatureSplit,
}

/// Whether a client is split into one Cargo feature per tag
/// ([`crate::ir::features`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FeatureSplit {
    /// Split from [`crate::ir::features::AUTO_OPERATIONS`] operations.
    #[default]
    Auto,
    /// Split whatever the size (`per-tag`).
    PerTag,
    /// Never split (`off`).
    Off,
}

impl FeatureSplit {
    /// The setting spelled `text` (`auto`, `per-tag`, `off`).
    pub fn parse(text: &str) -> Option<FeatureSplit> {
        match text {
            "auto" => Some(FeatureSplit::Auto),
            "per-tag" => Some(FeatureSplit::PerTag),
            "off" => Some(FeatureSplit::Off),
            _ => None,
        }
    }

    /// How [`FeatureSplit::parse`] spells it.
    pub fn name(self) -> &'static str {
        match self {
            FeatureSplit::Auto => "auto",
            FeatureSplit::PerTag => "per-tag",
            FeatureSplit::Off => "off",
        }
    }
}

/// The overlay's top-level key that splits a client into features:
/// `auto`, `per-tag` or `off`.
pub const FEATURES_EXTENSION: &str = "x-agent-clients-features";

/// The overlay's top-level key that makes a spec's warnings errors.
pub const STRICT_EXTENSION: &str = "x-agent-clients-strict";

/// Reads `path`, applies `<stem>.overlay.yaml` next to it when present, and
/// parses the result.
pub fn load(path: &Path) -> Result<Document, Error> {
    load_as(path, path)
}

/// Like [`load`], but diagnostics and the generated header name the spec
/// `display_path` (a workspace-relative path) rather than the path it was
/// read from.
pub fn load_as(read_path: &Path, display_path: &Path) -> Result<Document, Error> {
    load_with_overlay(
        read_path,
        display_path,
        &overlay::path_for(read_path),
        &overlay::path_for(display_path),
    )
}

/// Like [`load_as`], with the overlay read from `overlay_read_path` (if
/// there is a file) and named `overlay_display_path`, rather than beside
/// the spec: for specs that are not ours to add a file beside (the shared
/// corpus), whose corrections we keep elsewhere.
pub fn load_with_overlay(
    read_path: &Path,
    display_path: &Path,
    overlay_read_path: &Path,
    overlay_display_path: &Path,
) -> Result<Document, Error> {
    load_from(
        read_path,
        display_path,
        overlay_read_path,
        overlay_display_path,
        None,
    )
}

/// Like [`load`], reading the spec's other files from anywhere inside
/// `root` rather than only inside the entry file's folder: for a spec whose
/// files refer to a folder beside its own (`../common/responses.yaml`).
pub fn load_within(path: &Path, root: &Path) -> Result<Document, Error> {
    load_from(
        path,
        path,
        &overlay::path_for(path),
        &overlay::path_for(path),
        Some(root),
    )
}

fn load_from(
    read_path: &Path,
    display_path: &Path,
    overlay_read_path: &Path,
    overlay_display_path: &Path,
    root: Option<&Path>,
) -> Result<Document, Error> {
    let path = display_path;
    let (text, sha256) =
        read_normalised(read_path).map_err(|error| Error::many(path, error.problems))?;
    let mut raw = parse_text(path, &text)?;
    let (bundled, sha256, mut files_read) = bundle(read_path, path, &mut raw, sha256, root)?;
    let other_files = files_read.len() - 1;

    let overlay_read_path = overlay_read_path.to_path_buf();
    let overlay_path = overlay_display_path.to_path_buf();
    let mut strict = false;
    let mut features = FeatureSplit::Auto;
    let overlay = if overlay_read_path.exists() {
        let (overlay_text, overlay_sha) = read_normalised(&overlay_read_path)
            .map_err(|error| Error::many(&overlay_path, error.problems))?;
        let overlay_doc = parse_text(&overlay_path, &overlay_text)?;
        overlay::apply(&overlay_path, &overlay_doc, &mut raw)?;
        strict = match overlay_doc.get(STRICT_EXTENSION) {
            None => false,
            Some(Value::Bool(strict)) => *strict,
            Some(_) => {
                return Err(Error::new(
                    &overlay_path,
                    format!("/{STRICT_EXTENSION}"),
                    format!("`{STRICT_EXTENSION}` must be `true` or `false`"),
                ));
            }
        };
        features = match overlay_doc.get(FEATURES_EXTENSION) {
            None => FeatureSplit::Auto,
            Some(value) => value
                .as_str()
                .and_then(FeatureSplit::parse)
                .ok_or_else(|| {
                    Error::new(
                        &overlay_path,
                        format!("/{FEATURES_EXTENSION}"),
                        format!("`{FEATURES_EXTENSION}` must be `auto`, `per-tag` or `off`"),
                    )
                })?,
        };
        files_read.push(overlay_read_path);
        let shown = overlay_path.display().to_string().replace('\\', "/");
        Some((shown, overlay_sha))
    } else {
        None
    };

    let (spec, mut findings) = parse_openapi(path, &mut raw)?;
    let webhooks = webhooks(&raw, &mut findings);
    findings.warnings.splice(0..0, bundled.warnings);
    findings.repairs.splice(0..0, bundled.repairs);
    Ok(Document {
        path: path.to_path_buf(),
        file_name: file_name(path),
        sha256,
        other_files,
        overlay,
        raw,
        spec,
        warnings: findings.warnings,
        repairs: findings.repairs,
        unresolved: findings.unresolved,
        webhooks,
        strict,
        files_read,
        features,
    })
}

/// Parses an in-memory spec; used by tests and fuzzing, where there is no
/// file and no overlay.
pub fn load_str(path: &Path, text: &str) -> Result<Document, Error> {
    let text = text.replace("\r\n", "\n");
    let mut raw = parse_text(path, &text)?;
    let (bundled, sha256, files_read) =
        bundle(path, path, &mut raw, hex_sha256(text.as_bytes()), None)?;
    let other_files = files_read.len() - 1;
    let (spec, mut findings) = parse_openapi(path, &mut raw)?;
    let webhooks = webhooks(&raw, &mut findings);
    findings.warnings.splice(0..0, bundled.warnings);
    findings.repairs.splice(0..0, bundled.repairs);
    Ok(Document {
        path: path.to_path_buf(),
        file_name: file_name(path),
        sha256,
        other_files,
        overlay: None,
        raw,
        spec,
        warnings: findings.warnings,
        repairs: findings.repairs,
        unresolved: findings.unresolved,
        webhooks,
        strict: false,
        files_read,
        features: FeatureSplit::Auto,
    })
}

/// Bundles `raw` in place where it needs it (`bundle`): what bundling
/// found, the spec's sha256 (the entry's own hash for a single-file spec)
/// and every file read, the entry first.
fn bundle(
    read_path: &Path,
    display: &Path,
    raw: &mut Value,
    sha256: String,
    root: Option<&Path>,
) -> Result<(crate::normalize::Findings, String, Vec<PathBuf>), Error> {
    let mut findings = crate::normalize::Findings::default();
    if !crate::load::bundle::needs_bundling(raw) {
        return Ok((findings, sha256, vec![read_path.to_path_buf()]));
    }
    let document = std::mem::take(raw);
    let bundle = crate::load::bundle::bundle(
        read_path,
        display,
        document,
        sha256.clone(),
        &read_normalised,
        root,
    )?;
    *raw = bundle.document;
    findings.warnings = bundle.warnings;
    findings.repairs = bundle.repairs;
    let sha256 = if bundle.files.len() > 1 {
        combined_sha256(&bundle.files, read_path)
    } else {
        sha256
    };
    let files = bundle.files.into_iter().map(|(path, _)| path).collect();
    Ok((findings, sha256, files))
}

/// One hash over every file of a multi-file spec: each file's path
/// (relative to the entry's folder, `/`-separated, so the same on every
/// machine) and sha256, a line each, the entry first.
pub fn combined_sha256(files: &[(PathBuf, String)], entry: &Path) -> String {
    let folder = entry
        .canonicalize()
        .ok()
        .and_then(|entry| entry.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    let listing: String = files
        .iter()
        .map(|(path, sha)| {
            let relative = path.strip_prefix(&folder).unwrap_or(path);
            let relative: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            format!("{} {sha}\n", relative.join("/"))
        })
        .collect();
    hex_sha256(listing.as_bytes())
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Reads a spec file (at most [`MAX_SPEC_BYTES`], UTF-8): its text with line
/// endings normalised to `\n`, and that text's hex sha256.
pub fn read_normalised(path: &Path) -> Result<(String, String), Error> {
    let metadata = std::fs::metadata(path)
        .map_err(|error| Error::new(path, "", format!("cannot read the file: {error}")))?;
    if metadata.len() > MAX_SPEC_BYTES as u64 {
        return Err(Error::new(
            path,
            "",
            format!(
                "the file is {} bytes; specs larger than {MAX_SPEC_BYTES} bytes are refused",
                metadata.len()
            ),
        ));
    }
    let bytes = std::fs::read(path)
        .map_err(|error| Error::new(path, "", format!("cannot read the file: {error}")))?;
    let text = String::from_utf8(bytes).map_err(|error| {
        Error::new(
            path,
            "",
            format!(
                "the file is not UTF-8 (invalid byte at offset {})",
                error.utf8_error().valid_up_to()
            ),
        )
    })?;
    // Checkouts with CRLF line endings must hash and parse exactly like LF
    // ones, or generated headers would differ between machines.
    let text = text.replace("\r\n", "\n");
    let sha256 = hex_sha256(text.as_bytes());
    Ok((text, sha256))
}

/// The YAML of the first ```` ```yaml ```` block (three or more backticks).
pub fn fenced_yaml(page: &str) -> Option<String> {
    let mut lines = page.lines();
    let mut fence = String::new();
    for line in lines.by_ref() {
        let trimmed = line.trim_start();
        let ticks = trimmed.chars().take_while(|c| *c == '`').count();
        if ticks >= 3 && trimmed[ticks..].trim_start().starts_with("yaml") {
            fence = "`".repeat(ticks);
            break;
        }
    }
    if fence.is_empty() {
        return None;
    }
    let mut body = String::new();
    for line in lines {
        if line.trim() == fence {
            return Some(body.trim_end().to_string() + "\n");
        }
        body.push_str(line);
        body.push('\n');
    }
    // No closing fence: the page was cut short.
    None
}

/// Hex-encoded sha256 of `bytes`.
pub fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Parses YAML or JSON text into a JSON value. JSON is YAML, but the JSON
/// parser gives better positions for JSON files.
pub fn parse_text(path: &Path, text: &str) -> Result<Value, Error> {
    if text.len() > MAX_SPEC_BYTES {
        return Err(Error::new(
            path,
            "",
            format!("the document is larger than {MAX_SPEC_BYTES} bytes"),
        ));
    }
    let is_json = path.extension().is_some_and(|ext| ext == "json");
    let value = if is_json {
        serde_json::from_str::<Value>(text).map_err(|error| {
            Error::new(
                path,
                "",
                format!(
                    "not valid JSON at line {} column {}: {error}",
                    error.line(),
                    error.column()
                ),
            )
        })?
    } else {
        crate::load::yaml::to_json(text)
            .map_err(|error| Error::new(path, "", format!("not valid YAML: {error}")))?
    };
    check_depth(path, &value)?;
    Ok(value)
}

/// Refuses documents nested deeper than [`MAX_DEPTH`], without recursion, so
/// that later recursive stages cannot overflow the stack.
fn check_depth(path: &Path, value: &Value) -> Result<(), Error> {
    let mut stack = vec![(value, 0usize)];
    while let Some((node, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            return Err(Error::new(
                path,
                "",
                format!("the document nests deeper than {MAX_DEPTH} levels"),
            ));
        }
        match node {
            Value::Array(items) => stack.extend(items.iter().map(|item| (item, depth + 1))),
            Value::Object(map) => stack.extend(map.values().map(|item| (item, depth + 1))),
            _ => {}
        }
    }
    Ok(())
}

/// Checks the OpenAPI version, normalizes the document (`normalize`) and
/// deserializes the typed model, reporting the JSON pointer of the first
/// node that does not fit.
fn parse_openapi(
    path: &Path,
    raw: &mut Value,
) -> Result<(OpenAPI, crate::normalize::Findings), Error> {
    let Some(object) = raw.as_object() else {
        return Err(Error::new(path, "", "the document is not a mapping"));
    };
    match object.get("openapi") {
        Some(Value::String(version)) if is_openapi_30(version) => {}
        // Rewritten into the 3.0 shape first (see `normalize::upgrade`).
        Some(Value::String(version)) if crate::normalize::upgrade::is_openapi_31(version) => {
            crate::normalize::upgrade::from_3_1(raw);
        }
        Some(Value::String(version)) => {
            return Err(Error::new(
                path,
                "/openapi",
                format!("OpenAPI version {version} is not supported; only 3.0.x and 3.1.x are"),
            ));
        }
        Some(_) => {
            return Err(Error::new(path, "/openapi", "the version must be a string"));
        }
        None => {
            return Err(Error::new(
                path,
                "",
                "there is no `openapi` version field; only OpenAPI 3.0.x is supported",
            ));
        }
    }
    let findings = crate::normalize::normalize(raw)
        .map_err(|problem| Error::new(path, problem.pointer, problem.message))?;
    // References inlined nest deeper than the file did.
    check_depth(path, raw)?;
    let raw: &Value = raw;
    let spec = serde_path_to_error::deserialize::<_, OpenAPI>(raw).map_err(|error| {
        // `openapiv3` flattens extensions into most structs, and serde
        // cannot track positions inside a flattened struct; so descend with
        // the type each well-known location must have to find the deepest
        // node that does not fit.
        let (pointer, message) = locate(raw)
            .unwrap_or_else(|| (path_to_pointer(error.path()), error.inner().to_string()));
        Error::new(path, pointer, message)
    })?;
    Ok((spec, findings))
}

/// The document's `webhooks`, each typed as a path item; one that is not a
/// path item is a warning, and left out.
fn webhooks(
    raw: &Value,
    findings: &mut crate::normalize::Findings,
) -> Vec<(String, openapiv3::PathItem)> {
    let Some(webhooks) = raw.get("webhooks").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut typed = Vec::new();
    for (name, item) in webhooks {
        let at = format!("/webhooks/{}", escape_pointer_token(name));
        match serde_path_to_error::deserialize::<_, openapiv3::PathItem>(item) {
            Ok(item) => typed.push((name.clone(), item)),
            Err(error) => findings.warnings.push(crate::normalize::Warning {
                pointer: format!("{at}{}", path_to_pointer(error.path())),
                message: format!(
                    "the webhook is not a path item ({}); it is left out of the `webhooks` module",
                    error.inner()
                ),
            }),
        }
    }
    typed
}

/// Deserializes `value` as `T`; on failure, the pointer and message.
fn try_as<T: serde::de::DeserializeOwned>(value: &Value, at: &str) -> Option<(String, String)> {
    serde_path_to_error::deserialize::<_, T>(value)
        .err()
        .map(|error| {
            (
                format!("{at}{}", path_to_pointer(error.path())),
                error.inner().to_string(),
            )
        })
}

/// The first media type under `node`'s `content` that does not deserialize.
fn media_failure(node: &Value, at: &str) -> Option<(String, String)> {
    use openapiv3::MediaType;
    node.get("content")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .find_map(|(media, value)| {
            try_as::<MediaType>(
                value,
                &format!("{at}/content/{}", escape_pointer_token(media)),
            )
        })
}

/// Finds the deepest well-known node (path item, operation, parameter,
/// request body, response, media type, schema) that does not deserialize.
fn locate(raw: &Value) -> Option<(String, String)> {
    use openapiv3::{Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema};
    let token = |key: &str| escape_pointer_token(key);
    let mut found = None;
    if let Some(paths) = raw.get("paths").and_then(Value::as_object) {
        for (name, item) in paths {
            let item_at = format!("/paths/{}", token(name));
            let Some(failure) = try_as::<ReferenceOr<PathItem>>(item, &item_at) else {
                continue;
            };
            found = Some(failure);
            let Some(item) = item.as_object() else { break };
            for (method, operation) in item {
                let op_at = format!("{item_at}/{}", token(method));
                if method == "parameters" {
                    for (index, parameter) in operation.as_array().into_iter().flatten().enumerate()
                    {
                        if let Some(f) =
                            try_as::<ReferenceOr<Parameter>>(parameter, &format!("{op_at}/{index}"))
                        {
                            return Some(f);
                        }
                    }
                    continue;
                }
                let Some(failure) = try_as::<Operation>(operation, &op_at) else {
                    continue;
                };
                found = Some(failure);
                for (index, parameter) in operation
                    .get("parameters")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .enumerate()
                {
                    if let Some(f) = try_as::<ReferenceOr<Parameter>>(
                        parameter,
                        &format!("{op_at}/parameters/{index}"),
                    ) {
                        return Some(f);
                    }
                }
                if let Some(body) = operation.get("requestBody") {
                    let body_at = format!("{op_at}/requestBody");
                    if let Some(f) = try_as::<ReferenceOr<RequestBody>>(body, &body_at) {
                        return media_failure(body, &body_at).or(Some(f));
                    }
                }
                for (code, response) in operation
                    .get("responses")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    let response_at = format!("{op_at}/responses/{}", token(code));
                    if let Some(f) = try_as::<ReferenceOr<Response>>(response, &response_at) {
                        return media_failure(response, &response_at).or(Some(f));
                    }
                }
                return found;
            }
            return found;
        }
    }
    if let Some(schemas) = raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for (name, schema) in schemas {
            if let Some(f) = try_as::<ReferenceOr<Schema>>(
                schema,
                &format!("/components/schemas/{}", token(name)),
            ) {
                return Some(f);
            }
        }
    }
    found
}

fn is_openapi_30(version: &str) -> bool {
    let mut parts = version.split('.');
    parts.next() == Some("3")
        && parts.next() == Some("0")
        && parts
            .next()
            .is_some_and(|patch| !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit()))
        && parts.next().is_none()
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                pointer.push('/');
                pointer.push_str(&escape_pointer_token(key));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        load_str(Path::new("t.yaml"), text).unwrap_err().to_string()
    }

    #[test]
    fn version_must_be_30_or_31() {
        assert_eq!(
            err("openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths: {}\n"),
            "t.yaml#/openapi: OpenAPI version 3.2.0 is not supported; only 3.0.x and 3.1.x are"
        );
        // 3.1 is read, in its 3.0 shape.
        let document = load_str(
            Path::new("t.yaml"),
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n",
        )
        .unwrap();
        assert_eq!(document.raw["openapi"], "3.0.3");
        assert!(is_openapi_30("3.0.3"));
        assert!(!is_openapi_30("3.0"));
        assert!(!is_openapi_30("3.0.x"));
    }

    #[test]
    fn type_errors_name_the_pointer() {
        let message = err(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: 7, content: 5}\n",
        );
        assert!(
            message.starts_with("t.yaml#/paths/~1a/get/responses/200"),
            "{message}"
        );
    }

    #[test]
    fn deep_nesting_is_refused_without_overflow() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let message = load_str(Path::new("t.json"), &deep)
            .unwrap_err()
            .to_string();
        assert!(message.contains("t.json"), "{message}");
        let deep_yaml = format!("a: {}{}", "[".repeat(10_000), "]".repeat(10_000));
        let message = err(&deep_yaml);
        assert!(message.starts_with("t.yaml"), "{message}");
    }

    #[test]
    fn crlf_and_lf_hash_alike() {
        let lf = load_str(
            Path::new("t.yaml"),
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n",
        )
        .unwrap();
        let crlf = load_str(
            Path::new("t.yaml"),
            "openapi: 3.0.3\r\ninfo: {title: t, version: '1'}\r\npaths: {}\r\n",
        )
        .unwrap();
        assert_eq!(lf.sha256, crlf.sha256);
    }
}

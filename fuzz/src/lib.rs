//! The fuzz targets, as plain functions: the libFuzzer binaries in
//! `fuzz_targets/` call them for long coverage-guided runs, and
//! `tests/it/smoke.rs` calls them on the seed corpus, the regressions and a
//! fixed number of deterministic mutations inside the normal test suite.
//!
//! A target "crashes" by panicking. Besides panics in the code under test,
//! each target asserts the contract the issue sets: every spec failure is a
//! typed error naming the file and a JSON pointer, every response failure
//! keeps the status and the raw body; a webhook delivery is verified or
//! refused with a typed error.

use std::path::Path;

use agent_clients::runtime::{Error, HeaderMap, RawResponse, StatusCode};
use arbitrary::Unstructured;
use serde_json::{Value, json};

/// The four vendor specs, embedded so targets need no files at run time.
pub const SPECS: [(&str, &str); 4] = [
    ("ravan.yaml", include_str!("../../specs/ravan.yaml")),
    (
        "selise-blocks.yaml",
        include_str!("../../specs/selise-blocks.yaml"),
    ),
    ("ayra.yaml", include_str!("../../specs/ayra.yaml")),
    (
        "supervisor.yaml",
        include_str!("../../specs/supervisor.yaml"),
    ),
];

/// Checks the diagnostic contract of a generator error.
fn check_spec_error(error: &codegen::Error, file: &str) {
    assert_eq!(
        error.file,
        Path::new(file),
        "the error names another file: {error}"
    );
    assert!(!error.problems.is_empty(), "an error without problems");
    for problem in &error.problems {
        assert!(
            problem.pointer.is_empty() || problem.pointer.starts_with('/'),
            "not a JSON pointer: {:?} in {error}",
            problem.pointer
        );
        assert!(!problem.message.is_empty(), "an empty message in {error}");
    }
}

/// Loads and generates `text` as the spec `file`; any failure must be a
/// located error.
fn generate(file: &str, text: &str) {
    match codegen::load::load_str(Path::new(file), text) {
        Ok(document) => {
            if let Err(error) = codegen::generate_document(&document) {
                check_spec_error(&error, file);
            }
        }
        Err(error) => check_spec_error(&error, file),
    }
}

/// Spec loading, validation and generation on arbitrary bytes, as YAML and
/// as JSON.
pub fn spec_bytes(data: &[u8]) {
    // The file loader refuses non-UTF-8 with a located error; the text
    // paths below need text.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    generate("specs/fuzz.yaml", text);
    generate("specs/fuzz.json", text);
}

/// Names that are not Rust identifiers, or are keywords.
const ODD_NAMES: [&str; 12] = [
    "type",
    "fn",
    "self",
    "Self",
    "",
    "123abc",
    "a-b c",
    "ünïcödé",
    "_",
    "crate",
    "$ref",
    "x~/y",
];

/// A value of a random JSON type.
fn wrong_value(u: &mut Unstructured<'_>) -> arbitrary::Result<Value> {
    Ok(match u.int_in_range(0..=6)? {
        0 => Value::Null,
        1 => json!(u.arbitrary::<bool>()?),
        2 => json!(u.arbitrary::<i64>()?),
        3 => json!(u.arbitrary::<String>()?),
        4 => json!([]),
        5 => json!({}),
        _ => json!(1e308),
    })
}

/// JSON pointers of every node of `value`.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                pointers(
                    child,
                    format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
}

/// One structure-aware mutation of an OpenAPI document.
fn mutate_spec(u: &mut Unstructured<'_>, spec: &mut Value) -> arbitrary::Result<()> {
    let mut all = Vec::new();
    pointers(spec, String::new(), &mut all);
    let target = u.choose(&all)?.clone();
    let schema_names: Vec<String> = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let Some(node) = spec.pointer_mut(&target) else {
        return Ok(());
    };
    match u.int_in_range(0..=8)? {
        // Wrong type anywhere.
        0 => *node = wrong_value(u)?,
        // Dangling or cyclic $ref.
        1 => {
            let name = if schema_names.is_empty() || u.arbitrary()? {
                "Missing".to_string()
            } else {
                u.choose(&schema_names)?.clone()
            };
            *node = json!({"$ref": format!("#/components/schemas/{name}")});
        }
        // Remove a key.
        2 => {
            if let Value::Object(map) = node {
                let keys: Vec<String> = map.keys().cloned().collect();
                if !keys.is_empty() {
                    let key = u.choose(&keys)?.clone();
                    map.remove(&key);
                }
            }
        }
        // Empty or huge enum.
        3 => {
            let size = if u.arbitrary()? {
                0
            } else {
                u.int_in_range(1..=3000)?
            };
            *node = json!({"type": "string", "enum": (0..size).map(|i| format!("v{i}")).collect::<Vec<_>>()});
        }
        // Odd or keyword names for keys.
        4 => {
            if let Value::Object(map) = node {
                let name = u.choose(&ODD_NAMES)?.to_string();
                let value = wrong_value(u)?;
                map.insert(name, value);
            }
        }
        // Odd or keyword operationIds (duplicates included).
        5 => {
            if let Value::Object(map) = node {
                map.insert("operationId".into(), json!(u.choose(&ODD_NAMES)?));
            }
        }
        // Duplicate an operation under another path, same operationId.
        6 => {
            if let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut)
                && let Some((path, item)) = paths.iter().next().map(|(p, i)| (p.clone(), i.clone()))
            {
                paths.insert(format!("{path}/copy"), item);
            }
        }
        // A property schema of any shape.
        7 => {
            *node = json!({"type": "object", "properties": {u.choose(&ODD_NAMES)?.to_string(): wrong_value(u)?}});
        }
        // Self-referencing schema.
        _ => {
            if let Some(name) = schema_names.first() {
                *node = json!({"allOf": [{"$ref": format!("#/components/schemas/{name}")}], "properties": {"me": {"$ref": format!("#/components/schemas/{name}")}}});
            }
        }
    }
    Ok(())
}

/// The spec file name and JSON text that `spec_mutations` makes of `data`;
/// public so a crash input can be turned back into the spec it produced.
pub fn mutated_spec(data: &[u8]) -> Option<(String, String)> {
    let mut u = Unstructured::new(data);
    let (name, text) = u.choose(&SPECS).copied().ok()?;
    let mut spec: Value =
        codegen::load::parse_text(Path::new(name), text).expect("the vendor specs parse");
    let rounds = u.int_in_range(1..=4u8).unwrap_or(1);
    for _ in 0..rounds {
        if mutate_spec(&mut u, &mut spec).is_err() {
            break;
        }
    }
    Some((format!("specs/{name}.json"), spec.to_string()))
}

/// Structure-aware mutations of the four vendor specs, then load, validate
/// and generate.
pub fn spec_mutations(data: &[u8]) {
    if let Some((file, text)) = mutated_spec(data) {
        generate(&file, &text);
    }
}

/// Property names that trip naming: keywords, case and separator
/// collisions, digits, symbols, non-ASCII, and a property called `$ref`.
const PROPERTY_NAMES: [&str; 12] = [
    "type", "self", "Self", "ref", "$ref", "a b", "a_b", "a-b", "1x", "Ω", "", "value",
];

/// Enum values that meet after case conversion, or are no identifier.
const ENUM_VALUES: [&str; 9] = ["a", "A", "a-b", "a_b", "", "1", "+1", "-1", "self"];

/// A schema built from choices: every shape the IR types (objects with
/// required and optional properties, maps, arrays, string enums, `oneOf`,
/// `anyOf`, `allOf` merges, `not`, references among the four components,
/// nullable), nested up to four levels.
fn arbitrary_schema(u: &mut Unstructured<'_>, depth: u32) -> arbitrary::Result<Value> {
    let last = if depth >= 4 { 5 } else { 13 };
    let mut schema = match u.int_in_range(0..=last)? {
        0 => json!({"type": "string"}),
        1 => json!({"type": "integer", "format": *u.choose(&["int32", "int64", "uint8"])?}),
        2 => json!({"type": "number", "format": *u.choose(&["float", "double"])?}),
        3 => json!({"type": "boolean"}),
        4 => json!({"$ref": format!("#/components/schemas/C{}", u.int_in_range(0..=3)?)}),
        5 => {
            let count = u.int_in_range(1..=4)?;
            let values: arbitrary::Result<Vec<&str>> = (0..count)
                .map(|_| u.choose(&ENUM_VALUES).copied())
                .collect();
            json!({"type": "string", "enum": values?})
        }
        6 => {
            let mut properties = serde_json::Map::new();
            let mut required = Vec::new();
            for _ in 0..u.int_in_range(0..=4)? {
                let name = *u.choose(&PROPERTY_NAMES)?;
                properties.insert(name.to_string(), arbitrary_schema(u, depth + 1)?);
                if u.arbitrary()? {
                    required.push(name);
                }
            }
            json!({"type": "object", "properties": properties, "required": required})
        }
        7 => json!({"type": "array", "items": arbitrary_schema(u, depth + 1)?}),
        8 => json!({"type": "object", "additionalProperties": arbitrary_schema(u, depth + 1)?}),
        9..=11 => {
            let keyword = ["oneOf", "anyOf", "allOf"][usize::from(u.int_in_range(0..=2u8)?)];
            let count = u.int_in_range(1..=3)?;
            let parts: arbitrary::Result<Vec<Value>> =
                (0..count).map(|_| arbitrary_schema(u, depth + 1)).collect();
            json!({ keyword: parts? })
        }
        12 => json!({"not": arbitrary_schema(u, depth + 1)?}),
        _ => json!({}),
    };
    if u.ratio(1, 4)? {
        schema["nullable"] = json!(true);
    }
    if u.ratio(1, 4)? {
        schema["description"] = json!("A description.");
    }
    Ok(schema)
}

/// The spec `schema_shapes` makes of `data`: four components built by
/// [`arbitrary_schema`], sent by one operation and returned by it (so some
/// are request types and some response types, and enums among the latter
/// are open).
pub fn shaped_spec(data: &[u8]) -> Option<String> {
    let mut u = Unstructured::new(data);
    let mut schemas = serde_json::Map::new();
    for index in 0..4 {
        schemas.insert(format!("C{index}"), arbitrary_schema(&mut u, 0).ok()?);
    }
    let spec = json!({
        "openapi": "3.0.3",
        "info": {"title": "Shapes", "version": "1"},
        "paths": {"/x": {"post": {
            "operationId": "x",
            "requestBody": {"required": true, "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/C0"}}}},
            "responses": {
                "200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/C1"}}}},
                "400": {"description": "bad", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/C2"}}}}
            }
        }}},
        "components": {"schemas": schemas},
    });
    Some(spec.to_string())
}

/// The IR on arbitrary schema shapes: generation never panics; it yields
/// a located error, or Rust that parses (syn) and is the same when
/// generated again.
pub fn schema_shapes(data: &[u8]) {
    let Some(text) = shaped_spec(data) else {
        return;
    };
    let file = "specs/shapes.json";
    let document = match codegen::load::load_str(Path::new(file), &text) {
        Ok(document) => document,
        Err(error) => return check_spec_error(&error, file),
    };
    match codegen::generate_document(&document) {
        Ok(source) => {
            if let Err(error) = syn::parse_file(&source) {
                panic!("the generated module does not parse: {error}\n{text}\n{source}");
            }
            let again = codegen::generate_document(&document).expect("generated once");
            assert_eq!(source, again, "generation is not deterministic\n{text}");
        }
        Err(error) => check_spec_error(&error, file),
    }
}

/// The response types of every generated operation, decoded through the
/// same helpers the generated `match` arms call.
fn decode_all(status: StatusCode, body: &bytes::Bytes) {
    macro_rules! success {
        ($($ty:ty),*) => {$({
            let raw = RawResponse::from_parts(status, HeaderMap::new(), body.clone());
            match raw.decode::<$ty, ()>() {
                Ok(response) => assert_eq!(response.status(), status),
                Err(Error::Decode { response, .. }) => {
                    assert_eq!(response.status(), status);
                    assert_eq!(response.body(), body, "the raw body must be kept");
                }
                Err(other) => panic!("unexpected error kind: {other:?}"),
            }
        })*};
    }
    success!(
        agent_clients::ravan::types::UpdateAgentStatusResponse,
        agent_clients::selise_blocks::types::ChangeAgentStatusResponse,
        agent_clients::ayra::types::UpdateAgentResponse,
        agent_clients::supervisor::types::Agent
    );
    macro_rules! error_body {
        ($enum:ident :: $variant:ident ($ty:ty)) => {{
            let raw = RawResponse::from_parts(status, HeaderMap::new(), body.clone());
            let error =
                raw.api_error(|bytes| serde_json::from_slice::<$ty>(bytes).map($enum::$variant));
            assert_eq!(error.status(), Some(status));
            assert_eq!(
                error.response().map(|r| r.body()),
                Some(body),
                "the raw body must be kept"
            );
            // Formatting an error over arbitrary bytes must not panic.
            let _ = format!("{error} {error:?} {:?}", error.request_id());
        }};
    }
    use agent_clients::ayra::UpdateAgentError;
    use agent_clients::selise_blocks::ChangeAgentStatusError;
    error_body!(UpdateAgentError::BadRequest(
        agent_clients::ayra::types::ErrorResponse
    ));
    error_body!(UpdateAgentError::NotFound(
        agent_clients::ayra::types::ErrorResponse
    ));
    error_body!(ChangeAgentStatusError::UnprocessableEntity(
        agent_clients::selise_blocks::types::ValidationErrorResponse
    ));
    let unexpected: Error<()> =
        RawResponse::from_parts(status, HeaderMap::new(), body.clone()).unexpected();
    let _ = format!("{unexpected} {unexpected:?}");
}

/// The documented examples: the starting points of structured mutation.
const EXAMPLES: [&str; 5] = [
    r#"{"success":true,"message":"Agent status updated successfully","data":{"id":"...","status":"inactive"}}"#,
    r#"{"is_success":true,"item_id":"a1b2c3d4-e5f6-7890-abcd-ef1234567890","detail":"Agent status updated successfully","error":{}}"#,
    r#"{"data":{"id":"agent_abc123xyz789","name":"Customer Support Agent","status":"active","business_hours":{"timezone":"America/New_York","schedule":[]},"metadata":{"version":"2.0"},"created_at":"2025-01-15T10:30:00Z"},"meta":{"request_id":"req_update_xyz456","timestamp":"2025-01-15T14:22:00Z"}}"#,
    r#"{"agentId":"5769e110-7267-4cf7-a3ca-2d06e8fffbb3","workspaceId":"a44bb95e-9f01-4d19-8b62-1f6f2b8e8363","name":"Soporte Voz Latam","agentType":"voice","status":"active","createdAt":"2025-09-20T18:22:04.012Z","updatedAt":"2025-10-09T09:31:45.271Z","description":null}"#,
    r#"{"error":{"type":"not_found","message":"Agent not found","code":"agent_not_found","agent_id":"agent_invalid123"}}"#,
];

/// Response decoding of every generated operation: the first two bytes
/// pick the status; then either the raw bytes are the body, or a documented
/// example is mutated (wrong types, missing fields, huge numbers, deep
/// nesting, invalid UTF-8, unknown enum values).
pub fn response_decode(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let status = u
        .int_in_range(100..=599u16)
        .ok()
        .and_then(|code| StatusCode::from_u16(code).ok())
        .unwrap_or(StatusCode::OK);
    let structured = u.arbitrary::<bool>().unwrap_or(false);
    let body: Vec<u8> = if structured {
        let example = u.choose(&EXAMPLES).copied().unwrap_or(EXAMPLES[0]);
        let mut value: Value = serde_json::from_str(example).expect("examples are JSON");
        let mut bytes_extra = Vec::new();
        let mut deep_marker = 0usize;
        for _ in 0..u.int_in_range(1..=4u8).unwrap_or(1) {
            let mut all = Vec::new();
            pointers(&value, String::new(), &mut all);
            let Ok(target) = u.choose(&all).cloned() else {
                break;
            };
            let choice = u.int_in_range(0..=5u8).unwrap_or(0);
            let Some(node) = value.pointer_mut(&target) else {
                break;
            };
            match choice {
                0 => *node = wrong_value(&mut u).unwrap_or(Value::Null),
                1 => {
                    if let Value::Object(map) = node {
                        let keys: Vec<String> = map.keys().cloned().collect();
                        if let Ok(key) = u.choose(&keys) {
                            let key = key.clone();
                            map.remove(&key);
                        }
                    }
                }
                2 => *node = json!(u.arbitrary::<u64>().unwrap_or(u64::MAX)),
                3 => {
                    // Deep nesting, past serde_json's recursion limit. Built
                    // as text: a deep `Value` would overflow the harness's
                    // own recursive drop and serializer, not the code under
                    // test.
                    let depth = u.int_in_range(1..=20_000u16).unwrap_or(200) as usize;
                    *node = json!("__DEEP__");
                    deep_marker = depth;
                }
                4 => *node = json!(u.arbitrary::<String>().unwrap_or_default()),
                _ => bytes_extra = vec![0xff, 0xfe, b'"'],
            }
        }
        let mut text = value.to_string();
        if deep_marker > 0 {
            let deep = format!("{}{}", "[".repeat(deep_marker), "]".repeat(deep_marker));
            text = text.replacen("\"__DEEP__\"", &deep, 1);
        }
        let mut bytes = text.into_bytes();
        if !bytes_extra.is_empty() {
            let at = u.int_in_range(0..=bytes.len()).unwrap_or(0);
            bytes.splice(at..at, bytes_extra);
        }
        bytes
    } else {
        u.take_rest().to_vec()
    };
    decode_all(status, &bytes::Bytes::from(body));
}

/// The drift checker's comparison and diff on arbitrary file contents
/// (CRLF, no trailing newline, binary).
pub fn drift_compare(data: &[u8]) {
    let split = data.iter().position(|b| *b == 0).unwrap_or(data.len());
    let (committed, rest) = data.split_at(split);
    let generated = String::from_utf8_lossy(rest.get(1..).unwrap_or_default()).into_owned();
    let current = codegen::drift::is_current(committed, &generated);
    let normalised = codegen::drift::normalise(committed);
    if current {
        // Line endings are normalised on both sides.
        assert_eq!(normalised, generated.replace("\r\n", "\n"));
    }
    // A file is always current with respect to itself, CRLF or not.
    assert!(codegen::drift::is_current(generated.as_bytes(), &generated));
    assert!(
        codegen::drift::is_current(generated.replace('\n', "\r\n").as_bytes(), &generated)
            || generated.contains('\r')
    );
    let diff = codegen::drift::unified_diff("fuzz.rs", &normalised, &generated);
    assert_eq!(
        diff.is_empty(),
        normalised == generated,
        "a diff must be empty exactly when the texts are equal"
    );
}

/// The header names of every scheme the webhook target verifies.
const WEBHOOK_HEADERS: [&str; 10] = [
    "webhook-id",
    "webhook-timestamp",
    "webhook-signature",
    "stripe-signature",
    "x-hub-signature-256",
    "x-signature",
    "x-twilio-signature",
    "x-signature-ed25519",
    "x-signature-timestamp",
    "x-webhook-token",
];

/// Receiving a webhook: one scheme of each family verifies arbitrary
/// headers and body bytes (a delivery signed as the vendor would, then
/// perhaps mutated: headers replaced or added with arbitrary bytes, the
/// body changed), and a body's tag and JSON are read as the generated
/// `Event::parse` reads them. Nothing panics, and a signed delivery left
/// unchanged verifies.
pub fn webhook_receive(data: &[u8]) {
    use agent_clients::runtime::webhooks::{
        Algorithm, Delivery, Encoding, Outgoing, Scheme, Verifier, WebhookSecret,
        ed25519_public_key, json, tag,
    };
    let mut u = Unstructured::new(data);
    let schemes = [
        Scheme::standard_webhooks(),
        Scheme::Timestamped {
            header: "stripe-signature".into(),
            timestamp_key: "t".into(),
            signature_key: "v1".into(),
            encoding: Encoding::Hex,
        },
        Scheme::Body {
            header: "x-hub-signature-256".into(),
            prefix: "sha256=".into(),
            algorithm: Algorithm::Sha256,
            encoding: Encoding::Hex,
        },
        Scheme::Body {
            header: "x-signature".into(),
            prefix: String::new(),
            algorithm: Algorithm::Sha1,
            encoding: Encoding::Base64,
        },
        Scheme::UrlForm {
            header: "x-twilio-signature".into(),
        },
        Scheme::Ed25519 {
            signature_header: "x-signature-ed25519".into(),
            timestamp_header: Some("x-signature-timestamp".into()),
            encoding: Encoding::Hex,
        },
        Scheme::SharedSecret {
            header: "x-webhook-token".into(),
        },
    ];
    let scheme = u.choose(&schemes).unwrap_or(&schemes[0]).clone();
    let (key, verify_key) = match scheme {
        Scheme::Ed25519 { .. } => {
            let seed = WebhookSecret::new([7u8; 32]);
            let public = ed25519_public_key(&seed).expect("a 32-byte seed");
            (seed, public)
        }
        _ => (
            WebhookSecret::new("fuzz-secret"),
            WebhookSecret::new("fuzz-secret"),
        ),
    };
    let signed = u.arbitrary::<bool>().unwrap_or(true);
    let body: Vec<u8> = u.arbitrary().unwrap_or_default();
    let url = "https://receiver.example/hooks?x=1";
    let timestamp = 1_700_000_000;
    let outgoing = Outgoing {
        url,
        body: &body,
        id: "msg_fuzz",
        timestamp,
    };
    let mut headers = match signed {
        true => scheme.sign(&key, &outgoing).unwrap_or_default(),
        false => HeaderMap::new(),
    };
    let rounds = u.int_in_range(0..=3u8).unwrap_or(0);
    for _ in 0..rounds {
        let name = u.choose(&WEBHOOK_HEADERS).copied().unwrap_or("x-signature");
        let value: Vec<u8> = u.arbitrary().unwrap_or_default();
        if let Ok(value) = http::HeaderValue::from_bytes(&value) {
            headers.insert(name, value);
        }
    }
    let other_key = WebhookSecret::new(u.arbitrary::<Vec<u8>>().unwrap_or_default());
    let verifier = Verifier::new(scheme, verify_key).with_key(other_key);
    let delivery = Delivery {
        url,
        headers: &headers,
        body: &body,
    };
    let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(timestamp as u64 + 10);
    let verified = verifier.verify_at(&delivery, at);
    if signed && rounds == 0 {
        assert_eq!(
            verified,
            Ok(()),
            "a delivery signed as the vendor signs verifies"
        );
    }
    let _ = tag(&body, "type");
    let _ = json::<Value>(&body);
}

//! The generated-shapes fixture (`codegen/tests/fixtures/generated-shapes.json`,
//! written by `cargo xtask codegen` from the table in
//! `xtask/src/codegen/shapes.rs`): every shape under every presence, its
//! client compiled as a snapshot. Here each of its samples makes the
//! whole round trip: read into the generated type, written back unchanged,
//! sent by the client to a local server that echoes it, and read back
//! from the response unchanged. Each value that breaks a constraint is
//! refused before anything is sent, naming its field.

use std::path::PathBuf;

use agent_clients::runtime::{ClientConfig, Error, RetryPolicy};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::codegen_snapshots::snapshots::generated_shapes::{Client, types};

/// The fixture, found at run time from this package's directory.
fn fixture() -> Value {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let path = PathBuf::from(manifest).join("../codegen/tests/fixtures/generated-shapes.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    serde_json::from_str(&text).expect("the fixture is JSON")
}

/// The request body of the operation for `presence`.
fn body(fixture: &Value, presence: &str) -> Value {
    let pointer = format!("/paths/~1shapes~1{presence}/post/requestBody/content/application~1json");
    fixture
        .pointer(&pointer)
        .unwrap_or_else(|| panic!("no body at {pointer}"))
        .clone()
}

/// Answers each request with its own body.
struct Echo;

impl Respond for Echo {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        ResponseTemplate::new(200).set_body_raw(request.body.clone(), "application/json")
    }
}

/// `value` through the type `T`: read, then written.
fn through<T: Serialize + DeserializeOwned>(value: &Value, what: &str) -> (T, Value) {
    let typed: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|error| panic!("{what} does not read: {error}\n{value:#}"));
    let written = serde_json::to_value(&typed).expect("a generated type writes");
    (typed, written)
}

/// Every example of `presence` round-trips, through serde and the wire;
/// every broken value is refused. `send` is the client's method.
async fn check_presence<T, F>(presence: &str, send: F)
where
    T: Serialize + DeserializeOwned,
    F: AsyncFn(&Client, &T) -> Result<Value, (String, String)>,
{
    let fixture = fixture();
    let body = body(&fixture, presence);
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/shapes/{presence}")))
        .respond_with(Echo)
        .mount(&server)
        .await;
    let config = ClientConfig::default().retry(RetryPolicy::disabled());
    let client = Client::with_config(&server.uri(), config).unwrap();
    let examples = body["examples"].as_object().expect("examples");
    assert!(examples.len() >= 2, "{presence}: {examples:?}");
    for (name, example) in examples {
        let sample = &example["value"];
        let what = format!("{presence}/{name}");
        let (typed, written) = through::<T>(sample, &what);
        assert_eq!(&written, sample, "{what} is not written back as read");
        let echoed = send(&client, &typed)
            .await
            .unwrap_or_else(|error| panic!("{what} is not sent: {error:?}"));
        assert_eq!(&echoed, sample, "{what} is not read back from the wire");
    }
    let sent_so_far = server.received_requests().await.unwrap().len();
    assert_eq!(sent_so_far, examples.len());
    let invalid = body["x-shapes-invalid"]
        .as_object()
        .expect("invalid values");
    assert!(invalid.len() >= 10, "{presence}: {invalid:?}");
    let full = &examples["full"]["value"];
    for (property, bad) in invalid {
        let mut broken = full.clone();
        broken[property] = bad.clone();
        let what = format!("{presence}.{property} = {bad}");
        let (typed, _) = through::<T>(&broken, &what);
        match send(&client, &typed).await {
            Err((field, rule)) => assert!(
                field.starts_with(&format!("body.{property}")),
                "{what}: refused for {field} ({rule})"
            ),
            Ok(_) => panic!("{what} was sent"),
        }
    }
    // Nothing broken reached the server.
    let sent = server.received_requests().await.unwrap().len();
    assert_eq!(sent, sent_so_far, "{presence}: a broken value was sent");
}

/// The field and rule of a refusal; any other error is a failure.
fn refusal<E: std::fmt::Debug>(error: Error<E>) -> (String, String) {
    match error {
        Error::InvalidRequest(invalid) => (invalid.field, invalid.rule),
        other => panic!("expected a refusal before sending, got {other:?}"),
    }
}

fn json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("a generated type writes")
}

#[tokio::test]
async fn required_shapes_round_trip_and_broken_ones_are_refused() {
    check_presence(
        "required",
        async |client: &Client, body: &types::RequiredShapes| {
            let response = client.send_required(body).await.map_err(refusal)?;
            Ok(json(&response.into_inner()))
        },
    )
    .await;
}

#[tokio::test]
async fn optional_shapes_round_trip_and_broken_ones_are_refused() {
    check_presence(
        "optional",
        async |client: &Client, body: &types::OptionalShapes| {
            let response = client.send_optional(body).await.map_err(refusal)?;
            Ok(json(&response.into_inner()))
        },
    )
    .await;
}

#[tokio::test]
async fn nullable_shapes_round_trip_and_broken_ones_are_refused() {
    check_presence(
        "nullable",
        async |client: &Client, body: &types::NullableShapes| {
            let response = client.send_nullable(body).await.map_err(refusal)?;
            Ok(json(&response.into_inner()))
        },
    )
    .await;
}

#[tokio::test]
async fn both_shapes_round_trip_and_broken_ones_are_refused() {
    check_presence("both", async |client: &Client, body: &types::BothShapes| {
        let response = client.send_both(body).await.map_err(refusal)?;
        Ok(json(&response.into_inner()))
    })
    .await;
}

/// Every sample of every presence, as the data of its callback's event:
/// `Event::parse` picks the event by its `type` and reads the data into the
/// same generated struct, which writes the event back unchanged.
#[cfg(feature = "webhooks")]
#[test]
fn every_sample_arrives_as_its_event() {
    use super::codegen_snapshots::snapshots::generated_shapes::webhooks::Event;

    let fixture = fixture();
    for presence in ["required", "optional", "nullable", "both"] {
        let examples = body(&fixture, presence)["examples"].clone();
        let examples = examples.as_object().expect("examples");
        for (name, example) in examples {
            let sent = serde_json::json!({
                "type": format!("{presence}.shapes"),
                "data": example["value"],
            });
            let bytes = serde_json::to_vec(&sent).expect("JSON writes");
            let event = Event::parse(&bytes)
                .unwrap_or_else(|error| panic!("{presence}/{name} is not read: {error}"));
            assert_eq!(
                event.key(),
                Some(format!("{presence}_shapes").as_str()),
                "{presence}/{name}"
            );
            let written = match event {
                Event::RequiredShapes(event) => json(&event),
                Event::OptionalShapes(event) => json(&event),
                Event::NullableShapes(event) => json(&event),
                Event::BothShapes(event) => json(&event),
                other => panic!("{presence}/{name} is read as {other:?}"),
            };
            assert_eq!(
                written, sent,
                "{presence}/{name} is not written back as read"
            );
        }
    }
}

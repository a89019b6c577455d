//! Events end to end, over 127.0.0.1: a sender signs a delivery as the
//! vendor would (the scheme the spec's overlay names: Standard Webhooks),
//! POSTs it to an axum receiver, which checks it with the generated
//! `Event::receive` and hands the typed event on. The events are the
//! `events.yaml` fixture's.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use agent_clients::runtime::webhooks::{Delivery, Outgoing, Verifier, WebhookError, WebhookSecret};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use tokio::sync::mpsc;

use super::codegen_snapshots::snapshots::events::types;
use super::codegen_snapshots::snapshots::events::webhooks::{self as events, Event};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// What the receiver saw: the event, or why it refused the delivery.
type Received = Result<Event, WebhookError>;

struct Receiver {
    verifier: Verifier,
    seen: mpsc::UnboundedSender<Received>,
}

/// The handler a user mounts: the raw body and headers in, the signature
/// checked before anything reads the body.
async fn receive(
    State(receiver): State<Arc<Receiver>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let url = uri.to_string();
    let delivery = Delivery {
        url: &url,
        headers: &headers,
        body: &body,
    };
    let received = Event::receive(&receiver.verifier, &delivery);
    let status = match &received {
        Ok(_) => StatusCode::NO_CONTENT,
        Err(WebhookError::MalformedBody { .. }) => StatusCode::BAD_REQUEST,
        Err(_) => StatusCode::UNAUTHORIZED,
    };
    receiver.seen.send(received).expect("the test is listening");
    status
}

/// An axum server on a free port of 127.0.0.1, and what it receives.
async fn start_receiver() -> (SocketAddr, mpsc::UnboundedReceiver<Received>) {
    let (seen, events) = mpsc::unbounded_channel();
    // The scheme is the one the spec's overlay names.
    let verifier =
        events::verifier(WebhookSecret::standard(SECRET).expect("a Standard Webhooks secret"));
    let app = axum::Router::new()
        .route("/hooks", axum::routing::post(receive))
        .with_state(Arc::new(Receiver { verifier, seen }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let address = listener.local_addr().expect("a bound address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (address, events)
}

fn now() -> i64 {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970");
    i64::try_from(since.as_secs()).expect("seconds fit")
}

/// Signs `body` as the vendor would, at `timestamp`, and POSTs it.
async fn send(address: SocketAddr, body: &[u8], timestamp: i64, tamper: bool) -> StatusCode {
    let url = format!("http://{address}/hooks");
    let key = WebhookSecret::standard(SECRET).expect("a Standard Webhooks secret");
    let outgoing = Outgoing {
        url: &url,
        body,
        id: "msg_2b7Xq",
        timestamp,
    };
    let headers = events::scheme()
        .sign(&key, &outgoing)
        .expect("the test key signs");
    let mut sent = body.to_vec();
    if tamper {
        sent[2] ^= 1;
    }
    let response = reqwest::Client::new()
        .post(&url)
        .headers(headers)
        .header("content-type", "application/json")
        .body(sent)
        .send()
        .await
        .expect("the receiver answers");
    StatusCode::from_u16(response.status().as_u16()).expect("a status")
}

/// The generated test sender (`mock::send_event`) signs a typed event as
/// the API would and posts it; the receiver gets the same event back.
#[cfg(feature = "mock")]
#[tokio::test]
async fn the_test_sender_s_event_arrives_intact() {
    use super::codegen_snapshots::snapshots::events::mock::send_event;

    let (address, mut events) = start_receiver().await;
    let url = format!("http://{address}/hooks");
    let key = WebhookSecret::standard(SECRET).expect("a Standard Webhooks secret");
    let started = Event::CallStarted(types::CallStarted {
        call: types::Call {
            id: "call_1".into(),
            status: types::CallStatus::Ringing.into(),
        },
        type_: types::CallStartedType::CallStarted,
    });
    let status = send_event(&url, &key, &started).await.expect("sent");
    assert_eq!(status.as_u16(), 204);
    assert_eq!(events.recv().await, Some(Ok(started)));

    let ended = Event::parse_as(
        "call.ended",
        br#"{"type":"call.ended","call":{"id":"c","status":"ended"},"duration_seconds":3}"#,
    )
    .expect("an ended call");
    send_event(&url, &key, &ended).await.expect("sent");
    assert_eq!(events.recv().await, Some(Ok(ended)));

    // Signed with another key: refused, and the handler saw only that.
    let other = WebhookSecret::standard("whsec_dGhlIG90aGVyIGtleQ==").expect("a secret");
    let status = send_event(&url, &other, &Event::Ping).await.expect("sent");
    assert_eq!(status.as_u16(), 401);
    assert_eq!(events.recv().await, Some(Err(WebhookError::BadSignature)));
}

#[tokio::test]
async fn a_signed_event_arrives_typed_and_a_forged_one_never_does() {
    let (address, mut events) = start_receiver().await;
    let body = br#"{"type":"call.started","call":{"id":"call_1","status":"ringing"}}"#;

    assert_eq!(
        send(address, body, now(), false).await,
        StatusCode::NO_CONTENT
    );
    let expected = types::CallStarted {
        call: types::Call {
            id: "call_1".into(),
            status: types::CallStatus::Ringing.into(),
        },
        type_: types::CallStartedType::CallStarted,
    };
    let event = events.recv().await.expect("an event");
    assert_eq!(event, Ok(Event::CallStarted(expected)));

    assert_eq!(
        send(address, body, now(), true).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(events.recv().await, Some(Err(WebhookError::BadSignature)));

    let stale = now() - 600;
    assert_eq!(
        send(address, body, stale, false).await,
        StatusCode::UNAUTHORIZED
    );
    assert!(matches!(
        events.recv().await,
        Some(Err(WebhookError::StaleTimestamp { .. }))
    ));
}

#[tokio::test]
async fn each_event_is_told_by_its_tag_and_the_rest_by_key() {
    let (address, mut events) = start_receiver().await;
    let ended =
        br#"{"type":"call.ended","call":{"id":"c","status":"ended"},"duration_seconds":61}"#;
    assert_eq!(
        send(address, ended, now(), false).await,
        StatusCode::NO_CONTENT
    );
    match events.recv().await {
        Some(Ok(Event::CallEnded(event))) => {
            assert_eq!(event.duration_seconds, Some(61));
            assert_eq!(event.call.id, "c");
        }
        other => panic!("not the ended call: {other:?}"),
    }

    // A status the spec does not list is kept, not a refused delivery.
    let newer = br#"{"type":"call.started","call":{"id":"c","status":"on_hold"}}"#;
    assert_eq!(
        send(address, newer, now(), false).await,
        StatusCode::NO_CONTENT
    );
    let Some(Ok(Event::CallStarted(event))) = events.recv().await else {
        panic!("not the started call");
    };
    assert_eq!(serde_json::to_value(&event.call.status).unwrap(), "on_hold");

    // A tag no event has: the body, untyped, with the candidates named.
    let other = br#"{"type":"call.transferred","to":"+15550100"}"#;
    assert_eq!(
        send(address, other, now(), false).await,
        StatusCode::NO_CONTENT
    );
    match events.recv().await {
        Some(Ok(Event::Unknown(unknown))) => {
            assert_eq!(unknown.tag, Some(("type", "call.transferred".to_string())));
            assert_eq!(unknown.candidates, Event::KEYS);
            assert_eq!(unknown.body["to"], "+15550100");
        }
        other => panic!("not unknown: {other:?}"),
    }

    // A verified body that is not JSON is refused as such.
    assert_eq!(
        send(address, b"{not json", now(), false).await,
        StatusCode::BAD_REQUEST
    );
    assert!(matches!(
        events.recv().await,
        Some(Err(WebhookError::MalformedBody { .. }))
    ));
}

#[test]
fn events_without_a_tag_are_read_by_key() {
    assert_eq!(Event::parse_as("ping", b""), Ok(Event::Ping));
    assert_eq!(Event::Ping.to_body(), b"");
    assert_eq!(Event::Ping.media_type(), None);
    let form = b"CallSid=CA1&CallStatus=completed";
    let Ok(Event::CallStatus(raw)) = Event::parse_as("callStatus", form) else {
        panic!("not the callback");
    };
    assert_eq!(&raw[..], form);
    let event = Event::CallStatus(raw);
    assert_eq!(event.key(), Some("callStatus"));
    assert_eq!(event.to_body(), form);
    assert_eq!(
        event.media_type(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        Event::parse_as("call.deleted", b"{}"),
        Err(WebhookError::UnknownEvent {
            key: "call.deleted".into()
        })
    );
    assert_eq!(
        Event::KEYS,
        [
            "call.ended",
            "call.incoming",
            "call.started",
            "ping",
            "callStatus"
        ]
    );
    // The answer the spec types, for the receiver to send back.
    let answer = Event::answer_call_incoming(&types::CallIncomingResponse {
        action: types::CallIncomingResponseAction::Reject,
    });
    assert_eq!(answer.status, 200);
    assert_eq!(answer.content_type, Some("application/json"));
    assert_eq!(answer.body, br#"{"action":"reject"}"#);
}

/// A spec whose events nothing types or tells apart (the
/// `untyped-events.yaml` fixture): `parse` keeps the body as JSON with the
/// candidates named, and `parse_as` reads each by key.
#[test]
fn events_nothing_tells_apart_stay_untyped_with_their_candidates() {
    use super::codegen_snapshots::snapshots::untyped_events::webhooks::Event as Untyped;

    let Ok(Untyped::Unknown(unknown)) = Untyped::parse(br#"{"n":1}"#) else {
        panic!("not kept untyped");
    };
    assert_eq!(unknown.candidates, ["note", "ping"]);
    assert_eq!(unknown.tag, None);
    assert_eq!(unknown.body["n"], 1);
    let note = Untyped::parse_as("note", b"hello").expect("a note");
    assert_eq!(note.to_body(), b"hello");
    assert_eq!(note.media_type(), Some("text/plain"));
    assert_eq!(Untyped::parse_as("ping", b""), Ok(Untyped::Ping));
}

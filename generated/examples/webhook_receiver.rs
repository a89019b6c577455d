//! A webhook receiver mounted in axum: every delivery's signature checked
//! on its raw bytes, then read as the typed event, and answered as the spec
//! says. The events are those of the `events.yaml` fixture (a voice
//! platform's calls), whose overlay says the API signs as Standard Webhooks.
//!
//! ```sh
//! WEBHOOK_SECRET=whsec_... cargo run --example webhook_receiver --features webhooks
//! ```
//! It listens on 127.0.0.1:3000 (`PORT` overrides); point the API's webhook
//! URL at `/hooks`, or send it a test event with `mock::send_event`.

// Generated (and checked for drift) as it is: rustfmt leaves it alone.
#[rustfmt::skip]
#[path = "../../codegen/tests/snapshots/events.rs"]
#[allow(dead_code)]
mod events;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

use agent_clients::runtime::webhooks::{Delivery, Verifier, WebhookError, WebhookSecret};
use events::types;
use events::webhooks::{self as api, Event};

/// Takes the body as bytes, not as axum's `Json`: the signature is over the
/// bytes as sent, and nothing may read them before it is checked.
async fn receive(
    State(verifier): State<Arc<Verifier>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let url = uri.to_string();
    let delivery = Delivery {
        url: &url,
        headers: &headers,
        body: &body,
    };
    let event = match Event::receive(&verifier, &delivery) {
        Ok(event) => event,
        // Say as little as possible to whoever sent a forgery.
        Err(WebhookError::MalformedBody { .. }) => return StatusCode::BAD_REQUEST.into_response(),
        Err(_) => return StatusCode::UNAUTHORIZED.into_response(),
    };
    let answer = match &event {
        Event::CallIncoming(call) => {
            println!("call from {}", call.from);
            Event::answer_call_incoming(&types::CallIncomingResponse {
                action: types::CallIncomingResponseAction::Answer,
            })
        }
        other => {
            println!("{:?}", other.key());
            agent_clients::runtime::webhooks::Answer::empty(204)
        }
    };
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::NO_CONTENT);
    match answer.content_type {
        Some(media) => (status, [(header::CONTENT_TYPE, media)], answer.body).into_response(),
        None => status.into_response(),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secret = std::env::var("WEBHOOK_SECRET").map_err(|_| "set WEBHOOK_SECRET (whsec_...)")?;
    let verifier = api::verifier(WebhookSecret::standard(&secret)?);
    let port = std::env::var("PORT").unwrap_or_else(|_| "3000".into());
    let app = axum::Router::new()
        .route("/hooks", axum::routing::post(receive))
        .with_state(Arc::new(verifier));
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on http://{}/hooks", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}

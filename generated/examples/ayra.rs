//! Update an Ayra agent's greeting and transfer number.
//!
//! ```sh
//! AYRA_API_KEY=sk_live_... cargo run --example ayra -- AGENT_ID
//! ```
//! `AYRA_BASE_URL` overrides the documented server (for a local mock).

use agent_clients::ayra::{Client, UpdateAgentError, types};
use agent_clients::runtime::Error;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("AYRA_API_KEY").map_err(|_| "set AYRA_API_KEY")?;
    let agent_id = std::env::args().nth(1).ok_or("usage: ayra AGENT_ID")?;
    let client = match std::env::var("AYRA_BASE_URL") {
        Ok(base_url) => Client::with_base_url(&base_url, token)?,
        Err(_) => Client::new(token)?,
    };

    // Only the fields set here are sent; everything else stays unchanged.
    let body = types::UpdateAgentRequest {
        welcome_message: Some("Thanks for calling. How can I help?".into()),
        transfer_number: Some("+15559876543".into()),
        ..Default::default()
    };
    match client.update_agent(&agent_id, &body).await {
        Ok(response) => println!(
            "updated {:?} (request {:?})",
            response.data.id,
            response.request_id()
        ),
        // Caught before sending: the field and the documented rule.
        Err(Error::InvalidRequest(invalid)) => eprintln!("not sent: {invalid}"),
        Err(error) => match error.api_error() {
            Some(UpdateAgentError::NotFound(body)) => {
                eprintln!("no such agent: {}", body.error.message)
            }
            Some(UpdateAgentError::BadRequest(body)) => {
                eprintln!(
                    "rejected field {:?}: {}",
                    body.error.field, body.error.message
                )
            }
            _ => eprintln!("failed: {error}"),
        },
    }
    Ok(())
}

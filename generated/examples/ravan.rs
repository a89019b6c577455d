//! Deactivate a Ravan agent.
//!
//! ```sh
//! RAVAN_API_KEY=... cargo run --example ravan -- AGENT_ID
//! ```
//! `RAVAN_BASE_URL` overrides the documented server (for a local mock).

use agent_clients::ravan::{Client, types};
use agent_clients::runtime::{Error, Open};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let api_key = std::env::var("RAVAN_API_KEY").map_err(|_| "set RAVAN_API_KEY")?;
    let agent_id = std::env::args().nth(1).ok_or("usage: ravan AGENT_ID")?;
    // The key is sent as `X-Api-Key` and never printed, even by `{client:?}`.
    let client = match std::env::var("RAVAN_BASE_URL") {
        Ok(base_url) => Client::with_base_url(&base_url, api_key)?,
        Err(_) => Client::new(api_key)?,
    };

    let body = types::UpdateAgentStatusRequest {
        status: Some(types::AgentStatus::AgentStatusInactive),
    };
    match client.update_agent_status(&agent_id, &body).await {
        Ok(response) => {
            let status = response
                .data
                .as_ref()
                .and_then(|agent| agent.status.clone());
            match status {
                Some(Open::Known(status)) => println!("agent is now {status}"),
                Some(Open::Unknown(raw)) => {
                    println!("agent is now {raw} (a status this client does not know yet)")
                }
                None => println!("updated; the server did not echo the status"),
            }
        }
        Err(Error::UnexpectedStatus(response)) if response.status() == 404 => {
            eprintln!("no agent {agent_id}");
        }
        Err(error) => {
            eprintln!(
                "update failed (status {:?}, request id {:?}): {error}",
                error.status(),
                error.request_id()
            );
            std::process::exit(1);
        }
    }
    Ok(())
}

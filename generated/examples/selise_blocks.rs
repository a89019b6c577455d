//! Disable a Selise Blocks agent.
//!
//! ```sh
//! SELISE_PROJECT_KEY=... cargo run --example selise_blocks -- AGENT_ID
//! ```
//! `SELISE_BASE_URL` overrides the documented server (for a local mock).

use agent_clients::selise_blocks::{ChangeAgentStatusError, Client, types};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let project_key = std::env::var("SELISE_PROJECT_KEY").map_err(|_| "set SELISE_PROJECT_KEY")?;
    let agent_id = std::env::args()
        .nth(1)
        .ok_or("usage: selise_blocks AGENT_ID")?;
    let base_url =
        std::env::var("SELISE_BASE_URL").unwrap_or_else(|_| Client::DEFAULT_BASE_URL.to_string());
    // The vendor documents no auth header; the project key is in the body.
    // The POST is retried on its own: changing the status twice has the
    // same effect as once, and the spec's overlay marks it so
    // (`x-agent-clients-idempotent`), so no `retry_non_idempotent` here.
    let client = Client::with_base_url(&base_url)?;

    let body = types::ChangeAgentStatusRequest {
        agent_id,
        is_disabled: true,
        is_archived: false,
        project_key,
    };
    match client.change_agent_status(&body).await {
        Ok(response) => println!("changed: {:?}", response.detail),
        Err(error) => match error.api_error() {
            Some(ChangeAgentStatusError::UnprocessableEntity(validation)) => {
                for problem in &validation.detail {
                    eprintln!("invalid {:?}: {}", problem.loc, problem.msg);
                }
            }
            _ => eprintln!("failed: {error}"),
        },
    }
    Ok(())
}

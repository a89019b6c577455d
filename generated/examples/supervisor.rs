//! Rename a Supervisor agent and clear its description.
//!
//! ```sh
//! SUPERVISOR_TOKEN=... cargo run --example supervisor -- AGENT_UUID WORKSPACE_UUID
//! ```
//! `SUPERVISOR_BASE_URL` overrides the documented server (for a local mock).

use agent_clients::runtime::Nullable;
use agent_clients::supervisor::{Client, types};
use agent_clients::uuid::Uuid;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("SUPERVISOR_TOKEN").map_err(|_| "set SUPERVISOR_TOKEN")?;
    let mut args = std::env::args().skip(1);
    let usage = "usage: supervisor AGENT_UUID WORKSPACE_UUID";
    let agent: Uuid = args.next().ok_or(usage)?.parse()?;
    let workspace: Uuid = args.next().ok_or(usage)?.parse()?;
    let client = match std::env::var("SUPERVISOR_BASE_URL") {
        Ok(base_url) => Client::with_base_url(&base_url, token)?,
        Err(_) => Client::new(token)?,
    };

    let body = types::UpdateAgentRequest {
        name: Some("Soporte Voz Latam".into()),
        // `Null` sends `"description": null`, clearing it; `Absent` (the
        // default) leaves a field unchanged.
        description: Nullable::Null,
        ..Default::default()
    };
    match client.update_agent(&agent, &workspace, &body).await {
        Ok(agent) => println!(
            "{} is now {} ({})",
            agent.agent_id, agent.name, agent.status
        ),
        Err(error) => {
            // The spec documents no error body: status, headers and raw body
            // are all kept.
            let body = error.response().map(|r| r.body_text()).unwrap_or_default();
            eprintln!("failed with {:?}: {error} {body}", error.status());
        }
    }
    Ok(())
}

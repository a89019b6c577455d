//! Typed clients for the "update agent" endpoints of AI voice-agent
//! platforms, generated from each vendor's OpenAPI spec by
//! `cargo xtask codegen`.
//!
//! Each vendor is a module behind a cargo feature of the same name:
//!
//! | module | vendor | operation |
//! |---|---|---|
//! | [`ravan`] | Ravan (Agni API) | `PATCH /api/v1/agents/{id}/status/` |
//! | [`selise_blocks`] | Selise Blocks | `POST /agents/change-status` |
//! | [`ayra`] | Ayra | `PUT /v1/agents/{agent_id}` |
//! | [`supervisor`] | Supervisor (getsupervisor.ai) | `PATCH /v1/agents/{agentId}` |
//!
//! Every module has a `Client` (credentials are given at construction and
//! never printed) and a `types` module. Calls return
//! [`runtime::Response`] or [`runtime::Error`], which keeps the status,
//! headers and raw body of anything the server said.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use agent_clients::ravan;
//!
//! let client = ravan::Client::new("my-api-key")?;
//! let body = ravan::types::UpdateAgentStatusRequest {
//!     status: Some(ravan::types::AgentStatus::AgentStatusInactive),
//! };
//! let updated = client.update_agent_status("agent-123", &body).await?;
//! println!("{:?}", updated.data);
//! # Ok(())
//! # }
//! ```

/// The runtime every client calls: the `agent-clients-runtime` crate.
/// Generated code names it by that crate's path, so the same output
/// compiles in this crate, in snapshot tests and in a user's own crate.
pub use agent_clients_runtime as runtime;

#[cfg(feature = "portable")]
pub mod portable;

/// The `chrono` the generated types use for `format: date-time`.
#[cfg(feature = "chrono")]
pub use chrono;
/// The `uuid` the generated types use for `format: uuid`.
#[cfg(feature = "uuid")]
pub use uuid;

// The vendor modules are written by `cargo xtask codegen` (formatted with
// prettyplease); rustfmt must leave them alone or the drift check would see
// its reformatting as drift.
#[rustfmt::skip]
mod vendors;

// Without any vendor feature there is nothing to re-export, and that is a
// valid build (the runtime alone, as the corpus checks use it).
#[allow(unused_imports)]
pub use vendors::*;

/// The README's examples are compiled as doctests, so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

//! The integration tests of `agent-clients`, as one binary: each module is
//! one concern, and linking reqwest, wiremock and the clients once instead of
//! once per file is most of what `cargo test` used to spend.

mod ayra;
mod bounded;
mod call_options;
mod codegen_snapshots;
mod contract_prism;
mod generated_shapes;
mod hooks;
mod oauth2;
// The vendors' typed mock servers; CI runs the tests with `mock` on.
#[cfg(feature = "mock")]
mod mock_servers;
mod portable;
mod ravan;
mod redirects;
mod resilience;
mod resumable_events;
mod secrets_and_tracing;
mod selise_blocks;
mod servers;
mod supervisor;
mod validation;
// Events over 127.0.0.1; CI runs the tests with `webhooks` on.
#[cfg(feature = "webhooks")]
mod webhooks;

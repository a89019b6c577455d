//! agentctl's integration tests: the built binary against local servers.

mod cli;

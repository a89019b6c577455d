//! One agent-status call across the vendors (feature `portable`).
//!
//! Each vendor spells "turn this agent on or off" its own way. This module
//! maps one portable vocabulary, [`Status`], onto each vendor's request, and
//! each vendor's outcome onto one result, [`StatusChange`], or one error,
//! [`StatusError`], whose [`ErrorKind`] a script can act on. It is
//! hand-written on top of the generated clients and sends nothing they would
//! not.
//!
//! | portable | Ravan `status` | Selise Blocks `is_disabled` / `is_archived` | Ayra `status` | Supervisor `status` |
//! |---|---|---|---|---|
//! | `active` | `AGENT_STATUS_ACTIVE` | `false` / `false` | `active` | `active` |
//! | `paused` | `AGENT_STATUS_INACTIVE` | `true` / `false` | `paused` | `inactive` |
//! | `archived` | *cannot express* | `true` / `true` | `archived` | `archived` |
//!
//! What the vocabulary leaves out:
//!
//! - Ravan documents no archived state. Asking for it is refused before
//!   anything is sent, with [`ErrorKind::Unsupported`].
//! - Supervisor's `training` is not a status a caller sets to pause or resume
//!   an agent, so no portable status maps to it.
//! - An archived Selise Blocks agent is also sent as disabled. The docs do not
//!   say what `is_archived: true, is_disabled: false` would mean, and an
//!   archived agent that still answers calls is the one outcome to avoid.
//!
//! The feature turns on all four vendor modules. The vendor-specific parts
//! of an address belong to the agent, not to the client. These are Selise Blocks' `project_key` and Supervisor's workspace
//! id; see [`Agent`].
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use agent_clients::portable::{Agent, Clients, Status};
//! use agent_clients::{ayra, ravan};
//!
//! let clients = Clients {
//!     ravan: Some(ravan::Client::new("ravan-key")?),
//!     ayra: Some(ayra::Client::new("ayra-token")?),
//!     ..Clients::default()
//! };
//! for agent in [Agent::Ravan { id: "agt_1".into() }, Agent::Ayra { id: "a-7".into() }] {
//!     match clients.set_status(&agent, Status::Paused).await {
//!         Ok(change) => println!("{} {}: {}", change.vendor, change.agent_id, change.vendor_value),
//!         Err(error) => eprintln!("{error}"),
//!     }
//! }
//! # Ok(())
//! # }
//! ```

use std::fmt;

use crate::runtime::{self, RawResponse};

/// The portable status vocabulary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// The agent takes calls.
    Active,
    /// The agent takes no calls, and can be made active again.
    Paused,
    /// The agent is retired.
    Archived,
}

impl Status {
    /// Every status, in the order the mapping table lists them.
    pub const ALL: [Status; 3] = [Status::Active, Status::Paused, Status::Archived];

    /// The lower-case name: `active`, `paused` or `archived`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Paused => "paused",
            Status::Archived => "archived",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Status {
    type Err = String;

    /// Accepts the three names; `inactive` is read as `paused`, as two
    /// vendors call it.
    fn from_str(text: &str) -> Result<Status, String> {
        match text {
            "active" => Ok(Status::Active),
            "paused" | "inactive" => Ok(Status::Paused),
            "archived" => Ok(Status::Archived),
            other => Err(format!(
                "unknown status `{other}`; expected active, paused or archived"
            )),
        }
    }
}

/// A vendor, named as its module and cargo feature are (with `-`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Vendor {
    Ravan,
    SeliseBlocks,
    Ayra,
    Supervisor,
}

impl Vendor {
    /// Every vendor.
    pub const ALL: [Vendor; 4] = [
        Vendor::Ravan,
        Vendor::SeliseBlocks,
        Vendor::Ayra,
        Vendor::Supervisor,
    ];

    /// `ravan`, `selise-blocks`, `ayra` or `supervisor`.
    pub fn as_str(self) -> &'static str {
        match self {
            Vendor::Ravan => "ravan",
            Vendor::SeliseBlocks => "selise-blocks",
            Vendor::Ayra => "ayra",
            Vendor::Supervisor => "supervisor",
        }
    }

    /// How this vendor writes `status`, or `None` where it cannot express
    /// it (the mapping table above, as data).
    pub fn vendor_value(self, status: Status) -> Option<&'static str> {
        Some(match (self, status) {
            (Vendor::Ravan, Status::Active) => "AGENT_STATUS_ACTIVE",
            (Vendor::Ravan, Status::Paused) => "AGENT_STATUS_INACTIVE",
            (Vendor::Ravan, Status::Archived) => return None,
            (Vendor::SeliseBlocks, Status::Active) => "is_disabled=false is_archived=false",
            (Vendor::SeliseBlocks, Status::Paused) => "is_disabled=true is_archived=false",
            (Vendor::SeliseBlocks, Status::Archived) => "is_disabled=true is_archived=true",
            (Vendor::Ayra, status) => status.as_str(),
            (Vendor::Supervisor, Status::Active) => "active",
            (Vendor::Supervisor, Status::Paused) => "inactive",
            (Vendor::Supervisor, Status::Archived) => "archived",
        })
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Vendor {
    type Err = String;

    fn from_str(text: &str) -> Result<Vendor, String> {
        Vendor::ALL
            .into_iter()
            .find(|vendor| vendor.as_str() == text || vendor.as_str().replace('-', "_") == text)
            .ok_or_else(|| {
                format!(
                    "unknown vendor `{text}`; expected ravan, selise-blocks, ayra or supervisor"
                )
            })
    }
}

/// Where an agent lives: its vendor, its id, and what else that vendor
/// needs to find it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Agent {
    Ravan {
        id: String,
    },
    SeliseBlocks {
        id: String,
        project_key: String,
    },
    Ayra {
        id: String,
    },
    Supervisor {
        id: uuid::Uuid,
        workspace_id: uuid::Uuid,
    },
}

impl Agent {
    pub fn vendor(&self) -> Vendor {
        match self {
            Agent::Ravan { .. } => Vendor::Ravan,
            Agent::SeliseBlocks { .. } => Vendor::SeliseBlocks,
            Agent::Ayra { .. } => Vendor::Ayra,
            Agent::Supervisor { .. } => Vendor::Supervisor,
        }
    }

    /// The agent's id as the vendor writes it.
    pub fn id(&self) -> String {
        match self {
            Agent::Ravan { id } => id.clone(),
            Agent::SeliseBlocks { id, .. } => id.clone(),
            Agent::Ayra { id } => id.clone(),
            Agent::Supervisor { id, .. } => id.to_string(),
        }
    }
}

/// A status set: what was asked, and what the vendor was sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusChange {
    pub vendor: Vendor,
    pub agent_id: String,
    pub status: Status,
    /// The vendor's own spelling of `status` ([`Vendor::vendor_value`]).
    pub vendor_value: String,
    /// The request id the vendor returned (an `x-request-id`-style header,
    /// or a `request_id` in the body, as Ayra's `meta.request_id`), when it
    /// returned one.
    pub request_id: Option<String>,
}

/// What kind of failure: the part of an error a script acts on.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The vendor cannot express the status; nothing was sent.
    Unsupported,
    /// No client for the agent's vendor was given; nothing was sent.
    NoClient,
    /// The vendor does not know the agent (404).
    NotFound,
    /// The credentials were refused (401, 403).
    Unauthorized,
    /// The vendor asked to slow down (429), after the retries the client's
    /// policy allowed.
    RateLimited,
    /// The request was refused as invalid, by the client's own checks before
    /// sending or by the vendor (400, 422); `field` names the offending
    /// field where either says.
    InvalidRequest { field: Option<String> },
    /// The vendor failed (5xx), after the retries the policy allowed.
    Server,
    /// No response: connection failure or timeout, after every attempt.
    Transport,
    /// Any other answer: an undocumented status, or a body that does not
    /// match the vendor's spec.
    UnexpectedResponse,
}

/// A status that could not be set.
#[derive(Debug)]
pub struct StatusError {
    pub vendor: Vendor,
    pub agent_id: String,
    pub status: Status,
    pub kind: ErrorKind,
    /// The vendor client's own error, typed (a `runtime::Error<E>` of the
    /// vendor's module), where there was one.
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
    /// Status, headers and body of the vendor's answer, where there was one.
    pub response: Option<RawResponse>,
}

impl fmt::Display for StatusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} agent {}: cannot set {}: ",
            self.vendor, self.agent_id, self.status
        )?;
        match &self.kind {
            ErrorKind::Unsupported => write!(f, "{} has no such status", self.vendor),
            ErrorKind::NoClient => write!(f, "no {} client was configured", self.vendor),
            ErrorKind::NotFound => f.write_str("the vendor does not know this agent"),
            ErrorKind::Unauthorized => f.write_str("the credentials were refused"),
            ErrorKind::RateLimited => f.write_str("rate limited"),
            ErrorKind::InvalidRequest { field: Some(field) } => {
                write!(f, "invalid request (field `{field}`)")
            }
            ErrorKind::InvalidRequest { field: None } => f.write_str("invalid request"),
            ErrorKind::Server => f.write_str("the vendor failed"),
            ErrorKind::Transport => f.write_str("no response"),
            ErrorKind::UnexpectedResponse => f.write_str("unexpected response"),
        }?;
        if let Some(response) = &self.response {
            write!(f, " (HTTP {})", response.status().as_u16())?;
        }
        Ok(())
    }
}

impl std::error::Error for StatusError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn std::error::Error + 'static))
    }
}

/// A client for each vendor in use; a vendor left `None` fails its agents
/// with [`ErrorKind::NoClient`].
#[derive(Clone, Debug, Default)]
pub struct Clients {
    pub ravan: Option<crate::ravan::Client>,
    pub selise_blocks: Option<crate::selise_blocks::Client>,
    pub ayra: Option<crate::ayra::Client>,
    pub supervisor: Option<crate::supervisor::Client>,
}

impl Clients {
    /// The same clients (connections, credentials), each of whose calls
    /// uses `options` ([`crate::runtime::CallOptions`]: a time limit,
    /// headers, a retry policy, an idempotency key); these are unchanged.
    pub fn with_options(&self, options: crate::runtime::CallOptions) -> Clients {
        Clients {
            ravan: self.ravan.as_ref().map(|c| c.with_options(options.clone())),
            selise_blocks: self
                .selise_blocks
                .as_ref()
                .map(|c| c.with_options(options.clone())),
            ayra: self.ayra.as_ref().map(|c| c.with_options(options.clone())),
            supervisor: self
                .supervisor
                .as_ref()
                .map(|c| c.with_options(options.clone())),
        }
    }

    /// Sets `agent`'s status on its vendor: one request, retried as the
    /// vendor client's policy says.
    pub async fn set_status(
        &self,
        agent: &Agent,
        status: Status,
    ) -> Result<StatusChange, StatusError> {
        let failure = Failure {
            vendor: agent.vendor(),
            agent_id: agent.id(),
            status,
        };
        let Some(vendor_value) = failure.vendor.vendor_value(status) else {
            return Err(failure.error(ErrorKind::Unsupported));
        };
        let request_id = match agent {
            Agent::Ravan { id } => {
                use crate::ravan::types::{AgentStatus, UpdateAgentStatusRequest};
                let client = self
                    .ravan
                    .as_ref()
                    .ok_or_else(|| failure.error(ErrorKind::NoClient))?;
                let body = UpdateAgentStatusRequest {
                    status: Some(match status {
                        Status::Active => AgentStatus::AgentStatusActive,
                        _ => AgentStatus::AgentStatusInactive,
                    }),
                };
                let response = client
                    .update_agent_status(id, &body)
                    .await
                    .map_err(|error| failure.classify(error, |_| None))?;
                response.request_id()
            }
            Agent::SeliseBlocks { id, project_key } => {
                use crate::selise_blocks::{ChangeAgentStatusError, types};
                let client = self
                    .selise_blocks
                    .as_ref()
                    .ok_or_else(|| failure.error(ErrorKind::NoClient))?;
                let body = types::ChangeAgentStatusRequest {
                    agent_id: id.clone(),
                    project_key: project_key.clone(),
                    is_disabled: status != Status::Active,
                    is_archived: status == Status::Archived,
                };
                let response = client.change_agent_status(&body).await.map_err(|error| {
                    failure.classify(error, |body| match body {
                        ChangeAgentStatusError::UnprocessableEntity(invalid) => {
                            invalid.detail.first().map(selise_field)
                        }
                    })
                })?;
                response.request_id()
            }
            Agent::Ayra { id } => {
                use crate::ayra::{UpdateAgentError, types};
                let client = self
                    .ayra
                    .as_ref()
                    .ok_or_else(|| failure.error(ErrorKind::NoClient))?;
                let body = types::UpdateAgentRequest {
                    status: Some(match status {
                        Status::Active => types::AgentStatus::Active,
                        Status::Paused => types::AgentStatus::Paused,
                        Status::Archived => types::AgentStatus::Archived,
                    }),
                    ..Default::default()
                };
                let response = client.update_agent(id, &body).await.map_err(|error| {
                    failure.classify(error, |body| match body {
                        UpdateAgentError::BadRequest(error) | UpdateAgentError::NotFound(error) => {
                            error.error.field.clone()
                        }
                    })
                })?;
                response.request_id()
            }
            Agent::Supervisor { id, workspace_id } => {
                use crate::supervisor::types;
                let client = self
                    .supervisor
                    .as_ref()
                    .ok_or_else(|| failure.error(ErrorKind::NoClient))?;
                let body = types::UpdateAgentRequest {
                    status: Some(match status {
                        Status::Active => types::AgentStatus::Active,
                        Status::Paused => types::AgentStatus::Inactive,
                        Status::Archived => types::AgentStatus::Archived,
                    }),
                    ..Default::default()
                };
                let response = client
                    .update_agent(id, workspace_id, &body)
                    .await
                    .map_err(|error| failure.classify(error, |_| None))?;
                response.request_id()
            }
        };
        Ok(StatusChange {
            vendor: failure.vendor,
            agent_id: failure.agent_id,
            status,
            vendor_value: vendor_value.to_string(),
            request_id,
        })
    }
}

/// Selise Blocks' name for the field of a validation error: its `loc`
/// path without the leading `body`.
fn selise_field(error: &crate::selise_blocks::types::ValidationError) -> String {
    let parts: Vec<String> = error
        .loc
        .iter()
        .map(|part| match serde_json::to_value(part) {
            Ok(serde_json::Value::String(text)) => text,
            Ok(other) => other.to_string(),
            Err(_) => String::new(),
        })
        .collect();
    match parts.split_first() {
        Some((first, rest)) if first == "body" && !rest.is_empty() => rest.join("."),
        _ => parts.join("."),
    }
}

/// The agent and status a failure is about.
struct Failure {
    vendor: Vendor,
    agent_id: String,
    status: Status,
}

impl Failure {
    fn error(&self, kind: ErrorKind) -> StatusError {
        StatusError {
            vendor: self.vendor,
            agent_id: self.agent_id.clone(),
            status: self.status,
            kind,
            source: None,
            response: None,
        }
    }

    /// Classifies a vendor client's error; `field` reads the offending
    /// field from the vendor's typed error body.
    fn classify<E>(
        &self,
        error: runtime::Error<E>,
        field: impl Fn(&E) -> Option<String>,
    ) -> StatusError
    where
        E: fmt::Debug + Send + Sync + 'static,
    {
        let (kind, response) = match &error {
            runtime::Error::InvalidRequest(invalid) => (
                ErrorKind::InvalidRequest {
                    field: Some(invalid.field.clone()),
                },
                None,
            ),
            runtime::Error::Transport { .. } => (ErrorKind::Transport, None),
            runtime::Error::Api { body, response } => {
                (kind_of(response, field(body)), Some(response.clone()))
            }
            runtime::Error::UnexpectedStatus(response) => {
                (kind_of(response, None), Some(response.clone()))
            }
            runtime::Error::Redirect { response, .. }
            | runtime::Error::ResponseTooLarge { response, .. }
            | runtime::Error::Decode { response, .. } => {
                (ErrorKind::UnexpectedResponse, Some(response.clone()))
            }
            // The runtime's `Error` is non-exhaustive: a failure a later
            // runtime adds is unexpected here, with whatever response it saw.
            _ => (ErrorKind::UnexpectedResponse, error.response().cloned()),
        };
        StatusError {
            kind,
            response,
            source: Some(Box::new(error)),
            ..self.error(ErrorKind::UnexpectedResponse)
        }
    }
}

/// The kind of an error status.
fn kind_of(response: &RawResponse, field: Option<String>) -> ErrorKind {
    match response.status().as_u16() {
        400 | 422 => ErrorKind::InvalidRequest { field },
        401 | 403 => ErrorKind::Unauthorized,
        404 => ErrorKind::NotFound,
        429 => ErrorKind::RateLimited,
        500..=599 => ErrorKind::Server,
        _ => ErrorKind::UnexpectedResponse,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_explained() {
        for status in Status::ALL {
            assert_eq!(status.as_str().parse::<Status>(), Ok(status));
        }
        assert_eq!("inactive".parse::<Status>(), Ok(Status::Paused));
        assert!(
            "training"
                .parse::<Status>()
                .unwrap_err()
                .contains("training")
        );
        for vendor in Vendor::ALL {
            assert_eq!(vendor.as_str().parse::<Vendor>(), Ok(vendor));
        }
        assert_eq!("selise_blocks".parse::<Vendor>(), Ok(Vendor::SeliseBlocks));
        assert!("retell".parse::<Vendor>().unwrap_err().contains("retell"));
    }

    #[test]
    fn only_ravan_lacks_a_status() {
        for vendor in Vendor::ALL {
            for status in Status::ALL {
                let expressible = vendor.vendor_value(status).is_some();
                assert_eq!(
                    expressible,
                    !(vendor == Vendor::Ravan && status == Status::Archived),
                    "{vendor} {status}"
                );
            }
        }
    }
}

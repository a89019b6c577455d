//! Setting the status of many agents: the vendor clients, the concurrent
//! calls, and the report.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::time::Duration;

use agent_clients::portable::{
    Agent, Clients, ErrorKind, Status, StatusChange, StatusError, Vendor,
};
use agent_clients::runtime::{ClientConfig, RetryPolicy};
use agent_clients::{ayra, ravan, selise_blocks, supervisor};
use serde_json::json;

use crate::credentials::{self, Credentials};

/// How the clients are built.
pub struct Settings {
    pub base_urls: BTreeMap<Vendor, String>,
    pub timeout: Duration,
    pub attempts: u32,
}

/// A client for each vendor in `vendors` that has its credentials; a
/// vendor without them is left out, and its agents fail with `NoClient`.
pub fn clients(
    vendors: impl IntoIterator<Item = Vendor>,
    credentials: &Credentials,
    settings: &Settings,
) -> Result<Clients, String> {
    let config = || {
        ClientConfig::default()
            .timeout(settings.timeout)
            .retry(RetryPolicy::default().max_attempts(settings.attempts.max(1)))
    };
    let mut clients = Clients::default();
    for vendor in vendors {
        let url = settings.base_urls.get(&vendor);
        let secret = credentials.get(vendor);
        let failed = |error: agent_clients::runtime::ConfigError| format!("{vendor}: {error}");
        match vendor {
            Vendor::Ravan => {
                if let Some(key) = secret {
                    let url = url.map_or(ravan::Client::DEFAULT_BASE_URL, String::as_str);
                    clients.ravan =
                        Some(ravan::Client::with_config(url, key, config()).map_err(failed)?);
                }
            }
            Vendor::SeliseBlocks => {
                let url = url.map_or(selise_blocks::Client::DEFAULT_BASE_URL, String::as_str);
                clients.selise_blocks =
                    Some(selise_blocks::Client::with_config(url, config()).map_err(failed)?);
            }
            Vendor::Ayra => {
                if let Some(token) = secret {
                    let url = url.map_or(ayra::Client::DEFAULT_BASE_URL, String::as_str);
                    clients.ayra =
                        Some(ayra::Client::with_config(url, token, config()).map_err(failed)?);
                }
            }
            Vendor::Supervisor => {
                if let Some(token) = secret {
                    let url = url.map_or(supervisor::Client::DEFAULT_BASE_URL, String::as_str);
                    clients.supervisor = Some(
                        supervisor::Client::with_config(url, token, config()).map_err(failed)?,
                    );
                }
            }
            other => return Err(format!("{other} is not supported")),
        }
    }
    Ok(clients)
}

/// One agent's result.
pub struct Outcome {
    pub agent: Agent,
    pub status: Status,
    /// `None` for a dry run that would send a request.
    pub result: Result<Option<StatusChange>, StatusError>,
}

/// Sets `status` on every agent, at most `concurrency` at a time, each
/// once; the outcomes come back in the agents' order. A dry run sends
/// nothing and reports what each agent would be sent.
pub async fn set_status(
    clients: Clients,
    agents: Vec<Agent>,
    status: Status,
    concurrency: usize,
    dry_run: bool,
) -> Vec<Outcome> {
    let total = agents.len();
    let progress = Progress::new(total);
    let clients = Arc::new(clients);
    let permits = Arc::new(tokio::sync::Semaphore::new(concurrency.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    for (index, agent) in agents.into_iter().enumerate() {
        let clients = Arc::clone(&clients);
        let permits = Arc::clone(&permits);
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await;
            let result = if dry_run {
                dry(&agent, status)
            } else {
                clients.set_status(&agent, status).await.map(Some)
            };
            (
                index,
                Outcome {
                    agent,
                    status,
                    result,
                },
            )
        });
    }
    let mut outcomes: Vec<Option<Outcome>> = (0..total).map(|_| None).collect();
    while let Some(joined) = tasks.join_next().await {
        // A panicking task is a bug in this program; let it surface.
        let (index, outcome) =
            joined.unwrap_or_else(|error| std::panic::resume_unwind(error.into_panic()));
        progress.done(&outcome);
        outcomes[index] = Some(outcome);
    }
    progress.finish();
    outcomes.into_iter().flatten().collect()
}

/// What a dry run reports: the refusals `set_status` would make before
/// sending, else nothing.
fn dry(agent: &Agent, status: Status) -> Result<Option<StatusChange>, StatusError> {
    match agent.vendor().vendor_value(status) {
        Some(_) => Ok(None),
        None => Err(StatusError {
            vendor: agent.vendor(),
            agent_id: agent.id(),
            status,
            kind: ErrorKind::Unsupported,
            source: None,
            response: None,
        }),
    }
}

/// Progress on stderr: a bar on a terminal, a line per agent otherwise.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    total: usize,
    done: std::sync::atomic::AtomicUsize,
}

impl Progress {
    fn new(total: usize) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} agents, {elapsed} {msg}",
            ) {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            total,
            done: Default::default(),
        }
    }

    fn done(&self, outcome: &Outcome) {
        let done = self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        let line = format!(
            "[{done}/{}] {} {}: {}",
            self.total,
            outcome.agent.vendor(),
            outcome.agent.id(),
            summary(outcome)
        );
        match &self.bar {
            Some(bar) => {
                bar.inc(1);
                if outcome.result.is_err() {
                    bar.println(line);
                }
            }
            None => eprintln!("{line}"),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// `ok: ...` or `failed: ...`, one line.
fn summary(outcome: &Outcome) -> String {
    match &outcome.result {
        Ok(_) => format!("ok, {}", detail(outcome)),
        Err(_) => format!("failed, {}", detail(outcome)),
    }
}

/// What happened to one agent, for people.
fn detail(outcome: &Outcome) -> String {
    match &outcome.result {
        Ok(Some(change)) => match &change.request_id {
            Some(id) => format!("sent {} (request {id})", change.vendor_value),
            None => format!("sent {}", change.vendor_value),
        },
        Ok(None) => format!(
            "would send {} (dry run)",
            outcome
                .agent
                .vendor()
                .vendor_value(outcome.status)
                .unwrap_or("?")
        ),
        Err(error) => {
            let mut text = kind_text(error);
            if let Some(response) = &error.response {
                text.push_str(&format!(" (HTTP {})", response.status().as_u16()));
            }
            text
        }
    }
}

fn kind_text(error: &StatusError) -> String {
    match &error.kind {
        ErrorKind::Unsupported => format!("{} has no `{}` status", error.vendor, error.status),
        ErrorKind::NoClient => match credentials::names(error.vendor) {
            Some((variable, key)) => {
                format!("no credentials: set {variable} (or `{key}` in the credentials file)")
            }
            None => "no client".into(),
        },
        ErrorKind::NotFound => "not found".into(),
        ErrorKind::Unauthorized => "unauthorized".into(),
        ErrorKind::RateLimited => "rate limited".into(),
        ErrorKind::InvalidRequest { field: Some(field) } => {
            format!("invalid request, field `{field}`")
        }
        ErrorKind::InvalidRequest { field: None } => "invalid request".into(),
        ErrorKind::Server => "server error".into(),
        ErrorKind::Transport => "no response".into(),
        _ => "unexpected response".into(),
    }
}

/// The `kind` field of `--json` output.
fn kind_name(kind: &ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Unsupported => "unsupported",
        ErrorKind::NoClient => "no_credentials",
        ErrorKind::NotFound => "not_found",
        ErrorKind::Unauthorized => "unauthorized",
        ErrorKind::RateLimited => "rate_limited",
        ErrorKind::InvalidRequest { .. } => "invalid_request",
        ErrorKind::Server => "server",
        ErrorKind::Transport => "transport",
        _ => "unexpected_response",
    }
}

/// One JSON object per line, per agent.
pub fn print_json(outcomes: &[Outcome], out: &mut impl Write) -> std::io::Result<()> {
    for outcome in outcomes {
        let mut object = json!({
            "vendor": outcome.agent.vendor().as_str(),
            "agent": outcome.agent.id(),
            "status": outcome.status.as_str(),
            "ok": outcome.result.is_ok(),
        });
        match &outcome.result {
            Ok(Some(change)) => {
                object["vendor_value"] = json!(change.vendor_value);
                object["request_id"] = json!(change.request_id);
            }
            Ok(None) => {
                object["dry_run"] = json!(true);
                object["vendor_value"] = json!(outcome.agent.vendor().vendor_value(outcome.status));
            }
            Err(error) => {
                object["kind"] = json!(kind_name(&error.kind));
                object["error"] = json!(kind_text(error));
                if let ErrorKind::InvalidRequest { field } = &error.kind {
                    object["field"] = json!(field);
                }
                if let Some(response) = &error.response {
                    object["http_status"] = json!(response.status().as_u16());
                    object["request_id"] = json!(response.request_id());
                }
            }
        }
        writeln!(out, "{object}")?;
    }
    Ok(())
}

/// A table of every agent, then the failures named.
pub fn print_table(outcomes: &[Outcome], out: &mut impl Write) -> std::io::Result<()> {
    let width = outcomes
        .iter()
        .map(|outcome| outcome.agent.id().len())
        .max()
        .unwrap_or(5)
        .max(5);
    writeln!(
        out,
        "{:<14} {:<width$} {:<7} DETAIL",
        "VENDOR", "AGENT", "RESULT"
    )?;
    for outcome in outcomes {
        let result = if outcome.result.is_ok() {
            "ok"
        } else {
            "FAILED"
        };
        writeln!(
            out,
            "{:<14} {:<width$} {:<7} {}",
            outcome.agent.vendor().as_str(),
            outcome.agent.id(),
            result,
            detail(outcome)
        )?;
    }
    let failed: Vec<&Outcome> = outcomes.iter().filter(|o| o.result.is_err()).collect();
    if failed.is_empty() {
        writeln!(out, "\nall {} agents ok", outcomes.len())?;
    } else {
        writeln!(
            out,
            "\n{} of {} agents failed:",
            failed.len(),
            outcomes.len()
        )?;
        for outcome in failed {
            writeln!(
                out,
                "  {} {}: {}",
                outcome.agent.vendor(),
                outcome.agent.id(),
                detail(outcome)
            )?;
        }
    }
    Ok(())
}

//! Setting the status of many agents: the vendor clients, the concurrent
//! calls, and the report.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use agent_clients::portable::{
    Agent, Clients, ErrorKind, Status, StatusChange, StatusError, Vendor,
};
use agent_clients::runtime::{ClientConfig, RetryPolicy};
use agent_clients::{ayra, ravan, selise_blocks, supervisor};
use serde_json::json;

use crate::credentials::{self, Credentials};
use crate::interrupt::Interrupts;

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
    pub result: Result<Option<StatusChange>, Failure>,
}

/// Why an agent's status was not set.
pub enum Failure {
    /// The vendor client refused or failed the call.
    Call(StatusError),
    /// Ctrl-C came before its request started: nothing was sent.
    NotAttempted,
    /// Ctrl-C came while its request was in flight, and it did not end
    /// within `--timeout`: the vendor may or may not have applied it.
    Interrupted,
}

/// Every agent's outcome, in the agents' order, and whether Ctrl-C cut
/// the run short.
pub struct Report {
    pub outcomes: Vec<Outcome>,
    pub interrupted: bool,
}

/// Sets `status` on every agent, at most `concurrency` at a time, each
/// once; the outcomes come back in the agents' order. A dry run sends
/// nothing and reports what each agent would be sent.
///
/// The first Ctrl-C starts no new request and waits up to `grace` for those
/// in flight; the second ends the process at once, with status 130.
pub async fn set_status(
    clients: Clients,
    agents: Vec<Agent>,
    status: Status,
    concurrency: usize,
    dry_run: bool,
    grace: Duration,
) -> Report {
    // Listening from before the first request: an interrupt at any point
    // after it leaves a report.
    let mut interrupts = Interrupts::listen();
    let mut calls = Calls::start(clients, &agents, status, concurrency, dry_run);
    let mut outcomes: Vec<Option<Outcome>> = agents.iter().map(|_| None).collect();
    let progress = Progress::new(agents.len());
    let mut deadline: Option<tokio::time::Instant> = None;
    loop {
        let grace_over = async {
            match deadline {
                Some(deadline) => tokio::time::sleep_until(deadline).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            ended = calls.next() => match ended {
                Some((index, outcome)) => {
                    progress.done(&outcome);
                    outcomes[index] = Some(outcome);
                }
                None => break,
            },
            () = interrupts.next() => {
                if deadline.is_some() {
                    progress.say("interrupted again: exiting now, without a report");
                    std::process::exit(130);
                }
                let in_flight = calls.stop();
                deadline = Some(tokio::time::Instant::now() + grace);
                progress.say(&format!(
                    "interrupted: starting no new request; waiting up to {}s for the {in_flight} \
                     in flight (Ctrl-C again to exit now)",
                    grace.as_secs()
                ));
            }
            () = grace_over => break,
        }
    }
    // What ended as the grace ran out is reported as it ended.
    for (index, outcome) in calls.finished() {
        progress.done(&outcome);
        outcomes[index] = Some(outcome);
    }
    progress.finish();
    let outcomes = outcomes
        .into_iter()
        .zip(agents)
        .enumerate()
        .map(|(index, (outcome, agent))| {
            outcome.unwrap_or_else(|| Outcome {
                agent,
                status,
                result: Err(if calls.started(index) {
                    Failure::Interrupted
                } else {
                    Failure::NotAttempted
                }),
            })
        })
        .collect();
    Report {
        outcomes,
        interrupted: deadline.is_some(),
    }
}

/// The concurrent calls, one task per agent, each waiting for a permit.
struct Calls {
    tasks: tokio::task::JoinSet<(usize, Outcome)>,
    permits: Arc<tokio::sync::Semaphore>,
    /// Per agent: its request has started.
    started: Arc<[AtomicBool]>,
    ended: usize,
}

impl Calls {
    fn start(
        clients: Clients,
        agents: &[Agent],
        status: Status,
        concurrency: usize,
        dry_run: bool,
    ) -> Calls {
        let clients = Arc::new(clients);
        let permits = Arc::new(tokio::sync::Semaphore::new(concurrency.max(1)));
        let started: Arc<[AtomicBool]> = agents.iter().map(|_| AtomicBool::new(false)).collect();
        let mut tasks = tokio::task::JoinSet::new();
        for (index, agent) in agents.iter().cloned().enumerate() {
            let clients = Arc::clone(&clients);
            let permits = Arc::clone(&permits);
            let started = Arc::clone(&started);
            tasks.spawn(async move {
                // Closed by `stop`: a request not yet started never starts.
                let Ok(_permit) = permits.acquire_owned().await else {
                    let result = Err(Failure::NotAttempted);
                    return (
                        index,
                        Outcome {
                            agent,
                            status,
                            result,
                        },
                    );
                };
                started[index].store(true, Ordering::SeqCst);
                let result = if dry_run {
                    dry(&agent, status)
                } else {
                    clients.set_status(&agent, status).await.map(Some)
                };
                let result = result.map_err(Failure::Call);
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
        Calls {
            tasks,
            permits,
            started,
            ended: 0,
        }
    }

    /// The next call to end, or `None` when all have.
    async fn next(&mut self) -> Option<(usize, Outcome)> {
        let joined = self.tasks.join_next().await?;
        self.ended += 1;
        // A panicking task is a bug in this program; let it surface.
        Some(joined.unwrap_or_else(|error| std::panic::resume_unwind(error.into_panic())))
    }

    /// Starts no new request; how many are in flight.
    fn stop(&self) -> usize {
        self.permits.close();
        let started = self
            .started
            .iter()
            .filter(|s| s.load(Ordering::SeqCst))
            .count();
        started.saturating_sub(self.ended)
    }

    /// The calls that have ended but were not yet taken; the others are
    /// abandoned.
    fn finished(&mut self) -> Vec<(usize, Outcome)> {
        let mut finished = Vec::new();
        while let Some(joined) = self.tasks.try_join_next() {
            if let Ok(ended) = joined {
                finished.push(ended);
            }
        }
        self.tasks.abort_all();
        finished
    }

    fn started(&self, index: usize) -> bool {
        self.started[index].load(Ordering::SeqCst)
    }
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

    /// A line for the operator, above the bar if there is one.
    fn say(&self, message: &str) {
        match &self.bar {
            Some(bar) => bar.println(format!("agentctl: {message}")),
            None => eprintln!("agentctl: {message}"),
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
        Err(Failure::Call(error)) => {
            let mut text = kind_text(error);
            if let Some(response) = &error.response {
                text.push_str(&format!(" (HTTP {})", response.status().as_u16()));
            }
            text
        }
        Err(failure) => failure_text(failure),
    }
}

/// What happened, for people: the vendor's failure, or the interruption.
fn failure_text(failure: &Failure) -> String {
    match failure {
        Failure::Call(error) => kind_text(error),
        Failure::NotAttempted => "not attempted: interrupted before its request started".into(),
        Failure::Interrupted => {
            "interrupted in flight: the vendor may or may not have applied it".into()
        }
    }
}

/// The `kind` field of `--json` output.
fn failure_kind(failure: &Failure) -> &'static str {
    match failure {
        Failure::Call(error) => kind_name(&error.kind),
        Failure::NotAttempted => "not_attempted",
        Failure::Interrupted => "interrupted",
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

/// The `kind` of a vendor call's failure.
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
            Err(failure) => {
                object["kind"] = json!(failure_kind(failure));
                object["error"] = json!(failure_text(failure));
                if let Failure::Call(error) = failure {
                    if let ErrorKind::InvalidRequest { field } = &error.kind {
                        object["field"] = json!(field);
                    }
                    if let Some(response) = &error.response {
                        object["http_status"] = json!(response.status().as_u16());
                        object["request_id"] = json!(response.request_id());
                    }
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

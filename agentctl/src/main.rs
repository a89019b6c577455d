//! `agentctl`: pause, resume or archive AI voice agents on several
//! platforms at once, through `agent_clients::portable`.
//!
//! Exit status: 0 when every agent's status was set (or, with `--dry-run`,
//! could be), 1 when any agent failed (each is named), 2 when the command
//! itself is wrong (arguments, fleet file, credentials file), 130 when
//! Ctrl-C stopped the run (the report still lists every agent).

mod credentials;
mod fleet;
mod interrupt;
mod run;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use agent_clients::portable::{Agent, Status, Vendor};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "agentctl",
    version,
    about = "Pause, resume or archive AI voice agents on Ravan, Selise Blocks, Ayra and Supervisor.",
    after_help = "Credentials come from AGENTCTL_RAVAN_API_KEY, AGENTCTL_AYRA_TOKEN and \
                  AGENTCTL_SUPERVISOR_TOKEN (Selise Blocks documents none), or from the \
                  credentials file a fleet file names. They are never printed.\n\n\
                  Ctrl-C: the first starts no new request, waits up to --timeout for those in \
                  flight, then prints the report with every agent (those never started as \
                  `not_attempted`, those still in flight as `interrupted`) and exits with 130. \
                  A second Ctrl-C exits at once, without a report.\n\n\
                  Exit status: 0 all set, 1 any failed, 2 bad command or files, 130 interrupted."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// One JSON object per agent on stdout, for scripts.
    #[arg(long, global = true)]
    json: bool,
    /// A vendor's base URL instead of its documented one (staging, tests).
    #[arg(long = "base-url", value_name = "VENDOR=URL", global = true)]
    base_urls: Vec<BaseUrl>,
    /// Seconds before one request is abandoned; also how long the first
    /// Ctrl-C waits for the requests in flight.
    #[arg(long, value_name = "SECONDS", default_value_t = 30, global = true)]
    timeout: u64,
    /// Attempts per request, the first included (1: no retries). Retries
    /// follow the vendor client's policy: backoff with jitter, Retry-After,
    /// and only operations that are idempotent (by HTTP method, or marked
    /// so in the vendor's spec: all four status calls are), or whose
    /// connection failed before anything was sent.
    #[arg(long, default_value_t = 3, global = true)]
    attempts: u32,
}

#[derive(Subcommand)]
enum Command {
    /// One agent.
    Status {
        #[command(subcommand)]
        action: StatusAction,
    },
    /// The agents of a fleet file.
    Fleet {
        #[command(subcommand)]
        action: FleetAction,
    },
}

#[derive(Subcommand)]
enum StatusAction {
    /// Sets one agent's status.
    Set {
        /// ravan, selise-blocks, ayra or supervisor.
        vendor: Vendor,
        agent_id: String,
        /// active, paused or archived.
        status: Status,
        /// Selise Blocks: the project the agent belongs to.
        #[arg(long)]
        project_key: Option<String>,
        /// Supervisor: the workspace the agent belongs to.
        #[arg(long)]
        workspace_id: Option<String>,
    },
}

#[derive(Subcommand)]
enum FleetAction {
    /// Sets the status of every selected agent of the fleet, concurrently.
    SetStatus {
        /// active, paused or archived.
        status: Status,
        /// The fleet file (TOML).
        #[arg(long, default_value = "fleet.toml")]
        fleet: PathBuf,
        /// Only agents with this label value (`vendor=...` selects by
        /// vendor); repeat to require several.
        #[arg(long = "select", value_name = "KEY=VALUE")]
        selectors: Vec<fleet::Selector>,
        /// Show what each agent would be sent; send nothing.
        #[arg(long)]
        dry_run: bool,
        /// Agents in flight at once.
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
    },
}

/// `--base-url VENDOR=URL`.
#[derive(Clone)]
struct BaseUrl(Vendor, String);

impl std::str::FromStr for BaseUrl {
    type Err = String;

    fn from_str(text: &str) -> Result<BaseUrl, String> {
        let (vendor, url) = text
            .split_once('=')
            .ok_or_else(|| format!("`{text}` is not `VENDOR=URL`"))?;
        Ok(BaseUrl(vendor.parse()?, url.to_string()))
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => return fail(format!("cannot start the async runtime: {error}")),
    };
    match runtime.block_on(execute(cli)) {
        Ok(code) => code,
        Err(message) => fail(message),
    }
}

fn fail(message: String) -> ExitCode {
    eprintln!("agentctl: {message}");
    ExitCode::from(2)
}

async fn execute(cli: Cli) -> Result<ExitCode, String> {
    let settings = run::Settings {
        base_urls: cli
            .base_urls
            .iter()
            .map(|b| (b.0, b.1.clone()))
            .collect::<BTreeMap<_, _>>(),
        timeout: Duration::from_secs(cli.timeout),
        attempts: cli.attempts,
    };
    let (agents, status, credentials_file, concurrency, dry_run) = match cli.command {
        Command::Status {
            action:
                StatusAction::Set {
                    vendor,
                    agent_id,
                    status,
                    project_key,
                    workspace_id,
                },
        } => {
            let agent = one_agent(vendor, agent_id, project_key, workspace_id)?;
            (vec![agent], status, None, 1, false)
        }
        Command::Fleet {
            action:
                FleetAction::SetStatus {
                    status,
                    fleet,
                    selectors,
                    dry_run,
                    concurrency,
                },
        } => {
            let fleet = fleet::load(&fleet)?;
            let agents: Vec<Agent> = fleet
                .members
                .into_iter()
                .filter(|member| selectors.iter().all(|s| s.matches(member)))
                .map(|member| member.agent)
                .collect();
            if agents.is_empty() {
                return Err("no agent of the fleet matches the selection".into());
            }
            (agents, status, fleet.credentials, concurrency, dry_run)
        }
    };
    let credentials = credentials::Credentials::load(credentials_file.as_deref())?;
    let vendors: std::collections::BTreeSet<Vendor> = agents.iter().map(Agent::vendor).collect();
    let clients = run::clients(vendors, &credentials, &settings)?;
    let report = run::set_status(
        clients,
        agents,
        status,
        concurrency,
        dry_run,
        settings.timeout,
    )
    .await;
    let outcomes = &report.outcomes;
    let mut stdout = std::io::stdout().lock();
    let printed = if cli.json {
        run::print_json(outcomes, &mut stdout)
    } else {
        run::print_table(outcomes, &mut stdout)
    };
    printed.map_err(|error| format!("cannot write the report: {error}"))?;
    Ok(if report.interrupted {
        // 128 + SIGINT, as a shell reports a command Ctrl-C ended.
        ExitCode::from(130)
    } else if outcomes.iter().all(|outcome| outcome.result.is_ok()) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The agent `status set` names; a problem is reported by its flag.
fn one_agent(
    vendor: Vendor,
    id: String,
    project_key: Option<String>,
    workspace_id: Option<String>,
) -> Result<Agent, String> {
    fleet::address(vendor, id, project_key, workspace_id).map_err(|problem| {
        let name = match problem.field {
            "id" => "the agent id".to_string(),
            field => format!("--{}", field.replace('_', "-")),
        };
        problem.describe(&name)
    })
}

//! The fleet file: agents across vendors, with labels to select them by.
//!
//! ```toml
//! # Optional: a TOML file of credentials (see `credentials.rs`), relative
//! # to this file. Environment variables take precedence over it.
//! credentials = "secrets.toml"
//!
//! [[agent]]
//! vendor = "ravan"
//! id = "agt_1"
//! labels = { team = "support", region = "eu" }
//!
//! [[agent]]
//! vendor = "selise-blocks"
//! id = "7d2c..."
//! project_key = "P-42"
//!
//! [[agent]]
//! vendor = "supervisor"
//! id = "6f1d7a52-4c2b-4d8e-9a7f-1b2c3d4e5f60"
//! workspace_id = "0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d"
//! ```
//!
//! Every problem is reported with the file, the line and the field, before
//! anything is sent.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use agent_clients::portable::{Agent, Vendor};
use serde::Deserialize;
use toml::Spanned;

/// One agent of the fleet.
#[derive(Debug, Clone)]
pub struct Member {
    pub agent: Agent,
    pub labels: BTreeMap<String, String>,
    /// Line of its `[[agent]]` entry.
    pub line: usize,
}

/// A parsed fleet file.
#[derive(Debug)]
pub struct Fleet {
    pub members: Vec<Member>,
    /// The credentials file it names, resolved against the fleet file.
    pub credentials: Option<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    credentials: Option<String>,
    #[serde(default, rename = "agent")]
    agents: Vec<Spanned<Entry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    vendor: Spanned<String>,
    id: Spanned<String>,
    project_key: Option<Spanned<String>>,
    workspace_id: Option<Spanned<String>>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
}

/// Reads and checks the fleet file at `path`.
pub fn load(path: &Path) -> Result<Fleet, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read the fleet file {}: {error}", path.display()))?;
    parse(path, &text)
}

/// Checks `text`, the fleet file `path`.
pub fn parse(path: &Path, text: &str) -> Result<Fleet, String> {
    let file: File = toml::from_str(text)
        .map_err(|error| format!("{}: {}", path.display(), error.to_string().trim_end()))?;
    let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
    let mut problems = Vec::new();
    let mut members: Vec<Member> = Vec::new();
    for entry in &file.agents {
        let line = line_of(entry.span().start);
        match member(entry.get_ref(), &line_of) {
            Ok(agent) => {
                if let Some(first) = members.iter().find(|m| m.agent == agent) {
                    problems.push(format!(
                        "line {line}: {} agent `{}` is listed twice (first at line {}); \
                         each agent is called once",
                        agent.vendor(),
                        agent.id(),
                        first.line
                    ));
                    continue;
                }
                members.push(Member {
                    agent,
                    labels: entry.get_ref().labels.clone(),
                    line,
                });
            }
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return Err(format!("{}:\n  {}", path.display(), problems.join("\n  ")));
    }
    let credentials = file
        .credentials
        .map(|credentials| path.parent().unwrap_or(Path::new(".")).join(credentials));
    Ok(Fleet {
        members,
        credentials,
    })
}

/// The agent an entry describes, or what is wrong with it, with its line.
fn member(entry: &Entry, line_of: &impl Fn(usize) -> usize) -> Result<Agent, String> {
    let at = |field: &str, span: std::ops::Range<usize>| {
        format!("line {}, field `{field}`", line_of(span.start))
    };
    let vendor: Vendor = entry
        .vendor
        .get_ref()
        .parse()
        .map_err(|why| format!("{}: {why}", at("vendor", entry.vendor.span())))?;
    let extra =
        |field: &Option<Spanned<String>>| field.as_ref().map(|value| value.get_ref().clone());
    address(
        vendor,
        entry.id.get_ref().clone(),
        extra(&entry.project_key),
        extra(&entry.workspace_id),
    )
    .map_err(|problem| {
        // Where the field is, or the entry's `id` for a missing one.
        let span = match problem.field {
            "project_key" => entry.project_key.as_ref().map(Spanned::span),
            "workspace_id" => entry.workspace_id.as_ref().map(Spanned::span),
            _ => None,
        }
        .unwrap_or_else(|| entry.id.span());
        let field = if span == entry.id.span() {
            "id"
        } else {
            problem.field
        };
        let name = format!("`{}`", problem.field);
        format!("{}: {}", at(field, span), problem.describe(&name))
    })
}

/// What is wrong with an agent's address: which field, and how.
pub struct AddressProblem {
    /// `id`, `project_key`, `workspace_id` or `vendor`.
    pub field: &'static str,
    pub kind: ProblemKind,
}

pub enum ProblemKind {
    Empty,
    /// The vendor needs the field and it is missing.
    Missing(Vendor),
    /// The vendor has no such field.
    Unused(Vendor),
    NotUuid(String),
    Unsupported(Vendor),
}

impl AddressProblem {
    /// The problem, naming the field as `name` (how the caller's input
    /// spells it).
    pub fn describe(&self, name: &str) -> String {
        match &self.kind {
            ProblemKind::Empty => format!("{name} is empty"),
            ProblemKind::Missing(vendor) => format!("{vendor} agents need {name}"),
            ProblemKind::Unused(vendor) => format!("{vendor} agents have no {name}"),
            ProblemKind::NotUuid(value) => format!("`{value}` is not a UUID"),
            ProblemKind::Unsupported(vendor) => format!("{vendor} is not supported"),
        }
    }
}

/// The agent `vendor` calls `id`, with the extras that vendor needs and no
/// others: the one place the fleet file and `status set` build agents.
pub fn address(
    vendor: Vendor,
    id: String,
    project_key: Option<String>,
    workspace_id: Option<String>,
) -> Result<Agent, AddressProblem> {
    let problem = |field, kind| AddressProblem { field, kind };
    if id.is_empty() {
        return Err(problem("id", ProblemKind::Empty));
    }
    // A field the vendor does not use is a mistake, not noise.
    let unused = |field: &'static str, value: &Option<String>| match value {
        Some(_) => Err(problem(field, ProblemKind::Unused(vendor))),
        None => Ok(()),
    };
    let required = |field: &'static str, value: Option<String>| {
        value.ok_or_else(|| problem(field, ProblemKind::Missing(vendor)))
    };
    let uuid = |field: &'static str, value: &str| {
        value
            .parse()
            .map_err(|_| problem(field, ProblemKind::NotUuid(value.to_string())))
    };
    Ok(match vendor {
        Vendor::Ravan | Vendor::Ayra => {
            unused("project_key", &project_key)?;
            unused("workspace_id", &workspace_id)?;
            if vendor == Vendor::Ravan {
                Agent::Ravan { id }
            } else {
                Agent::Ayra { id }
            }
        }
        Vendor::SeliseBlocks => {
            unused("workspace_id", &workspace_id)?;
            Agent::SeliseBlocks {
                id,
                project_key: required("project_key", project_key)?,
            }
        }
        Vendor::Supervisor => {
            unused("project_key", &project_key)?;
            let workspace = required("workspace_id", workspace_id)?;
            Agent::Supervisor {
                id: uuid("id", &id)?,
                workspace_id: uuid("workspace_id", &workspace)?,
            }
        }
        other => return Err(problem("vendor", ProblemKind::Unsupported(other))),
    })
}

/// A `--select key=value`: a label, or `vendor`.
#[derive(Debug, Clone)]
pub struct Selector {
    key: String,
    value: String,
}

impl std::str::FromStr for Selector {
    type Err = String;

    fn from_str(text: &str) -> Result<Selector, String> {
        let (key, value) = text
            .split_once('=')
            .ok_or_else(|| format!("`{text}` is not `key=value`"))?;
        Ok(Selector {
            key: key.to_string(),
            value: value.to_string(),
        })
    }
}

impl Selector {
    /// Whether `member` has this label value (or is of this vendor, for
    /// the key `vendor`).
    pub fn matches(&self, member: &Member) -> bool {
        if self.key == "vendor" {
            return self
                .value
                .parse::<Vendor>()
                .is_ok_and(|vendor| vendor == member.agent.vendor());
        }
        member.labels.get(&self.key) == Some(&self.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        parse(Path::new("fleet.toml"), text).unwrap_err()
    }

    #[test]
    fn a_fleet_of_every_vendor_is_read_with_its_labels() {
        let fleet = parse(
            Path::new("ops/fleet.toml"),
            r#"
credentials = "secrets.toml"

[[agent]]
vendor = "ravan"
id = "agt_1"
labels = { team = "support" }

[[agent]]
vendor = "selise_blocks"
id = "s-1"
project_key = "P-42"

[[agent]]
vendor = "supervisor"
id = "6f1d7a52-4c2b-4d8e-9a7f-1b2c3d4e5f60"
workspace_id = "0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d"
"#,
        )
        .unwrap();
        assert_eq!(fleet.members.len(), 3);
        assert_eq!(fleet.members[0].line, 4);
        assert_eq!(fleet.members[0].labels["team"], "support");
        assert_eq!(fleet.credentials, Some(PathBuf::from("ops/secrets.toml")));
        let select: Selector = "team=support".parse().unwrap();
        assert!(select.matches(&fleet.members[0]));
        assert!(!select.matches(&fleet.members[1]));
        let by_vendor: Selector = "vendor=selise-blocks".parse().unwrap();
        assert!(by_vendor.matches(&fleet.members[1]));
    }

    #[test]
    fn problems_name_the_line_and_the_field() {
        let text = "[[agent]]\nvendor = \"ravan\"\nid = \"a\"\n\n[[agent]]\nvendor = \"retell\"\nid = \"b\"\n";
        let message = err(text);
        assert!(message.contains("line 6, field `vendor`"), "{message}");
        assert!(message.contains("unknown vendor `retell`"), "{message}");

        let message = err("[[agent]]\nvendor = \"selise-blocks\"\nid = \"s\"\n");
        assert!(
            message.contains("line 3, field `id`: selise-blocks agents need `project_key`"),
            "{message}"
        );
        let message = err("[[agent]]\nvendor = \"supervisor\"\nid = \"x\"\nworkspace_id = \"y\"\n");
        assert!(
            message.contains("field `id`: `x` is not a UUID"),
            "{message}"
        );
        let message = err("[[agent]]\nvendor = \"ayra\"\nid = \"a\"\nproject_key = \"p\"\n");
        assert!(message.contains("line 4, field `project_key`"), "{message}");
        // Unknown keys and TOML syntax: the parser's own message, which
        // names the line and column.
        let message = err("[[agent]]\nvendor = \"ayra\"\nid = \"a\"\nname = \"x\"\n");
        assert!(message.contains("line 4"), "{message}");
        assert!(message.contains("unknown field `name`"), "{message}");
        let message = err("[[agent]\n");
        assert!(message.contains("line 1"), "{message}");
        // An agent listed twice would be called twice.
        let message = err(
            "[[agent]]\nvendor = \"ayra\"\nid = \"a\"\n[[agent]]\nvendor = \"ayra\"\nid = \"a\"\n",
        );
        assert!(
            message.contains("listed twice (first at line 1)"),
            "{message}"
        );
    }
}

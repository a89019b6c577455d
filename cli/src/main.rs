//! `agent-clients-codegen SPEC --out DIR [--name NAME] [--check] [--strict]
//! [--runtime PATH]`:
//! a typed client crate from an OpenAPI spec, outside any workspace of ours.
//!
//! It writes two files: `DIR/Cargo.toml` and `DIR/src/lib.rs` (the module the
//! generator makes). With `--check` it writes nothing and exits 1 when
//! either differs from what the spec gives, for the user's own CI.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

/// Writes a typed Rust client crate from an OpenAPI 3.0 or 3.1 spec.
#[derive(Debug, Parser)]
#[command(name = "agent-clients-codegen", version)]
struct Args {
    /// The spec: YAML or JSON, one file or an entry file whose `$ref`s
    /// name others. `NAME.overlay.yaml` beside it, if there, is applied.
    spec: PathBuf,
    /// The crate's directory; `Cargo.toml` and `src/lib.rs` are written
    /// there, nothing else.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The crate's name (default: from the spec's file name).
    #[arg(long)]
    name: Option<String>,
    /// Write nothing; exit 1 and name each file that differs from what the
    /// spec gives.
    #[arg(long)]
    check: bool,
    /// Fail on any warning (a part of the spec read leniently or degraded to
    /// untyped JSON) instead of listing it.
    #[arg(long)]
    strict: bool,
    /// Split the client into one Cargo feature per tag: `auto` (from 100
    /// operations, or as the spec's overlay says), `per-tag`, or `off`.
    #[arg(long, value_name = "WHEN", value_parser = parse_split)]
    split: Option<codegen::load::FeatureSplit>,
    /// Leave out the `mock` module (typed mock servers for tests).
    #[arg(long)]
    no_mock: bool,
    /// Depend on the runtime by path: a checkout of agent-clients (its
    /// root, or its `runtime/` directory). By default, the checkout the
    /// current directory is in, if any; otherwise crates.io's
    /// `agent-clients-runtime` (not published yet).
    #[arg(long, value_name = "PATH")]
    runtime: Option<PathBuf>,
    /// Read the spec's other files from anywhere inside DIR (default: the
    /// spec's own folder): for a spec whose files refer to a folder beside
    /// its own (`../common/responses.yaml`).
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
}

/// The runtime's package name, as its manifest declares it.
const RUNTIME_PACKAGE: &str = "agent-clients-runtime";

/// Whether `dir` holds the runtime crate's manifest.
fn is_runtime_dir(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("Cargo.toml")).is_ok_and(|manifest| {
        manifest
            .lines()
            .any(|line| line.trim() == format!("name = \"{RUNTIME_PACKAGE}\""))
    })
}

/// The runtime directory `path` names: the runtime crate itself, or a
/// checkout whose `runtime/` it is; absolute, as the user spelled it
/// (links kept, so that a path relative to the crate reads as theirs).
fn runtime_dir(path: &Path) -> Result<PathBuf, String> {
    [path.to_path_buf(), path.join("runtime")]
        .into_iter()
        .find(|dir| is_runtime_dir(dir))
        .map(|dir| absolute(&dir))
        .ok_or_else(|| {
            format!(
                "--runtime {}: neither it nor its `runtime/` is the {RUNTIME_PACKAGE} crate (a Cargo.toml naming it)",
                path.display()
            )
        })
}

/// Where the written crate finds the runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Runtime {
    /// A checkout's `runtime/`, absolute.
    Path(PathBuf),
    /// crates.io, at the generator's version.
    Registry,
}

/// `--runtime`, or else the checkout the current directory is in (found at
/// run time, from the current directory up: never a path from when this
/// binary was built), or else crates.io.
fn find_runtime(args: &Args) -> Result<Runtime, String> {
    if let Some(path) = &args.runtime {
        return runtime_dir(path).map(Runtime::Path);
    }
    let here = std::env::current_dir().unwrap_or_default();
    let found = here.ancestors().map(|dir| dir.join("runtime")).find(|dir| {
        is_runtime_dir(dir) && dir.parent().is_some_and(|root| root.join("cli").is_dir())
    });
    Ok(found.map_or(Runtime::Registry, Runtime::Path))
}

/// `to` as a path relative to the directory `from` (both absolute), or
/// `to` itself where they share nothing below the root.
fn relative_to(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<_> = from.components().collect();
    let to_parts: Vec<_> = to.components().collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    // Nothing shared but the root (or a drive): the absolute path says more
    // than a climb to the root would.
    if common <= 1 {
        return to.to_path_buf();
    }
    let mut relative = PathBuf::new();
    for _ in common..from.len() {
        relative.push("..");
    }
    for part in &to_parts[common..] {
        relative.push(part);
    }
    relative
}

/// `path` made absolute from the current directory, `.` and `..` taken
/// lexically, links kept: as cargo reads a dependency's path.
fn absolute(path: &Path) -> PathBuf {
    let mut absolute = PathBuf::new();
    for part in std::env::current_dir()
        .unwrap_or_default()
        .join(path)
        .components()
    {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                absolute.pop();
            }
            other => absolute.push(other),
        }
    }
    absolute
}

fn parse_split(text: &str) -> Result<codegen::load::FeatureSplit, String> {
    codegen::load::FeatureSplit::parse(text)
        .ok_or_else(|| format!("`{text}` is not `auto`, `per-tag` or `off`"))
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Writes or checks the crate; `Ok(false)` when `--check` found drift.
fn run(args: &Args) -> Result<bool, String> {
    let files = crate_files(args)?;
    if args.check {
        let stale: Vec<&Path> = files
            .iter()
            .filter(|(path, contents)| {
                std::fs::read(path).map_or(true, |old| old != contents.as_bytes())
            })
            .map(|(path, _)| path.as_path())
            .collect();
        for path in &stale {
            let state = if path.exists() { "stale" } else { "missing" };
            eprintln!("{}: {state}", path.display());
        }
        if stale.is_empty() {
            eprintln!(
                "{}: current with {}",
                args.out.display(),
                args.spec.display()
            );
        } else {
            eprintln!("run `{}` to update it", regenerate_command(args));
        }
        return Ok(stale.is_empty());
    }
    let mut written = 0;
    for (path, contents) in &files {
        let changed = codegen::write::write_if_changed(path, contents)
            .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
        written += usize::from(changed);
    }
    eprintln!(
        "{}: {written} of {} files written",
        args.out.display(),
        files.len()
    );
    Ok(true)
}

/// The crate's files and what they hold.
fn crate_files(args: &Args) -> Result<Vec<(PathBuf, String)>, String> {
    let document = match &args.root {
        Some(root) => codegen::load::load_within(&args.spec, root),
        None => codegen::load::load(&args.spec),
    }
    .map_err(|error| error.to_string())?;
    let command = regenerate_command(args);
    let options = codegen::Options {
        strict: args.strict,
        features: args.split,
        mock: !args.no_mock,
        included: false,
        regenerate: Some(format!(
            "Regenerate with `{command}`; check with `{command} --check`."
        )),
    };
    let generated =
        codegen::generate_with(&document, &options).map_err(|error| error.to_string())?;
    for warning in &generated.warnings {
        eprintln!("warning: {}: {}", warning.pointer, warning.message);
    }
    let name = match &args.name {
        Some(name) => name.clone(),
        None => {
            let stem = args.spec.file_stem().unwrap_or_default().to_string_lossy();
            codegen::names::module_name(&stem)
        }
    };
    let runtime = match find_runtime(args)? {
        Runtime::Path(dir) => Some(relative_to(&absolute(&args.out), &dir)),
        Runtime::Registry => {
            eprintln!(
                "note: the crate depends on {RUNTIME_PACKAGE} from crates.io, where it is not published yet; \
                 pass --runtime PATH (a checkout of agent-clients) to depend on a checkout's runtime"
            );
            None
        }
    };
    let manifest = manifest(&name, &command, &generated, runtime.as_deref());
    Ok(vec![
        (args.out.join("Cargo.toml"), manifest),
        (args.out.join("src").join("lib.rs"), generated.source),
    ])
}

/// The command that writes this crate again, as the user ran it.
fn regenerate_command(args: &Args) -> String {
    let mut command = format!(
        "agent-clients-codegen {} --out {}",
        args.spec.display(),
        args.out.display()
    );
    if let Some(name) = &args.name {
        command.push_str(&format!(" --name {name}"));
    }
    if args.strict {
        command.push_str(" --strict");
    }
    if let Some(split) = args.split {
        command.push_str(&format!(" --split {}", split.name()));
    }
    if args.no_mock {
        command.push_str(" --no-mock");
    }
    if let Some(runtime) = &args.runtime {
        command.push_str(&format!(" --runtime {}", runtime.display()));
    }
    if let Some(root) = &args.root {
        command.push_str(&format!(" --root {}", root.display()));
    }
    command
}

/// The crate's manifest: the runtime (by `runtime_path`, relative to the
/// crate, where given), serde, and the crates the module's types name
/// (`chrono` for dates, `uuid`); the runtime's TLS choice and `tracing` as
/// the crate's own features.
fn manifest(
    name: &str,
    command: &str,
    generated: &codegen::Generated,
    runtime_path: Option<&Path>,
) -> String {
    let source = &generated.source;
    // Released together: the runtime a module is generated for has the
    // generator's version.
    let version = env!("CARGO_PKG_VERSION");
    let sse = if source.contains("EventStream") {
        ", features = [\"sse\"]"
    } else {
        ""
    };
    let path = runtime_path.map_or_else(String::new, |path| {
        // A TOML basic string: `\` and `"` escaped.
        let path = path
            .display()
            .to_string()
            .replace('\\', "\\\\")
            .replace('"', "\\\"");
        format!("path = \"{path}\", ")
    });
    let split = codegen::ir::features::manifest_lines(&generated.features);
    let webhooks = if source.contains("pub mod webhooks") {
        "# `webhooks`: the spec's events, read from signature-checked deliveries.\n\
         webhooks = [\"agent-clients-runtime/webhooks\"]\n"
    } else {
        ""
    };
    // A split client has all its operations by default.
    let full = if split.is_empty() { "" } else { ", \"full\"" };
    let mut manifest = format!(
        "# Written by agent-clients-codegen; regenerate with\n\
         # `{command}`.\n\
         # Edits here are overwritten.\n\
         [package]\n\
         name = \"{name}\"\n\
         version = \"0.1.0\"\n\
         edition = \"2024\"\n\
         publish = false\n\
         \n\
         [features]\n\
         default = [\"tls-aws-lc\"{full}]\n\
         # TLS for `https://` base URLs: rustls with aws-lc-rs, or with ring.\n\
         tls-aws-lc = [\"agent-clients-runtime/tls-aws-lc\"]\n\
         tls-ring = [\"agent-clients-runtime/tls-ring\"]\n\
         # One span per HTTP attempt.\n\
         tracing = [\"agent-clients-runtime/tracing\"]\n\
         # `mock`: a typed mock server for the tests of code that calls the client.\n\
         mock = [\"agent-clients-runtime/mock\"]\n\
         {webhooks}\
         {split}\
         \n\
         [dependencies]\n\
         agent-clients-runtime = {{ {path}version = \"{version}\", default-features = false{sse} }}\n\
         serde = {{ version = \"1\", features = [\"derive\"] }}\n\
         serde_json = \"1\"\n"
    );
    if source.contains("chrono::") {
        manifest.push_str(
            "chrono = { version = \"0.4\", default-features = false, features = [\"serde\", \"std\"] }\n",
        );
    }
    if source.contains("uuid::") {
        manifest.push_str(
            "uuid = { version = \"1\", default-features = false, features = [\"serde\", \"std\"] }\n",
        );
    }
    manifest
}

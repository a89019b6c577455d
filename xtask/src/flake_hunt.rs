//! `cargo xtask flake-hunt`: run every test binary of the workspace many
//! times, optionally with the CPU loaded, and count failures per test.
//!
//! A test that fails by chance throws away whoever's submission it hits, so
//! flakes are hunted on purpose rather than met in CI. The binaries are
//! built once (as `cargo xtask ci` builds them) and copied aside, so editing
//! and rebuilding during a long hunt does not change what is measured. Runs
//! go in rounds (every binary once, then again) so that machine noise is
//! spread over all of them. The log of every failed run is kept under
//! `target/flake-hunt/logs/`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

pub struct Options {
    pub runs: u32,
    pub load: bool,
    /// Only binaries whose label contains one of these.
    pub only: Vec<String>,
    /// A run still going after this long is killed and counted as failed.
    pub timeout: Duration,
}

/// `cargo xtask flake-hunt` arguments, as given.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Runs of every test binary.
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..))]
    runs: u32,
    /// Keep every core busy meanwhile.
    #[arg(long)]
    load: bool,
    /// A run still going after this many seconds is killed and counted as
    /// failed.
    #[arg(long, value_name = "S", default_value_t = 600)]
    timeout_secs: u64,
    /// Only binaries whose label (package::target) contains one of these.
    #[arg(value_name = "BINARY")]
    only: Vec<String>,
}

impl From<Args> for Options {
    fn from(args: Args) -> Options {
        Options {
            runs: args.runs,
            load: args.load,
            only: args.only,
            timeout: Duration::from_secs(args.timeout_secs),
        }
    }
}

/// One test executable, copied aside.
struct Binary {
    /// `package::target` (`xtask::xtask` for a crate's unit tests).
    label: String,
    executable: PathBuf,
    /// cargo runs tests from their package's directory; so do we.
    package_dir: PathBuf,
}

/// What one binary did over all its runs.
#[derive(Default)]
struct Tally {
    failed_runs: u32,
    /// Test name (or `<exit status ...>` for a run that failed without
    /// naming a test) to the number of runs it failed in.
    failures: BTreeMap<String, u32>,
    slowest: Duration,
}

pub fn run(root: &Path, options: &Options) -> Result<(), String> {
    let hunt_dir = root.join("target/flake-hunt");
    let binaries = build(root, &hunt_dir, &options.only)?;
    if binaries.is_empty() {
        return Err(format!(
            "no test binary matches {}",
            options.only.join(", ")
        ));
    }
    let logs = hunt_dir.join("logs");
    let _ = fs::remove_dir_all(&logs);
    fs::create_dir_all(&logs).map_err(|e| format!("cannot create {}: {e}", logs.display()))?;

    let load = options.load.then(CpuLoad::start);
    let started = Instant::now();
    let mut tallies: Vec<Tally> = binaries.iter().map(|_| Tally::default()).collect();
    for round in 1..=options.runs {
        for (binary, tally) in binaries.iter().zip(&mut tallies) {
            run_once(binary, round, &logs, options.timeout, tally)?;
        }
        let failed: u32 = tallies.iter().map(|t| t.failed_runs).sum();
        eprintln!(
            "round {round}/{}: {failed} failed run(s) so far, {:.0}s",
            options.runs,
            started.elapsed().as_secs_f64()
        );
    }
    drop(load);

    let report = report(&binaries, &tallies, options, started.elapsed());
    println!("{report}");
    let failed: u32 = tallies.iter().map(|t| t.failed_runs).sum();
    if failed > 0 {
        return Err(format!(
            "{failed} failed run(s); their logs are in {}",
            logs.display()
        ));
    }
    Ok(())
}

/// Builds the test binaries as CI does and copies them to `hunt_dir/bin`.
fn build(root: &Path, hunt_dir: &Path, only: &[String]) -> Result<Vec<Binary>, String> {
    let cargo = crate::cargo();
    eprintln!("==> building the test binaries");
    let output = Command::new(&cargo)
        .args(["test", "--workspace", "--features", "agent-clients/tracing"])
        .args(["--no-run", "--message-format=json-render-diagnostics"])
        .current_dir(root)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|error| format!("cannot run {cargo}: {error}"))?;
    if !output.status.success() {
        return Err("building the test binaries failed".to_string());
    }
    let bin_dir = hunt_dir.join("bin");
    let _ = fs::remove_dir_all(&bin_dir);
    fs::create_dir_all(&bin_dir)
        .map_err(|e| format!("cannot create {}: {e}", bin_dir.display()))?;
    let mut binaries = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Some((label, executable, package_dir)) = test_artifact(line) else {
            continue;
        };
        if !only.is_empty() && !only.iter().any(|filter| label.contains(filter.as_str())) {
            continue;
        }
        let copy = bin_dir.join(label.replace("::", "-"));
        fs::copy(&executable, &copy)
            .map_err(|e| format!("cannot copy {}: {e}", executable.display()))?;
        binaries.push(Binary {
            label,
            executable: copy,
            package_dir,
        });
    }
    binaries.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(binaries)
}

/// A test executable from one line of cargo's JSON messages: its label, path
/// and package directory.
fn test_artifact(line: &str) -> Option<(String, PathBuf, PathBuf)> {
    let message: Value = serde_json::from_str(line).ok()?;
    if message["reason"] != "compiler-artifact" || message["profile"]["test"] != true {
        return None;
    }
    let executable = PathBuf::from(message["executable"].as_str()?);
    let package_dir = Path::new(message["manifest_path"].as_str()?)
        .parent()?
        .to_path_buf();
    let package = package_dir.file_name()?.to_string_lossy().into_owned();
    let target = message["target"]["name"].as_str()?;
    Some((format!("{package}::{target}"), executable, package_dir))
}

fn run_once(
    binary: &Binary,
    round: u32,
    logs: &Path,
    timeout: Duration,
    tally: &mut Tally,
) -> Result<(), String> {
    let log_path = logs.join(format!(
        "{}-run{round}.log",
        binary.label.replace("::", "-")
    ));
    let log = fs::File::create(&log_path)
        .map_err(|e| format!("cannot create {}: {e}", log_path.display()))?;
    let stderr = log
        .try_clone()
        .map_err(|e| format!("cannot reuse {}: {e}", log_path.display()))?;
    let started = Instant::now();
    let mut child = Command::new(&binary.executable)
        .current_dir(&binary.package_dir)
        // As `cargo test` sets it (xtask's own value would be inherited).
        .env("CARGO_MANIFEST_DIR", &binary.package_dir)
        // As `cargo xtask ci` runs them: a missing Prism is a failure.
        .env("AGENT_CLIENTS_REQUIRE_PRISM", "1")
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(stderr)
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", binary.executable.display()))?;
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break Some(status);
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    tally.slowest = tally.slowest.max(started.elapsed());
    let output = fs::read_to_string(&log_path).unwrap_or_default();
    let failed_tests = failed_tests(&output);
    let verdict = match status {
        Some(status) if status.success() => None,
        Some(status) if failed_tests.is_empty() => Some(vec![format!("<{status}, no test named>")]),
        Some(_) => Some(failed_tests),
        None => Some(vec![format!("<killed after {}s>", timeout.as_secs())]),
    };
    match verdict {
        None => {
            let _ = fs::remove_file(&log_path);
        }
        Some(names) => {
            tally.failed_runs += 1;
            for name in names {
                eprintln!(
                    "  FAILED {} {name} (log: {})",
                    binary.label,
                    log_path.display()
                );
                *tally.failures.entry(name).or_default() += 1;
            }
        }
    }
    Ok(())
}

/// The tests libtest reports as failed: `test NAME ... FAILED`.
fn failed_tests(output: &str) -> Vec<String> {
    output
        .lines()
        .filter_map(|line| line.strip_prefix("test ")?.strip_suffix(" ... FAILED"))
        .map(str::to_string)
        .collect()
}

/// A Markdown report: one row per binary, then one per failing test.
fn report(binaries: &[Binary], tallies: &[Tally], options: &Options, took: Duration) -> String {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let mut out = format!(
        "flake hunt: {} run(s) of each of {} test binaries, CPU load: {}, {:.0}s\n\n",
        options.runs,
        binaries.len(),
        if options.load {
            format!("{cores} spinning thread(s) on {cores} core(s)")
        } else {
            "none".to_string()
        },
        took.as_secs_f64()
    );
    out.push_str("| test binary | failed runs | slowest run |\n|---|---|---|\n");
    for (binary, tally) in binaries.iter().zip(tallies) {
        out.push_str(&format!(
            "| {} | {}/{} | {:.1}s |\n",
            binary.label,
            tally.failed_runs,
            options.runs,
            tally.slowest.as_secs_f64()
        ));
    }
    let failing: Vec<_> = binaries
        .iter()
        .zip(tallies)
        .flat_map(|(binary, tally)| {
            tally
                .failures
                .iter()
                .map(move |(test, count)| (binary, test, count))
        })
        .collect();
    if failing.is_empty() {
        out.push_str("\nNo test failed.\n");
    } else {
        out.push_str("\n| failing test | failed runs |\n|---|---|\n");
        for (binary, test, count) in failing {
            out.push_str(&format!(
                "| {} {test} | {count}/{} |\n",
                binary.label, options.runs
            ));
        }
    }
    out
}

/// Busy threads, one per core, until dropped: the "slow, shared CI machine"
/// that shakes out timing assumptions.
struct CpuLoad {
    stop: Arc<AtomicBool>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl CpuLoad {
    fn start() -> CpuLoad {
        let stop = Arc::new(AtomicBool::new(false));
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let threads = (0..cores)
            .map(|_| {
                let stop = stop.clone();
                std::thread::spawn(move || {
                    let mut x = 0u64;
                    while !stop.load(Ordering::Relaxed) {
                        x = std::hint::black_box(
                            x.wrapping_mul(6364136223846793005).wrapping_add(1),
                        );
                    }
                })
            })
            .collect();
        CpuLoad { stop, threads }
    }
}

impl Drop for CpuLoad {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_tests_are_read_from_libtest_output() {
        let output = "\
running 3 tests
test a_passes ... ok
test module::b_fails ... FAILED
test c_ignored ... ignored
test d_fails ... FAILED

failures:
";
        assert_eq!(failed_tests(output), ["module::b_fails", "d_fails"]);
        assert!(failed_tests("test x ... ok\n").is_empty());
    }

    #[test]
    fn test_artifacts_are_read_from_cargo_messages() {
        let line = r#"{"reason":"compiler-artifact","manifest_path":"/w/generated/Cargo.toml","target":{"name":"contract_prism"},"profile":{"test":true},"executable":"/w/target/debug/deps/contract_prism-1"}"#;
        let (label, executable, dir) = test_artifact(line).unwrap();
        assert_eq!(label, "generated::contract_prism");
        assert_eq!(
            executable,
            Path::new("/w/target/debug/deps/contract_prism-1")
        );
        assert_eq!(dir, Path::new("/w/generated"));
        // A library build, not a test: skipped.
        let lib = line.replace(r#""test":true"#, r#""test":false"#);
        assert!(test_artifact(&lib).is_none());
    }

    #[test]
    fn arguments_are_checked() {
        use clap::Parser;
        let parse = |s: &str| {
            crate::Cli::try_parse_from(
                ["xtask", "flake-hunt"]
                    .into_iter()
                    .chain(s.split_whitespace()),
            )
        };
        let Ok(crate::Cli::FlakeHunt(args)) = parse("--runs 7 --load contract") else {
            panic!("does not parse");
        };
        let options = Options::from(args);
        assert_eq!((options.runs, options.load), (7, true));
        assert_eq!(options.only, ["contract"]);
        assert_eq!(options.timeout, Duration::from_secs(600));
        assert!(parse("--runs 0").is_err());
        assert!(parse("--runs").is_err());
        assert!(parse("--bogus").is_err());
    }
}

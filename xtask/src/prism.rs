//! Prism (`@stoplight/prism-cli`, pinned in package-lock.json) as a mock
//! server for one spec: started on a port of its own choosing, stopped when
//! dropped, and its output kept for reports.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a spec may take to load: GitHub's (8 MB) takes Prism under a
/// minute on a 2-core machine. A spec whose schemas expand beyond what Prism
/// can load (Vapi's never loaded) is served bounded (`prism_spec.rs`), so
/// waiting longer would only cost CI time.
const START_TIMEOUT: Duration = Duration::from_secs(120);

/// Lines of Prism's output kept for reports.
const KEPT_LINES: usize = 30;

pub struct Prism {
    child: Child,
    pub base_url: String,
    output: Arc<Mutex<VecDeque<String>>>,
}

impl Prism {
    /// Starts `binary mock SPEC` and waits for its "listening" line.
    pub fn start(binary: &Path, spec: &Path) -> Result<Prism, String> {
        let mut child = Command::new(binary)
            .args(["mock", "--host", "127.0.0.1", "--port", "0"])
            .arg(spec)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|error| format!("cannot run {}: {error}", binary.display()))?;
        let output = Arc::new(Mutex::new(VecDeque::new()));
        let (address_tx, address_rx) = mpsc::channel();
        keep_lines(child.stdout.take(), &output, Some(address_tx));
        keep_lines(child.stderr.take(), &output, None);
        let mut prism = Prism {
            child,
            base_url: String::new(),
            output,
        };
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Ok(url) = address_rx.recv_timeout(Duration::from_millis(100)) {
                prism.base_url = url;
                return Ok(prism);
            }
            if let Ok(Some(status)) = prism.child.try_wait() {
                return Err(prism.report(&format!("Prism exited with {status} before listening")));
            }
            if Instant::now() > deadline {
                return Err(prism.report(&format!(
                    "Prism did not listen within {}s",
                    START_TIMEOUT.as_secs()
                )));
            }
        }
    }

    /// `what`, then the last lines Prism printed.
    pub fn report(&self, what: &str) -> String {
        let lines = self.output.lock().map(|l| l.clone()).unwrap_or_default();
        let mut report = format!("{what}\n--- last lines of Prism's output ---\n");
        for line in lines {
            report.push_str(&line);
            report.push('\n');
        }
        report.push_str("--- end of Prism's output ---");
        report
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Copies a child's stream into `kept` on a thread of its own; sends the
/// address once Prism says where it listens.
fn keep_lines(
    stream: Option<impl Read + Send + 'static>,
    kept: &Arc<Mutex<VecDeque<String>>>,
    address: Option<mpsc::Sender<String>>,
) {
    let kept = kept.clone();
    std::thread::spawn(move || {
        let Some(stream) = stream else { return };
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { return };
            if let Some(address) = &address
                && let Some((_, url)) = line.split_once("Prism is listening on ")
            {
                let _ = address.send(url.trim().to_string());
            }
            if let Ok(mut kept) = kept.lock() {
                if kept.len() == KEPT_LINES {
                    kept.pop_front();
                }
                kept.push_back(line);
            }
        }
    });
}

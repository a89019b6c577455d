//! The network side of `sync-specs`, built only with the `sync` feature.

use std::path::Path;
use std::time::Duration;

use codegen::diff::{Bump, diff};

use crate::codegen::{Spec, discover_specs};

/// Where a spec comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upstream {
    pub url: String,
    /// `fenced-yaml` or `none`.
    pub extract: String,
}

/// The upstream a spec's overlay declares, if any.
pub fn upstream_of(spec: &Spec) -> Result<Option<Upstream>, String> {
    let overlay = codegen::load::overlay::path_for(&spec.path);
    let Ok(text) = std::fs::read_to_string(&overlay) else {
        return Ok(None);
    };
    let value: serde_json::Value =
        serde_yaml_ng::from_str(&text).map_err(|e| format!("{}: {e}", overlay.display()))?;
    let Some(upstream) = value.get("x-agent-clients-upstream") else {
        return Ok(None);
    };
    let url = upstream
        .get("url")
        .and_then(|v| v.as_str())
        .ok_or_else(|| {
            format!(
                "{}: x-agent-clients-upstream needs a `url`",
                overlay.display()
            )
        })?;
    let extract = upstream
        .get("extract")
        .and_then(|v| v.as_str())
        .unwrap_or("none");
    if extract != "none" && extract != "fenced-yaml" {
        return Err(format!(
            "{}: `extract` must be `none` or `fenced-yaml`, not `{extract}`",
            overlay.display()
        ));
    }
    Ok(Some(Upstream {
        url: url.to_string(),
        extract: extract.to_string(),
    }))
}

async fn download(url: &str) -> Result<String, String> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .connect_timeout(Duration::from_secs(10))
        .user_agent("agent-clients-xtask")
        .build()
        .map_err(|e| e.to_string())?;
    let response = client
        .get(url)
        .send()
        .await
        .map_err(|e| format!("cannot fetch {url}: {e}"))?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("{url} answered {status}"));
    }
    let expected = response.content_length();
    let bytes = response
        .bytes()
        .await
        .map_err(|e| format!("the download of {url} broke off: {e}"))?;
    if let Some(expected) = expected
        && bytes.len() as u64 != expected
    {
        return Err(format!("{url}: got {} of {expected} bytes", bytes.len()));
    }
    String::from_utf8(bytes.to_vec()).map_err(|_| format!("{url} did not send UTF-8 text"))
}

/// Fetches, extracts and validates one upstream spec: the text that would
/// replace the local file.
async fn fetch_spec(spec: &Spec, upstream: &Upstream, display: &Path) -> Result<String, String> {
    let body = download(&upstream.url).await?;
    let text = match upstream.extract.as_str() {
        "fenced-yaml" => codegen::load::fenced_yaml(&body)
            .ok_or_else(|| format!("{}: no complete ```yaml block in the page", upstream.url))?,
        _ => body,
    };
    // It must be a spec the generator accepts, overlay included, or it is
    // not written.
    let scratch = crate::scratch_dir("sync")?;
    let candidate = scratch.path().join(spec.path.file_name().unwrap());
    std::fs::write(&candidate, &text).map_err(|e| e.to_string())?;
    let overlay = codegen::load::overlay::path_for(&spec.path);
    if overlay.exists() {
        std::fs::copy(&overlay, codegen::load::overlay::path_for(&candidate))
            .map_err(|e| e.to_string())?;
    }
    let checked = codegen::generate_file_as(&candidate, display)
        .map(|_| ())
        .map_err(|error| {
            format!(
                "the upstream spec from {} is not usable, nothing was written:\n{error}",
                upstream.url
            )
        });
    checked.map(|()| text)
}

pub fn run(root: &Path, options: &super::Options) -> Result<(), String> {
    let specs = discover_specs(&root.join("specs"))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let mut failures = Vec::new();
    let mut drifted = Vec::new();
    let mut any = false;
    for spec in &specs {
        if !options.vendors.is_empty() && !options.vendors.iter().any(|v| spec.is_named(v)) {
            continue;
        }
        let Some(upstream) = upstream_of(spec)? else {
            if !options.vendors.is_empty() {
                failures.push(format!(
                    "{}: declares no upstream (x-agent-clients-upstream in its overlay)",
                    spec.path.display()
                ));
            }
            continue;
        };
        any = true;
        let relative = format!("specs/{}", spec.path.file_name().unwrap().to_string_lossy());
        let text = match runtime.block_on(fetch_spec(spec, &upstream, Path::new(&relative))) {
            Ok(text) => text,
            Err(error) => {
                failures.push(error);
                continue;
            }
        };
        let local = std::fs::read_to_string(&spec.path)
            .map_err(|e| e.to_string())?
            .replace("\r\n", "\n");
        if local.trim_end() == text.trim_end() {
            println!("{relative}: up to date with {}", upstream.url);
            continue;
        }
        // Classify the drift like spec-diff does.
        let old =
            codegen::load::load_as(&spec.path, Path::new(&relative)).map_err(|e| e.to_string())?;
        let new =
            codegen::load::load_str(Path::new(&relative), &text).map_err(|e| e.to_string())?;
        let changes = diff(&old, &new).map_err(|e| e.to_string())?;
        println!(
            "{relative}: differs from {} ({:?} change)",
            upstream.url,
            Bump::of(&changes)
        );
        for change in &changes {
            println!(
                "  {:<12} {relative}#{} [{}] {}",
                if change.breaking {
                    "BREAKING"
                } else {
                    "non-breaking"
                },
                change.pointer,
                change.rule,
                change.message
            );
        }
        if options.check {
            drifted.push(relative);
        } else {
            crate::codegen::write_atomically(&spec.path, &text)?;
            println!("{relative}: updated; run `cargo xtask codegen` to regenerate its module");
        }
    }
    if !any && failures.is_empty() {
        println!("no spec declares an upstream");
    }
    if !failures.is_empty() {
        return Err(failures.join("\n"));
    }
    if !drifted.is_empty() {
        return Err(format!(
            "upstream drift in {}; run `cargo xtask sync-specs` to take it",
            drifted.join(", ")
        ));
    }
    Ok(())
}

// sync-specs against a local server standing in for the vendor.

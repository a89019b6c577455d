//! `cargo xtask sync-specs [--check] [VENDOR...]`: re-sync vendor-published
//! specs from their upstream URL.
//!
//! A spec declares its upstream in its overlay (the vendor's file stays
//! verbatim), as `x-agent-clients-upstream: {url, extract}`; `extract:
//! fenced-yaml` takes the YAML block of a documentation page, `none` the
//! whole body. A download that fails, is cut short, or is not a spec the
//! generator accepts never overwrites the local file.

//!
//! Downloading needs an HTTP and TLS stack, which nothing else in xtask
//! does: it is behind the `sync` feature, so `cargo xtask codegen` on a
//! fresh clone does not build it. Without the feature, `sync-specs` runs
//! itself again through cargo with it.

#[cfg(feature = "sync")]
mod network;
#[cfg(all(test, feature = "sync"))]
mod tests;

use std::path::Path;

/// `cargo xtask sync-specs` arguments.
#[derive(Debug, Default, PartialEq, Eq, clap::Args)]
pub struct Options {
    /// Report drift with its spec-diff classification; write nothing.
    #[arg(long)]
    pub check: bool,
    /// Only these vendors.
    #[arg(value_name = "VENDOR")]
    pub vendors: Vec<String>,
}

/// Runs `sync-specs`: here with the `sync` feature, or else through cargo,
/// which builds xtask with it first.
pub fn run(root: &Path, options: &Options) -> Result<(), String> {
    #[cfg(feature = "sync")]
    {
        network::run(root, options)
    }
    #[cfg(not(feature = "sync"))]
    {
        let _ = options;
        let status = std::process::Command::new(crate::cargo())
            .args([
                "run",
                "--quiet",
                "--package",
                "xtask",
                "--features",
                "sync",
                "--",
            ])
            .args(std::env::args_os().skip(1))
            .current_dir(root)
            .status()
            .map_err(|error| format!("cannot run cargo: {error}"))?;
        if status.success() {
            Ok(())
        } else {
            Err("sync-specs failed".to_string())
        }
    }
}

//! What the codegen tests and benches share.

use std::path::PathBuf;

/// The codegen package's directory, as cargo gives it when it runs a test
/// or bench (`CARGO_MANIFEST_DIR` at run time), so that a binary built in
/// another clone sharing the target directory still reads this clone's
/// files; the compile-time value only where it is run by hand.
pub fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

//! What the codegen tests and benches share.

use std::path::PathBuf;

/// The codegen package's directory, as cargo gives it when it runs a test
/// or bench (`CARGO_MANIFEST_DIR` at run time), so that a binary built in
/// another clone sharing the target directory still reads this clone's
/// files. Never the compile-time value: that is the clone the binary was
/// built in, which may not be the one under test.
pub fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .expect("CARGO_MANIFEST_DIR is set: run this through cargo (cargo test, cargo bench)")
}

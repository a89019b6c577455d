//! xtask's integration tests: the built binary, run as cargo runs it.

mod packages;
mod second_clone;

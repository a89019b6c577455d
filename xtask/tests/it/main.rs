//! xtask's integration tests: the built binary, run as cargo runs it.

mod second_clone;

//! Ctrl-C as a stream of events, so that the first can stop the run
//! gracefully and the second can end it at once.

/// The interrupts (SIGINT on Unix, Ctrl-C on Windows) this process
/// receives from now on. Listening replaces the default action, which
/// would end the process at once and lose the report.
pub struct Interrupts {
    #[cfg(unix)]
    signal: Option<tokio::signal::unix::Signal>,
    #[cfg(windows)]
    signal: Option<tokio::signal::windows::CtrlC>,
}

impl Interrupts {
    /// Starts listening. Where the handler cannot be installed, the default
    /// action stays, and [`Interrupts::next`] never returns.
    pub fn listen() -> Interrupts {
        #[cfg(unix)]
        let signal = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()).ok();
        #[cfg(windows)]
        let signal = tokio::signal::windows::ctrl_c().ok();
        Interrupts { signal }
    }

    /// Waits for the next interrupt.
    pub async fn next(&mut self) {
        match &mut self.signal {
            Some(signal) => {
                if signal.recv().await.is_none() {
                    // The runtime is shutting down: no interrupt will come.
                    std::future::pending::<()>().await;
                }
            }
            None => std::future::pending().await,
        }
    }
}

//! Long-lived helper threads, so that work sent to another thread finds its
//! per-thread caches warm.
//!
//! [`crate::generate`] emits the client on a second thread beside the types.
//! Emission keeps parsed templates per thread (syn values cannot cross
//! threads), so a thread spawned for each generation would parse them again
//! every time: on a one-operation spec, that was most of the client's cost.
//! A thread here, once started, waits for the next job instead of ending.
//! (rayon's pool would do as well; it is not a dependency, and the need is
//! this one `spawn` and `wait`.)
//!
//! Jobs own what they use (`'static`), so no borrow outlives its owner; a
//! job's panic is carried to the thread that waits for it.

use std::any::Any;
use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver, Sender};

/// A job runs, and returns what delivers its result: the thread makes
/// itself idle in between, so a waiter that sends the next job at once
/// finds it.
type Job = Box<dyn FnOnce() -> Deliver + Send>;
type Deliver = Box<dyn FnOnce() + Send>;

/// Idle threads, each waiting on its own channel.
static IDLE: Mutex<Vec<Sender<Job>>> = Mutex::new(Vec::new());

/// The result of a job sent to a helper thread.
pub struct Pending<T> {
    result: Receiver<Result<T, Box<dyn Any + Send>>>,
}

/// Runs `job` on an idle helper thread, or on a new one if none is idle.
pub fn spawn<T: Send + 'static>(job: impl FnOnce() -> T + Send + 'static) -> Pending<T> {
    let (done, result) = mpsc::channel();
    let job: Job = Box::new(move || {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
        Box::new(move || {
            // The waiter may have gone (it failed on its own side first).
            let _ = done.send(outcome);
        })
    });
    let idle = IDLE
        .lock()
        .unwrap_or_else(|poison| poison.into_inner())
        .pop();
    let job = match idle {
        Some(thread) => match thread.send(job) {
            Ok(()) => return Pending { result },
            // That thread is gone; start another.
            Err(mpsc::SendError(job)) => job,
        },
        None => job,
    };
    start_thread()
        .send(job)
        .expect("a new helper thread waits for its job");
    Pending { result }
}

impl<T> Pending<T> {
    /// The job's value; its panic, if it panicked, goes on here.
    pub fn wait(self) -> T {
        match self.result.recv() {
            Ok(Ok(value)) => value,
            Ok(Err(panic)) => std::panic::resume_unwind(panic),
            Err(mpsc::RecvError) => panic!("a helper thread ended without finishing its job"),
        }
    }
}

/// A new helper thread: it runs each job it is sent, then waits among the
/// idle ones for the next.
fn start_thread() -> Sender<Job> {
    let (sender, jobs) = mpsc::channel::<Job>();
    let own = sender.clone();
    std::thread::Builder::new()
        .name("codegen-helper".to_string())
        .spawn(move || {
            while let Ok(job) = jobs.recv() {
                let deliver = job();
                IDLE.lock()
                    .unwrap_or_else(|poison| poison.into_inner())
                    .push(own.clone());
                deliver();
            }
        })
        .expect("a thread starts");
    sender
}

#[cfg(test)]
mod tests {
    #[test]
    fn jobs_return_their_values_and_reuse_threads() {
        thread_local! {
            static JOBS_RUN: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
        }
        let run = || {
            JOBS_RUN.with(|count| {
                count.set(count.get() + 1);
                count.get()
            })
        };
        // A thread is idle again before its result arrives, so the next job
        // finds it (unless another test takes it meanwhile, eight times).
        let counts: Vec<u32> = (0..8).map(|_| super::spawn(run).wait()).collect();
        assert!(counts.iter().any(|&count| count > 1), "{counts:?}");
        assert_eq!(super::spawn(|| 6 * 7).wait(), 42);
    }

    #[test]
    fn a_panic_reaches_the_waiter() {
        let pending = super::spawn(|| -> u8 { panic!("boom") });
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| pending.wait()));
        let message = caught.unwrap_err();
        assert_eq!(message.downcast_ref::<&str>(), Some(&"boom"));
    }
}

//! Part VI, "Model checking with loom": a one-slot mailbox that publishes a
//! value behind a flag, checked by loom in every interleaving of two threads.
//!
//! Run it through its own build (loom replaces the atomics only there):
//!
//!     sh testing/run.sh testing/loom/src/main.rs relaxed
//!     sh testing/run.sh testing/loom/src/main.rs release-acquire
//!
//! `relaxed` publishes with `Relaxed` (the bug) and prints loom's report of
//! the interleaving that breaks it; `release-acquire` is the fix, and prints
//! how many interleavings loom explored to prove it.

#[cfg(loom)]
fn main() -> std::process::ExitCode {
    model::main()
}

// The whole model lives in this one file: `run.sh` is handed this file, so
// the book's cache reruns the model whenever it changes.
#[cfg(loom)]
mod model {
    use loom::cell::UnsafeCell;
    use loom::sync::Arc;
    use loom::sync::atomic::{AtomicBool, Ordering};
    use std::process::ExitCode;
    // loom runs the closure once per interleaving; a plain std counter,
    // outside the model, counts them.
    use std::sync::atomic::AtomicUsize as StdCounter;

    // ANCHOR: mailbox
    /// One value, written once by a producer and read by a consumer once
    /// `ready` says it is there.
    struct Mailbox {
        ready: AtomicBool,
        value: UnsafeCell<u64>,
        /// How `publish` stores the flag and how `take` loads it: the only
        /// thing the buggy and the fixed mailbox differ in.
        store: Ordering,
        load: Ordering,
    }

    // SAFETY: `value` is written only before `ready` is set and read only
    // after it is seen set; that this is enough is what loom checks.
    unsafe impl Sync for Mailbox {}

    impl Mailbox {
        fn publish(&self, v: u64) {
            // SAFETY: the only writer, and no reader looks before `ready`.
            self.value.with_mut(|p| unsafe { *p = v });
            self.ready.store(true, self.store);
        }

        fn take(&self) -> Option<u64> {
            if self.ready.load(self.load) {
                // SAFETY: `ready` was set after the write, so (with the
                // right orderings) the write happens-before this read.
                Some(self.value.with(|p| unsafe { *p }))
            } else {
                None
            }
        }
    }
    // ANCHOR_END: mailbox

    pub fn main() -> ExitCode {
        let variant = std::env::args().nth(1).unwrap_or_default();
        let (store, load) = match variant.as_str() {
            "relaxed" => (Ordering::Relaxed, Ordering::Relaxed),
            "release-acquire" => (Ordering::Release, Ordering::Acquire),
            _ => {
                eprintln!("usage: loom_models relaxed|release-acquire");
                return ExitCode::from(2);
            }
        };
        static RUNS: StdCounter = StdCounter::new(0);

        // ANCHOR: model
        let mut builder = loom::model::Builder::new();
        // Record where each access happened, so a failure names the lines.
        builder.location = true;
        let checked = std::panic::catch_unwind(move || {
            builder.check(move || {
                RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let mailbox = Arc::new(Mailbox {
                    ready: AtomicBool::new(false),
                    value: UnsafeCell::new(0),
                    store,
                    load,
                });
                let producer = {
                    let mailbox = Arc::clone(&mailbox);
                    loom::thread::spawn(move || mailbox.publish(42))
                };
                if let Some(v) = mailbox.take() {
                    assert_eq!(v, 42, "saw the flag but not the value");
                }
                producer.join().unwrap();
            });
        });
        // ANCHOR_END: model

        let runs = RUNS.load(std::sync::atomic::Ordering::Relaxed);
        match checked {
            Ok(()) => {
                println!("{variant}: no interleaving fails; loom explored {runs} interleavings");
                ExitCode::SUCCESS
            }
            Err(panic) => {
                let report = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("(a panic without a message)");
                println!("{variant}: loom found a failing interleaving, in run {runs}:");
                println!("{report}");
                ExitCode::from(1)
            }
        }
    }
}

/// Built without `--cfg loom` (the workspace's normal build), there is no
/// model to run: say how to run it, and exit 2 as for any bad invocation.
#[cfg(not(loom))]
fn main() -> std::process::ExitCode {
    eprintln!(
        "this program is a loom model: run it with `sh testing/run.sh testing/loom/src/main.rs relaxed|release-acquire`"
    );
    std::process::ExitCode::from(2)
}

//! Part I, shared state: hand a value from one thread to another with two
//! atomics.
//!
//! The producer calls `put(v)` once: it stores the value, then raises the
//! flag. The consumer calls `take()`: once it sees the flag raised, it
//! reads the value. The consumer must never see the flag raised and still
//! read the old value, 0.
//!
//! As shipped, every operation is `Relaxed`. That promises each atomic is
//! read and written whole, and nothing about the order in which another
//! thread sees *two* atomics change: the consumer may see `full` turn true
//! before it sees `value` change. Fix the orderings, on the flag, so that
//! seeing the flag raised guarantees seeing the value.
//!
//! The atomics come from `exercises::sync` (see its doc): loom's, so that
//! the test can try every outcome the memory model allows.
//!
//! Check it with `cargo test -p exercises --test atomics_handoff`.

use exercises::sync::atomic::{AtomicBool, AtomicU64, Ordering};

pub struct Mailbox {
    value: AtomicU64,
    full: AtomicBool,
}

impl Mailbox {
    pub fn new() -> Self {
        Mailbox {
            value: AtomicU64::new(0),
            full: AtomicBool::new(false),
        }
    }

    /// The producer's side, called once: the value, then the flag.
    pub fn put(&self, value: u64) {
        self.value.store(value, Ordering::Relaxed);
        // TODO: this store must publish the store above: a thread that sees
        // `full` true must see `value` too.
        self.full.store(true, Ordering::Relaxed);
    }

    /// The consumer's side: the value once the flag is raised, else `None`.
    pub fn take(&self) -> Option<u64> {
        // TODO: this load must pair with the store of the flag.
        if self.full.load(Ordering::Relaxed) {
            Some(self.value.load(Ordering::Relaxed))
        } else {
            None
        }
    }
}

impl Default for Mailbox {
    fn default() -> Self {
        Self::new()
    }
}

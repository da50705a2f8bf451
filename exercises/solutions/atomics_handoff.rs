//! Part I, shared state: hand a value from one thread to another with two
//! atomics (solution).
//!
//! The producer calls `put(v)` once: it stores the value, then raises the
//! flag. The consumer calls `take()`: once it sees the flag raised, it
//! reads the value. The consumer must never see the flag raised and still
//! read the old value, 0.
//!
//! Release on the flag's store, Acquire on its load: the pair makes the
//! store of the value happen before the load that follows the flag.
//!
//! The atomics come from `exercises::sync` (see its doc): loom's, so that
//! the test can try every outcome the memory model allows.

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
        // The value itself may be Relaxed: the flag orders it.
        self.value.store(value, Ordering::Relaxed);
        // Release: every write before this store is visible to a thread
        // whose Acquire load reads `true` from it.
        self.full.store(true, Ordering::Release);
    }

    /// The consumer's side: the value once the flag is raised, else `None`.
    pub fn take(&self) -> Option<u64> {
        // Acquire pairs with the Release above: having read `true`, this
        // thread sees everything the producer wrote before raising the flag.
        if self.full.load(Ordering::Acquire) {
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

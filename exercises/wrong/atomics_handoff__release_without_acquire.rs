//! Wrong solution of atomics_handoff: it makes the flag's store Release
//! but leaves its load Relaxed. Release is half of a pair: only an Acquire
//! load that reads the released value synchronises with it, so the
//! consumer may still see the flag and read 0. On x86 it works every time;
//! loom finds the outcome.
//!
//! caught by: seeing_the_flag_means_seeing_the_value

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
        self.full.store(true, Ordering::Release);
    }

    /// The consumer's side: the value once the flag is raised, else `None`.
    pub fn take(&self) -> Option<u64> {
        // The mistake: a Release store only helps a thread whose load
        // acquires; this Relaxed load synchronises with nothing.
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

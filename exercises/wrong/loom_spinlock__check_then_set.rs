//! Wrong solution of loom_spinlock: it waits until it sees the flag down,
//! then raises it with a separate store. The orderings are right, but the
//! check and the set are two operations: two threads can both see the flag
//! down and both enter. loom finds the interleaving and reports two threads
//! writing the value at once.
//!
//! caught by: only_one_thread_is_inside_at_a_time

use exercises::sync::atomic::{AtomicBool, Ordering};
use loom::cell::UnsafeCell;

pub struct SpinLock<T> {
    locked: AtomicBool,
    value: UnsafeCell<T>,
}

// SAFETY: `with` gives `&mut T` to one thread at a time, so sharing the lock
// between threads only ever moves access to the value from one to another.
unsafe impl<T: Send> Sync for SpinLock<T> {}

impl<T> SpinLock<T> {
    pub fn new(value: T) -> Self {
        SpinLock {
            locked: AtomicBool::new(false),
            value: UnsafeCell::new(value),
        }
    }

    /// Runs `f` on the value, with no other thread inside the lock.
    pub fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        // The mistake: wait for the flag to be down, then raise it. Both
        // threads can see it down before either raises it, and both go in.
        while self.locked.load(Ordering::Acquire) {
            loom::hint::spin_loop();
        }
        self.locked.store(true, Ordering::Relaxed);
        // SAFETY: the flag is ours, so no other thread is inside.
        let result = self.value.with_mut(|value| f(unsafe { &mut *value }));
        // Release: the writes above reach the next thread whose Acquire
        // reads this `false`.
        self.locked.store(false, Ordering::Release);
        result
    }
}

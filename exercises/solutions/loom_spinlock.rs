//! Model checking with loom: a spin lock whose orderings let loom find a
//! data race.
//!
//! `SpinLock<T>` guards a value with one atomic flag: `with(f)` raises the
//! flag (a compare-and-swap from `false` to `true`, retried while another
//! thread holds it), runs `f` on the value, and lowers the flag. A lock has
//! two duties: only one thread inside at a time, and each thread inside
//! sees every write made by the threads that were inside before it.
//!
//! Acquire on the compare-and-swap that takes the lock, Release on the
//! store that lowers the flag: each holder's writes happen before the next
//! holder's accesses.
//!
//! The flag comes from `exercises::sync`, and the value lives in loom's
//! `UnsafeCell`, which records every access: loom reports a write that does
//! not happen before the next access as a data race.

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
        // Acquire on success: having read the `false` that the last holder
        // released, this thread sees its writes. A failed attempt takes
        // nothing, so Relaxed is enough for it.
        while self
            .locked
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            // loom's spin_loop yields, so loom runs another thread next; a
            // bare loop may spin until loom gives up (LOOM_MAX_BRANCHES).
            loom::hint::spin_loop();
        }
        // SAFETY: the flag is ours, so no other thread is inside.
        let result = self.value.with_mut(|value| f(unsafe { &mut *value }));
        // Release: the writes above reach the next thread whose Acquire
        // reads this `false`.
        self.locked.store(false, Ordering::Release);
        result
    }
}

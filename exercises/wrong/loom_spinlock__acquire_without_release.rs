//! Wrong solution of loom_spinlock: it makes the compare-and-swap Acquire
//! but leaves the unlocking store Relaxed. Acquire is half of a pair: it
//! synchronises only with a Release store whose value it reads, so the
//! next holder may still miss the last holder's write. loom reports the
//! unordered accesses to the value.
//!
//! caught by: each_holder_sees_the_last_holders_write

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
        // The mistake: an Acquire above pairs with nothing, since this store
        // releases nothing. The next holder may not see the write to the value.
        self.locked.store(false, Ordering::Relaxed);
        result
    }
}

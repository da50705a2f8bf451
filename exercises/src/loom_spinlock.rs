//! Model checking with loom: a spin lock whose orderings let loom find a
//! data race.
//!
//! `SpinLock<T>` guards a value with one atomic flag: `with(f)` raises the
//! flag (a compare-and-swap from `false` to `true`, retried while another
//! thread holds it), runs `f` on the value, and lowers the flag. A lock has
//! two duties: only one thread inside at a time, and each thread inside
//! sees every write made by the threads that were inside before it.
//!
//! As shipped, the flag's operations are `Relaxed`. The compare-and-swap
//! still lets in one thread at a time, but nothing orders the value's
//! writes: a thread may take the lock and not yet see what the last holder
//! wrote. Fix the orderings so that the lock hands on the value.
//!
//! The flag comes from `exercises::sync`, and the value lives in loom's
//! `UnsafeCell`, which records every access: loom reports a write that does
//! not happen before the next access as a data race.
//!
//! Check it with `cargo test -p exercises --test loom_spinlock`.

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
        // TODO: taking the lock must make the last holder's writes visible.
        while self
            .locked
            .compare_exchange(false, true, Ordering::Relaxed, Ordering::Relaxed)
            .is_err()
        {
            // loom's spin_loop yields, so loom runs another thread next; a
            // bare loop may spin until loom gives up (LOOM_MAX_BRANCHES).
            loom::hint::spin_loop();
        }
        // SAFETY: the flag is ours, so no other thread is inside.
        let result = self.value.with_mut(|value| f(unsafe { &mut *value }));
        // TODO: releasing the lock must publish this thread's writes.
        self.locked.store(false, Ordering::Relaxed);
        result
    }
}

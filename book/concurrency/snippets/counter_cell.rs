//! Sidestep the borrow checker with a `Cell`, which allows mutation through
//! a shared reference `&Cell<u64>`. Shared references may be copied into
//! every thread... but this does not compile either: see the error below.

use std::cell::Cell;

pub fn count(per_thread: u64) -> u64 {
    let counter = Cell::new(0);
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..per_thread {
                    // Read, add, write back: not one indivisible step.
                    counter.set(counter.get() + 1);
                }
            });
        }
    });
    counter.get()
}

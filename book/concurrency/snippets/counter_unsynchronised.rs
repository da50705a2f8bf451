//! Four threads add to one counter, with no synchronisation at all.
//! This does not compile: see the error below.

pub fn count(per_thread: u64) -> u64 {
    let mut counter = 0;
    std::thread::scope(|s| {
        for _ in 0..4 {
            // Each closure needs `&mut counter`: four mutable borrows at once.
            s.spawn(|| {
                for _ in 0..per_thread {
                    counter += 1;
                }
            });
        }
    });
    counter
}

//! Shared state: two threads take two locks in opposite orders. A `Barrier`
//! makes both hold their first lock before trying the second, so a plain
//! `lock()` would deadlock every time; `try_lock` detects it and the program
//! ends. Short enough for the Rust Playground.

use std::sync::{Arc, Barrier, Mutex, TryLockError};
use std::thread;

// ANCHOR: main
type Lock = Arc<Mutex<&'static str>>;

/// Takes `first`, waits until the other thread holds its first lock too,
/// then tries `second` without blocking.
fn take(first: Lock, second: Lock, both_hold_one: Arc<Barrier>) -> String {
    let held = first.lock().unwrap();
    both_hold_one.wait(); // now each thread holds the lock the other wants
    let result = match second.try_lock() {
        Ok(got) => format!("holds {}, got {}", *held, *got),
        Err(TryLockError::WouldBlock) => "would block".to_string(),
        Err(TryLockError::Poisoned(_)) => "poisoned".to_string(),
    };
    both_hold_one.wait(); // keep holding until the other has tried as well
    format!("holds {}, wants the other lock: {result}", *held)
}

fn main() {
    let a = Arc::new(Mutex::new("a"));
    let b = Arc::new(Mutex::new("b"));
    let barrier = Arc::new(Barrier::new(2));
    let (a2, b2, barrier2) = (a.clone(), b.clone(), barrier.clone());
    let t1 = thread::spawn(move || take(a2, b2, barrier2)); // a, then b
    let t2 = thread::spawn(move || take(b, a, barrier)); // b, then a
    // With lock() instead of try_lock(), both would wait for ever.
    println!("{}", t1.join().unwrap());
    println!("{}", t2.join().unwrap());
}
// ANCHOR_END: main

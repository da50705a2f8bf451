//! Atomics: a Release store of a flag publishes the plain writes before it
//! to the thread that sees the flag with an Acquire load. Short enough for
//! the Rust Playground.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;

// ANCHOR: main
static DATA: AtomicU64 = AtomicU64::new(0);
static READY: AtomicBool = AtomicBool::new(false);

fn main() {
    let reader = thread::spawn(|| {
        // Acquire: once this load sees `true`, every write the writer made
        // before its Release store is visible here too.
        while !READY.load(Ordering::Acquire) {
            std::hint::spin_loop();
        }
        DATA.load(Ordering::Relaxed)
    });
    // Relaxed alone orders nothing; the Release store below publishes it.
    DATA.store(42, Ordering::Relaxed);
    READY.store(true, Ordering::Release);
    println!("the reader saw {}", reader.join().unwrap());
}
// ANCHOR_END: main

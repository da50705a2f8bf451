//! Blocking calls: like a blocking `read` on a socket, `recv()` parks the
//! calling thread until data arrives; the thread can do nothing else
//! meanwhile. A channel stands in for the socket (the Playground allows no
//! sockets). Short enough for the Rust Playground.

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

// ANCHOR: main
fn main() {
    let (tx, rx) = mpsc::channel();
    // The "peer" answers after 200 ms.
    thread::spawn(move || {
        thread::sleep(Duration::from_millis(200));
        tx.send("hello").unwrap();
    });

    let start = Instant::now();
    println!("calling recv(): this thread now blocks");
    let msg = rx.recv().unwrap(); // parked here until the send
    let waited = start.elapsed().as_millis();
    // Rounded to the nearest 100 ms: sleeps are not exact.
    println!(
        "got {msg:?} after about {} ms blocked",
        (waited + 50) / 100 * 100
    );
}
// ANCHOR_END: main

//! An event loop in miniature: one thread asks each source "ready?"
//! without blocking (`try_recv`, as a non-blocking socket answers
//! `WouldBlock`) and handles whichever is ready, in the order they become
//! ready. Channels stand in for sockets. Short enough for the Playground.

use std::sync::mpsc::{self, TryRecvError};
use std::thread;
use std::time::Duration;

// ANCHOR: main
fn main() {
    // Three sources that become ready after 300, 100 and 200 ms.
    let mut sources: Vec<_> = [("a", 300), ("b", 100), ("c", 200)]
        .into_iter()
        .map(|(name, ms)| {
            let (tx, rx) = mpsc::channel();
            thread::spawn(move || {
                thread::sleep(Duration::from_millis(ms));
                tx.send(name).unwrap();
            });
            rx
        })
        .collect();

    // The loop: one thread, never blocked on any single source.
    while !sources.is_empty() {
        sources.retain(|rx| match rx.try_recv() {
            Ok(name) => {
                println!("source {name} is ready: handled");
                false
            }
            Err(TryRecvError::Empty) => true, // not ready: ask again later
            Err(TryRecvError::Disconnected) => false,
        });
        // A real loop sleeps in epoll/kqueue until a source is ready.
        thread::sleep(Duration::from_millis(5));
    }
}
// ANCHOR_END: main

//! `async`/`await` on the event loop: ten thousand tasks wait at once on a
//! one-thread runtime; each `.await` on a timer parks the task, not the
//! thread. Short enough for the Rust Playground.

use std::time::{Duration, Instant};
use tokio::time::sleep;

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();
    let main_thread = std::thread::current().id();
    let tasks: Vec<_> = (0..10_000)
        .map(|_| {
            tokio::spawn(async move {
                sleep(Duration::from_millis(200)).await;
                std::thread::current().id() == main_thread
            })
        })
        .collect();
    let mut on_main = 0;
    for t in tasks {
        on_main += t.await.unwrap() as usize;
    }
    // Ten thousand 200 ms waits one after another would take 2000 s.
    let ms = start.elapsed().as_millis();
    println!("10000 tasks finished, {on_main} of them on the one thread");
    println!("all waits overlapped: done in under 2 s: {}", ms < 2000);
}
// ANCHOR_END: main

//! Pin, in use: a pinned future can be awaited by `&mut` again and again,
//! and `Pin::set` replaces it in place (dropping the old one). Here a
//! deadline is pushed back each time a message arrives. Short enough for
//! the Rust Playground.

use std::pin::pin;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::sleep;

// ANCHOR: main
#[tokio::main]
async fn main() {
    let (tx, mut rx) = mpsc::channel(1);
    tokio::spawn(async move {
        for i in 1..=3 {
            sleep(Duration::from_millis(50)).await;
            tx.send(i).await.unwrap();
        }
        // Then silence: the deadline below expires. Keep `tx` alive.
        sleep(Duration::from_secs(5)).await;
    });
    // `Sleep` is !Unpin: pin it once, then poll it through `as_mut()`.
    let mut deadline = pin!(sleep(Duration::from_millis(200)));
    loop {
        tokio::select! {
            Some(i) = rx.recv() => {
                println!("message {i}: deadline pushed back");
                // Replace the pinned future in place with a fresh one.
                deadline.set(sleep(Duration::from_millis(200)));
            }
            _ = deadline.as_mut() => {
                println!("200 ms of silence: deadline reached");
                break;
            }
        }
    }
}
// ANCHOR_END: main

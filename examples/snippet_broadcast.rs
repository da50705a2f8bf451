//! The chat server's fan-out: a `broadcast` channel gives every receiver
//! every message, and a receiver that falls behind by more than the
//! capacity is told how many it missed. Short enough for the Playground.

use tokio::sync::broadcast::{self, error::RecvError};

// ANCHOR: main
#[tokio::main]
async fn main() {
    let (tx, mut alice) = broadcast::channel(2); // keeps the last 2 messages
    let mut bob = tx.subscribe();

    tx.send("hello").unwrap();
    println!("alice got {:?}", alice.recv().await.unwrap());
    println!("bob got   {:?}", bob.recv().await.unwrap());

    // Bob stops reading while three more arrive; only two fit.
    for msg in ["one", "two", "three"] {
        tx.send(msg).unwrap();
    }
    loop {
        match bob.recv().await {
            Ok(msg) => println!("bob got   {msg:?}"),
            Err(RecvError::Lagged(n)) => println!("bob lagged: missed {n} message(s)"),
            Err(RecvError::Closed) => break,
        }
        if bob.is_empty() {
            break;
        }
    }
}
// ANCHOR_END: main

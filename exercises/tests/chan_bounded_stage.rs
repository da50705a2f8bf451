//! Tests for the Channels and streams chapter's exercise:
//! `cargo test -p exercises --test chan_bounded_stage`.
//!
//! On tokio's paused clock a `sleep` lets every other task run until all
//! are waiting, then jumps ahead: so "wait a while" here is exact.

#[cfg_attr(
    not(any(feature = "solutions", any_wrong)),
    path = "../src/chan_bounded_stage.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/chan_bounded_stage.rs")]
#[cfg_attr(
    wrong = "chan_bounded_stage__spawn_each_send",
    path = "../wrong/chan_bounded_stage__spawn_each_send.rs"
)]
#[cfg_attr(
    wrong = "chan_bounded_stage__spawn_each_send",
    path = "../wrong/chan_bounded_stage__spawn_each_send.rs"
)]
#[cfg_attr(
    wrong = "chan_bounded_stage__spawn_each_send",
    path = "../wrong/chan_bounded_stage__spawn_each_send.rs"
)]
mod chan_bounded_stage;

use chan_bounded_stage::spawn_stage;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::{sleep, timeout};

fn double(x: u64) -> u64 {
    x * 2
}

#[tokio::test(start_paused = true)]
async fn transforms_every_item_in_order_then_ends() {
    let (tx, rx) = mpsc::channel(4);
    let mut out = spawn_stage(rx, 2, double);
    tokio::spawn(async move {
        for i in 1..=10 {
            tx.send(i).await.unwrap();
        }
    });
    let mut got = Vec::new();
    while let Some(v) = out.recv().await {
        got.push(v);
    }
    assert_eq!(got, (1..=10).map(double).collect::<Vec<_>>());
}

#[tokio::test(start_paused = true)]
async fn stops_taking_input_while_nobody_reads_its_output() {
    const CAPACITY: usize = 3;
    let (tx, rx) = mpsc::channel(100);
    for i in 1..=20 {
        tx.send(i).await.unwrap();
    }
    let mut out = spawn_stage(rx, CAPACITY, double);
    sleep(Duration::from_secs(1)).await; // the stage runs until it is stuck
    let taken = 20 - (tx.max_capacity() - tx.capacity());
    assert!(
        taken <= CAPACITY + 1,
        "the stage took {taken} items from its input while nobody read its output; \
         a bounded output of {CAPACITY} should stop it after {CAPACITY} (+1 in hand)"
    );
    assert!(
        taken >= CAPACITY,
        "the stage should fill its output: took {taken}"
    );
    drop(tx);
    let mut got = Vec::new();
    while let Some(v) = out.recv().await {
        got.push(v);
    }
    assert_eq!(got.len(), 20, "once read, every item must come through");
}

#[tokio::test(start_paused = true)]
async fn stops_when_the_next_stage_is_gone() {
    let (tx, rx) = mpsc::channel(100);
    let out = spawn_stage(rx, 2, double);
    drop(out);
    tx.send(1).await.unwrap();
    // The stage should notice on its next send, end, and drop its input.
    let closed = timeout(Duration::from_secs(5), tx.closed()).await;
    assert!(
        closed.is_ok(),
        "the stage kept running after its output's receiver was dropped"
    );
}

//! Channels and streams: how tasks hand work to each other.
//!
//! Run it with:
//!
//!     cargo run --release --example pipeline
//!
//! tokio has four channels, one for each shape of conversation:
//!
//! - `mpsc`: many senders, one receiver, a queue of messages (work queues);
//! - `oneshot`: one value, once (the reply to a request);
//! - `broadcast`: every receiver gets every message (events, chat);
//! - `watch`: receivers see only the latest value (configuration, status).
//!
//! And `futures::Stream` is the async iterator: a sequence of values that
//! arrive over time, with combinators like an iterator's.
//!
//! The first section measures the lesson that matters most in production:
//! a **bounded** channel makes a fast producer wait for a slow consumer
//! (backpressure), so the queue, and the memory it holds, stays small.

use course::clock::Clock;
use course::table::Table;
use futures::stream::{self, StreamExt};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, oneshot, watch};
use tokio::time::{Instant, sleep};

const ITEMS: usize = 12;
const CAPACITY: usize = 4;
/// How long the consumer works on each item.
const WORK: Duration = Duration::from_millis(10);

// ANCHOR: bounded
/// A producer that could send as fast as it likes, and a consumer that
/// needs `WORK` per item, joined by a channel of `CAPACITY`. The producer
/// records how long each `send` waited and how full the queue was after it.
async fn bounded(clock: Clock) -> (Table, usize) {
    let (tx, mut rx) = mpsc::channel::<usize>(CAPACITY);
    let consumer = tokio::spawn(async move {
        while let Some(_item) = rx.recv().await {
            sleep(WORK).await; // the slow part of the pipeline
        }
    });

    let mut table = Table::new(["item", "sent at (ms)", "send waited (ms)", "queue depth"]);
    let mut deepest = 0;
    for item in 1..=ITEMS {
        let before = Instant::now();
        // `send` waits while the queue is full: this is backpressure. The
        // producer is slowed to the consumer's pace instead of piling up
        // messages in memory.
        tx.send(item).await.expect("consumer alive");
        let waited = before.elapsed();
        // Messages in the queue now = capacity - free slots.
        let depth = tx.max_capacity() - tx.capacity();
        deepest = deepest.max(depth);
        table.row([
            item.to_string(),
            clock.elapsed().as_millis().to_string(),
            waited.as_millis().to_string(),
            depth.to_string(),
        ]);
    }
    drop(tx); // closes the channel: the consumer's loop ends when it is empty
    consumer.await.expect("consumer finished");
    (table, deepest)
}
// ANCHOR_END: bounded

// ANCHOR: unbounded
/// The same pipeline with an unbounded channel: `send` never waits, so the
/// queue holds everything the producer made and the consumer has not.
async fn unbounded() -> usize {
    let (tx, mut rx) = mpsc::unbounded_channel::<usize>();
    // An unbounded sender cannot tell how full the queue is, so both ends
    // count: +1 per send, -1 per receive.
    // `Relaxed`: read-modify-writes always see the latest count, and the
    // count orders no other data.
    let in_queue = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&in_queue);
    let consumer = tokio::spawn(async move {
        while let Some(_item) = rx.recv().await {
            counter.fetch_sub(1, Ordering::Relaxed);
            sleep(WORK).await;
        }
    });
    let mut deepest = 0;
    for item in 1..=ITEMS {
        // Count the item before sending it, so that the consumer can never
        // count it out first (which would wrap the counter below zero).
        deepest = deepest.max(in_queue.fetch_add(1, Ordering::Relaxed) + 1);
        tx.send(item).expect("consumer alive"); // never waits
    }
    drop(tx);
    consumer.await.expect("consumer finished");
    deepest
}
// ANCHOR_END: unbounded

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let clock = Clock::start();
    println!("{}", course::machine::describe());

    println!(
        "1. mpsc with backpressure: {ITEMS} items, capacity {CAPACITY}, consumer takes {} ms each",
        WORK.as_millis()
    );
    let (table, deepest) = bounded(clock).await;
    print!("{}", table.render());
    println!("  deepest queue, bounded channel:   {deepest} (the capacity)");
    println!(
        "  deepest queue, unbounded channel: {} (everything the consumer had not reached)",
        unbounded().await
    );

    // ANCHOR: oneshot
    println!("\n2. oneshot: a request carries the channel for its reply");
    let (requests, mut inbox) = mpsc::channel::<(u64, oneshot::Sender<u64>)>(8);
    let service = tokio::spawn(async move {
        while let Some((n, reply)) = inbox.recv().await {
            // The caller may have given up; a failed reply is not our problem.
            let _ = reply.send(n * n);
        }
    });
    for n in [3, 4] {
        let (reply_tx, reply_rx) = oneshot::channel();
        requests.send((n, reply_tx)).await.expect("service alive");
        println!(
            "  asked for {n}², got {}",
            reply_rx.await.expect("service replied")
        );
    }
    drop(requests);
    service.await.expect("service finished");
    // ANCHOR_END: oneshot

    // ANCHOR: broadcast
    println!("\n3. broadcast: every receiver gets every message, if it keeps up");
    let (events, mut fast) = broadcast::channel::<u32>(2);
    let mut slow = events.subscribe();
    for e in 1..=5 {
        events.send(e).expect("receivers exist");
        // `fast` reads each message as it comes.
        println!("  fast receiver got {}", fast.recv().await.expect("open"));
    }
    drop(events);
    // `slow` reads only now. The channel keeps the last 2 messages; the
    // ones it missed are reported, not silently skipped.
    loop {
        match slow.recv().await {
            Ok(e) => println!("  slow receiver got {e}"),
            Err(broadcast::error::RecvError::Lagged(n)) => {
                println!("  slow receiver lagged: missed {n} messages")
            }
            Err(broadcast::error::RecvError::Closed) => break,
        }
    }
    // ANCHOR_END: broadcast

    // ANCHOR: watch
    println!("\n4. watch: receivers see the latest value, not every value");
    let (config, mut seen) = watch::channel("v1");
    for version in ["v2", "v3", "v4"] {
        config.send(version).expect("receiver alive");
    }
    // Three sends happened; the receiver wakes once and sees only the last.
    seen.changed().await.expect("sender alive");
    println!(
        "  after three updates the receiver sees: {}",
        *seen.borrow_and_update()
    );
    // ANCHOR_END: watch

    // ANCHOR: stream
    println!("\n5. Streams: an async iterator with combinators");
    // Six "downloads", with durations chosen so that, three at a time,
    // no two finish within 60 ms of each other: 3, 2 and 1 start at 0 and
    // end at 60, 120 and 180 ms; each end starts the next one, so 4, 5 and
    // 6 start at 60, 120 and 180 and end at 360, 300 and 240 ms. The order
    // they finish in is therefore 3, 2, 1, 6, 5, 4, and no tie can swap it.
    const MS: [u64; 6] = [180, 120, 60, 300, 180, 60];
    let download = |n: usize| async move {
        sleep(Duration::from_millis(MS[n - 1])).await;
        n
    };
    // `buffered(3)`: at most 3 downloads at once, results in input order.
    let in_order: Vec<usize> = stream::iter(1..=6)
        .map(download)
        .buffered(3)
        .collect()
        .await;
    println!("  buffered(3):         {in_order:?}");
    // `buffer_unordered(3)`: at most 3 at once, results as they finish.
    let as_done: Vec<usize> = stream::iter(1..=6)
        .map(download)
        .buffer_unordered(3)
        .collect()
        .await;
    println!("  buffer_unordered(3): {as_done:?}");
    // A channel's receiver as a stream, filtered and mapped like an iterator.
    let (tx, rx) = mpsc::channel::<u32>(4);
    tokio::spawn(async move {
        for n in 1..=10 {
            tx.send(n).await.expect("stream alive");
        }
    });
    let incoming = stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|n| (n, rx)) });
    let evens_squared: Vec<u32> = incoming
        .filter(|n| std::future::ready(n % 2 == 0))
        .map(|n| n * n)
        .collect()
        .await;
    println!("  channel -> filter(even) -> map(square): {evens_squared:?}");
    // ANCHOR_END: stream
}

//! Three waits, first one after another, then overlapped as tasks on a
//! single thread: concurrency without parallelism.
//!
//! Run it with:
//!
//!     cargo run --release --example hello_tasks
//!
//! Each "job" stands for a network call: it spends its time waiting, not
//! computing. Awaited one after another, the waits add up. Spawned as tasks,
//! they overlap, and the whole run takes about as long as the longest wait,
//! even though the runtime here has exactly one thread.

use course::clock::Clock;
use std::collections::HashSet;
use std::thread;
use std::time::Duration;
use tokio::time::sleep;

// ANCHOR: job
/// A job that waits, the way a request to another server does. While it
/// waits inside `sleep(..).await`, it gives its thread back to the runtime.
async fn job(clock: Clock, name: &'static str, wait: Duration) -> thread::ThreadId {
    println!(
        "  {} start {name} (waits {} ms)",
        clock.stamp(),
        wait.as_millis()
    );
    sleep(wait).await;
    println!("  {} done  {name}", clock.stamp());
    thread::current().id()
}
// ANCHOR_END: job

const JOBS: [(&str, u64); 3] = [("A", 300), ("B", 200), ("C", 100)];

// ANCHOR: main
// `current_thread`: one OS thread runs every task. Whatever overlaps below
// overlaps on that single thread.
#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    println!("One after another (each job awaited before the next starts):");
    let clock = Clock::start();
    for (name, ms) in JOBS {
        job(clock, name, Duration::from_millis(ms)).await;
    }
    let sequential = clock.elapsed();
    println!(
        "  total: {} ms, the sum of the waits\n",
        sequential.as_millis()
    );

    println!("As three tasks (tokio::spawn every job, then await the handles):");
    let clock = Clock::start();
    let handles: Vec<_> = JOBS
        .into_iter()
        .map(|(name, ms)| tokio::spawn(job(clock, name, Duration::from_millis(ms))))
        .collect();
    let mut threads = HashSet::new();
    for handle in handles {
        threads.insert(handle.await?);
    }
    let concurrent = clock.elapsed();
    println!("  total: {} ms, the longest wait", concurrent.as_millis());
    // ANCHOR_END: main

    println!(
        "\nThe tasks ran on {} OS thread(s); overlapping the waits made the run {:.1}x faster.",
        threads.len(),
        sequential.as_secs_f64() / concurrent.as_secs_f64()
    );
    println!("{}", course::machine::describe());
    Ok(())
}

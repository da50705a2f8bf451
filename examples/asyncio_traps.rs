//! Where asyncio habits mislead in tokio: five traps, each shown by a run.
//! The Python twin is `book/futures/python/asyncio_traps.py`.
//!
//! Run it with:
//!
//!     cargo run --release --example asyncio_traps
//!     python3 book/futures/python/asyncio_traps.py
//!
//! 1. Many consumers of one queue: `asyncio.Queue` has any number of
//!    `get()`ers; tokio's mpsc has one `Receiver`, so workers share it.
//! 2. Many awaiters of one result: an `asyncio.Future` can be awaited by
//!    many; a oneshot `Receiver` by one, so use `Shared` or `watch`.
//! 3. Errors: `join!` waits for all, `try_join!` drops the rest at the
//!    first `Err`, detached tasks keep running (like `gather`'s), and a
//!    dropped `JoinSet` aborts its tasks (as a `TaskGroup` cancels).
//! 4. Cleanup: there is no async `Drop`, so async cleanup needs a signal
//!    (`CancellationToken`); `abort` only lets destructors run.
//! 5. `spawn_blocking` cannot be cancelled once it runs (nor can
//!    `asyncio.to_thread`).

use futures::FutureExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::{Mutex, mpsc, oneshot, watch};
use tokio::task::JoinSet;
use tokio::time::sleep;
use tokio_util::sync::CancellationToken;

/// Says so if it is dropped before `finished` is set: shows which futures
/// a combinator, an abort or a dropped `JoinSet` cut short.
struct Unfinished {
    name: &'static str,
    finished: bool,
}

impl Drop for Unfinished {
    fn drop(&mut self) {
        if !self.finished {
            println!("  {}: dropped unfinished", self.name);
        }
    }
}

/// Sleeps `ms`, then succeeds or fails; says whether it got to the end.
async fn job(name: &'static str, ms: u64, fail: bool) -> Result<&'static str, String> {
    let mut guard = Unfinished {
        name,
        finished: false,
    };
    sleep(Duration::from_millis(ms)).await;
    guard.finished = true;
    println!("  {name}: finished after {ms} ms");
    if fail {
        Err(format!("{name} failed"))
    } else {
        Ok(name)
    }
}

// ANCHOR: queue
/// Section 1: three workers take jobs from one queue, each job once.
async fn many_consumers() {
    let (tx, rx) = mpsc::channel::<u32>(16);
    // A `Receiver` is not `Clone`: to share it, put it behind an async
    // Mutex. Each worker holds the lock only while it waits in `recv`, and
    // releases it (the guard is a temporary of that statement) before it
    // works on the job, so the others can take the next ones meanwhile.
    let rx = Arc::new(Mutex::new(rx));
    let mut workers = JoinSet::new();
    for worker in ["w1", "w2", "w3"] {
        let rx = Arc::clone(&rx);
        workers.spawn(async move {
            let mut done = Vec::new();
            loop {
                let next = rx.lock().await.recv().await;
                let Some(job) = next else { break }; // queue closed and empty
                sleep(Duration::from_millis(20)).await; // the work
                done.push(job);
            }
            (worker, done)
        });
    }
    for job in 1..=9 {
        tx.send(job).await.expect("workers alive");
    }
    drop(tx); // closing the queue ends the workers' loops
    let mut all = Vec::new();
    let mut results = workers.join_all().await;
    results.sort();
    for (worker, done) in results {
        println!("  {worker} handled {done:?}");
        all.extend(done);
    }
    all.sort();
    println!(
        "  every job exactly once: {}",
        all == (1..=9).collect::<Vec<_>>()
    );
}
// ANCHOR_END: queue

// ANCHOR: shared
/// Section 2: one result, three awaiters.
async fn many_awaiters() {
    // A oneshot `Receiver` is the future of the value, and awaiting it
    // consumes it: one awaiter. `Shared` makes a cloneable future whose
    // output (here `Result<&str, RecvError>`, both `Clone`) every clone gets.
    let (set, result) = oneshot::channel::<&str>();
    let result = result.shared();
    let mut waiters = JoinSet::new();
    for name in ["a", "b", "c"] {
        let result = result.clone();
        waiters.spawn(async move { (name, result.await) });
    }
    set.send("the result").expect("someone waits");
    let mut got = waiters.join_all().await;
    got.sort_by_key(|(name, _)| *name);
    for (name, value) in got {
        println!("  Shared: awaiter {name} got {value:?}");
    }

    // `watch` suits a value that may be set again, and lets any number of
    // receivers wait for it; `Err` in it plays `set_exception`'s part.
    let (set, seen) = watch::channel::<Option<Result<u32, String>>>(None);
    let mut waiters = JoinSet::new();
    for name in ["a", "b"] {
        let mut seen = seen.clone();
        waiters.spawn(async move {
            let value = seen.wait_for(Option::is_some).await.map(|v| v.clone());
            (name, value.expect("sender alive"))
        });
    }
    set.send_replace(Some(Err("no such user".to_string())));
    let mut got = waiters.join_all().await;
    got.sort_by_key(|(name, _)| *name);
    for (name, value) in got {
        println!("  watch: awaiter {name} got {value:?}");
    }

    // asyncio's `Future.cancel()` has a plain counterpart: drop the sender.
    let (set, result) = oneshot::channel::<&str>();
    drop(set);
    println!("  oneshot whose sender was dropped: {:?}", result.await);
}
// ANCHOR_END: shared

// ANCHOR: errors
/// Section 3: one of two jobs fails; who waits, who is dropped.
async fn error_semantics() -> anyhow::Result<()> {
    println!("  join!: waits for both, then returns both results");
    let (fast, slow) = tokio::join!(job("fast", 20, true), job("slow", 80, false));
    println!("  join! -> ({fast:?}, {slow:?})");

    println!("  try_join!: returns at the first Err, and drops the other future");
    let out = tokio::try_join!(job("fast", 20, true), job("slow", 80, false));
    println!("  try_join! -> {out:?}");

    println!("  spawned tasks: the first error does not stop the other (like gather)");
    let fast = tokio::spawn(job("fast task", 20, true));
    let slow = tokio::spawn(job("slow task", 80, false));
    println!("  first handle -> {:?}", fast.await?);
    // Returning here (with `?`, say) would drop `slow`'s handle, which
    // detaches the task: it would run on, unobserved, as `gather` leaves
    // the other awaitables running when one raises.
    println!("  the slow task is still running: {}", !slow.is_finished());
    println!("  slow handle -> {:?}", slow.await?);

    println!("  JoinSet: on the first Err, drop the set: it aborts the rest (like TaskGroup)");
    let mut set = JoinSet::new();
    set.spawn(job("fast in set", 20, true));
    set.spawn(job("slow in set", 80, false));
    while let Some(done) = set.join_next().await {
        let out = done?;
        println!("  join_next -> {out:?}");
        if out.is_err() {
            break;
        }
    }
    drop(set); // aborts "slow in set": its guard drops when it is cancelled
    sleep(Duration::from_millis(100)).await; // long enough that it would have finished
    Ok(())
}
// ANCHOR_END: errors

// ANCHOR: cleanup
/// Section 4: async cleanup needs a signal; `abort` only runs destructors.
async fn cleanup() -> anyhow::Result<()> {
    let token = CancellationToken::new();
    let worker = tokio::spawn({
        let token = token.child_token();
        async move {
            tokio::select! {
                _ = sleep(Duration::from_secs(10)) => println!("  (never printed)"),
                _ = token.cancelled() => {
                    // A signal, not a drop: this task still runs, so it can
                    // await its cleanup (flush, say goodbye, close cleanly).
                    println!("  worker: cancelled, flushing (an .await in cleanup)");
                    sleep(Duration::from_millis(20)).await;
                    println!("  worker: flushed, returning");
                }
            }
        }
    });
    sleep(Duration::from_millis(20)).await;
    token.cancel();
    worker.await?;

    // `abort` drops the task's future at its next `.await`: destructors run,
    // and they are synchronous. Nothing after the `.await` runs, so an
    // async flush there never happens.
    let aborted = tokio::spawn(async {
        let _guard = Unfinished {
            name: "aborted task (its Drop ran; it cannot .await)",
            finished: false,
        };
        sleep(Duration::from_secs(10)).await;
        println!("  (never printed)");
    });
    sleep(Duration::from_millis(20)).await;
    aborted.abort();
    let out = aborted.await;
    println!(
        "  aborted task -> cancelled: {}",
        out.is_err_and(|e| e.is_cancelled())
    );
    Ok(())
}
// ANCHOR_END: cleanup

// ANCHOR: blocking
/// Section 5: `abort` cannot stop a `spawn_blocking` closure that runs.
async fn blocking_runs_on() -> anyhow::Result<()> {
    // `Relaxed`: it is read after awaiting the handle, which orders it.
    let finished = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&finished);
    let (started, running) = oneshot::channel();
    let blocking = tokio::task::spawn_blocking(move || {
        let _ = started.send(());
        std::thread::sleep(Duration::from_millis(100)); // a blocking call
        flag.store(true, Ordering::Relaxed);
        "the closure ran to its end"
    });
    // Abort only once it runs: before that, `abort` may still stop it.
    running.await?;
    blocking.abort();
    println!("  abort() called while the 100 ms blocking call runs");
    let out = blocking.await;
    println!(
        "  spawn_blocking -> {out:?}; finished: {}",
        finished.load(Ordering::Relaxed)
    );
    Ok(())
}
// ANCHOR_END: blocking

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    println!("{}", course::machine::describe());
    println!("\n1. One queue, many consumers: share the one Receiver");
    many_consumers().await;
    println!("\n2. One result, many awaiters: Shared, watch");
    many_awaiters().await;
    println!("\n3. When one of two jobs fails");
    error_semantics().await?;
    println!("\n4. Cleanup: no async drop; cancel with a signal");
    cleanup().await?;
    println!("\n5. spawn_blocking cannot be cancelled once it runs");
    blocking_runs_on().await?;
    Ok(())
}

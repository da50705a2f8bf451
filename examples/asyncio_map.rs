//! asyncio's ideas, one by one, in tokio: where the two models agree and
//! where they differ. The Python twin of this program is
//! `book/futures/python/asyncio_map.py`; run both and compare.
//!
//! Run it with:
//!
//!     cargo run --release --example asyncio_map
//!     python3 book/futures/python/asyncio_map.py
//!
//! Section 3 computes on purpose inside async code, to show who runs in
//! parallel and who does not; Part III explains why real code must not
//! (use `spawn_blocking`, section 6, or rayon).

use course::clock::Clock;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;
use tokio::time::{sleep, timeout};

/// Keeps a core busy for `d`: stands for real computation.
fn compute_for(d: Duration) {
    let start = Instant::now();
    while start.elapsed() < d {
        std::hint::spin_loop();
    }
}

// ANCHOR: main
// The default runtime: multi-threaded, one worker per logical CPU, work stealing.
// asyncio runs one event loop on one thread.
#[tokio::main]
async fn main() -> anyhow::Result<()> {
    println!("{}", course::machine::describe());
    let workers = tokio::runtime::Handle::current().metrics().num_workers();
    println!("tokio runtime: {workers} worker thread(s); an asyncio event loop: 1 thread");

    println!("\n1. A future, like a coroutine object, does nothing until awaited");
    // `Relaxed` throughout: the flag publishes no other data, so it needs no
    // ordering (Part I, "Which ordering to use").
    let ran = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&ran);
    let future = async move { flag.store(true, Ordering::Relaxed) };
    sleep(Duration::from_millis(20)).await;
    println!(
        "  20 ms after it was created, it has run: {}",
        ran.load(Ordering::Relaxed)
    );
    future.await;
    println!(
        "  after .await, it has run: {}",
        ran.load(Ordering::Relaxed)
    );

    println!("\n2. A spawned task, like asyncio.create_task, is scheduled at once");
    let ran = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&ran);
    let handle = tokio::spawn(async move { flag.store(true, Ordering::Relaxed) });
    sleep(Duration::from_millis(20)).await;
    println!(
        "  20 ms later, never awaited, it has run: {}",
        ran.load(Ordering::Relaxed)
    );
    handle.await?;

    println!(
        "\n3. join! (like gather) polls both futures in this task; spawned tasks may run in parallel"
    );
    let work = Duration::from_millis(100);
    let clock = Clock::start();
    tokio::join!(async { compute_for(work) }, async { compute_for(work) });
    let joined = clock.elapsed();
    println!(
        "  join! of two 100 ms computations: {} ms (one task: one after the other)",
        joined.as_millis()
    );
    let clock = Clock::start();
    let (a, b) = (
        tokio::spawn(async move { compute_for(work) }),
        tokio::spawn(async move { compute_for(work) }),
    );
    a.await?;
    b.await?;
    println!(
        "  two spawned tasks: {} ms ({})",
        clock.elapsed().as_millis(),
        if workers > 1 {
            "two workers can run them in parallel"
        } else {
            "one worker: one after the other"
        }
    );

    println!("\n4. asyncio.Future, for one awaiter, is a oneshot channel: a slot filled later");
    let (slot, result) = oneshot::channel();
    tokio::spawn(async move {
        sleep(Duration::from_millis(10)).await;
        let _ = slot.send("set by another task");
    });
    println!("  awaited the receiver: {:?}", result.await?);

    println!("\n5. timeout (like wait_for) cancels by dropping the future");
    struct Cleanup;
    impl Drop for Cleanup {
        fn drop(&mut self) {
            println!(
                "  the slow future is dropped: its destructors run, no code after its .await does"
            );
        }
    }
    let slow = async {
        let _cleanup = Cleanup;
        sleep(Duration::from_secs(10)).await;
        println!("  (never printed)");
    };
    let outcome = timeout(Duration::from_millis(30), slow).await;
    println!("  timeout returned: {outcome:?}");

    println!(
        "\n6. spawn_blocking (like run_in_executor / to_thread) runs blocking code off the workers"
    );
    let clock = Clock::start();
    let blocking = tokio::task::spawn_blocking(|| {
        std::thread::sleep(Duration::from_millis(50)); // a blocking call
        "done on the blocking pool"
    });
    let mut ticks = 0;
    while !blocking.is_finished() {
        sleep(Duration::from_millis(10)).await; // the async side stays free
        ticks += 1;
    }
    println!(
        "  {:?} after {} ms; meanwhile this task woke {ticks} times",
        blocking.await?,
        clock.elapsed().as_millis()
    );
    Ok(())
}
// ANCHOR_END: main

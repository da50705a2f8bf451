//! What it costs to hand control from one unit of work to another: a
//! ping-pong between two threads, and between two tasks.
//!
//! Run it with:
//!
//!     cargo run --release --example context_switch
//!
//! Two units pass a token back and forth over a pair of channels. One round
//! trip is two hand-overs: A wakes B, B wakes A. Each hand-over makes the
//! sender's partner runnable and the sender wait; what that costs depends on
//! who does the scheduling:
//! - two OS threads: the kernel puts one thread to sleep and wakes the other
//!   (a futex system call each way, and a kernel context switch when they
//!   share a core);
//! - two tasks on a current-thread runtime: the runtime's loop returns from
//!   one task's `poll` and calls the other's, in user space, on one thread;
//! - two tasks on a multi-thread runtime: the woken task goes into the
//!   waking worker's LIFO slot and runs next on that worker, so the pair
//!   mostly stays on one thread; but after 3 polls in a row from the slot
//!   the woken task goes through the run queue, and the worker wakes an
//!   idle one (through the kernel), which may steal it. With one worker
//!   there is nobody to wake; with two there is.
//!
//! Each measurement is the median of several runs, reported per round trip,
//! with how often the runtime's workers parked (went to sleep) per round
//! trip: each park is later ended by a wake-up through the kernel.

use course::chart::{self, Axis, Bars, Row, Scale};
use course::stats::median;
use course::table::Table;
use std::fmt::Write as _;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};
use tokio::runtime::{Builder, Runtime};
use tokio::sync::mpsc as tmpsc;

const REPEATS: usize = 5;
const THREAD_ROUND_TRIPS: u32 = 10_000;
const TASK_ROUND_TRIPS: u32 = 50_000;

// ANCHOR: threads
/// `n` round trips between the calling thread and a second thread.
fn ping_pong_threads(n: u32) -> Duration {
    let (to_b, from_a) = mpsc::channel::<u32>();
    let (to_a, from_b) = mpsc::channel::<u32>();
    let b = thread::spawn(move || {
        // B: wait for the token (the thread sleeps in the kernel), send it back.
        for token in from_a {
            to_a.send(token + 1).expect("A is still listening");
        }
    });
    let start = Instant::now();
    for i in 0..n {
        to_b.send(i).expect("B is still listening");
        let back = from_b.recv().expect("B answers");
        debug_assert_eq!(back, i + 1);
    }
    let elapsed = start.elapsed();
    drop(to_b); // B's loop ends when the channel closes
    b.join().expect("B cannot panic");
    elapsed
}
// ANCHOR_END: threads

// ANCHOR: tasks
/// `n` round trips between two tasks on `rt`.
fn ping_pong_tasks(rt: &Runtime, n: u32) -> Duration {
    rt.block_on(async move {
        // Capacity 1: at most one token is ever in flight anyway.
        let (to_b, mut from_a) = tmpsc::channel::<u32>(1);
        let (to_a, mut from_b) = tmpsc::channel::<u32>(1);
        let b = tokio::spawn(async move {
            // B: `recv().await` returns Pending while the channel is empty;
            // the send from A wakes B, and the runtime polls B again.
            while let Some(token) = from_a.recv().await {
                to_a.send(token + 1).await.expect("A is still listening");
            }
        });
        let a = tokio::spawn(async move {
            let start = Instant::now();
            for i in 0..n {
                to_b.send(i).await.expect("B is still listening");
                let back = from_b.recv().await.expect("B answers");
                debug_assert_eq!(back, i + 1);
            }
            start.elapsed()
        });
        let elapsed = a.await.expect("A cannot panic");
        b.await.expect("B cannot panic");
        elapsed
    })
}
// ANCHOR_END: tasks

// ANCHOR: parks
/// How many times the runtime's worker threads have parked (gone to sleep
/// for lack of work) so far, from tokio's stable runtime metrics. A worker
/// that parks must later be woken: on the multi-thread runtime, another
/// worker wakes it through the kernel.
fn worker_parks(rt: &Runtime) -> u64 {
    let m = rt.metrics();
    (0..m.num_workers()).map(|w| m.worker_park_count(w)).sum()
}
// ANCHOR_END: parks

fn main() -> anyhow::Result<()> {
    let book = course::chart::book_flag(
        "usage: context_switch [--book]\n  --book  the output for the book: the text as a code block, then a chart of the time per round trip",
    );
    // Everything is written here first, so that --book can put it in a code block.
    let mut out = String::new();
    writeln!(out, "{}", course::machine::describe())?;
    writeln!(out, "Ping-pong, per round trip (median of {REPEATS} runs):")?;

    let current = Builder::new_current_thread().build()?;
    // One worker: the pair has no other worker to move to or to wake. Two:
    // the smallest pool where tasks can move, whatever the machine's cores.
    let multi1 = Builder::new_multi_thread().worker_threads(1).build()?;
    let multi2 = Builder::new_multi_thread().worker_threads(2).build()?;
    // A first short run of each warms caches and starts the runtimes' threads.
    ping_pong_threads(100);
    for rt in [&current, &multi1, &multi2] {
        ping_pong_tasks(rt, 100);
    }

    let per_trip = |n: u32, mut run: Box<dyn FnMut() -> Duration + '_>| {
        let samples: Vec<Duration> = (0..REPEATS).map(|_| run() / n).collect();
        median(&samples).expect("REPEATS > 0")
    };
    // The time per round trip, and for tasks the worker parks per round trip.
    let on_runtime = |rt: &Runtime| {
        let before = worker_parks(rt);
        let d = per_trip(
            TASK_ROUND_TRIPS,
            Box::new(|| ping_pong_tasks(rt, TASK_ROUND_TRIPS)),
        );
        let parks = worker_parks(rt) - before;
        (
            d,
            Some(parks as f64 / f64::from(REPEATS as u32 * TASK_ROUND_TRIPS)),
        )
    };
    let rows = [
        (
            "two OS threads, std mpsc",
            THREAD_ROUND_TRIPS,
            (
                per_trip(
                    THREAD_ROUND_TRIPS,
                    Box::new(|| ping_pong_threads(THREAD_ROUND_TRIPS)),
                ),
                None,
            ),
        ),
        (
            "two tasks, current-thread runtime",
            TASK_ROUND_TRIPS,
            on_runtime(&current),
        ),
        (
            "two tasks, multi-thread, 1 worker",
            TASK_ROUND_TRIPS,
            on_runtime(&multi1),
        ),
        (
            "two tasks, multi-thread, 2 workers",
            TASK_ROUND_TRIPS,
            on_runtime(&multi2),
        ),
    ];
    let threads = rows[0].2.0;
    let mut bars = vec![];
    let mut table = Table::new([
        "pair",
        "round trips",
        "per round trip",
        "vs threads",
        "worker parks per round trip",
    ]);
    for (i, (name, n, (d, parks))) in rows.into_iter().enumerate() {
        bars.push(Row::new(name, vec![Some(d.as_secs_f64() * 1e6)]));
        table.row([
            name.to_string(),
            n.to_string(),
            format!("{:.2} µs", d.as_secs_f64() * 1e6),
            if i == 0 {
                "-".to_string()
            } else {
                format!("{:.1}x faster", threads.as_secs_f64() / d.as_secs_f64())
            },
            parks.map_or("-".to_string(), |p| format!("{p:.3}")),
        ]);
    }
    out.push_str(&table.render());
    if !book {
        print!("{out}");
        return Ok(());
    }
    let chart = chart::bars(&Bars {
        title: "Ping-pong, per round trip (log scale)".into(),
        axis: Axis::new("microseconds per round trip (log scale)", Scale::Log),
        unit: "µs".into(),
        series: vec!["round trip".into()],
        rows: bars,
        note: course::machine::describe(),
    });
    print!("{}", chart::book(&out, &[chart]));
    Ok(())
}

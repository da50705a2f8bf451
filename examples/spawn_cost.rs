//! What a thread costs and what a task costs: time to spawn and join, and
//! memory while they wait.
//!
//! Run it with:
//!
//!     cargo run --release --example spawn_cost
//!
//! Method, for both kinds of work unit:
//! - time: spawn a batch of N units that do nothing, then join them all; the
//!   batch's time divided by N is the cost per unit. Each batch runs several
//!   times and the median is reported, because a single run is noise. Tasks
//!   are measured on both tokio runtime kinds.
//! - memory: resident memory (RSS, from /proc/self/smaps_rollup, which
//!   proc(5) recommends over the inexact VmRSS) and virtual size (VmSize)
//!   before, and while N units are all alive and parked, divided by N. RSS
//!   counts only the pages of the process that are in RAM: it does not
//!   count the kernel's own memory per thread (its kernel stack, its
//!   scheduler entry), so it understates what a thread costs. Virtual size
//!   counts the address space mapped, touched or not: a thread's whole stack.

use course::chart::{self, Axis, Bars, Row, Scale};
use course::procfs;
use course::stats::median;
use course::table::Table;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::thread;
use std::time::{Duration, Instant};
use tokio::runtime::{Builder, Runtime};
use tokio::sync::Semaphore;

/// Batch sizes for the timing runs: enough units that the clock's
/// resolution does not matter, few enough that the program ends in seconds.
const THREADS_PER_BATCH: usize = 1_000;
const TASKS_PER_BATCH: usize = 20_000;
const REPEATS: usize = 7;

/// How many units are kept alive at once for the memory measurement.
const PARKED_THREADS: usize = 10_000;
const PENDING_TASKS: usize = 100_000;

// ANCHOR: time_threads
/// Spawns `n` OS threads that do nothing, then joins them all.
fn spawn_join_threads(n: usize) -> Duration {
    let start = Instant::now();
    let handles: Vec<_> = (0..n).map(|_| thread::spawn(|| {})).collect();
    for h in handles {
        h.join().expect("an empty thread cannot panic");
    }
    start.elapsed()
}
// ANCHOR_END: time_threads

// ANCHOR: time_tasks
/// Spawns `n` tokio tasks that do nothing, then awaits them all. It runs
/// inside a task of its own, so that on the multi-thread runtime the spawns
/// come from a worker thread, as they do in a real server.
fn spawn_join_tasks(rt: &Runtime, n: usize) -> Duration {
    rt.block_on(async move {
        tokio::spawn(async move {
            let start = Instant::now();
            let handles: Vec<_> = (0..n).map(|_| tokio::spawn(async {})).collect();
            for h in handles {
                h.await.expect("an empty task cannot panic");
            }
            start.elapsed()
        })
        .await
        .expect("the measuring task cannot panic")
    })
}
// ANCHOR_END: time_tasks

/// The median, over `REPEATS` batches of `n`, of the time per unit.
fn per_unit(n: usize, mut batch: impl FnMut() -> Duration) -> Duration {
    let samples: Vec<Duration> = (0..REPEATS).map(|_| batch() / n as u32).collect();
    median(&samples).expect("REPEATS > 0")
}

/// Growth per unit between two measurements, in bytes: (resident, virtual).
fn growth_each(before: procfs::Memory, during: procfs::Memory, n: usize) -> (u64, u64) {
    let each = |b: u64, d: u64| d.saturating_sub(b) * 1024 / n.max(1) as u64;
    (
        each(before.rss_kib, during.rss_kib),
        each(before.virtual_kib, during.virtual_kib),
    )
}

/// What the memory table shows for one kind of unit.
struct Alive {
    count: usize,
    /// Growth per unit, in bytes: resident, and virtual (reserved).
    rss_each: u64,
    virtual_each: u64,
    /// Threads /proc saw in the process while all were alive.
    threads_seen: u64,
    /// Why fewer than the requested number started, if they did.
    limit: Option<String>,
}

// ANCHOR: memory_threads
/// Memory growth per thread while `n` threads are parked, and the thread
/// count /proc saw meanwhile. None where /proc is not available.
fn memory_per_parked_thread(n: usize) -> Option<Alive> {
    let before = procfs::self_memory()?;
    // Main holds the write lock; each thread blocks trying to read it, parked
    // in the kernel, until main lets go.
    let gate = Arc::new(RwLock::new(()));
    let started = Arc::new(AtomicUsize::new(0));
    let hold = gate.write().expect("no thread has panicked yet");
    let mut handles = Vec::with_capacity(n);
    let mut limit = None;
    for _ in 0..n {
        let (gate, started) = (gate.clone(), started.clone());
        let spawned = thread::Builder::new().spawn(move || {
            // Relaxed: the count publishes nothing but itself; main only
            // waits for it to reach `n` before reading /proc.
            started.fetch_add(1, Ordering::Relaxed);
            drop(gate.read()); // parked here
        });
        match spawned {
            Ok(h) => handles.push(h),
            // A system limit (threads per user, memory maps) can stop us
            // first: measure the threads we have, and say so.
            Err(e) => {
                limit = Some(e.to_string());
                break;
            }
        }
    }
    while started.load(Ordering::Relaxed) < handles.len() {
        thread::sleep(Duration::from_millis(1));
    }
    // Every thread has touched its stack.
    let (during, threads_seen) = (procfs::self_memory()?, procfs::self_status()?.threads);
    drop(hold);
    let count = handles.len();
    for h in handles {
        h.join().expect("a parked thread cannot panic");
    }
    let (rss_each, virtual_each) = growth_each(before, during, count);
    Some(Alive {
        count,
        rss_each,
        virtual_each,
        threads_seen,
        limit,
    })
}
// ANCHOR_END: memory_threads

// ANCHOR: memory_tasks
/// Memory growth per task while `n` tasks wait on a semaphore that has no
/// permits, on a current-thread runtime (one thread runs them all).
fn memory_per_pending_task(n: usize) -> Option<Alive> {
    procfs::self_memory()?; // nothing to measure with, so spawn nothing
    let rt = Builder::new_current_thread().build().expect("a runtime");
    rt.block_on(async {
        let before = procfs::self_memory()?;
        let gate = Arc::new(Semaphore::new(0));
        let started = Arc::new(AtomicUsize::new(0));
        let handles: Vec<_> = (0..n)
            .map(|_| {
                let (gate, started) = (gate.clone(), started.clone());
                tokio::spawn(async move {
                    started.fetch_add(1, Ordering::Relaxed);
                    // Pending: the task is parked in the semaphore's wait list.
                    let _ = gate.acquire().await;
                })
            })
            .collect();
        // Let every task run to its `.await`, so each is really waiting.
        while started.load(Ordering::Relaxed) < n {
            tokio::task::yield_now().await;
        }
        let during = procfs::self_memory();
        let threads_seen = procfs::self_status().map(|s| s.threads);
        gate.close(); // wakes every waiter with an error: they all finish
        for h in handles {
            h.await.expect("a pending task cannot panic");
        }
        let (rss_each, virtual_each) = growth_each(before, during?, n);
        Some(Alive {
            count: n,
            rss_each,
            virtual_each,
            threads_seen: threads_seen?,
            limit: None,
        })
    })
}
// ANCHOR_END: memory_tasks

fn micros(d: Duration) -> String {
    format!("{:.2} µs", d.as_secs_f64() * 1e6)
}

fn main() -> anyhow::Result<()> {
    let book = course::chart::book_flag(
        "usage: spawn_cost [--book]\n  --book  the output for the book: the text as a code block, then charts of the time and memory per unit",
    );
    // Everything is written here first, so that --book can put it in a code block.
    let mut out = String::new();
    writeln!(out, "{}", course::machine::describe())?;

    // ANCHOR: main_time
    writeln!(
        out,
        "\nSpawn + join, per unit (median of {REPEATS} batches; each batch spawns all, then joins all):"
    )?;
    let current = Builder::new_current_thread().build()?;
    let multi = Builder::new_multi_thread().build()?;
    let thread_cost = per_unit(THREADS_PER_BATCH, || spawn_join_threads(THREADS_PER_BATCH));
    let current_cost = per_unit(TASKS_PER_BATCH, || {
        spawn_join_tasks(&current, TASKS_PER_BATCH)
    });
    let multi_cost = per_unit(TASKS_PER_BATCH, || {
        spawn_join_tasks(&multi, TASKS_PER_BATCH)
    });
    drop(multi); // its worker threads would otherwise count in the memory below
    let mut table = Table::new(["unit", "batch", "per unit", "vs thread"]);
    let ratio = |d: Duration| {
        format!(
            "{:.0}x cheaper",
            thread_cost.as_secs_f64() / d.as_secs_f64()
        )
    };
    table
        .row([
            "OS thread".into(),
            THREADS_PER_BATCH.to_string(),
            micros(thread_cost),
            "-".into(),
        ])
        .row([
            "tokio task, current-thread runtime".into(),
            TASKS_PER_BATCH.to_string(),
            micros(current_cost),
            ratio(current_cost),
        ])
        .row([
            "tokio task, multi-thread runtime".into(),
            TASKS_PER_BATCH.to_string(),
            micros(multi_cost),
            ratio(multi_cost),
        ]);
    out.push_str(&table.render());
    // ANCHOR_END: main_time

    writeln!(
        out,
        "\nMemory while alive (growth per unit; resident excludes kernel stacks, virtual is mapped address space):"
    )?;
    let tasks = memory_per_pending_task(PENDING_TASKS);
    let threads = memory_per_parked_thread(PARKED_THREADS);
    let mut table = Table::new([
        "unit",
        "alive at once",
        "resident per unit",
        "virtual per unit",
        "threads in process",
    ]);
    let kib = |bytes: u64| format!("{:.1} KiB", bytes as f64 / 1024.0);
    for (name, alive) in [
        ("parked OS thread", &threads),
        ("pending tokio task", &tasks),
    ] {
        match alive {
            Some(a) => table.row([
                name.to_string(),
                a.count.to_string(),
                kib(a.rss_each),
                kib(a.virtual_each),
                a.threads_seen.to_string(),
            ]),
            None => table.row([name, "-", "not measured", "not measured", "not measured"]),
        };
    }
    out.push_str(&table.render());
    if let Some(Alive {
        limit: Some(why), ..
    }) = &threads
    {
        writeln!(
            out,
            "(a system limit stopped the threads before {PARKED_THREADS}: {why})"
        )?;
    }
    if !book {
        print!("{out}");
        return Ok(());
    }
    let us = |d: Duration| Some(d.as_secs_f64() * 1e6);
    let time = chart::bars(&Bars {
        title: "Spawn + join, per unit (log scale)".into(),
        axis: Axis::new("microseconds per unit (log scale)", Scale::Log),
        unit: "µs".into(),
        series: vec!["spawn + join".into()],
        rows: vec![
            Row::new("OS thread", vec![us(thread_cost)]),
            Row::new("tokio task, current-thread runtime", vec![us(current_cost)]),
            Row::new("tokio task, multi-thread runtime", vec![us(multi_cost)]),
        ],
        note: course::machine::describe(),
    });
    let kib =
        |a: &Option<Alive>, bytes: fn(&Alive) -> u64| a.as_ref().map(|a| bytes(a) as f64 / 1024.0);
    let memory = chart::bars(&Bars {
        title: "Memory per unit while alive (log scale)".into(),
        axis: Axis::new("KiB per unit (log scale)", Scale::Log),
        unit: "KiB".into(),
        series: vec!["resident".into(), "virtual".into()],
        rows: [
            ("parked OS thread", &threads),
            ("pending tokio task", &tasks),
        ]
        .into_iter()
        .map(|(name, a)| {
            Row::new(
                name,
                vec![kib(a, |a| a.rss_each), kib(a, |a| a.virtual_each)],
            )
        })
        .collect(),
        note: course::machine::describe(),
    });
    print!("{}", chart::book(&out, &[time, memory]));
    Ok(())
}

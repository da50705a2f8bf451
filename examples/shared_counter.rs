//! Four threads count to one total: the three safe ways to share a counter
//! (a `Mutex`, an atomic, a channel) and the way that shares nothing until
//! the end, each timed; and, to price contention, the same count through a
//! `Mutex` that only one thread uses.
//!
//! Run it with:
//!
//!     cargo run --release --example shared_counter
//!
//! The unsynchronised version does not compile, so it is not here: the
//! chapter shows it, in `book/concurrency/snippets/`, with the compiler's
//! real error.

use course::chart::{self, Axis, Bars, Row, Scale};
use course::stats::median;
use course::table::Table;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

const THREADS: u64 = 4;
const PER_THREAD: u64 = 250_000;
const REPEATS: usize = 5;

// ANCHOR: mutex
/// A `Mutex` lets one thread at a time reach the counter. Every increment
/// takes the lock and releases it; when another thread holds it, this one
/// waits.
fn with_mutex() -> u64 {
    let counter = Mutex::new(0);
    thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| {
                for _ in 0..PER_THREAD {
                    *counter.lock().unwrap() += 1;
                }
            });
        }
    });
    counter.into_inner().unwrap()
}
// ANCHOR_END: mutex

// ANCHOR: alone
/// The same number of increments through a `Mutex`, from one thread: every
/// lock finds the mutex free. The difference from `with_mutex` is the price
/// of contention, not of locking.
fn with_mutex_alone() -> u64 {
    let counter = Mutex::new(0);
    for _ in 0..THREADS * PER_THREAD {
        *std::hint::black_box(&counter).lock().unwrap() += 1;
    }
    counter.into_inner().unwrap()
}
// ANCHOR_END: alone

// ANCHOR: atomic
/// An atomic makes read-add-write one indivisible instruction, with no lock.
/// `Relaxed` is enough: the threads need one correct total, not an order
/// between this counter and other memory (the scope's join makes every
/// increment visible before we read the total).
fn with_atomic() -> u64 {
    let counter = AtomicU64::new(0);
    thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| {
                for _ in 0..PER_THREAD {
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    counter.into_inner()
}
// ANCHOR_END: atomic

// ANCHOR: channel
/// A channel shares no counter at all: the workers send messages, and one
/// thread, the only owner of the counter, adds them up.
fn with_channel() -> u64 {
    let (tx, rx) = mpsc::channel();
    thread::scope(|s| {
        for _ in 0..THREADS {
            let tx = tx.clone();
            s.spawn(move || {
                for _ in 0..PER_THREAD {
                    tx.send(1).unwrap();
                }
            });
        }
        // Drop our own sender: the loop below ends when every sender is gone.
        drop(tx);
        rx.iter().sum()
    })
}
// ANCHOR_END: channel

// ANCHOR: local
/// Each thread counts in a local variable and hands back its total once.
/// The threads touch nothing shared while they work.
fn local_then_combine() -> u64 {
    thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = 0;
                    for _ in 0..PER_THREAD {
                        // black_box stops the compiler from replacing the
                        // loop with `mine = PER_THREAD`.
                        mine = std::hint::black_box(mine + 1);
                    }
                    mine
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}
// ANCHOR_END: local

/// A way to count, by name.
type Version = (&'static str, fn() -> u64);

fn main() -> anyhow::Result<()> {
    let book = chart::book_flag(
        "usage: shared_counter [--book]\n  --book  the output for the book: the text as a code block, then a chart of the time per increment",
    );
    // Everything is written here first, so that --book can put it in a code block.
    let mut out = String::new();
    writeln!(out, "{}", course::machine::describe())?;
    writeln!(
        out,
        "{THREADS} threads each add 1, {PER_THREAD} times: the total must be {}. Median of {REPEATS} runs.\n",
        THREADS * PER_THREAD
    )?;
    let versions: [Version; 5] = [
        ("Mutex<u64>", with_mutex),
        ("Mutex<u64>, one thread alone", with_mutex_alone),
        ("AtomicU64::fetch_add", with_atomic),
        ("mpsc channel, one owner", with_channel),
        ("local counts, combined at the end", local_then_combine),
    ];
    let mut table = Table::new(["version", "total", "correct", "ns per increment"]);
    let mut figures = vec![];
    for (name, count) in versions {
        let mut total = 0;
        let samples: Vec<Duration> = (0..REPEATS)
            .map(|_| {
                let t = Instant::now();
                total = count();
                t.elapsed()
            })
            .collect();
        let m = median(&samples).unwrap();
        let per_increment = m.as_secs_f64() * 1e9 / (THREADS * PER_THREAD) as f64;
        figures.push(Row::new(name, vec![Some(per_increment)]));
        table.row([
            name.to_string(),
            total.to_string(),
            if total == THREADS * PER_THREAD {
                "yes".to_string()
            } else {
                "NO".to_string()
            },
            format!("{per_increment:.1}"),
        ]);
    }
    out.push_str(&table.render());
    if !book {
        print!("{out}");
        return Ok(());
    }
    // A log scale: the local counts are tens of times cheaper than the rest.
    let chart = chart::bars(&Bars {
        title: format!("Time per increment, {THREADS} threads (log scale)"),
        axis: Axis::new("nanoseconds per increment (log scale)", Scale::Log),
        unit: "ns".into(),
        series: vec!["median".into()],
        rows: figures,
        note: course::machine::describe(),
    });
    print!("{}", chart::book(&out, &[chart]));
    Ok(())
}

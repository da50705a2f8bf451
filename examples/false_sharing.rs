//! False sharing, measured: two threads, each incrementing its *own*
//! counter, first with the two counters in one cache line, then with each
//! counter in lines of its own.
//!
//! Run it with:
//!
//!     cargo run --release --example false_sharing
//!
//! The threads share no data: each counter has one writer. They share a
//! cache line, and that is enough. A core must own a line exclusively to
//! write to it, so two cores writing the same line take it from each other
//! on every write, and each write waits for the line to come back. Padding
//! each counter to a line of its own removes the traffic, and the same
//! instructions run several times faster.

use course::chart::{self, Axis, Bars, Row, Scale};
use course::stats::median;
use course::table::Table;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// Increments per thread, per run.
const PER_THREAD: u64 = 20_000_000;
/// Each layout is timed this many times; the table shows medians.
const REPEATS: usize = 5;

// ANCHOR: layouts
/// Two counters side by side: 16 bytes, aligned to 64 so that both are
/// always in one 64-byte cache line, whatever address they land at.
#[repr(C, align(64))]
struct SameLine {
    a: AtomicU64,
    b: AtomicU64,
}

/// One counter padded to 128 bytes. Two of these never share a line. Why
/// 128 and not the 64-byte line: Intel cores since Sandy Bridge have a
/// spatial prefetcher that fetches lines in 128-byte aligned pairs, so a
/// write to one line also pulls on its neighbour. crossbeam's
/// `CachePadded` pads to 128 on x86-64 for this reason.
#[repr(C, align(128))]
struct Padded(AtomicU64);

struct Apart {
    a: Padded,
    b: Padded,
}
// ANCHOR_END: layouts

/// One run: its wall-clock time, and the share of it that the less lucky
/// thread spent on a CPU. False sharing needs the two threads on two CPUs
/// at the same instant; on a busy machine they may take turns instead.
struct Run {
    time: Duration,
    on_cpu: Option<f64>,
}

/// The time the calling thread has spent on a CPU, from Linux's
/// `/proc/thread-self/schedstat` (its first field, in nanoseconds). `None`
/// where there is no such file.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

// ANCHOR: count
/// Two threads at once, one per counter, each the only writer of its own.
/// Each increment is one atomic read-modify-write, so the compiler cannot
/// merge the loop into one addition: every iteration writes the line.
fn race(a: &AtomicU64, b: &AtomicU64) -> Run {
    let start = Instant::now();
    let on_cpu: Vec<Option<Duration>> = thread::scope(|s| {
        let handles: Vec<_> = [a, b]
            .into_iter()
            .map(|counter| {
                s.spawn(move || {
                    let before = cpu_time();
                    for _ in 0..PER_THREAD {
                        counter.fetch_add(1, Ordering::Relaxed);
                    }
                    Some(cpu_time()? - before?)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let time = start.elapsed();
    let least = on_cpu.into_iter().min().flatten();
    Run {
        time,
        on_cpu: least.map(|t| t.as_secs_f64() / time.as_secs_f64()),
    }
}
// ANCHOR_END: count

/// The 64-byte line an address falls in.
fn line_of(counter: &AtomicU64) -> usize {
    counter.as_ptr() as usize / 64
}

/// The cache line size the kernel reports for the first CPU's level 1 data
/// cache, on Linux.
fn line_size() -> Option<u32> {
    std::fs::read_to_string("/sys/devices/system/cpu/cpu0/cache/index0/coherency_line_size")
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Times `race` on `a` and `b`, `REPEATS` times, and checks the totals.
/// Returns the median time and the median on-CPU share.
fn measure(a: &AtomicU64, b: &AtomicU64) -> (Duration, Option<f64>) {
    let runs: Vec<Run> = (0..REPEATS)
        .map(|_| {
            a.store(0, Ordering::Relaxed);
            b.store(0, Ordering::Relaxed);
            let run = race(a, b);
            assert_eq!(a.load(Ordering::Relaxed), PER_THREAD);
            assert_eq!(b.load(Ordering::Relaxed), PER_THREAD);
            run
        })
        .collect();
    let times: Vec<Duration> = runs.iter().map(|r| r.time).collect();
    let mut shares: Vec<f64> = runs.iter().filter_map(|r| r.on_cpu).collect();
    shares.sort_by(f64::total_cmp);
    (
        median(&times).unwrap(),
        shares.get(shares.len() / 2).copied(),
    )
}

fn main() {
    let book = course::chart::book_flag(
        "usage: false_sharing [--book]\n  --book  the output for the book: the text as a code block, then a chart of the time per increment",
    );
    // Everything is written here first, so that --book can put it in a code block.
    let mut out = String::new();
    writeln!(out, "{}", course::machine::describe()).unwrap();
    match line_size() {
        Some(n) => writeln!(out, "cache line: {n} bytes (sysfs, cpu0 L1 data cache)").unwrap(),
        None => writeln!(
            out,
            "cache line: unknown (no sysfs); 64 bytes on current x86-64 and most ARM"
        )
        .unwrap(),
    }
    writeln!(
        out,
        "2 threads each add 1 to their own counter, {PER_THREAD} times. Median of {REPEATS} runs.\n"
    )
    .unwrap();

    let together = Box::new(SameLine {
        a: AtomicU64::new(0),
        b: AtomicU64::new(0),
    });
    let apart = Box::new(Apart {
        a: Padded(AtomicU64::new(0)),
        b: Padded(AtomicU64::new(0)),
    });
    let layouts = [
        ("same line", &together.a, &together.b),
        ("padded to 128 bytes", &apart.a.0, &apart.b.0),
    ];

    let mut table = Table::new([
        "counters",
        "bytes apart",
        "same 64-byte line",
        "ns per increment",
        "on a CPU",
    ]);
    let mut times = vec![];
    let mut bars = vec![];
    for (name, a, b) in layouts {
        let (t, on_cpu) = measure(a, b);
        times.push(t);
        let ns = t.as_secs_f64() * 1e9 / PER_THREAD as f64;
        bars.push(Row::new(name, vec![Some(ns)]));
        table.row([
            name.to_string(),
            (b.as_ptr() as usize - a.as_ptr() as usize).to_string(),
            if line_of(a) == line_of(b) {
                "yes"
            } else {
                "no"
            }
            .to_string(),
            format!("{ns:.2}"),
            on_cpu.map_or("unknown".to_string(), |f| format!("{:.0}%", f * 100.0)),
        ]);
    }
    out.push_str(&table.render());
    writeln!(
        out,
        "\nsame line / padded: {:.1}x the time for the same instructions",
        times[0].as_secs_f64() / times[1].as_secs_f64()
    )
    .unwrap();
    writeln!(out, "ns per increment = wall time / increments per thread. on a CPU = the share of the wall time\nthat the thread with less CPU time got (Linux schedstat, median): below 100%, the two threads\nwere not always counting at the same instant."
    ).unwrap();
    if !book {
        print!("{out}");
        return;
    }
    let chart = chart::bars(&Bars {
        title: "Two threads, two counters: in one cache line, then apart".into(),
        axis: Axis::new("nanoseconds per increment", Scale::Linear),
        unit: "ns".into(),
        series: vec!["time per increment".into()],
        rows: bars,
        note: course::machine::describe(),
    });
    print!("{}", chart::book(&out, &[chart]));
}

//! The same four jobs run three ways, with a record of when each job ran on
//! which OS thread: concurrency and parallelism, drawn from a real run.
//!
//! Run it with:
//!
//!     cargo run --release --example timeline          # text timelines
//!     cargo run --release --example timeline -- --cpu # SVG: jobs that compute
//!     cargo run --release --example timeline -- --io  # SVG: jobs that wait
//!
//! The book embeds the two SVG pictures. Every bar in them is a stretch of
//! time this program measured: nothing is drawn from a formula.

use course::svg::{self, Activity, Lane, Panel, Span};
use std::collections::HashMap;
use std::hint::black_box;
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

const JOBS: [&str; 4] = ["A", "B", "C", "D"];
/// Each CPU-bound job is this many slices of computing, about 5 ms each.
const SLICES: usize = 10;
const SLICE: Duration = Duration::from_millis(5);
/// Each I/O-bound job waits this long, between two slices of computing.
const WAIT: Duration = Duration::from_millis(120);

// ANCHOR: recorder
/// What one stretch of a job looked like: which job, on which OS thread,
/// from when to when, doing what.
struct Event {
    job: usize,
    thread: ThreadId,
    thread_name: Option<String>,
    start: Duration,
    end: Duration,
    activity: Activity,
}

/// Collects events from every job, whatever thread it runs on (hence the
/// `Mutex`: several threads push at once in the parallel runs).
struct Recorder {
    start: Instant,
    events: Mutex<Vec<Event>>,
}

impl Recorder {
    fn new() -> Arc<Self> {
        Arc::new(Self {
            start: Instant::now(),
            events: Mutex::new(Vec::new()),
        })
    }

    /// Runs `f` (a piece of job `job`) and records when, and on which
    /// thread, it ran.
    fn record<T>(&self, job: usize, activity: Activity, f: impl FnOnce() -> T) -> T {
        let start = self.start.elapsed();
        let out = f();
        self.note(job, activity, start);
        out
    }

    /// Records that job `job` did `activity` from `start` until now, on
    /// this thread. (A wait inside `.await` cannot be wrapped in a closure,
    /// so async code notes its start and calls this afterwards.)
    fn note(&self, job: usize, activity: Activity, start: Duration) {
        let me = thread::current();
        self.events.lock().unwrap().push(Event {
            job,
            thread: me.id(),
            thread_name: me.name().map(str::to_string),
            start,
            end: self.start.elapsed(),
            activity,
        });
    }
}
// ANCHOR_END: recorder

/// Pure computation, standing for real work (parsing, hashing, compressing).
fn burn(iterations: u64) -> u64 {
    let mut x = black_box(0x9e37_79b9_7f4a_7c15_u64);
    for i in 0..iterations {
        x = (x ^ (x >> 29))
            .wrapping_mul(0xbf58_476d_1ce4_e5b9)
            .wrapping_add(i);
    }
    black_box(x)
}

/// How many iterations of `burn` take about one `SLICE` on this machine.
fn calibrate() -> u64 {
    let probe = 200_000;
    let t = Instant::now();
    burn(probe);
    let per_iter = t.elapsed().as_secs_f64() / probe as f64;
    ((SLICE.as_secs_f64() / per_iter) as u64).max(1)
}

// ANCHOR: cpu
/// Four jobs of pure computation, run three ways.
fn cpu_bound(work: u64) -> Vec<(String, Arc<Recorder>)> {
    // 1. Sequentially: one thread, each job to its end before the next.
    let seq = Recorder::new();
    for job in 0..JOBS.len() {
        for _ in 0..SLICES {
            seq.record(job, Activity::Running, || burn(work));
        }
    }

    // 2. Interleaved on one thread: a current-thread runtime runs four tasks.
    // Each task gives the thread back after every slice (`yield_now`), so the
    // runtime switches between them: concurrency, with no parallelism.
    let inter = Recorder::new();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(async {
        let tasks: Vec<_> = (0..JOBS.len())
            .map(|job| {
                let rec = Arc::clone(&inter);
                tokio::spawn(async move {
                    for _ in 0..SLICES {
                        rec.record(job, Activity::Running, || burn(work));
                        tokio::task::yield_now().await;
                    }
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
    });

    // 3. In parallel: one OS thread per job. The OS runs as many of them at
    // the same instant as there are free cores.
    let par = Recorder::new();
    thread::scope(|s| {
        for job in 0..JOBS.len() {
            let rec = &par;
            thread::Builder::new()
                .name(format!("thread {}", job + 1))
                .spawn_scoped(s, move || {
                    for _ in 0..SLICES {
                        rec.record(job, Activity::Running, || burn(work));
                    }
                })
                .unwrap();
        }
    });

    vec![
        ("Sequential".to_string(), seq),
        (
            "Interleaved (4 tasks, current-thread runtime)".to_string(),
            inter,
        ),
        ("Parallel (one OS thread per job)".to_string(), par),
    ]
}
// ANCHOR_END: cpu

// ANCHOR: io
/// Four jobs that compute a little, wait (as for a network reply), and
/// compute a little again.
fn io_bound(work: u64) -> Vec<(String, Arc<Recorder>)> {
    // 1. Sequentially, with blocking waits: the thread sleeps through each.
    let seq = Recorder::new();
    for job in 0..JOBS.len() {
        seq.record(job, Activity::Running, || burn(work));
        seq.record(job, Activity::Waiting, || thread::sleep(WAIT));
        seq.record(job, Activity::Running, || burn(work));
    }

    // 2. Four tasks on one thread. While a task awaits its timer, the
    // thread runs the other tasks: the waits overlap on a single thread.
    let tasks = Recorder::new();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    rt.block_on(async {
        let handles: Vec<_> = (0..JOBS.len())
            .map(|job| {
                let rec = Arc::clone(&tasks);
                tokio::spawn(async move {
                    rec.record(job, Activity::Running, || burn(work));
                    let waited = rec.start.elapsed();
                    tokio::time::sleep(WAIT).await;
                    rec.note(job, Activity::Waiting, waited);
                    rec.record(job, Activity::Running, || burn(work));
                })
            })
            .collect();
        for h in handles {
            h.await.unwrap();
        }
    });

    // 3. Four OS threads with blocking waits: the waits overlap too, at the
    // price of a thread each.
    let threads = Recorder::new();
    thread::scope(|s| {
        for job in 0..JOBS.len() {
            let rec = &threads;
            thread::Builder::new()
                .name(format!("thread {}", job + 1))
                .spawn_scoped(s, move || {
                    rec.record(job, Activity::Running, || burn(work));
                    rec.record(job, Activity::Waiting, || thread::sleep(WAIT));
                    rec.record(job, Activity::Running, || burn(work));
                })
                .unwrap();
        }
    });

    vec![
        ("Sequential, blocking waits".to_string(), seq),
        ("4 tasks on one thread, async waits".to_string(), tasks),
        ("One OS thread per job, blocking waits".to_string(), threads),
    ]
}
// ANCHOR_END: io

/// Turns a run's events into a panel: one lane per OS thread (in order of
/// first appearance) for the computing, and, if any job waited, one row per
/// job for its waits (waits overlap, so they cannot share a lane).
fn panel(title: &str, rec: &Recorder) -> Panel {
    let events = rec.events.lock().unwrap();
    let mut order: Vec<ThreadId> = Vec::new();
    let mut names: HashMap<ThreadId, String> = HashMap::new();
    for e in events.iter() {
        if !order.contains(&e.thread) {
            order.push(e.thread);
            let n = order.len();
            names.insert(
                e.thread,
                e.thread_name.clone().unwrap_or(format!("thread {n}")),
            );
        }
    }
    // Named threads ("thread 1", ...) are listed by name, not by which one
    // happened to start first.
    order.sort_by_key(|t| names[t].clone());
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let mut lanes: Vec<Lane> = order
        .iter()
        .map(|t| Lane {
            label: match names[t].as_str() {
                "main" => "main thread".to_string(),
                other => other.to_string(),
            },
            spans: merge(
                events
                    .iter()
                    .filter(|e| e.thread == *t && e.activity == Activity::Running)
                    .map(|e| Span {
                        job: e.job,
                        start_ms: ms(e.start),
                        end_ms: ms(e.end),
                        activity: e.activity,
                    })
                    .collect(),
            ),
        })
        .collect();
    if events.iter().any(|e| e.activity == Activity::Waiting) {
        for (job, name) in JOBS.iter().enumerate() {
            lanes.push(Lane {
                label: format!("{name} waiting"),
                spans: events
                    .iter()
                    .filter(|e| e.job == job && e.activity == Activity::Waiting)
                    .map(|e| Span {
                        job,
                        start_ms: ms(e.start),
                        end_ms: ms(e.end),
                        activity: e.activity,
                    })
                    .collect(),
            });
        }
    }
    let total = events.iter().map(|e| e.end).max().unwrap_or_default();
    Panel {
        title: format!(
            "{title}: {} ms on {} OS thread{}",
            total.as_millis(),
            order.len(),
            if order.len() == 1 { "" } else { "s" }
        ),
        lanes,
    }
}

/// Joins back-to-back slices of the same job into one bar.
fn merge(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
    let mut out: Vec<Span> = Vec::new();
    for s in spans {
        match out.last_mut() {
            Some(last) if last.job == s.job && s.start_ms - last.end_ms < 0.3 => {
                last.end_ms = s.end_ms
            }
            _ => out.push(s),
        }
    }
    out
}

/// The terminal version of a panel: each lane as a row of characters
/// (job letters while computing, `.` while waiting), and the order in which
/// jobs took turns on each thread.
fn print_text(panels: &[Panel]) {
    let end = panels
        .iter()
        .flat_map(|p| &p.lanes)
        .flat_map(|l| &l.spans)
        .map(|s| s.end_ms)
        .fold(1.0, f64::max);
    const COLS: f64 = 60.0;
    for p in panels {
        println!("{}", p.title);
        for lane in &p.lanes {
            let width = COLS as usize;
            let mut row = vec![' '; width];
            for s in &lane.spans {
                let from = (s.start_ms / end * COLS) as usize;
                let from = from.min(width - 1);
                let to = ((s.end_ms / end * COLS).ceil() as usize).clamp(from + 1, width);
                let c = match s.activity {
                    Activity::Running => JOBS[s.job].chars().next().unwrap(),
                    Activity::Waiting => '.',
                };
                row[from..to].fill(c);
            }
            let turns: Vec<&str> = lane
                .spans
                .iter()
                .filter(|s| s.activity == Activity::Running)
                .map(|s| JOBS[s.job])
                .collect();
            let row: String = row.into_iter().collect();
            if turns.is_empty() {
                println!("  {:<14}|{row}|", lane.label);
            } else {
                println!("  {:<14}|{row}| turns: {}", lane.label, turns.join(" "));
            }
        }
        println!();
    }
    println!("(one column is {:.1} ms)", end / COLS);
}

fn main() {
    let mode = std::env::args().nth(1);
    let mode = mode.as_deref();
    if !matches!(mode, None | Some("--cpu") | Some("--io") | Some("--text"))
        || std::env::args().len() > 2
    {
        let args: Vec<String> = std::env::args().skip(1).collect();
        eprintln!("timeline: unexpected arguments: {}", args.join(" "));
        eprintln!("usage: timeline [--text | --cpu | --io]");
        eprintln!("  --text  both cases as text timelines (the default)");
        eprintln!("  --cpu   an SVG picture of four computing jobs run three ways");
        eprintln!("  --io    an SVG picture of four waiting jobs run three ways");
        std::process::exit(2);
    }
    let work = calibrate();
    let panels = |runs: Vec<(String, Arc<Recorder>)>| -> Vec<Panel> {
        runs.iter().map(|(t, r)| panel(t, r)).collect()
    };
    match mode {
        Some("--cpu") => print!(
            "{}",
            svg::render(
                "Four computing jobs: sequential, interleaved on one thread, parallel on threads",
                &JOBS,
                &panels(cpu_bound(work)),
                &course::machine::describe(),
            )
        ),
        Some("--io") => print!(
            "{}",
            svg::render(
                "Four waiting jobs: sequential, as tasks on one thread, on four threads",
                &JOBS,
                &panels(io_bound(work)),
                &course::machine::describe(),
            )
        ),
        _ => {
            println!(
                "Jobs that compute ({SLICES} slices of about {} ms each):\n",
                SLICE.as_millis()
            );
            print_text(&panels(cpu_bound(work)));
            println!(
                "\nJobs that wait ({} ms each, between two slices of computing):\n",
                WAIT.as_millis()
            );
            print_text(&panels(io_bound(work)));
            println!("{}", course::machine::describe());
        }
    }
}

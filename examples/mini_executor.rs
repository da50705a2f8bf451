//! An executor from scratch, with std and the `futures` crate only: no tokio.
//!
//! Run it with:
//!
//!     cargo run --release --example mini_executor
//!     cargo run --release --example mini_executor -- --book  # the trace, and task B's wake path drawn (Markdown)
//!
//! Three parts fit together in every async runtime, tokio included:
//!
//! - the **executor** polls tasks, and only tasks that were woken;
//! - the **reactor** (here a timer thread; in tokio also the epoll loop)
//!   knows *when* a waiting future can make progress;
//! - the **waker** connects them: a future hands it to the reactor when it
//!   returns `Pending`, and the reactor calls `wake()` on it, which puts the
//!   task back on the executor's queue.
//!
//! Part 1 is `block_on`, the smallest executor: one future, and a waker that
//! unparks the thread. Part 2 is an executor with a task queue and `spawn`,
//! running three timers concurrently on one thread, and printing the path
//! every wake-up takes. Part 3 uses a waker that polls its task inside
//! `wake()`, which works only because the reactor wakes with no lock held.

use course::clock::Clock;
use futures::future::BoxFuture;
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

/// One clock for every log line, so the trace reads as one timeline.
fn clock() -> Clock {
    static CLOCK: OnceLock<Clock> = OnceLock::new();
    *CLOCK.get_or_init(Clock::start)
}

/// One line of the trace, as recorded: when, on which thread, what.
struct Event {
    at_ms: u128,
    thread: String,
    what: String,
}

/// The output so far, and the events it holds, for `--book`, which prints
/// the text in a code block and draws the events; without `--book`, each
/// line is printed at once and nothing is kept.
#[derive(Default)]
struct Record {
    text: String,
    events: Vec<Event>,
}

static BOOK: OnceLock<bool> = OnceLock::new();
static RECORD: Mutex<Record> = Mutex::new(Record {
    text: String::new(),
    events: Vec::new(),
});

/// Prints `line`, or under `--book` keeps it for the end.
fn say(line: &str) {
    if *BOOK.get().unwrap_or(&false) {
        let mut r = RECORD.lock().unwrap();
        r.text.push_str(line);
        r.text.push('\n');
    } else {
        println!("{line}");
    }
}

/// Prints a trace line (when, on which thread, what) and records it.
fn trace(what: String) {
    let stamp = clock().stamp();
    let name = thread::current().name().unwrap_or("?").to_string();
    say(&format!("{stamp} {name:<7} | {what}"));
    if *BOOK.get().unwrap_or(&false) {
        // The event's time is the one its line shows (`[  150 ms]`).
        let ms = stamp
            .trim_matches(['[', ']'])
            .trim_end_matches(" ms")
            .trim();
        RECORD.lock().unwrap().events.push(Event {
            at_ms: ms.parse().expect("Clock::stamp prints whole milliseconds"),
            thread: name,
            what,
        });
    }
}

macro_rules! log {
    ($($arg:tt)*) => {
        trace(format!($($arg)*))
    };
}

// ---------------------------------------------------------------------------
// The reactor: one thread that owns every timer.
// ---------------------------------------------------------------------------

// ANCHOR: reactor
/// Timers waiting to fire, by deadline: each entry holds the waker of the
/// task to wake, and a label for the log.
#[derive(Default)]
struct Timers {
    pending: BTreeMap<(Instant, usize), (Waker, String)>,
    next_id: usize,
}

struct Reactor {
    timers: Mutex<Timers>,
    /// Signalled when a timer is added, in case it is now the earliest.
    changed: Condvar,
}

impl Reactor {
    /// The process's one reactor, with its thread started on first use.
    fn get() -> &'static Reactor {
        static REACTOR: OnceLock<&'static Reactor> = OnceLock::new();
        REACTOR.get_or_init(|| {
            let reactor: &'static Reactor = Box::leak(Box::new(Reactor {
                timers: Mutex::new(Timers::default()),
                changed: Condvar::new(),
            }));
            thread::Builder::new()
                .name("reactor".into())
                .spawn(move || reactor.run())
                .expect("cannot start the reactor thread");
            reactor
        })
    }

    /// Called by a future that returns `Pending`: "wake this waker at `at`".
    fn register(&self, at: Instant, waker: Waker, label: String) {
        let mut timers = self.timers.lock().unwrap();
        let id = timers.next_id;
        timers.next_id += 1;
        timers.pending.insert((at, id), (waker, label));
        self.changed.notify_one();
    }

    /// The reactor's loop: sleep until the earliest deadline, then call
    /// `wake()` on the wakers that were registered for the deadlines that
    /// have passed. It never polls a future; it only says which tasks are
    /// ready to be polled.
    fn run(&self) {
        let mut timers = self.timers.lock().unwrap();
        loop {
            let now = Instant::now();
            // Collect under the lock every timer that is due...
            let mut due = Vec::new();
            while let Some(entry) = timers.pending.first_entry() {
                if entry.key().0 > now {
                    break;
                }
                due.push(entry.remove());
            }
            if due.is_empty() {
                timers = match timers.pending.first_key_value() {
                    Some((&(at, _), _)) => self.changed.wait_timeout(timers, at - now).unwrap().0,
                    None => self.changed.wait(timers).unwrap(),
                };
                continue;
            }
            // ...then unlock, and only then wake. A waker is foreign code:
            // one that polls its task on the spot would call `register`,
            // which locks `timers` again, and a thread that locks a std
            // Mutex it already holds deadlocks. tokio's timer driver wakes
            // the same way: collect under its lock, drop the lock, wake.
            drop(timers);
            for (waker, label) in due {
                log!("reactor: deadline of {label} reached -> wake()");
                waker.wake();
            }
            timers = self.timers.lock().unwrap();
        }
    }
}
// ANCHOR_END: reactor

// ANCHOR: sleep
/// A leaf future: ready once its deadline has passed. Until then each poll
/// hands the current waker to the reactor and returns `Pending`.
struct Sleep {
    until: Instant,
    label: String,
    registered: bool,
}

fn sleep(wait: Duration, label: impl Into<String>) -> Sleep {
    Sleep {
        until: Instant::now() + wait,
        label: label.into(),
        registered: false,
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if Instant::now() >= self.until {
            return Poll::Ready(());
        }
        // Registering once is enough here: this executor always wakes a
        // task with the waker it was first polled with. (A future that can
        // be moved between tasks must store the latest waker instead, as
        // timer_future does.)
        if !self.registered {
            self.registered = true;
            log!(
                "{}: not yet -> waker given to the reactor, Pending",
                self.label
            );
            Reactor::get().register(self.until, cx.waker().clone(), self.label.clone());
        }
        Poll::Pending
    }
}
// ANCHOR_END: sleep

// ---------------------------------------------------------------------------
// Part 1: block_on, the smallest executor.
// ---------------------------------------------------------------------------

// ANCHOR: block_on
/// A waker that unparks the thread blocked in `block_on`.
struct ThreadWaker(Thread);

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

/// Runs one future to completion on the current thread.
fn block_on<F: Future>(future: F) -> F::Output {
    // The future must not move once polled (see the chapter on Pin); pin it
    // here, on this stack frame, which outlives every poll.
    let mut future = pin!(future);
    let waker = Waker::from(Arc::new(ThreadWaker(thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut polls = 0;
    loop {
        polls += 1;
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(output) => {
                log!("block_on: poll #{polls} -> Ready");
                return output;
            }
            Poll::Pending => {
                log!("block_on: poll #{polls} -> Pending, parking the thread");
                // Sleeps until `unpark` (the waker) is called. `park` may
                // also return spuriously; then we just poll once more, and
                // the future returns `Pending` again.
                thread::park();
                log!("block_on: unparked by the waker");
            }
        }
    }
}
// ANCHOR_END: block_on

// ---------------------------------------------------------------------------
// Part 2: an executor with a task queue and spawn.
// ---------------------------------------------------------------------------

// ANCHOR: task
/// A spawned future and a way back to the queue. The `Arc<Task>` *is* the
/// waker: waking a task means sending it to the queue again.
struct Task {
    name: &'static str,
    /// `None` once the future has finished. The Mutex is only for the type
    /// system: `Waker` must be `Send + Sync`, so `Task` must be too; only
    /// the executor's thread ever locks it.
    future: Mutex<Option<BoxFuture<'static, ()>>>,
    queue: Sender<Arc<Task>>,
}

impl Wake for Task {
    fn wake(self: Arc<Self>) {
        log!("waker: task {} pushed onto the queue", self.name);
        let queue = self.queue.clone();
        // If the executor is gone, nobody will poll the task: nothing to do.
        let _ = queue.send(self);
    }
}
// ANCHOR_END: task

// ANCHOR: executor
struct Executor {
    queue: Receiver<Arc<Task>>,
    sender: Sender<Arc<Task>>,
    /// Touched only by the executor's thread, so `Relaxed` is enough.
    unfinished: Arc<AtomicUsize>,
}

impl Executor {
    fn new() -> Self {
        let (sender, queue) = channel();
        Executor {
            queue,
            sender,
            unfinished: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Puts a future on the queue as a new task. Like `tokio::spawn`, it
    /// is scheduled at once: the executor polls it without anyone awaiting.
    fn spawn(&self, name: &'static str, future: impl Future<Output = ()> + Send + 'static) {
        let task = Arc::new(Task {
            name,
            future: Mutex::new(Some(Box::pin(future))),
            queue: self.sender.clone(),
        });
        self.unfinished.fetch_add(1, Ordering::Relaxed);
        self.sender.send(task).expect("the queue is ours");
    }

    /// Polls queued tasks until every task has finished. When the queue is
    /// empty, `recv` blocks this thread: every task is waiting, and only a
    /// waker (called from the reactor's thread) can put one back.
    fn run(&self) {
        while self.unfinished.load(Ordering::Relaxed) > 0 {
            let task = self.queue.recv().expect("we hold a sender");
            let mut slot = task.future.lock().unwrap();
            let Some(future) = slot.as_mut() else {
                continue; // woken after it finished: nothing to do
            };
            log!("executor: popped task {} from the queue -> poll", task.name);
            let waker = Waker::from(Arc::clone(&task));
            let mut cx = Context::from_waker(&waker);
            match future.as_mut().poll(&mut cx) {
                Poll::Ready(()) => {
                    log!("executor: task {} -> Ready, finished", task.name);
                    *slot = None;
                    self.unfinished.fetch_sub(1, Ordering::Relaxed);
                }
                // The future has given its waker to the reactor; the task
                // leaves the queue until that waker is called.
                Poll::Pending => log!("executor: task {} -> Pending", task.name),
            }
        }
    }
}
// ANCHOR_END: executor

// ---------------------------------------------------------------------------
// Part 3: a waker that polls on wake.
// ---------------------------------------------------------------------------

// ANCHOR: inline
/// A task whose waker polls it at once, on the thread that wakes it, as
/// some executors do to save a trip through a queue. When the reactor wakes
/// it, the poll runs *inside* the reactor's `wake()` call, and registering
/// the task's next sleep locks the reactor's timers from there. This works
/// only because the reactor calls wakers after releasing that lock. (The
/// same hazard lives here: a future that woke itself inside `poll` would
/// re-enter `poll_now` and block on `future`'s lock. `Sleep` never does.)
struct InlineTask {
    future: Mutex<Option<BoxFuture<'static, ()>>>,
    finished: Sender<()>,
}

impl InlineTask {
    fn poll_now(self: &Arc<Self>) {
        let waker = Waker::from(Arc::clone(self));
        let mut slot = self.future.lock().unwrap();
        let Some(future) = slot.as_mut() else { return };
        if future
            .as_mut()
            .poll(&mut Context::from_waker(&waker))
            .is_ready()
        {
            *slot = None;
            let _ = self.finished.send(());
        }
    }
}

impl Wake for InlineTask {
    fn wake(self: Arc<Self>) {
        log!("waker: polls the inline task right here");
        self.poll_now();
    }
}
// ANCHOR_END: inline

fn main() {
    let _ = clock();
    let main_thread = thread::current().id();

    let book = course::chart::book_flag(
        "usage: mini_executor [--book]\n  --book  the output for the book: the trace as a code block, then task B's wake path drawn from it",
    );
    BOOK.set(book).expect("set once");
    say("Part 1: block_on, one future, a waker that unparks this thread");
    // ANCHOR: main1
    let answer = block_on(async {
        sleep(Duration::from_millis(50), "block_on's sleep").await;
        42
    });
    // ANCHOR_END: main1
    log!("block_on returned {answer}");

    say("\nPart 2: an executor with a task queue; three tasks on one thread");
    // ANCHOR: main2
    let executor = Executor::new();
    for (name, ms) in [("A", 300), ("B", 100), ("C", 200)] {
        executor.spawn(name, async move {
            log!("task {name}: starts, sleeps {ms} ms");
            sleep(Duration::from_millis(ms), format!("{name}'s sleep")).await;
            log!("task {name}: woke up, finishes");
            // Every poll of every task happens on the executor's thread.
            assert_eq!(thread::current().id(), main_thread);
        });
    }
    executor.run();
    // ANCHOR_END: main2
    log!("all tasks finished, all polled on the main thread; the reactor thread only woke them");

    say("\nPart 3: a waker that polls the task inside wake()");
    // ANCHOR: main3
    let (finished, done) = channel();
    let task = Arc::new(InlineTask {
        future: Mutex::new(Some(Box::pin(async {
            sleep(Duration::from_millis(50), "inline's first sleep").await;
            log!("task inline: polled inside the reactor's wake(), sleeps again");
            sleep(Duration::from_millis(50), "inline's second sleep").await;
            log!("task inline: finishes");
        }))),
        finished,
    });
    task.poll_now();
    // Had the reactor called `wake()` with its lock held, the inline poll
    // would block for ever on that lock, and so would the reactor.
    done.recv_timeout(Duration::from_secs(2))
        .expect("deadlock: the reactor called a waker with its lock held");
    log!("the inline task finished: the reactor woke it with no lock held");
    // ANCHOR_END: main3
    if book {
        let r = RECORD.lock().unwrap();
        let diagram = course::chart::sequence(&wake_path(&r.events, "B"));
        print!("{}", course::chart::book(&r.text, &[diagram]));
    }
}

/// Task `task`'s wake path in Part 2, as a sequence diagram of the events
/// this run recorded: each of the task's trace lines becomes a step, in
/// the order and at the time it happened, between the lanes its thread and
/// its words name. Lines it does not know are left out.
fn wake_path(events: &[Event], task: &str) -> course::chart::Sequence {
    use course::chart::{Sequence, Step};
    const EXECUTOR: usize = 0;
    const TASK: usize = 1;
    const REACTOR: usize = 2;
    const QUEUE: usize = 3;
    let step = |e: &Event, from, to, label: &str| Step {
        at: format!("{} ms, {}", e.at_ms, e.thread),
        from,
        to,
        label: label.to_string(),
    };
    let sleep = format!("{task}'s sleep");
    let mut steps = vec![];
    for e in events {
        let w = e.what.as_str();
        if w == format!("executor: popped task {task} from the queue -> poll") {
            // The first poll takes the task as spawned; later ones, as woken.
            if steps.is_empty() {
                steps.push(step(e, QUEUE, EXECUTOR, "popped"));
            } else {
                steps.push(step(e, QUEUE, EXECUTOR, "popped again"));
            }
            steps.push(step(e, EXECUTOR, TASK, "poll"));
        } else if w.starts_with(&format!("{sleep}: not yet")) {
            steps.push(step(e, TASK, REACTOR, "waker stored"));
        } else if w == format!("executor: task {task} -> Pending") {
            steps.push(step(e, TASK, EXECUTOR, "Pending"));
        } else if w.starts_with(&format!("reactor: deadline of {sleep} reached")) {
            steps.push(step(e, REACTOR, REACTOR, "timer fires: wake()"));
        } else if w == format!("waker: task {task} pushed onto the queue") {
            steps.push(step(e, REACTOR, QUEUE, "queued"));
        } else if w.starts_with(&format!("executor: task {task} -> Ready")) {
            steps.push(step(e, TASK, EXECUTOR, "Ready"));
        }
    }
    Sequence {
        title: format!("Task {task}'s wake path in Part 2, from this run's trace"),
        lanes: vec![
            "executor".into(),
            format!("task {task}"),
            "reactor".into(),
            "queue".into(),
        ],
        steps,
        note: course::machine::describe(),
    }
}

//! The rest of std's lock toolbox, each shown doing its job: a `Mutex`
//! shared by owned threads through an `Arc`, what poisoning is and how to
//! recover from it, a `Condvar` that waits for a condition, and an
//! `RwLock` that lets readers in together.
//!
//! Run it with:
//!
//!     cargo run --release --example locks_tour
//!
//! Part 2 makes a thread panic on purpose, while it holds a lock. Its panic
//! message goes to stderr; the program goes on, and that is the lesson.

use std::collections::VecDeque;
use std::sync::{Arc, Barrier, Condvar, Mutex, RwLock, TryLockError};
use std::thread;

// ANCHOR: arc_mutex
/// Threads from `thread::spawn` may outlive the function that starts them,
/// so they cannot borrow its locals: each must *own* what it uses. `Arc`
/// gives every thread an owning handle to one shared `Mutex`; the `Mutex`
/// makes the shared data writable, one thread at a time.
fn arc_mutex() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let handles: Vec<_> = (1..=3)
        .map(|n| {
            let log = Arc::clone(&log); // one more owner, moved into the thread
            thread::spawn(move || {
                log.lock().unwrap().push(format!("thread {n}"));
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    // Every thread has ended and dropped its clone, so we own the only one
    // left, and can take the data out without locking.
    println!("  owners after join: {}", Arc::strong_count(&log));
    let mut entries = Arc::into_inner(log).unwrap().into_inner().unwrap();
    entries.sort(); // the threads pushed in whatever order they ran
    println!("  the log holds {} entries: {entries:?}", entries.len());
}
// ANCHOR_END: arc_mutex

// ANCHOR: poison
/// Two accounts whose total must stay 200. A thread panics halfway through
/// a transfer, with the lock held: money has left A but not reached B.
fn poisoning() {
    let accounts = Arc::new(Mutex::new([100_i64, 100]));
    let worker = Arc::clone(&accounts);
    let result = thread::spawn(move || {
        let mut acc = worker.lock().unwrap();
        acc[0] -= 50;
        panic!("crashed halfway through a transfer"); // acc[1] += 50 never runs
    })
    .join();
    println!("  the transfer thread panicked: {}", result.is_err());

    // The guard was dropped during the panic, so the lock is free, but the
    // Mutex remembers: it is poisoned, and `lock` returns an error.
    println!("  is_poisoned: {}", accounts.is_poisoned());
    match accounts.lock() {
        Ok(_) => println!("  lock: Ok (not poisoned?)"),
        // `.lock().unwrap()` would panic here, and that is its point: a
        // thread that cannot trust the data should not go on with it.
        // Code that *can* repair the data takes it from the error.
        Err(poisoned) => {
            let mut acc = poisoned.into_inner();
            println!(
                "  lock: Err(PoisonError); into_inner shows A = {}, B = {}, total {}",
                acc[0],
                acc[1],
                acc[0] + acc[1]
            );
            acc[1] += 50; // repair the broken invariant
        }
    }
    // Repaired: say so, or every later `lock` still fails.
    accounts.clear_poison();
    let acc = accounts.lock().unwrap();
    println!(
        "  after the repair and clear_poison: A = {}, B = {}, lock is Ok",
        acc[0], acc[1]
    );
}
// ANCHOR_END: poison

// ANCHOR: condvar
/// A queue and a condition variable: the consumer sleeps, using no CPU,
/// until the producer says the queue has changed.
fn condvar() {
    struct Queue {
        items: VecDeque<u32>,
        closed: bool,
    }
    let shared = Arc::new((
        Mutex::new(Queue {
            items: VecDeque::new(),
            closed: false,
        }),
        Condvar::new(),
    ));
    let consumer = {
        let shared = Arc::clone(&shared);
        thread::spawn(move || {
            let (queue, changed) = &*shared;
            let mut got = Vec::new();
            let mut q = queue.lock().unwrap();
            loop {
                // A `while`, never an `if`: `wait` may return with nothing
                // changed (a spurious wakeup), or after another consumer
                // took the item. Check the condition again every time.
                while q.items.is_empty() && !q.closed {
                    // Unlocks, sleeps, and locks again before returning.
                    q = changed.wait(q).unwrap();
                }
                match q.items.pop_front() {
                    Some(item) => got.push(item),
                    None => return got, // empty and closed
                }
            }
        })
    };
    let (queue, changed) = &*shared;
    for item in [1, 2, 3] {
        queue.lock().unwrap().items.push_back(item);
        changed.notify_one();
    }
    queue.lock().unwrap().closed = true;
    changed.notify_one();
    println!("  the consumer received {:?}", consumer.join().unwrap());
}
// ANCHOR_END: condvar

// ANCHOR: rwlock
/// Readers share an `RwLock`; a writer needs it alone.
fn rwlock() {
    let config = RwLock::new(String::from("v1"));
    // Both readers wait at this barrier *while holding a read guard*. With a
    // Mutex the second reader could never get in, and the barrier would
    // wait forever. That both pass proves they held the lock at once.
    let both_reading = Barrier::new(2);
    let both_passed = Barrier::new(3);
    thread::scope(|s| {
        for n in 1..=2 {
            let (config, both_reading, both_passed) = (&config, &both_reading, &both_passed);
            s.spawn(move || {
                let value = config.read().unwrap();
                both_reading.wait();
                println!("  reader {n} holds a read guard on {value:?}, and so does the other");
                both_passed.wait(); // keep the guard until main has tried to write
            });
        }
        try_write_while_reading(&config, &both_passed);
    });
    *config.write().unwrap() = String::from("v2");
    println!(
        "  after the readers left, write: {:?}",
        config.read().unwrap()
    );
}

/// While both readers hold their guards, a writer cannot get in.
fn try_write_while_reading(config: &RwLock<String>, both_passed: &Barrier) {
    // Spin until both readers are in: try_write fails as soon as one is.
    while config.try_write().is_ok() {
        thread::yield_now();
    }
    let blocked = matches!(config.try_write(), Err(TryLockError::WouldBlock));
    both_passed.wait();
    println!("  try_write while readers hold the lock: WouldBlock = {blocked}");
}
// ANCHOR_END: rwlock

fn main() {
    println!("1. Arc<Mutex<T>>: three spawned threads append to one log");
    arc_mutex();
    println!("\n2. Poisoning: a thread panics while it holds the lock");
    poisoning();
    println!("\n3. Condvar: a consumer waits for items");
    condvar();
    println!("\n4. RwLock: two readers at once, the writer waits");
    rwlock();
}

//! A pool: a fixed number of worker threads take jobs from one shared
//! queue, so at most that many jobs run at once, however many arrive.
//! Short enough for the Rust Playground.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::Duration;

// ANCHOR: main
fn main() {
    const WORKERS: usize = 2;
    let (jobs, queue) = mpsc::channel::<u32>();
    let queue = Arc::new(Mutex::new(queue));
    let running = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));

    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (queue, running, most) = (queue.clone(), running.clone(), most.clone());
            thread::spawn(move || {
                loop {
                    // The lock is held only to take one job, not to run it.
                    let Ok(_job) = queue.lock().unwrap().recv() else {
                        return;
                    };
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    thread::sleep(Duration::from_millis(20)); // the "work"
                    running.fetch_sub(1, Ordering::SeqCst);
                }
            })
        })
        .collect();
    for job in 0..8 {
        jobs.send(job).unwrap();
    }
    drop(jobs); // closing the queue lets each worker's recv() fail and end
    for w in workers {
        w.join().unwrap();
    }
    println!(
        "8 jobs, {WORKERS} workers: at most {} ran at once",
        most.load(Ordering::SeqCst)
    );
}
// ANCHOR_END: main

//! Wrong solution of io_pool: it has the workers and the bounded queue,
//! but `submit` uses `send`, which waits while the queue is full. Nothing
//! is ever rejected; instead the caller, the accept loop, stops until a
//! worker takes a job, and meanwhile nobody is accepted or answered.
//!
//! caught by: a_full_queue_rejects_at_once

use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};

pub type Job = Box<dyn FnOnce() + Send>;

/// The error of a `submit` that found the queue full.
#[derive(Debug, PartialEq, Eq)]
pub struct Rejected;

pub struct Pool {
    /// `None` once shut down: dropping the only sender ends the queue.
    queue: Option<SyncSender<Job>>,
    workers: Vec<JoinHandle<()>>,
}

impl Pool {
    pub fn new(workers: usize, queue: usize) -> Pool {
        let (tx, rx) = mpsc::sync_channel::<Job>(queue);
        let rx = Arc::new(Mutex::new(rx));
        let workers = (0..workers)
            .map(|_| {
                let rx = Arc::clone(&rx);
                thread::spawn(move || work(&rx))
            })
            .collect();
        Pool {
            queue: Some(tx),
            workers,
        }
    }

    pub fn submit(&self, job: impl FnOnce() + Send + 'static) -> Result<(), Rejected> {
        let queue = self.queue.as_ref().expect("not shut down");
        // The mistake: `send` waits for room.
        queue.send(Box::new(job)).map_err(|_| Rejected)
    }

    /// Lets the workers finish the queued jobs, then joins them.
    pub fn shut_down(mut self) {
        drop(self.queue.take());
        for worker in self.workers.drain(..) {
            worker.join().expect("a worker panicked");
        }
    }
}

/// One worker: runs jobs until the queue is closed and empty.
fn work(rx: &Mutex<Receiver<Job>>) {
    loop {
        // The guard is a temporary of this statement: the lock is held
        // while waiting for one job, and released before running it.
        let job = rx.lock().unwrap().recv();
        match job {
            Ok(job) => job(),
            Err(_) => return, // the pool was shut down and the queue drained
        }
    }
}

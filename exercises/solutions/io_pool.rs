//! Part II, a thread per connection, and a pool: a fixed pool of worker
//! threads behind a bounded queue, as `pool_server` has (solution).
//!
//! `Pool::new(workers, queue)` starts `workers` threads that take jobs from
//! one queue holding at most `queue` jobs. `submit` puts a job in the queue
//! and returns at once: `Ok(())`, or `Err(Rejected)` when the queue is full
//! (`pool_server` answers `503` then). It must never wait for room: the
//! caller is the accept loop, and while it waits nobody is accepted or
//! answered. `shut_down` lets the workers finish every queued job, then
//! joins them.
//!
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
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
        // `try_send` never waits: a full queue is answered at once.
        match queue.try_send(Box::new(job)) {
            Ok(()) => Ok(()),
            Err(TrySendError::Full(_)) => Err(Rejected),
            Err(TrySendError::Disconnected(_)) => unreachable!("the workers hold the receiver"),
        }
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

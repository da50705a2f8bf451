//! Part II, a thread per connection, and a pool: a fixed pool of worker
//! threads behind a bounded queue, as `pool_server` has.
//!
//! `Pool::new(workers, queue)` starts `workers` threads that take jobs from
//! one queue holding at most `queue` jobs. `submit` puts a job in the queue
//! and returns at once: `Ok(())`, or `Err(Rejected)` when the queue is full
//! (`pool_server` answers `503` then). It must never wait for room: the
//! caller is the accept loop, and while it waits nobody is accepted or
//! answered. `shut_down` lets the workers finish every queued job, then
//! joins them.
//!
//! As shipped, `submit` spawns a thread per job, the previous design: no
//! pool, no queue, no limit.
//!
//! Check it with `cargo test -p exercises --test io_pool`.

// The stub does not use the pool's fields yet.
#![allow(dead_code, unused_imports, unused_variables)]

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
        // TODO: make the queue, `mpsc::sync_channel(queue)`, and start
        // `workers` threads that share its receiver (in an
        // `Arc<Mutex<_>>`) and run each job they take from it, until the
        // queue ends.
        Pool {
            queue: None,
            workers: Vec::new(),
        }
    }

    pub fn submit(&self, job: impl FnOnce() + Send + 'static) -> Result<(), Rejected> {
        // TODO: a thread per job is what the pool replaces. Put the job in
        // the queue without waiting (`try_send`), or return `Rejected`.
        thread::spawn(job);
        Ok(())
    }

    /// Lets the workers finish the queued jobs, then joins them.
    pub fn shut_down(mut self) {
        drop(self.queue.take());
        for worker in self.workers.drain(..) {
            worker.join().expect("a worker panicked");
        }
    }
}

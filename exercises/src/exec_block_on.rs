//! An executor from scratch: `block_on`, written by you.
//!
//! `block_on(future)` runs one future to completion on the current thread,
//! with no runtime, and returns its output:
//! - poll the future with a `Context` built from a `Waker`;
//! - if it is `Ready`, return the output;
//! - if it is `Pending`, *sleep* (do not spin) until the waker is called,
//!   then poll again.
//!
//! The waker must wake this thread: `std::thread::park` sleeps, and
//! `Thread::unpark` wakes a parked thread. Implement `std::task::Wake` for
//! `Unparker`, and turn an `Arc<Unparker>` into a `Waker` with `Waker::from`.
//!
//! Check it with `cargo test -p exercises --test exec_block_on`.

// Until you write the bodies, the stub leaves these unused.
#![allow(unused_variables, unused_mut, dead_code, unused_imports)]

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

/// A waker that unparks the thread that runs `block_on`.
struct Unparker(Thread);

impl Wake for Unparker {
    fn wake(self: Arc<Self>) {
        // TODO: wake the thread this waker was made for.
        todo!()
    }
}

pub fn block_on<F: Future>(future: F) -> F::Output {
    // `poll` needs a pinned future; `pin!` pins it on this stack frame.
    let mut future = pin!(future);
    // TODO: make a `Waker` from an `Arc<Unparker>` for the current thread,
    // and a `Context` from it.
    // TODO: loop: poll with `future.as_mut().poll(&mut cx)`; return the
    // output when Ready; park the thread when Pending.
    todo!()
}

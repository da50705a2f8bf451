//! An executor from scratch: `block_on`, written by you (solution).
//!
//! `block_on` runs one future to completion on the current thread, with no
//! runtime: poll it; if it is `Pending`, sleep until its waker is called;
//! poll again.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

/// A waker that unparks the thread that runs `block_on`.
struct Unparker(Thread);

impl Wake for Unparker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let waker = Waker::from(Arc::new(Unparker(thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(output) => return output,
            // Sleep until the waker unparks us. If `wake` already ran (even
            // before we got here), `park` returns at once: the unpark token
            // is kept, so no wake-up is ever lost.
            Poll::Pending => thread::park(),
        }
    }
}

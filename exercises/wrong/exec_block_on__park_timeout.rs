//! Wrong solution of exec_block_on: its `wake` does nothing, and while the
//! future is Pending it sleeps for 10 ms with `park_timeout`, then polls
//! again. Every future completes, a little late, and it polls only about a
//! hundred times a second: but it never needed the waker. It polls on a
//! timer, not when it is told to.
//!
//! caught by: polls_again_only_when_woken_and_at_once

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::Duration;

/// A waker that unparks the thread that runs `block_on`.
struct Unparker(#[allow(dead_code)] Thread);

impl Wake for Unparker {
    fn wake(self: Arc<Self>) {
        // The mistake: nothing happens here; the timed park below hides it.
    }
}

pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let waker = Waker::from(Arc::new(Unparker(thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(output) => return output,
            Poll::Pending => thread::park_timeout(Duration::from_millis(10)),
        }
    }
}

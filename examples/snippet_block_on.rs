//! An executor in a few lines: `block_on` polls a future, and when it is
//! `Pending` parks the thread until the future's waker unparks it.
//! std only, short enough for the Rust Playground.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake};
use std::thread::{self, Thread};
use std::time::Duration;

// ANCHOR: main
/// Waking the task means unparking the thread that runs `block_on`.
struct Unparker(Thread);

impl Wake for Unparker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

fn block_on<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    let waker = Arc::new(Unparker(thread::current())).into();
    let mut cx = Context::from_waker(&waker);
    let mut polls = 0;
    loop {
        polls += 1;
        if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
            println!("block_on: Ready after {polls} polls");
            return out;
        }
        // Sleep until woken; park may also return spuriously, so we loop.
        thread::park();
    }
}

fn main() {
    // A future from a channel: ready only once the other thread sends.
    let (tx, rx) = futures::channel::oneshot::channel();
    thread::spawn(move || {
        thread::sleep(Duration::from_millis(100));
        tx.send("sent from another thread").unwrap();
    });
    println!("got: {}", block_on(rx).unwrap());
}
// ANCHOR_END: main

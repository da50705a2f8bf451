//! A coroutine suspends and resumes, keeping its local variables: here we
//! poll an `async` block by hand and watch it stop at each `.await` that is
//! not ready. Short enough for the Rust Playground.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

// ANCHOR: main
/// A future that is not ready the first time it is polled.
async fn not_ready_once() {
    let mut polled = false;
    std::future::poll_fn(|_| {
        if polled {
            Poll::Ready(())
        } else {
            polled = true;
            Poll::Pending
        }
    })
    .await
}

fn main() {
    let mut coroutine = pin!(async {
        let mut total = 0; // a local that lives across the suspensions
        for step in 1..=2 {
            total += step;
            println!("  body: step {step}, total {total}, suspending");
            not_ready_once().await;
        }
        total
    });
    // No runtime: a waker that does nothing is enough, as we poll in a loop.
    let mut cx = Context::from_waker(Waker::noop());
    for poll in 1.. {
        match coroutine.as_mut().poll(&mut cx) {
            Poll::Pending => println!("poll {poll}: Pending (suspended)"),
            Poll::Ready(total) => {
                println!("poll {poll}: Ready({total})");
                break;
            }
        }
    }
}
// ANCHOR_END: main

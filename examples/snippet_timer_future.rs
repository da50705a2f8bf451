//! The Future trait by hand: a timer future that returns `Pending`, hands
//! its waker to a thread, and is `Ready` once that thread has woken it.
//! Short enough for the Rust Playground.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

/// What the timer thread and the future share.
#[derive(Default)]
struct Shared {
    done: bool,
    waker: Option<Waker>,
}

// ANCHOR: main
struct Timer(Arc<Mutex<Shared>>);

impl Timer {
    fn new(after: Duration) -> Self {
        let shared = Arc::new(Mutex::new(Shared::default()));
        let for_thread = Arc::clone(&shared);
        std::thread::spawn(move || {
            std::thread::sleep(after);
            let mut s = for_thread.lock().unwrap();
            s.done = true;
            println!("  timer thread: wake()");
            if let Some(w) = s.waker.take() {
                w.wake(); // asks the executor to poll the future again
            }
        });
        Timer(shared)
    }
}

impl Future for Timer {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut s = self.0.lock().unwrap();
        if s.done {
            println!("poll: Ready");
            return Poll::Ready(());
        }
        println!("poll: Pending (waker stored)");
        // Store the latest waker: the task may have moved since last poll.
        s.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}

#[tokio::main]
async fn main() {
    Timer::new(Duration::from_millis(100)).await;
    println!("the timer future completed");
}
// ANCHOR_END: main

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

struct Job {
    name: &'static str,
    steps: u32,
    // A polite job yields after each step; the other never does.
    polite: bool,
}

impl Future for Job {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        while self.steps > 0 {
            self.steps -= 1;
            println!("{} {}", self.name, self.steps);
            if self.polite {
                // What a yield does: ask to be polled again, then return.
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
        }
        Poll::Ready(())
    }
}

fn main() {
    let mut queue = VecDeque::new();
    queue.push_back(Job {
        name: "a",
        steps: 2,
        polite: true,
    });
    queue.push_back(Job {
        name: "b",
        steps: 3,
        polite: false,
    });
    let mut cx = Context::from_waker(Waker::noop());
    // One thread, a run queue: poll the front job, requeue it if pending.
    while let Some(mut job) = queue.pop_front() {
        if Pin::new(&mut job).poll(&mut cx).is_pending() {
            queue.push_back(job);
        }
    }
}

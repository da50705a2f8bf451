use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

// The test's own clock, in milliseconds: it moves only when the test moves it.
struct Clock(Cell<u64>);

// A peer that never answers.
struct Silent;

impl Future for Silent {
    type Output = &'static str;

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<&'static str> {
        Poll::Pending
    }
}

struct Timeout<'a, F> {
    inner: F,
    deadline: u64,
    clock: &'a Clock,
}

impl<'a, F: Future + Unpin> Future for Timeout<'a, F> {
    type Output = Result<F::Output, u64>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if let Poll::Ready(v) = Pin::new(&mut self.inner).poll(cx) {
            return Poll::Ready(Ok(v));
        }
        let now = self.clock.0.get();
        if now >= self.deadline {
            Poll::Ready(Err(now))
        } else {
            Poll::Pending
        }
    }
}

fn main() {
    let clock = Clock(Cell::new(0));
    let mut read = Timeout {
        inner: Silent,
        deadline: 30000,
        clock: &clock,
    };
    let mut cx = Context::from_waker(Waker::noop());
    let mut polls = 0;
    loop {
        polls += 1;
        match Pin::new(&mut read).poll(&mut cx) {
            Poll::Ready(r) => {
                println!("{:?} after {} polls", r, polls);
                break;
            }
            // Nothing else can run: jump to the next deadline.
            Poll::Pending => clock.0.set(read.deadline),
        }
    }
}

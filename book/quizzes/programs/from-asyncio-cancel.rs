use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        println!("guard dropped");
    }
}

// A future that needs two polls and holds a guard while it waits.
struct TwoSteps {
    polls: u32,
    _guard: Guard,
}

impl Future for TwoSteps {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        self.polls += 1;
        println!("poll {}", self.polls);
        if self.polls < 2 {
            return Poll::Pending;
        }
        println!("finished");
        Poll::Ready(())
    }
}

fn main() {
    let mut f = TwoSteps {
        polls: 0,
        _guard: Guard,
    };
    let mut cx = Context::from_waker(Waker::noop());
    let first = Pin::new(&mut f).poll(&mut cx);
    println!("{:?}", first);
    drop(f);
    println!("after the drop");
}

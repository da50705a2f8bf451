use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

// Ready after `left` more polls.
struct Work {
    name: &'static str,
    left: u32,
}

impl Future for Work {
    type Output = &'static str;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<&'static str> {
        if self.left == 0 {
            return Poll::Ready(self.name);
        }
        self.left -= 1;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

impl Drop for Work {
    fn drop(&mut self) {
        if self.left > 0 {
            println!("{} dropped, {} polls short", self.name, self.left);
        }
    }
}

// A `select!` of two, by hand: the first to be ready wins.
fn select(mut a: Work, mut b: Work) -> &'static str {
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = Pin::new(&mut a).poll(&mut cx) {
            return v;
        }
        if let Poll::Ready(v) = Pin::new(&mut b).poll(&mut cx) {
            return v;
        }
    }
}

fn main() {
    let slow = Work {
        name: "slow",
        left: 5,
    };
    let fast = Work {
        name: "fast",
        left: 1,
    };
    let winner = select(slow, fast);
    println!("winner {}", winner);
}

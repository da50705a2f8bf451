use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

// Ready on its second poll.
struct Inner {
    polled: bool,
}

impl Future for Inner {
    type Output = u32;

    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<u32> {
        println!("inner");
        if self.polled {
            Poll::Ready(40)
        } else {
            self.polled = true;
            Poll::Pending
        }
    }
}

// Roughly what `async { inner.await + 2 }` becomes.
enum Outer {
    Awaiting(Inner),
    Done,
}

impl Future for Outer {
    type Output = u32;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        println!("outer");
        let x = match *self {
            Outer::Awaiting(ref mut inner) => match Pin::new(inner).poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(x) => x,
            },
            Outer::Done => panic!("polled after it completed"),
        };
        *self = Outer::Done;
        Poll::Ready(x + 2)
    }
}

fn main() {
    let mut task = Outer::Awaiting(Inner { polled: false });
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = Pin::new(&mut task).poll(&mut cx) {
            println!("ready {}", v);
            break;
        }
        println!("pending");
    }
}

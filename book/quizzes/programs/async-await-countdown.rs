use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

struct CountDown(u32);

impl Future for CountDown {
    type Output = &'static str;

    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<&'static str> {
        if self.0 == 0 {
            Poll::Ready("done")
        } else {
            println!("pending {}", self.0);
            self.0 -= 1;
            Poll::Pending
        }
    }
}

fn main() {
    let mut f = CountDown(2);
    let mut cx = Context::from_waker(Waker::noop());
    let mut polls = 0;
    loop {
        polls += 1;
        if let Poll::Ready(v) = Pin::new(&mut f).poll(&mut cx) {
            println!("{} after {} polls", v, polls);
            break;
        }
    }
}

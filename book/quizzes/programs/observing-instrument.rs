use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

thread_local! {
    static SPAN: Cell<&'static str> = Cell::new("none");
}

fn log(msg: &str) {
    SPAN.with(|s| println!("{}: {}", s.get(), msg));
}

// A request that waits once between two log lines.
struct Request(u32);

impl Future for Request {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        self.0 += 1;
        if self.0 == 1 {
            log("started");
            Poll::Pending
        } else {
            log("replied");
            Poll::Ready(())
        }
    }
}

// Enters its span for each poll and leaves it when the poll returns.
struct Instrumented<F> {
    span: &'static str,
    inner: F,
}

impl<F: Future + Unpin> Future for Instrumented<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let outer = SPAN.with(|s| s.replace(self.span));
        let result = Pin::new(&mut self.inner).poll(cx);
        SPAN.with(|s| s.set(outer));
        result
    }
}

fn main() {
    let mut a = Instrumented {
        span: "request{id=1}",
        inner: Request(0),
    };
    let mut b = Instrumented {
        span: "request{id=2}",
        inner: Request(0),
    };
    let mut cx = Context::from_waker(Waker::noop());
    // One thread polls the two in turn, as `join_all` does.
    let _ = Pin::new(&mut a).poll(&mut cx);
    let _ = Pin::new(&mut b).poll(&mut cx);
    let _ = Pin::new(&mut b).poll(&mut cx);
    let _ = Pin::new(&mut a).poll(&mut cx);
    log("done");
}

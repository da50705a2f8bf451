// Does not compile, on purpose: `Pin::new` takes only `Unpin` types, and
// every async block is `!Unpin`, whatever it holds (this one holds a
// reference to its own local, but `async { 1 }` is `!Unpin` too).
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Waker};

pub fn poll_in_place() {
    let mut fut = async {
        let buf = [0u8; 8];
        let view = &buf;
        std::future::ready(()).await;
        view.len()
    };
    let _ = Pin::new(&mut fut).poll(&mut Context::from_waker(Waker::noop()));
}

// Does not compile, on purpose: `Pin::new` takes only `Unpin` types, and an
// async block that may hold references into itself is not `Unpin`.
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

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

struct Hello;

impl Future for Hello {
    type Output = ();

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        println!("polled");
        Poll::Ready(())
    }
}

fn main() {
    let f = Hello;
    println!("created");
    drop(f);
    println!("dropped");
}

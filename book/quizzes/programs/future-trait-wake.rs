use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};

struct Flag(AtomicBool);

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::SeqCst);
    }
}

struct Countdown {
    left: u32,
    wakes: bool,
}

impl Future for Countdown {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.left == 0 {
            return Poll::Ready(());
        }
        self.left -= 1;
        if self.wakes {
            cx.waker().wake_by_ref();
        }
        Poll::Pending
    }
}

// Polls again only after a wake, as a real executor does.
fn run(mut f: Countdown) -> String {
    let flag = Arc::new(Flag(AtomicBool::new(false)));
    let waker = Waker::from(flag.clone());
    let mut cx = Context::from_waker(&waker);
    let mut polls = 0;
    loop {
        polls += 1;
        if Pin::new(&mut f).poll(&mut cx).is_ready() {
            return format!("ready at poll {}", polls);
        }
        if !flag.0.swap(false, Ordering::SeqCst) {
            return format!("stuck at poll {}", polls);
        }
    }
}

fn main() {
    for wakes in [true, false] {
        println!("{}", run(Countdown { left: 2, wakes }));
    }
}

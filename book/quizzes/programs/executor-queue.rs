use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

// A task's waker puts the task's number back on the run queue.
struct TaskWaker {
    id: usize,
    queue: Arc<Mutex<VecDeque<usize>>>,
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        self.queue.lock().unwrap().push_back(self.id);
    }
}

// Pending `left` times, waking itself each time, then Ready.
struct Yields {
    left: u32,
}

impl Future for Yields {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.left == 0 {
            return Poll::Ready(());
        }
        self.left -= 1;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

fn main() {
    let names = ["A", "B", "C"];
    let mut tasks = vec![Yields { left: 2 }, Yields { left: 0 }, Yields { left: 1 }];
    let queue = Arc::new(Mutex::new(VecDeque::new()));
    queue.lock().unwrap().extend(0..3); // spawn A, B and C
    loop {
        let next = queue.lock().unwrap().pop_front();
        let id = match next {
            Some(id) => id,
            None => break,
        };
        let waker = Waker::from(Arc::new(TaskWaker {
            id,
            queue: queue.clone(),
        }));
        let mut cx = Context::from_waker(&waker);
        let state = match Pin::new(&mut tasks[id]).poll(&mut cx) {
            Poll::Ready(()) => "Ready",
            Poll::Pending => "Pending",
        };
        println!("{} {}", names[id], state);
    }
}

// Does not compile, on purpose: chapter 18 shows the compiler's answer.
//
// `spawn` below has the same bounds as `tokio::spawn`: a multi-thread
// runtime may move a task to another worker thread at any `.await`, so the
// task's future must be `Send`. (The snippet has no dependencies, so the
// book can compile it with plain rustc.)
use std::future::Future;
use std::sync::Mutex;

fn spawn<F>(future: F)
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    drop(future);
}

async fn save(_value: u64) {}

static COUNTER: Mutex<u64> = Mutex::new(0);

pub fn start() {
    spawn(async {
        let mut n = COUNTER.lock().unwrap();
        *n += 1;
        save(*n).await; // the guard `n` is still alive here
    });
}

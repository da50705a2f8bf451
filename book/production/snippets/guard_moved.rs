// Compiles: the guard is moved into `bump`, by value, and never borrowed
// in the async block, so rustc knows it is gone before the `.await`
// (chapter 18). `drop(n)` in place of `bump(n)` compiles too.
//
// `spawn` has the same bounds as `tokio::spawn` (see guard_across_await.rs);
// each snippet is whole, so that plain rustc compiles it alone.
use std::future::Future;
use std::sync::{Mutex, MutexGuard};

fn spawn<F>(future: F)
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    drop(future);
}

async fn save(_value: u64) {}

static COUNTER: Mutex<u64> = Mutex::new(0);

// ANCHOR: body
/// Takes the guard by value: the borrow `*n += 1` happens in here, in a
/// plain function, and the guard is dropped when it returns.
fn bump(mut n: MutexGuard<'_, u64>) -> u64 {
    *n += 1;
    *n
}

pub fn start() {
    spawn(async {
        let n = COUNTER.lock().unwrap();
        let value = bump(n); // moved: `n` is gone from here on
        save(value).await;
    });
}
// ANCHOR_END: body

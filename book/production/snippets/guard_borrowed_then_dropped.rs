// Does not compile, on purpose: chapter 18 shows the compiler's answer.
//
// The same as guard_moved.rs, except that the async block itself borrows
// the guard (`*n += 1` calls `DerefMut::deref_mut(&mut n)`) before
// dropping it. rustc then keeps `n` in the future until its scope ends,
// `drop(n)` or not (rust-lang/rust#101135, #116680).
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

// ANCHOR: body
pub fn start() {
    spawn(async {
        let mut n = COUNTER.lock().unwrap();
        *n += 1; // a borrow of `n`
        let value = *n;
        drop(n); // the lock is released here at run time...
        save(value).await; // ...but the compiler still counts `n` as live
    });
}
// ANCHOR_END: body

//! Why `tokio::spawn` wants a `Send + 'static` future, and how to run tasks
//! that are not `Send`: `spawn_local` on a `LocalSet`, or on a
//! `LocalRuntime`.
//!
//! Run it with:
//!
//!     cargo run --release --example local_tasks
//!
//! `'static`: a spawned task can outlive the code that spawned it (dropping
//! its `JoinHandle` detaches it, it does not stop it), so it must not
//! borrow that code's locals. `Send`: on the multi-thread runtime a task
//! may be polled by one worker thread and, after an `.await`, by another.
//! `tokio::spawn` demands `Send` on every runtime, because its signature
//! cannot know which runtime it will run on. A task that holds an `Rc` or a
//! `RefCell` borrow across an `.await` is not `Send`; it can run as a
//! *local* task instead, which is pinned to the one thread that drives it.

use std::cell::RefCell;
use std::rc::Rc;
use std::thread;
use std::time::Duration;
use tokio::runtime::{Builder, LocalOptions};
use tokio::sync::oneshot;
use tokio::task::{self, LocalSet};
use tokio::time::sleep;

// ANCHOR: detached
/// Spawns a task and returns at once, dropping the task's `JoinHandle`.
/// The task owns everything it uses (`async move`), so it may outlive this
/// function: that is what `'static` asks for.
fn spawn_and_return(done: oneshot::Sender<String>) {
    let report = String::from("report.txt");
    let handle = tokio::spawn(async move {
        sleep(Duration::from_millis(20)).await;
        let _ = done.send(format!("the detached task finished: {report}"));
    });
    drop(handle); // detaches the task; it does not cancel it
    println!("    spawn_and_return returned; the JoinHandle was dropped");
}
// ANCHOR_END: detached

// ANCHOR: local_work
/// Local tasks sharing an `Rc<RefCell<..>>`, which is neither `Send` nor
/// `Sync`. Each holds its `Rc` across an `.await`, so none of these futures
/// is `Send`, and `tokio::spawn` would reject them at compile time.
async fn local_work(label: &str) -> anyhow::Result<()> {
    let log = Rc::new(RefCell::new(Vec::new()));
    let handles: Vec<_> = (1..=3u64)
        .map(|i| {
            let log = Rc::clone(&log);
            task::spawn_local(async move {
                sleep(Duration::from_millis(10 * (4 - i))).await;
                log.borrow_mut().push((i, thread::current().id()));
            })
        })
        .collect();
    for h in handles {
        h.await?;
    }
    let log = log.borrow();
    let order: Vec<u64> = log.iter().map(|&(i, _)| i).collect();
    let here = thread::current().id();
    println!("    {label}: tasks finished in the order {order:?}");
    println!(
        "    {label}: all ran on the thread that drives them: {}",
        log.iter().all(|&(_, t)| t == here)
    );
    Ok(())
}
// ANCHOR_END: local_work

fn main() -> anyhow::Result<()> {
    let rt = Builder::new_current_thread().enable_all().build()?;

    println!("1. A task can outlive its spawner: 'static");
    rt.block_on(async {
        let (done, finished) = oneshot::channel();
        spawn_and_return(done);
        println!("    {}", finished.await?);
        anyhow::Ok(())
    })?;

    // ANCHOR: localset
    println!("2. spawn_local on a LocalSet");
    // A LocalSet is a set of tasks that all run on the thread that drives
    // it: here, inside `run_until`, on this current-thread runtime.
    let local = LocalSet::new();
    rt.block_on(local.run_until(local_work("LocalSet")))?;
    // ANCHOR_END: localset

    // ANCHOR: local_runtime
    println!("3. spawn_local on a LocalRuntime");
    // A LocalRuntime is a current-thread runtime on which `spawn_local`
    // works directly, with no LocalSet. It cannot be moved to another
    // thread: it is `!Send`.
    let local_rt = Builder::new_current_thread()
        .enable_all()
        .build_local(LocalOptions::default())?;
    local_rt.block_on(local_work("LocalRuntime"))?;
    // ANCHOR_END: local_runtime
    Ok(())
}

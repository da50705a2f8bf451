//! Chapter 18, choosing a model: make it compile. A `MutexGuard` held
//! across `.await`.
//!
//! `record_view` counts a view of `page` in a map behind a std `Mutex`,
//! then writes a line to the log, which is async. Its tests run it with
//! `tokio::spawn` on a multi-threaded runtime, and there it does not
//! compile: "future cannot be sent between threads safely". The guard
//! (`views`) is alive at the `.await`, so it is stored in the future, and a
//! std `MutexGuard` is not `Send`: a std mutex must be unlocked by the
//! thread that locked it, and a task may move between threads at any
//! `.await`.
//!
//! Restructure `record_view` so that the guard ends before the `.await`.
//! Keep the std `Mutex`: the lock is held for a few instructions and
//! never while waiting.
//!
//! Check it with `cargo test -p exercises --test nonsend_guard`. Until the
//! fix, that command prints the compiler's error, not test results.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// What every request task shares.
#[derive(Default)]
pub struct Site {
    pub views: Mutex<HashMap<String, u64>>,
    /// The log's lines; async, as a file or a socket would be.
    pub log: tokio::sync::Mutex<Vec<String>>,
    /// Log lines written while `views` was locked (there should be none;
    /// exact on a one-thread runtime, where no other task can be inside a
    /// critical section with no `.await` in it).
    pub written_under_lock: AtomicUsize,
}

impl Site {
    /// Appends one line to the log.
    pub async fn log(&self, line: String) {
        if self.views.try_lock().is_err() {
            self.written_under_lock.fetch_add(1, Ordering::SeqCst);
        }
        self.log.lock().await.push(line);
    }
}

/// Counts one view of `page`, logs it, and returns the page's views so far.
pub async fn record_view(site: Arc<Site>, page: String) -> u64 {
    // TODO: `views` lives to the end of the function, across the `.await`
    // below. End its scope first: compute `count` in a block of its own.
    let mut views = site.views.lock().unwrap();
    let count = views.entry(page.clone()).or_insert(0);
    *count += 1;
    let count = *count;
    site.log(format!("{page}: view {count}")).await;
    count
}

//! Chapter 18, choosing a model: make it compile. A `MutexGuard` held
//! across `.await` (solution).
//!
//! The guard lives in a block that ends before the `.await`, so the future
//! never holds it: the future is `Send`, and the lock is held for a few
//! instructions, never while the log is written.

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
    let count = {
        let mut views = site.views.lock().unwrap();
        let count = views.entry(page.clone()).or_insert(0);
        *count += 1;
        *count
    }; // the guard is dropped here, before the `.await`
    site.log(format!("{page}: view {count}")).await;
    count
}

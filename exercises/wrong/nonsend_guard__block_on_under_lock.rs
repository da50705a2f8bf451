//! Wrong solution of nonsend_guard: to make the compiler stop complaining
//! about the `.await`, it removes the `.await`, running the log's future
//! to completion with `futures::executor::block_on` while still holding
//! the guard. It compiles and counts right, but it blocks a runtime thread
//! inside a task and writes the log with the lock held, so every other
//! request waits for this one's log.
//!
//! caught by: the_lock_is_not_held_while_the_log_is_written

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
    let mut views = site.views.lock().unwrap();
    let count = views.entry(page.clone()).or_insert(0);
    *count += 1;
    let count = *count;
    // The mistake: no `.await`, and the guard still alive.
    futures::executor::block_on(site.log(format!("{page}: view {count}")));
    drop(views);
    count
}

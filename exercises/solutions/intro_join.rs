//! Introduction: overlap the waits (solution).
//!
//! `fetch` stands for a download: it waits for `delay`, then returns `name`.
//! `fetch_all` fetches every page concurrently and returns the names in the
//! order the pages were given.

use std::cell::RefCell;
use std::time::Duration;

thread_local! {
    /// The pages `fetch` has downloaded on this thread, so that the tests
    /// can tell a real fetch from a wait that only looks like one.
    pub static FETCHED: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
}

pub async fn fetch(name: &'static str, delay: Duration) -> &'static str {
    tokio::time::sleep(delay).await;
    FETCHED.with_borrow_mut(|fetched| fetched.push(name));
    name
}

pub async fn fetch_all(pages: &[(&'static str, Duration)]) -> Vec<&'static str> {
    let fetches = pages.iter().map(|&(name, delay)| fetch(name, delay));
    // join_all polls every fetch from this one task, so all the waits run at
    // once; it hands back the results in input order, whatever finished first.
    futures::future::join_all(fetches).await
}

//! Introduction: overlap the waits.
//!
//! `fetch` stands for a download: it waits for `delay`, then returns `name`.
//! Make `fetch_all` fetch every page *concurrently*: pages that take 300, 200
//! and 100 ms must all be back after 300 ms, not 600 ms. Return the names in
//! the order the pages were given, not the order they finished in.
//!
//! Check it with `cargo test -p exercises --test intro_join`.

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
    // TODO: this loop waits for each page before it starts the next, so
    // the waits add up (300 + 200 + 100 ms). Start every fetch before you
    // wait for any of them, then collect the results in the order of
    // `pages`.
    let mut names = Vec::new();
    for &(name, delay) in pages {
        names.push(fetch(name, delay).await);
    }
    names
}

//! Wrong solution of intro_join: it waits as long as the slowest page,
//! then returns the names without calling `fetch`. The timing and the
//! names are right; nothing was downloaded.
//!
//! caught by: every_page_is_fetched

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
    let slowest = pages.iter().map(|&(_, delay)| delay).max();
    tokio::time::sleep(slowest.unwrap_or_default()).await;
    pages.iter().map(|&(name, _)| name).collect()
}

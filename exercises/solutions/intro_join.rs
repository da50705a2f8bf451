//! Introduction: overlap the waits (solution).
//!
//! `fetch` stands for a download: it waits for `delay`, then returns `name`.
//! `fetch_all` fetches every page concurrently and returns the names in the
//! order the pages were given.

use std::time::Duration;

pub async fn fetch(name: &'static str, delay: Duration) -> &'static str {
    tokio::time::sleep(delay).await;
    name
}

pub async fn fetch_all(pages: &[(&'static str, Duration)]) -> Vec<&'static str> {
    let fetches = pages.iter().map(|&(name, delay)| fetch(name, delay));
    // join_all polls every fetch from this one task, so all the waits run at
    // once; it hands back the results in input order, whatever finished first.
    futures::future::join_all(fetches).await
}

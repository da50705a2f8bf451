//! Introduction: overlap the waits.
//!
//! `fetch` stands for a download: it waits for `delay`, then returns `name`.
//! Make `fetch_all` fetch every page *concurrently*: pages that take 300, 200
//! and 100 ms must all be back after 300 ms, not 600 ms. Return the names in
//! the order the pages were given, not the order they finished in.
//!
//! Check it with `cargo test -p exercises --test intro_join`.

// Until you write the body, the stub leaves its parameters and `fetch` unused.
#![allow(unused_variables, dead_code)]

use std::time::Duration;

pub async fn fetch(name: &'static str, delay: Duration) -> &'static str {
    tokio::time::sleep(delay).await;
    name
}

pub async fn fetch_all(pages: &[(&'static str, Duration)]) -> Vec<&'static str> {
    // TODO: start every fetch before you wait for any of them, then collect
    // the results in the order of `pages`.
    todo!()
}

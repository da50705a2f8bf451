//! Tests for the Introduction's exercise:
//! `cargo test -p exercises --test intro_join`.
//!
//! tokio's paused clock makes them exact and instant: time stands still
//! while any task can run, and jumps straight to the next timer when every
//! task is waiting. So a concurrent `fetch_all` takes exactly the longest
//! delay, and a sequential one exactly the sum, on any machine.

#[cfg_attr(
    not(any(feature = "solutions", any_wrong)),
    path = "../src/intro_join.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/intro_join.rs")]
#[cfg_attr(
    wrong = "intro_join__sleep_longest",
    path = "../wrong/intro_join__sleep_longest.rs"
)]
#[cfg_attr(
    wrong = "intro_join__sleep_longest",
    path = "../wrong/intro_join__sleep_longest.rs"
)]
#[cfg_attr(
    wrong = "intro_join__sleep_longest",
    path = "../wrong/intro_join__sleep_longest.rs"
)]
mod intro_join;

use intro_join::{FETCHED, fetch_all};
use std::time::Duration;
use tokio::time::Instant;

const PAGES: [(&str, Duration); 3] = [
    ("home", Duration::from_millis(300)),
    ("about", Duration::from_millis(200)),
    ("blog", Duration::from_millis(100)),
];

#[tokio::test(start_paused = true)]
async fn returns_every_name_in_the_order_given() {
    let names = fetch_all(&PAGES).await;
    assert_eq!(
        names,
        ["home", "about", "blog"],
        "names must come back in the order of the pages, not the order they finished"
    );
}

#[tokio::test(start_paused = true)]
async fn takes_as_long_as_the_longest_wait_not_the_sum() {
    let start = Instant::now();
    fetch_all(&PAGES).await;
    let took = start.elapsed();
    assert!(
        took < Duration::from_millis(600),
        "fetch_all took {took:?}: the waits ran one after another (300 + 200 + 100 ms). \
         Start them all before awaiting any."
    );
    assert_eq!(
        took,
        Duration::from_millis(300),
        "all three pages should be back when the slowest (300 ms) is"
    );
}

#[tokio::test(start_paused = true)]
async fn no_pages_take_no_time() {
    let start = Instant::now();
    assert!(fetch_all(&[]).await.is_empty());
    assert_eq!(start.elapsed(), Duration::ZERO);
}

#[tokio::test(start_paused = true)]
async fn every_page_is_fetched() {
    let names = fetch_all(&PAGES).await;
    let mut fetched = FETCHED.take();
    fetched.sort_unstable();
    let mut expected: Vec<_> = PAGES.iter().map(|&(name, _)| name).collect();
    expected.sort_unstable();
    assert_eq!(
        fetched, expected,
        "fetch_all returned {names:?}, but `fetch` downloaded only {fetched:?}: \
         call `fetch` for every page; waiting as long as the slowest one is not fetching"
    );
}

//! Tests for chapter 14's Pin exercise:
//! `cargo test -p exercises --test pin_timeout`.
//!
//! tokio's paused clock makes every time exact: it stands still while a
//! task can run and jumps to the next timer when all are waiting. Every
//! `work` here is an `async` block, so `Timeout` must work on futures that
//! are not `Unpin`.

#[cfg_attr(
    not(any(feature = "solutions", any_wrong)),
    path = "../src/pin_timeout.rs"
)]
#[cfg_attr(feature = "solutions", path = "../solutions/pin_timeout.rs")]
#[cfg_attr(
    wrong = "pin_timeout__fresh_sleep_each_poll",
    path = "../wrong/pin_timeout__fresh_sleep_each_poll.rs"
)]
#[cfg_attr(
    wrong = "pin_timeout__fresh_sleep_each_poll",
    path = "../wrong/pin_timeout__fresh_sleep_each_poll.rs"
)]
mod pin_timeout;

use pin_timeout::{Elapsed, timeout};
use std::time::Duration;
use tokio::time::{Instant, sleep};

const LIMIT: Duration = Duration::from_millis(100);

#[tokio::test(start_paused = true)]
async fn quick_work_gives_its_output_when_it_is_done() {
    let start = Instant::now();
    let out = timeout(LIMIT, async {
        sleep(Duration::from_millis(30)).await;
        "done"
    })
    .await;
    assert_eq!(out, Ok("done"));
    assert_eq!(start.elapsed(), Duration::from_millis(30));
}

#[tokio::test(start_paused = true)]
async fn slow_work_times_out_at_the_limit() {
    let start = Instant::now();
    let out = timeout(LIMIT, sleep(Duration::from_secs(10))).await;
    assert_eq!(out, Err(Elapsed));
    assert_eq!(start.elapsed(), LIMIT, "the timeout must fire at the limit");
}

#[tokio::test(start_paused = true)]
async fn busy_work_still_times_out_on_time() {
    let start = Instant::now();
    // Work that never ends, but wakes its task every 10 ms.
    let busy = async {
        loop {
            sleep(Duration::from_millis(10)).await;
        }
    };
    let out = tokio::time::timeout(Duration::from_secs(10), timeout(LIMIT, busy))
        .await
        .expect(
            "work that wakes every 10 ms ran for 10 s under a 100 ms limit: the deadline \
             moves whenever `poll` runs. Make the Sleep once, in `timeout`, keep it in the \
             struct, and poll that one through the projection",
        );
    assert_eq!(out, Err(Elapsed));
    assert_eq!(start.elapsed(), LIMIT);
}

#[tokio::test(start_paused = true)]
async fn work_ready_at_the_limit_wins() {
    let out = timeout(LIMIT, async {
        sleep(LIMIT).await;
        "just in time"
    })
    .await;
    assert_eq!(
        out,
        Ok("just in time"),
        "the work and the timer were both ready: poll the work first, so its output is not lost"
    );
}

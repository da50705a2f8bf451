//! Chapter 14, Pin: a timeout combinator that owns its timer.
//!
//! `timeout(limit, work)` returns a `Timeout`: a future that gives
//! `Ok(output)` if `work` finishes within `limit`, and `Err(Elapsed)` once
//! `limit` has passed. It is a small `tokio::time::timeout`.
//!
//! `Timeout` holds two futures that are not `Unpin`: `work` (any future,
//! an `async` block for instance) and a `tokio::time::Sleep`, which is
//! `!Unpin` because tokio links it into its timer wheel by address. So
//! `poll` cannot get a plain `&mut` to them. `pin_project!` (from
//! `pin-project-lite`, the crate tokio uses) generates `self.project()`:
//! from `Pin<&mut Timeout<F>>` it gives a `Pin<&mut F>` and a
//! `Pin<&mut Sleep>`, one for each field marked `#[pin]`, soundly.
//!
//! Check it with `cargo test -p exercises --test pin_timeout`.

// Until you write `poll`, the stub leaves its fields and imports unused.
#![allow(unused_variables, unused_imports, dead_code)]

use pin_project_lite::pin_project;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::Sleep;

/// The error of a `Timeout` whose limit passed first.
#[derive(Debug, PartialEq, Eq)]
pub struct Elapsed;

pin_project! {
    /// `work`, and the timer that limits it.
    pub struct Timeout<F> {
        #[pin]
        work: F,
        #[pin]
        sleep: Sleep,
    }
}

/// Starts the clock now: the limit counts from this call, however often the
/// `Timeout` is polled later.
pub fn timeout<F: Future>(limit: Duration, work: F) -> Timeout<F> {
    Timeout {
        work,
        sleep: tokio::time::sleep(limit),
    }
}

impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // TODO: project: `let this = self.project();` gives `this.work` and
        // `this.sleep`, each a `Pin<&mut _>` you can `.poll(cx)`.
        // TODO: poll `work` first (output that is ready wins), then `sleep`;
        // Pending only if both are.
        todo!()
    }
}

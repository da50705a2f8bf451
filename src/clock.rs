//! A clock that reads time since the program's start, for event logs.

use std::time::{Duration, Instant};

/// Time since a fixed start, printed as whole milliseconds.
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    start: Instant,
}

impl Clock {
    pub fn start() -> Self {
        Self {
            start: Instant::now(),
        }
    }

    pub fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    /// `[ 301 ms]`: fixed width, so that lines of a log line up.
    pub fn stamp(&self) -> String {
        format!("[{:>5} ms]", self.elapsed().as_millis())
    }
}

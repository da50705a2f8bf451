//! Describes the machine a measurement ran on.

use std::thread;

/// The number of hardware threads this process may run on, as the standard
/// library sees it (it honours CPU affinity and, on Linux, cgroup quotas).
pub fn cores() -> usize {
    thread::available_parallelism().map_or(1, |n| n.get())
}

/// One line such as `machine: 2 cores, linux x86_64, rustc release build`.
pub fn describe() -> String {
    let build = if cfg!(debug_assertions) {
        "DEBUG build: timings mislead, run with --release"
    } else {
        "release build"
    };
    format!(
        "machine: {} cores, {} {}, {build}",
        cores(),
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

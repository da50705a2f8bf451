//! Describes the machine a measurement ran on.

use std::thread;

/// The number of logical CPUs (hardware threads: with SMT, two or more per
/// core) this process may run on, as the standard library sees it: it
/// honours CPU affinity and, on Linux, cgroup CPU quotas.
pub fn logical_cpus() -> usize {
    thread::available_parallelism().map_or(1, |n| n.get())
}

/// One line such as `machine: 2 logical CPUs, linux x86_64, release build`.
pub fn describe() -> String {
    let build = if cfg!(debug_assertions) {
        "DEBUG build: timings mislead, run with --release"
    } else {
        "release build"
    };
    format!(
        "machine: {} logical CPUs, {} {}, {build}",
        logical_cpus(),
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

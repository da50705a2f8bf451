//! `tokio::fs` is not asynchronous file I/O: it runs ordinary blocking file
//! operations on the runtime's blocking pool. This program shows the pool's
//! thread appearing, on a runtime that otherwise has exactly one thread.
//!
//! Run it with:
//!
//!     cargo run --release --example fs_blocking_pool

use std::fs;

/// The names of this process's threads, from `/proc/self/task/*/comm`
/// (Linux; the kernel keeps the first 15 bytes of each name).
fn thread_names() -> Vec<String> {
    let Ok(tasks) = fs::read_dir("/proc/self/task") else {
        return vec!["(not measured: no /proc)".into()];
    };
    let mut names: Vec<String> = tasks
        .flatten()
        .filter_map(|t| fs::read_to_string(t.path().join("comm")).ok())
        .map(|n| n.trim().to_string())
        .collect();
    names.sort();
    names
}

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    println!("current-thread runtime, before any file I/O:");
    println!("  threads: {:?}", thread_names());

    // Reading a file through tokio::fs: the read itself is a blocking
    // `std::fs` call, handed to a blocking-pool thread with spawn_blocking,
    // while this task awaits its result.
    let me = std::env::current_exe()?;
    let bytes = tokio::fs::read(&me).await?;
    println!(
        "after tokio::fs::read of {} KiB (this program's own binary):",
        bytes.len() / 1024
    );
    println!("  threads: {:?}", thread_names());
    Ok(())
}
// ANCHOR_END: main

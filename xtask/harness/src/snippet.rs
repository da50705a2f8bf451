//! Compiling a lone snippet, the way the book shows a real compiler error.
//!
//! The output goes to a fresh folder under `target/`, never to
//! `-o /dev/null`: rustc writes its output to a temporary file and renames
//! it over the output path, so a snippet that compiles, run as root, would
//! replace `/dev/null` with a regular file and break every later build on
//! the machine.

use crate::{paths, process};
use anyhow::Result;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Compiles `file` as a library (edition 2024, metadata only) and returns
/// what rustc said; the caller decides whether failure was expected.
pub fn compile(file: &Path) -> Result<process::Captured> {
    static RUN: AtomicUsize = AtomicUsize::new(0);
    let out_dir = paths::target_dir().join("snippets").join(format!(
        "{}-{}",
        std::process::id(),
        RUN.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&out_dir)?;
    let mut cmd = Command::new("rustc");
    cmd.args([
        "--edition",
        "2024",
        "--crate-type",
        "lib",
        "--emit=metadata",
        "--out-dir",
    ])
    .arg(&out_dir)
    .arg(file);
    let out = process::run_captured(&mut cmd, Duration::from_secs(120));
    let _ = std::fs::remove_dir_all(&out_dir);
    out
}

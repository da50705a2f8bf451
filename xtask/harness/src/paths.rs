//! Where things are. One place, so no other module guesses.

use std::path::{Path, PathBuf};

/// The workspace root: the folder holding the root `Cargo.toml` and `book.toml`.
pub fn root() -> PathBuf {
    // This crate lives in xtask/harness/.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("harness lives two folders below the workspace root")
        .to_path_buf()
}

/// Cargo's target folder, honouring `CARGO_TARGET_DIR` like cargo does.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                root().join(dir)
            }
        }
        None => root().join("target"),
    }
}

/// The release build of an example, as `cargo build --release --example NAME` leaves it.
pub fn release_example(name: &str) -> PathBuf {
    target_dir()
        .join("release")
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

/// The project's own tool folder (`cargo install --root`), never a reader's global one.
pub fn tools_root() -> PathBuf {
    root().join(".tools")
}

/// Cached output of book directives, keyed by what the output depends on.
pub fn cmdrun_cache() -> PathBuf {
    target_dir().join("cmdrun-cache")
}

/// The cargo that started us (`cargo xtask` sets `CARGO`), or the one on PATH.
pub fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

//! The course's automation, behind `cargo xtask` (see `main.rs` for the
//! commands). A library too, so its tests can drive the book check on
//! throwaway books.

pub mod book;
pub mod browser;
pub mod exercises;
pub mod progress;
pub mod site;
pub mod tools;
pub mod watch;
pub mod wrapper;

pub use harness::{paths, process};

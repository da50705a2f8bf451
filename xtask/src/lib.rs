//! The course's automation, behind `cargo xtask` (see `main.rs` for the
//! commands). A library too, so its tests can drive the book check on
//! throwaway books.
//!
//! Each module has one job, and each uses only those above it:
//! `paths` and `process` (the harness), `source`, `html`, `tools`,
//! `i18n` (the translations' catalogues), `cjk_search`, `wrapper`, `book`
//! (the strict build), `site` (the checks of the built pages), `browser`;
//! `quizzes` checks the quizzes' answers. `exercises`, `progress` and `watch` (the learner's
//! side) stand beside them.

pub mod book;
pub mod browser;
pub mod cjk_search;
pub mod exercises;
pub mod html;
pub mod i18n;
pub mod progress;
pub mod quizzes;
pub mod site;
pub mod source;
pub mod tools;
pub mod watch;
pub mod wrapper;

pub use harness::{paths, process};

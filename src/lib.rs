//! Shared plumbing for the course's programs, so that each example in
//! `examples/` shows only its own lesson.
//!
//! - [`machine`]: the one line every measuring program prints about the
//!   machine it ran on (the published book shows the build machine's numbers).
//! - [`stats`]: medians and percentiles of measured durations.
//! - [`clock`]: a start-relative clock for printing event timelines.
//! - [`table`]: aligned plain-text tables.
//! - [`procfs`]: resident memory and thread counts from `/proc` (Linux).
//! - [`svg`]: timeline pictures (jobs on threads over time) drawn as SVG.

pub mod clock;
pub mod machine;
pub mod procfs;
pub mod stats;
pub mod svg;
pub mod table;

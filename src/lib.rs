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
//! - [`chart`]: line and bar charts of measurements, drawn as SVG alike.
//! - [`http`], [`server`], [`client`], [`load`]: Part II's servers share
//!   their HTTP (so each answers the same bytes), their command line, their
//!   demo clients and the load generator, so each server example shows only
//!   its concurrency model.
//! - [`peers`]: chapter 19's fair share of a server's connections: a limit
//!   per peer address, and idle connections shed first when it is full.

pub mod chart;
pub mod client;
pub mod clock;
pub mod http;
pub mod load;
pub mod machine;
pub mod peers;
pub mod procfs;
pub mod server;
pub mod stats;
pub mod svg;
pub mod table;

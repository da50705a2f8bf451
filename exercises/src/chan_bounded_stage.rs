//! Channels and streams: a bounded pipeline stage.
//!
//! `spawn_stage(input, capacity, work)` starts one stage of a pipeline: a
//! task that takes each item from `input`, applies `work` to it, and sends
//! the result on a new **bounded** channel of `capacity`. It returns that
//! channel's receiver, for the next stage.
//!
//! The stage must:
//! - keep the order of the items;
//! - close its output when `input` is closed and drained;
//! - apply backpressure: when nobody reads its output, stop taking items
//!   from `input` (at most `capacity` results wait, plus one in hand);
//! - stop, and so drop `input`, when the output's receiver is dropped.
//!
//! Check it with `cargo test -p exercises --test chan_bounded_stage`.

// Until you write the body, the stub leaves its parameters unused (and
// `input` needs its `mut` only once you receive from it).
#![allow(unused_variables, unused_mut, dead_code)]

use tokio::sync::mpsc;

/// Starts a stage; returns the receiving end of its output.
pub fn spawn_stage(
    mut input: mpsc::Receiver<u64>,
    capacity: usize,
    work: fn(u64) -> u64,
) -> mpsc::Receiver<u64> {
    // TODO: make a bounded channel of `capacity`.
    // TODO: spawn a task that receives from `input`, applies `work` and
    // sends on the channel, until `input` ends or sending fails.
    // TODO: return the channel's receiver.
    todo!()
}

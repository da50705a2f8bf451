//! Wrong solution of chan_bounded_stage: so that a full channel never holds
//! up the loop, it spawns a task for each send. The channel is bounded, but
//! the loop no longer waits for it: the stage drains its input while nobody
//! reads its output, and the waiting sends pile up as tasks. No backpressure
//! reaches the input (and the results may arrive out of order).
//!
//! caught by: stops_taking_input_while_nobody_reads_its_output

use tokio::sync::mpsc;

/// Starts a stage of a pipeline: a task that takes each item from `input`,
/// applies `work`, and sends the result on a channel of `capacity`, whose
/// receiving end it returns.
pub fn spawn_stage(
    mut input: mpsc::Receiver<u64>,
    capacity: usize,
    work: fn(u64) -> u64,
) -> mpsc::Receiver<u64> {
    let (output, results) = mpsc::channel(capacity);
    tokio::spawn(async move {
        while let Some(item) = input.recv().await {
            // The mistake: the send waits in a task of its own, so the loop
            // goes straight back to `input`.
            let output = output.clone();
            tokio::spawn(async move {
                let _ = output.send(work(item)).await;
            });
        }
        // Dropping `output` here closes it: the next stage sees the end.
    });
    results
}

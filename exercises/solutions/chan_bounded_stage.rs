//! Channels and streams: a bounded pipeline stage (solution).

use tokio::sync::mpsc;

/// Starts a stage of a pipeline: a task that takes each item from `input`,
/// applies `work`, and sends the result on a channel of `capacity`, whose
/// receiving end it returns.
pub fn spawn_stage(
    mut input: mpsc::Receiver<u64>,
    capacity: usize,
    work: fn(u64) -> u64,
) -> mpsc::Receiver<u64> {
    // Bounded: when the next stage is slow, at most `capacity` results wait.
    let (output, results) = mpsc::channel(capacity);
    tokio::spawn(async move {
        while let Some(item) = input.recv().await {
            // `send` waits while the output is full, and meanwhile this task
            // takes nothing more from `input`: backpressure travels upstream.
            if output.send(work(item)).await.is_err() {
                break; // the next stage is gone: stop, which closes `input`
            }
        }
        // Dropping `output` here closes it: the next stage sees the end.
    });
    results
}

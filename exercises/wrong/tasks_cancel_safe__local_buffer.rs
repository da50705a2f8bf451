//! Wrong solution of tasks_cancel_safe: it keeps the part of the line read
//! so far in a local `Vec` of `next_line`'s future. When `select!` drops
//! that future half-way through a line, the bytes already read are dropped
//! with it.
//!
//! caught by: loses_nothing_when_cancelled_by_select

use tokio::io::{AsyncRead, AsyncReadExt};

/// Reads `\n`-terminated lines from `reader`.
pub struct Lines<R> {
    reader: R,
    /// Bytes read but not yet returned, between two calls.
    buf: Vec<u8>,
}

impl<R: AsyncRead + Unpin> Lines<R> {
    pub fn new(reader: R) -> Self {
        Lines {
            reader,
            buf: Vec::new(),
        }
    }

    /// The next line, without its `\n`; `None` at the end of the stream.
    /// The mistake: while it waits, the part of the line read so far lives
    /// in `line`, a local of this future.
    pub async fn next_line(&mut self) -> std::io::Result<Option<String>> {
        let mut line = std::mem::take(&mut self.buf);
        loop {
            if let Some(end) = line.iter().position(|&b| b == b'\n') {
                self.buf = line.split_off(end + 1);
                return Ok(Some(String::from_utf8_lossy(&line[..end]).into_owned()));
            }
            let mut chunk = [0u8; 256];
            let n = self.reader.read(&mut chunk).await?;
            if n == 0 {
                return Ok(None);
            }
            line.extend_from_slice(&chunk[..n]);
        }
    }
}

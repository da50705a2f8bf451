//! Tasks in tokio: a cancellation-safe line reader (solution).

use tokio::io::{AsyncRead, AsyncReadExt};

/// Reads `\n`-terminated lines from `reader`.
pub struct Lines<R> {
    reader: R,
    /// Bytes read but not yet returned: the part of a line that has
    /// arrived. It lives here, not in `next_line`'s future, so dropping
    /// that future loses nothing.
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
    ///
    /// Cancellation safe: the only `.await` is `read`, which is itself
    /// cancellation safe, and whatever it returns goes into `self.buf`
    /// before the next `.await`.
    pub async fn next_line(&mut self) -> std::io::Result<Option<String>> {
        loop {
            if let Some(end) = self.buf.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = self.buf.drain(..=end).collect();
                return Ok(Some(String::from_utf8_lossy(&line[..end]).into_owned()));
            }
            let mut chunk = [0u8; 256];
            let n = self.reader.read(&mut chunk).await?;
            if n == 0 {
                return Ok(None);
            }
            self.buf.extend_from_slice(&chunk[..n]); // the line that matters
        }
    }
}

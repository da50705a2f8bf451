//! Tasks in tokio: a cancellation-safe line reader.
//!
//! `Lines::next_line` returns the next `\n`-terminated line (without the
//! `\n`), or `None` at the end of the stream. It will be used inside
//! `tokio::select!`, next to a timer: whenever the timer wins, the
//! `next_line` future is dropped, possibly after it has read half a line.
//! Make it **cancellation safe**: dropping it at any `.await` must lose no
//! bytes, so that the next call still returns every line whole.
//!
//! Check it with `cargo test -p exercises --test tasks_cancel_safe`.

// Until you write the body, the stub leaves these unused.
#![allow(unused_variables, dead_code, unused_imports)]

use tokio::io::{AsyncRead, AsyncReadExt};

/// Reads `\n`-terminated lines from `reader`.
pub struct Lines<R> {
    reader: R,
    /// Bytes read but not yet returned as a line.
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
    pub async fn next_line(&mut self) -> std::io::Result<Option<String>> {
        // TODO: if `self.buf` already holds a whole line, remove it from the
        // buffer and return it.
        // TODO: otherwise read some bytes (`self.reader.read(&mut chunk)`,
        // which is itself cancellation safe), keep them *in `self.buf`*
        // before the next `.await`, and look again. `read` returning 0 means
        // the end of the stream.
        todo!()
    }
}

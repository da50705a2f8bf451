//! Just enough HTTP/1.1 for the servers of Part II, in one place, so that
//! every server answers the same bytes and each example shows only its
//! concurrency model.
//!
//! The request head is parsed by [`httparse`], the parser hyper uses: it is
//! fuzzed, fast, and never allocates. A hand-written parser is where the
//! article's servers went wrong (they read only the request line), and it
//! is not the lesson here.
//!
//! The rules every server follows:
//! - the whole request head (request line and headers) may be at most
//!   [`MAX_HEAD`] bytes; more gets `431`, a malformed head gets `400`;
//! - the whole head must arrive before one deadline (not a fresh timeout per
//!   read), so a client that trickles a byte a second cannot hold a
//!   connection forever;
//! - `GET /` answers `200` with a small HTML page and a `Content-Length`
//!   computed from the body it sends (the article's server said 23 for a
//!   39-byte body).

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The most bytes a request head may take: 8 KiB, as nginx's default.
pub const MAX_HEAD: usize = 8 * 1024;
/// The most headers a request may have; more is answered like an oversized head.
pub const MAX_HEADERS: usize = 64;

/// The page `GET /` answers with.
pub const HELLO_PAGE: &str = "<!DOCTYPE html>\n<html><head><title>Hello</title></head><body><h1>Hello, world!</h1></body></html>\n";

/// What a complete, well-formed request head asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Request {
    /// Bytes the head took; anything after it in the buffer is the next request.
    pub head_len: usize,
    /// `GET /`?
    pub route: Route,
    /// May the connection carry another request after this one?
    pub keep_alive: bool,
    /// A `HEAD` request: the same answer without its body.
    pub head_only: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    Hello,
    NotFound,
    MethodNotAllowed,
}

/// The result of parsing what has arrived so far.
#[derive(Debug, PartialEq, Eq)]
pub enum Parsed {
    /// Not a whole head yet, and not too long: read more.
    Partial,
    Request(Request),
    /// Answer with this status and close: `400` or `431`.
    Reject(u16),
}

/// Parses the bytes received so far on a connection.
pub fn parse(buf: &[u8]) -> Parsed {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    match req.parse(buf) {
        Ok(httparse::Status::Complete(head_len)) if head_len > MAX_HEAD => Parsed::Reject(431),
        Ok(httparse::Status::Complete(head_len)) => {
            let header = |name: &str| {
                req.headers
                    .iter()
                    .find(|h| h.name.eq_ignore_ascii_case(name))
                    .map(|h| h.value)
            };
            let connection = header("connection").unwrap_or_default();
            let mut keep_alive = if req.version == Some(1) {
                !connection.eq_ignore_ascii_case(b"close")
            } else {
                connection.eq_ignore_ascii_case(b"keep-alive")
            };
            // These servers never read a request body. One that has a body
            // gets its answer and the connection closes, so the body can
            // never be mistaken for the next request.
            let has_body = header("transfer-encoding").is_some()
                || header("content-length").is_some_and(|v| v != b"0");
            if has_body {
                keep_alive = false;
            }
            let route = match (req.method, req.path) {
                (Some("GET" | "HEAD"), Some("/")) => Route::Hello,
                (Some("GET" | "HEAD"), _) => Route::NotFound,
                _ => Route::MethodNotAllowed,
            };
            Parsed::Request(Request {
                head_len,
                route,
                keep_alive,
                head_only: req.method == Some("HEAD"),
            })
        }
        Ok(httparse::Status::Partial) if buf.len() >= MAX_HEAD => Parsed::Reject(431),
        Ok(httparse::Status::Partial) => Parsed::Partial,
        Err(httparse::Error::TooManyHeaders) => Parsed::Reject(431),
        Err(_) => Parsed::Reject(400),
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Error",
    }
}

/// A whole response, head and body. `Content-Length` is the length of the
/// body actually sent, computed here and nowhere else.
pub fn response(status: u16, keep_alive: bool) -> Vec<u8> {
    let (body, kind) = if status == 200 {
        (HELLO_PAGE.to_string(), "text/html; charset=utf-8")
    } else {
        (format!("{status} {}\n", reason(status)), "text/plain")
    };
    let connection = if keep_alive { "keep-alive" } else { "close" };
    // A `405` must say which methods the resource does allow (RFC 9110).
    let allow = if status == 405 {
        "Allow: GET, HEAD\r\n"
    } else {
        ""
    };
    let mut out = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n{allow}Connection: {connection}\r\n\r\n",
        reason(status),
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}

// The two answers to `GET /` are the same bytes every time: build them once.
static HELLO_KEEP_ALIVE: LazyLock<Vec<u8>> = LazyLock::new(|| response(200, true));
static HELLO_CLOSE: LazyLock<Vec<u8>> = LazyLock::new(|| response(200, false));

/// The bytes that answer `req`. `keep_alive` is false when the server
/// closes after this response whatever the client asked for.
pub fn answer(req: &Request, keep_alive: bool) -> &'static [u8] {
    static NOT_FOUND: [LazyLock<Vec<u8>>; 2] = [
        LazyLock::new(|| response(404, false)),
        LazyLock::new(|| response(404, true)),
    ];
    static NOT_ALLOWED: LazyLock<Vec<u8>> = LazyLock::new(|| response(405, false));
    let keep_alive = keep_alive && req.keep_alive;
    let bytes: &'static [u8] = match req.route {
        Route::Hello if keep_alive => &HELLO_KEEP_ALIVE,
        Route::Hello => &HELLO_CLOSE,
        Route::NotFound => &NOT_FOUND[keep_alive as usize],
        // Its body was not read: always close.
        Route::MethodNotAllowed => &NOT_ALLOWED,
    };
    if req.head_only {
        // Same head (Content-Length included), no body.
        let end = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map_or(bytes.len(), |i| i + 4);
        &bytes[..end]
    } else {
        bytes
    }
}

/// How waiting for a request head ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Head {
    Request(Request),
    /// Answer with this status (`400`, `431`, or `408` for a head that
    /// started but did not finish in time), then close.
    Reject(u16),
    /// The client closed, or stayed silent past the deadline without
    /// starting a request: close without a word.
    Done,
}

/// Reads one request head from a blocking socket. `buf` may already hold
/// bytes (the start of a pipelined request); the caller removes
/// `head_len` bytes once it has answered. The *whole* head must arrive by
/// `deadline`: each read waits only for the time that is left.
pub fn read_head(stream: &mut TcpStream, buf: &mut Vec<u8>, deadline: Instant) -> Head {
    let mut chunk = [0u8; 4096];
    loop {
        if !buf.is_empty() {
            match parse(buf) {
                Parsed::Partial => {}
                Parsed::Request(r) => return Head::Request(r),
                Parsed::Reject(status) => return Head::Reject(status),
            }
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return timed_out(buf);
        }
        // `set_read_timeout` refuses zero, which `left` is not.
        if stream.set_read_timeout(Some(left)).is_err() {
            return Head::Done;
        }
        match stream.read(&mut chunk) {
            Ok(0) => return Head::Done,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if is_timeout(&e) => return timed_out(buf),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return Head::Done,
        }
    }
}

fn timed_out(buf: &[u8]) -> Head {
    if buf.is_empty() {
        Head::Done
    } else {
        Head::Reject(408)
    }
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// How a blocking server treats one connection.
#[derive(Clone, Copy, Debug)]
pub struct ConnectionRules {
    /// Serve more than one request per connection?
    pub keep_alive: bool,
    /// Time allowed for each whole request head (and for an idle keep-alive
    /// connection to start its next request).
    pub head_timeout: Duration,
    /// Simulated backend work per request (a database call, say).
    pub backend_wait: Duration,
}

impl ConnectionRules {
    /// The `--demo` modes' rules: 500 ms for a request head, and 300 ms of
    /// backend work per request, so that waiting clients are easy to see.
    pub const fn demo(keep_alive: bool) -> Self {
        Self {
            keep_alive,
            head_timeout: Duration::from_millis(500),
            backend_wait: Duration::from_millis(300),
        }
    }
}

/// What a blocking server's connections are doing, for graceful shutdown:
/// how many requests are being answered right now, and whether the server
/// is closing (then connections close after their current answer).
#[derive(Debug, Default)]
pub struct Activity {
    busy: AtomicUsize,
    closing: AtomicBool,
}

impl Activity {
    /// Stop keeping connections alive, and wait (at most `limit`) until no
    /// request is being answered. Returns whether every answer finished.
    pub fn close_and_wait(&self, limit: Duration) -> bool {
        self.closing.store(true, Ordering::SeqCst);
        let deadline = Instant::now() + limit;
        while self.busy.load(Ordering::SeqCst) > 0 {
            if Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        true
    }
}

/// Serves requests on a blocking connection until it closes, times out or a
/// request asks to close. Returns how many requests got an answer. Errors
/// (a client that vanished mid-response, say) end only this connection.
pub fn serve_blocking(mut stream: TcpStream, rules: ConnectionRules, activity: &Activity) -> usize {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(rules.head_timeout.max(Duration::from_secs(1))));
    let mut buf = Vec::with_capacity(1024);
    let mut answered = 0;
    loop {
        let deadline = Instant::now() + rules.head_timeout;
        match read_head(&mut stream, &mut buf, deadline) {
            Head::Request(req) => {
                activity.busy.fetch_add(1, Ordering::SeqCst);
                if !rules.backend_wait.is_zero() {
                    std::thread::sleep(rules.backend_wait);
                }
                let keep_alive = rules.keep_alive && !activity.closing.load(Ordering::SeqCst);
                let written = stream.write_all(answer(&req, keep_alive));
                activity.busy.fetch_sub(1, Ordering::SeqCst);
                if written.is_err() {
                    return answered;
                }
                answered += 1;
                buf.drain(..req.head_len);
                if !(keep_alive && req.keep_alive && req.route != Route::MethodNotAllowed) {
                    return answered;
                }
            }
            Head::Reject(status) => {
                let _ = stream.write_all(&response(status, false));
                linger_close(stream);
                return answered;
            }
            Head::Done => return answered,
        }
    }
}

/// How long a server keeps reading (and discarding) after rejecting a
/// request, before it closes.
pub const LINGER: Duration = Duration::from_millis(200);

/// Closes after a rejection without losing the answer. Closing a socket
/// whose receive buffer still holds unread bytes (the rest of an oversized
/// head) makes the kernel send a reset, which can destroy the answer before
/// the client reads it. So: finish sending, then read what is left for a
/// short while (as nginx's "lingering close" does), then close.
pub fn linger_close(mut stream: TcpStream) {
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let deadline = Instant::now() + LINGER;
    let mut sink = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(text: &str) -> Request {
        match parse(text.as_bytes()) {
            Parsed::Request(r) => r,
            other => panic!("{text:?} parsed as {other:?}"),
        }
    }

    #[test]
    fn content_length_is_the_body_length() {
        let bytes = response(200, true);
        let text = String::from_utf8(bytes).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.contains(&format!("Content-Length: {}", body.len())));
        assert_eq!(body, HELLO_PAGE);
    }

    #[test]
    fn keep_alive_follows_the_version_and_the_header() {
        assert!(request("GET / HTTP/1.1\r\nHost: x\r\n\r\n").keep_alive);
        assert!(!request("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").keep_alive);
        assert!(!request("GET / HTTP/1.0\r\n\r\n").keep_alive);
        assert!(request("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keep_alive);
        assert!(!request("GET / HTTP/1.1\r\nContent-Length: 3\r\n\r\n").keep_alive);
    }

    #[test]
    fn head_gets_the_head_only() {
        let req = request("HEAD / HTTP/1.1\r\n\r\n");
        let bytes = answer(&req, true);
        assert!(bytes.ends_with(b"\r\n\r\n"));
        let text = String::from_utf8_lossy(bytes);
        assert!(text.contains(&format!("Content-Length: {}", HELLO_PAGE.len())));
    }

    #[test]
    fn method_not_allowed_says_what_is() {
        let text = String::from_utf8(response(405, false)).unwrap();
        assert!(text.contains("\r\nAllow: GET, HEAD\r\n"), "{text}");
    }

    #[test]
    fn routes() {
        assert_eq!(request("GET / HTTP/1.1\r\n\r\n").route, Route::Hello);
        assert_eq!(request("GET /x HTTP/1.1\r\n\r\n").route, Route::NotFound);
        assert_eq!(
            request("POST / HTTP/1.1\r\n\r\n").route,
            Route::MethodNotAllowed
        );
    }

    #[test]
    fn rejects_malformed_and_oversized_heads() {
        assert_eq!(parse(b"GET / HTTP/1.1\r\nHost: x\r\n"), Parsed::Partial);
        assert_eq!(parse(b"HELLO\r\n\r\n"), Parsed::Reject(400));
        assert_eq!(
            parse(b"GET / HTTP/1.1\r\nBad Header\r\n\r\n"),
            Parsed::Reject(400)
        );
        let mut big = b"GET / HTTP/1.1\r\nX-Big: ".to_vec();
        big.resize(MAX_HEAD + 10, b'a');
        assert_eq!(parse(&big), Parsed::Reject(431));
        big.extend_from_slice(b"\r\n\r\n");
        assert_eq!(parse(&big), Parsed::Reject(431));
    }
}

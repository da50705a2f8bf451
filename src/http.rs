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
//! - an HTTP/1.1 request must carry exactly one `Host` (RFC 9112 §3.2), a
//!   `Content-Length` must be one valid number (RFC 9112 §6.3), and a
//!   request with `Transfer-Encoding`, whose body these servers cannot
//!   decode, is refused and the connection closed (RFC 9112 §6.1, §6.3);
//! - a method nobody has heard of gets `501`; a known one other than `GET`
//!   and `HEAD` gets `405` with `Allow` (RFC 9110 §9.1, §15.5.6, §15.6.2);
//! - `Connection` is a list of tokens; `close` among them closes
//!   (RFC 9110 §7.6.1);
//! - every answer carries a `Date` (RFC 9110 §6.6.1), formatted at most once
//!   a second per thread (see `CachedDate`);
//! - `GET /` answers `200` with a small HTML page and a `Content-Length`
//!   computed from the body it sends (the article's server said 23 for a
//!   39-byte body).

use std::cell::RefCell;
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The most bytes a request head may take: 8 KiB, this course's choice.
/// It is enough for what curl, load tools and this course's clients send,
/// and it bounds the memory one connection's request head can take.
/// (Servers choose differently, and some count per header line rather than
/// per head.)
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
    /// The answer's status: `200`, `404`, `405` or `501`.
    pub status: u16,
    /// May the connection carry another request after this one?
    pub keep_alive: bool,
    /// A `HEAD` request: the same answer without its body.
    pub head_only: bool,
    /// The request announced a body (`Content-Length` above 0). These
    /// servers never read one, so the connection closes after the answer,
    /// and closes lingering (see [`linger_close`]).
    pub has_body: bool,
}

impl Request {
    /// Must the server close this connection without resetting it? True
    /// when the client may still be sending: a body nobody read, or
    /// requests pipelined behind one that closes (`buffered` is how many
    /// bytes of the connection's buffer are received but not yet handled,
    /// this head included).
    pub fn leaves_unread(&self, buffered: usize) -> bool {
        self.has_body || buffered > self.head_len
    }
}

/// The result of parsing what has arrived so far.
#[derive(Debug, PartialEq, Eq)]
pub enum Parsed {
    /// Not a whole head yet, and not too long: read more.
    Partial,
    Request(Request),
    /// Answer with this status and close (lingering): `400`, `431` or `501`.
    Reject(u16),
}

/// Methods RFC 9110 §9 defines, and `PATCH` (RFC 5789). Method names are
/// case-sensitive: `get` is not `GET`.
const KNOWN_METHODS: [&str; 9] = [
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
];

/// Parses the bytes received so far on a connection.
pub fn parse(buf: &[u8]) -> Parsed {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    match req.parse(buf) {
        Ok(httparse::Status::Complete(head_len)) if head_len > MAX_HEAD => Parsed::Reject(431),
        Ok(httparse::Status::Complete(head_len)) => {
            let (Some(method), Some(target), Some(minor)) = (req.method, req.path, req.version)
            else {
                return Parsed::Reject(400);
            };
            match check(method, target, minor == 1, req.headers) {
                Ok((status, keep_alive, has_body)) => Parsed::Request(Request {
                    head_len,
                    status,
                    // A body nobody read must never be taken for the next
                    // request. A refused method closes too: the simplest
                    // rule, and a server may always close after an answer
                    // that says `Connection: close` (RFC 9112 §9.6).
                    keep_alive: keep_alive && !has_body && matches!(status, 200 | 404),
                    head_only: method == "HEAD",
                    has_body,
                }),
                Err(status) => Parsed::Reject(status),
            }
        }
        Ok(httparse::Status::Partial) if buf.len() >= MAX_HEAD => Parsed::Reject(431),
        Ok(httparse::Status::Partial) => Parsed::Partial,
        Err(httparse::Error::TooManyHeaders) => Parsed::Reject(431),
        Err(_) => Parsed::Reject(400),
    }
}

/// The rules of RFC 9110 and RFC 9112 for a whole head: `Ok((status,
/// keep_alive, has_body))`, or `Err(status)` for a request to refuse.
fn check(
    method: &str,
    target: &str,
    http11: bool,
    headers: &[httparse::Header],
) -> Result<(u16, bool, bool), u16> {
    let values = |name: &'static str| {
        headers
            .iter()
            .filter(move |h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value)
    };
    // Every comma-separated element of every field line called `name`
    // (RFC 9110 §5.3, §5.6.1), trimmed, empty ones dropped.
    let list = |name: &'static str| {
        values(name)
            .flat_map(|v| v.split(|&b| b == b','))
            .map(|e| e.trim_ascii())
            .filter(|e| !e.is_empty())
    };

    // Framing first: a body we cannot delimit makes everything after it
    // unreadable. RFC 9112 §6.3: a `Transfer-Encoding` whose last coding is
    // not `chunked` leaves the body's length unknown, which MUST get 400;
    // so does any `Transfer-Encoding` in HTTP/1.0 (§6.1: the framing is
    // faulty). These servers do not decode `chunked`, so they refuse it
    // with 501, "not implemented" (§6.1). Either way the connection closes.
    if values("transfer-encoding").next().is_some() {
        let last_is_chunked = list("transfer-encoding")
            .next_back()
            .is_some_and(|c| c.eq_ignore_ascii_case(b"chunked"));
        return Err(if http11 && last_is_chunked { 501 } else { 400 });
    }
    // RFC 9112 §6.3: `Content-Length` must be digits; several values (in
    // one line or several) are accepted only if they are all the same.
    let mut length = None;
    for v in list("content-length") {
        let n = std::str::from_utf8(v)
            .ok()
            .filter(|s| s.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|s| s.parse::<u64>().ok())
            .ok_or(400u16)?;
        if length.is_some_and(|l| l != n) {
            return Err(400);
        }
        length = Some(n);
    }
    if values("content-length").next().is_some() && length.is_none() {
        return Err(400); // `Content-Length:` with no value at all
    }

    // RFC 9112 §3.2: exactly one `Host` in HTTP/1.1, never two in any
    // version, and a value that can be a host (an empty one is allowed).
    let mut hosts = values("host");
    match (hosts.next(), hosts.next()) {
        (None, _) if http11 => return Err(400),
        (Some(_), Some(_)) => return Err(400),
        (Some(host), None) if !host.iter().all(|&b| is_host_byte(b)) => return Err(400),
        _ => {}
    }

    // RFC 9110 §7.6.1: `Connection` is a list of tokens, any case.
    let has_token = |token: &[u8]| list("connection").any(|t| t.eq_ignore_ascii_case(token));
    let keep_alive = if http11 {
        !has_token(b"close")
    } else {
        has_token(b"keep-alive") && !has_token(b"close")
    };

    let status = match method {
        "GET" | "HEAD" => match path(target) {
            Some("/") => 200,
            Some(_) => 404,
            None => return Err(400),
        },
        m if KNOWN_METHODS.contains(&m) => 405,
        _ => 501,
    };
    Ok((status, keep_alive, length.is_some_and(|n| n > 0)))
}

/// The path a `GET` target names: the origin form `/path?query`, or the
/// absolute form `http://host/path?query` (RFC 9112 §3.2.1, §3.2.2), which
/// a server MUST accept. `None` for anything else (`*`, `host:port`).
fn path(target: &str) -> Option<&str> {
    let after_scheme = ["http://", "https://"].iter().find_map(|scheme| {
        let head = target.get(..scheme.len())?;
        head.eq_ignore_ascii_case(scheme)
            .then(|| &target[scheme.len()..])
    });
    let path_and_query = match after_scheme {
        // Skip the authority; an empty path is `/` (RFC 9112 §3.3).
        Some(rest) => match rest.find(['/', '?']) {
            Some(i) if rest[i..].starts_with('/') => &rest[i..],
            _ => "/",
        },
        None if target.starts_with('/') => target,
        None => return None,
    };
    path_and_query.split('?').next()
}

/// May `b` appear in a `Host` value (`uri-host [ ":" port ]`, RFC 3986
/// §3.2.2: a name, an IPv4 address or a bracketed IPv6 literal)?
fn is_host_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~%!$&'()*+,;=:[]".contains(&b)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        _ => "Error",
    }
}

// ANCHOR: date
/// The `Date` every answer must carry (RFC 9110 §6.6.1), in the one format
/// HTTP allows a sender to generate, IMF-fixdate: `Tue, 01 Dec 2026 07:15:19
/// GMT`. It changes once a second, while a server may send thousands of
/// answers in that second. So each thread keeps the formatted text and
/// formats it again only when the second has changed: one clock read and a
/// 29-byte copy per answer. One cache per thread, as hyper does, rather than
/// one for the process: a shared one would need a lock or atomics that
/// every core touches on every answer.
struct CachedDate {
    second: u64,
    text: [u8; 29],
}

thread_local! {
    static DATE: RefCell<CachedDate> = const {
        RefCell::new(CachedDate { second: u64::MAX, text: [0; 29] })
    };
}

/// Appends `Date: <now>\r\n` to `out`.
fn push_date(out: &mut Vec<u8>) {
    let now = SystemTime::now();
    let second = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    DATE.with_borrow_mut(|date| {
        if date.second != second {
            date.text
                .copy_from_slice(httpdate::fmt_http_date(now).as_bytes());
            date.second = second;
        }
        out.extend_from_slice(b"Date: ");
        out.extend_from_slice(&date.text);
        out.extend_from_slice(b"\r\n");
    });
}
// ANCHOR_END: date

/// A response with everything but its `Date`, built once: the head without
/// its final blank line, and the body.
struct Canned {
    head: Vec<u8>,
    body: Vec<u8>,
}

/// Every status these servers send.
const STATUSES: [u16; 8] = [200, 400, 404, 405, 408, 431, 501, 503];

fn canned(status: u16, keep_alive: bool) -> Canned {
    let (body, kind) = if status == 200 {
        (HELLO_PAGE.to_string(), "text/html; charset=utf-8")
    } else {
        (format!("{status} {}\n", reason(status)), "text/plain")
    };
    let connection = if keep_alive { "keep-alive" } else { "close" };
    // A `405` must say which methods the resource does allow (RFC 9110 §15.5.6).
    let allow = if status == 405 {
        "Allow: GET, HEAD\r\n"
    } else {
        ""
    };
    let head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n{allow}Connection: {connection}\r\n",
        reason(status),
        body.len()
    );
    Canned {
        head: head.into_bytes(),
        body: body.into_bytes(),
    }
}

/// Appends the whole response to `out`: the canned head, the current `Date`,
/// and (unless `head_only`) the body. `Content-Length` is the length of the
/// body a `GET` gets, computed in `canned` and nowhere else; a `HEAD`
/// gets the same head (RFC 9110 §9.3.2).
pub fn write_response(status: u16, keep_alive: bool, head_only: bool, out: &mut Vec<u8>) {
    // Built on first use: the same bytes every time but for the date.
    static CANNED: LazyLock<Vec<[Canned; 2]>> = LazyLock::new(|| {
        STATUSES
            .iter()
            .map(|&s| [canned(s, false), canned(s, true)])
            .collect()
    });
    let i = STATUSES
        .iter()
        .position(|&s| s == status)
        .expect("a status this module knows");
    let canned = &CANNED[i][keep_alive as usize];
    out.extend_from_slice(&canned.head);
    push_date(out);
    out.extend_from_slice(b"\r\n");
    if !head_only {
        out.extend_from_slice(&canned.body);
    }
}

/// A whole response, in a buffer of its own.
pub fn response(status: u16, keep_alive: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    write_response(status, keep_alive, false, &mut out);
    out
}

/// Appends the answer to `req` to `out`. `keep_alive` is false when the
/// server closes after this response whatever the client asked for.
pub fn answer(req: &Request, keep_alive: bool, out: &mut Vec<u8>) {
    write_response(req.status, keep_alive && req.keep_alive, req.head_only, out);
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
        // A store then a load here, a `fetch_add` then a load in
        // `serve_blocking`: the store-buffer pattern. SeqCst puts all four
        // in one total order, so at least one side sees the other: either
        // this loop sees the request as busy, or that request sees
        // `closing` and closes after its answer. Release/Acquire would let
        // both miss.
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
    let mut out = Vec::with_capacity(1024);
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
                out.clear();
                answer(&req, keep_alive, &mut out);
                let written = stream.write_all(&out);
                activity.busy.fetch_sub(1, Ordering::SeqCst);
                if written.is_err() {
                    return answered;
                }
                answered += 1;
                if !(keep_alive && req.keep_alive) {
                    if req.leaves_unread(buf.len()) {
                        linger_close(stream);
                    }
                    return answered;
                }
                buf.drain(..req.head_len);
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

/// How long a server keeps reading (and discarding) after an answer that
/// left input unread, before it closes.
pub const LINGER: Duration = Duration::from_millis(200);

/// Closes without losing the answer when the client may still be sending:
/// after a rejection (the rest of an oversized head), a body nobody read,
/// or requests pipelined behind one that closes. Closing a socket whose
/// receive buffer still holds unread bytes makes the kernel send a reset
/// (RFC 1122 §4.2.2.13 says a TCP should; Linux does), which can destroy
/// the answer before the client reads it. So: finish sending, then read what is left for a
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

    fn status(text: &str) -> u16 {
        match parse(text.as_bytes()) {
            Parsed::Request(r) => r.status,
            Parsed::Reject(s) => s,
            Parsed::Partial => panic!("{text:?} is partial"),
        }
    }

    fn text(bytes: Vec<u8>) -> String {
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn content_length_is_the_body_length() {
        let text = text(response(200, true));
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.contains(&format!("Content-Length: {}", body.len())));
        assert_eq!(body, HELLO_PAGE);
    }

    #[test]
    fn every_answer_has_a_date_in_imf_fixdate() {
        for status in STATUSES {
            let text = text(response(status, false));
            let date = text
                .lines()
                .find_map(|l| l.strip_prefix("Date: "))
                .unwrap_or_else(|| panic!("no Date in {text:?}"));
            assert_eq!(date.len(), 29, "{date:?}");
            assert!(date.ends_with(" GMT"), "{date:?}");
            let then = httpdate::parse_http_date(date).unwrap();
            let age = SystemTime::now().duration_since(then).unwrap();
            assert!(age < Duration::from_secs(2), "{date:?}");
        }
    }

    #[test]
    fn the_cached_date_follows_the_clock() {
        let date = || {
            let mut out = Vec::new();
            push_date(&mut out);
            String::from_utf8(out).unwrap()
        };
        let first = date();
        let start = Instant::now();
        while date() == first {
            assert!(
                start.elapsed() < Duration::from_millis(1500),
                "{first:?} is stuck"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        let then =
            httpdate::parse_http_date(date().trim_start_matches("Date: ").trim_end()).unwrap();
        let age = SystemTime::now().duration_since(then).unwrap();
        assert!(age < Duration::from_secs(1), "{age:?}");
    }

    #[test]
    fn keep_alive_follows_the_version_and_the_connection_list() {
        let keep = |t: &str| request(t).keep_alive;
        assert!(keep("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        assert!(!keep(
            "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        ));
        assert!(!keep(
            "GET / HTTP/1.1\r\nHost: x\r\nConnection: Close, TE\r\n\r\n"
        ));
        assert!(!keep(
            "GET / HTTP/1.1\r\nHost: x\r\nConnection: TE,close\r\n\r\n"
        ));
        assert!(!keep(
            "GET / HTTP/1.1\r\nHost: x\r\nConnection: TE\r\nConnection: close\r\n\r\n"
        ));
        assert!(keep(
            "GET / HTTP/1.1\r\nHost: x\r\nConnection: closed\r\n\r\n"
        ));
        assert!(!keep("GET / HTTP/1.0\r\n\r\n"));
        assert!(keep("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"));
        assert!(keep("GET / HTTP/1.0\r\nConnection: TE, keep-alive\r\n\r\n"));
        let body = request("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n");
        assert!(!body.keep_alive && body.has_body && body.leaves_unread(body.head_len));
        let none = request("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        assert!(none.keep_alive && !none.has_body && !none.leaves_unread(none.head_len));
        assert!(none.leaves_unread(none.head_len + 1));
    }

    #[test]
    fn host_must_be_there_once_in_http_1_1() {
        assert_eq!(status("GET / HTTP/1.1\r\n\r\n"), 400);
        assert_eq!(status("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400);
        assert_eq!(status("GET / HTTP/1.0\r\nHost: a\r\nhost: a\r\n\r\n"), 400);
        assert_eq!(status("GET / HTTP/1.1\r\nHost: a b\r\n\r\n"), 400);
        assert_eq!(status("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n"), 400);
        assert_eq!(status("GET / HTTP/1.0\r\n\r\n"), 200);
        assert_eq!(status("GET / HTTP/1.1\r\nHost:\r\n\r\n"), 200);
        assert_eq!(status("GET / HTTP/1.1\r\nHOST: [::1]:80\r\n\r\n"), 200);
    }

    #[test]
    fn content_length_must_be_one_number() {
        let cl = |v: &str| {
            status(&format!(
                "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: {v}\r\n\r\n"
            ))
        };
        for bad in [
            "abc",
            "-1",
            "+1",
            "1.0",
            "",
            "1, 2",
            "0x10",
            "99999999999999999999999",
        ] {
            assert_eq!(cl(bad), 400, "Content-Length: {bad:?}");
        }
        assert_eq!(cl("0"), 200);
        assert_eq!(cl("5, 5"), 200);
        assert_eq!(
            status("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"),
            400
        );
    }

    #[test]
    fn transfer_encoding_is_refused() {
        let te = |v: &str| {
            status(&format!(
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: {v}\r\n\r\n"
            ))
        };
        assert_eq!(te("chunked"), 501);
        assert_eq!(te("gzip, Chunked"), 501);
        assert_eq!(te("chunked, gzip"), 400);
        assert_eq!(te("gzip"), 400);
        assert_eq!(
            status("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"),
            400
        );
    }

    #[test]
    fn head_gets_the_head_only() {
        let req = request("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
        let mut out = Vec::new();
        answer(&req, true, &mut out);
        assert!(out.ends_with(b"\r\n\r\n"));
        let text = text(out);
        assert!(text.contains(&format!("Content-Length: {}", HELLO_PAGE.len())));
    }

    #[test]
    fn methods_and_targets() {
        let r = |t: &str| status(&format!("{t} HTTP/1.1\r\nHost: x\r\n\r\n"));
        assert_eq!(r("GET /"), 200);
        assert_eq!(r("GET /?q=1"), 200);
        assert_eq!(r("GET /x"), 404);
        assert_eq!(r("GET http://x/"), 200);
        assert_eq!(r("GET HTTP://x"), 200);
        assert_eq!(r("GET http://x?q"), 200);
        assert_eq!(r("GET http://x/y"), 404);
        assert_eq!(r("GET *"), 400);
        assert_eq!(r("POST /"), 405);
        assert_eq!(r("OPTIONS *"), 405);
        assert_eq!(r("BREW /"), 501);
        assert_eq!(r("get /"), 501);
        assert!(!request("POST / HTTP/1.1\r\nHost: x\r\n\r\n").keep_alive);
        let text = text(response(405, false));
        assert!(text.contains("\r\nAllow: GET, HEAD\r\n"), "{text}");
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

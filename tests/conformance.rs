//! HTTP/1.1 conformance of Part II's five servers. Each case sends raw bytes
//! to a real server process on loopback, reads everything it answers, and
//! has h11 (a Python HTTP/1.1 implementation this project did not write;
//! see README.md, "Dependencies, and why") parse the answer. Then it checks
//! what RFC 9110 and RFC 9112 require: the status, a `Date` in IMF-fixdate
//! on every answer, `Content-Length`, and whether the connection stays open
//! or closes cleanly (no reset).

mod servers;

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// How long a connection that should stay open must stay quiet after its
/// answers, to count as kept open. The servers' idle timeout is longer.
const QUIET: Duration = Duration::from_millis(300);
const IDLE_TIMEOUT_MS: &str = "2000";
/// The longest a case waits for its answers or for the close.
const PATIENCE: Duration = Duration::from_secs(5);

/// One response, as h11 read it.
#[derive(Debug)]
struct Response {
    status: u16,
    version: String,
    body_len: usize,
    /// The server announced that it closes (`Connection: close`).
    must_close: bool,
    headers: Vec<(String, String)>,
}

impl Response {
    fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    fn one(&self, name: &str) -> Option<&str> {
        match self.all(name)[..] {
            [v] => Some(v),
            _ => None,
        }
    }
}

/// Everything one connection brought back.
#[derive(Debug)]
struct Exchange {
    responses: Vec<Response>,
    /// The server closed (h11 saw the end of the connection).
    closed: bool,
    /// Reading failed with a reset: an answer may have been destroyed.
    reset: bool,
    /// What h11 refused, if anything.
    error: Option<String>,
}

/// The Python with h11 installed: Debian's (`apt-get install python3-h11`,
/// which .ci/run does), or whatever `python3` is first on the PATH.
fn python() -> &'static str {
    static FOUND: std::sync::OnceLock<&'static str> = std::sync::OnceLock::new();
    FOUND.get_or_init(|| {
        ["/usr/bin/python3", "python3"]
            .into_iter()
            .find(|py| {
                Command::new(py)
                    .args(["-c", "import h11"])
                    .stderr(Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success())
            })
            .expect("the conformance test needs Python's h11: apt-get install -y python3-h11")
    })
}

/// Has h11 parse `bytes`, the answers to requests with these `methods`.
fn h11_read(bytes: &[u8], methods: &[&str], eof: bool) -> Exchange {
    let script = harness::paths::root().join("tests/conformance/h11_read.py");
    let mut child = Command::new(python())
        .arg(script)
        .args(eof.then_some("--eof"))
        .args(methods)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run h11_read.py");
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "h11_read.py failed");
    let mut ex = Exchange {
        responses: Vec::new(),
        closed: false,
        reset: false,
        error: None,
    };
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let (kind, rest) = line.split_once(' ').unwrap_or((line, ""));
        match kind {
            "response" => {
                let f: Vec<&str> = rest.split(' ').collect();
                ex.responses.push(Response {
                    status: f[0].parse().unwrap(),
                    version: f[1].into(),
                    body_len: f[2].parse().unwrap(),
                    must_close: f[3] == "1",
                    headers: Vec::new(),
                });
            }
            "header" => {
                let (name, value) = rest.split_once(' ').unwrap_or((rest, ""));
                let r = ex.responses.last_mut().expect("a header after a response");
                r.headers.push((name.into(), value.into()));
            }
            "closed" => ex.closed = true,
            "error" => ex.error = Some(rest.into()),
            _ => panic!("h11_read.py said {line:?}"),
        }
    }
    ex
}

/// A case's own check: its answers, and a plain `GET /`'s answer.
type Check = fn(&[Response], &Response) -> Result<(), String>;

/// What a case sends, and what a conforming server must do.
struct Case {
    name: &'static str,
    send: Vec<u8>,
    /// Shut our sending side after the request (a half-close).
    half_close: bool,
    /// The request method of each expected answer, for h11.
    methods: Vec<&'static str>,
    /// The status of each answer, in order.
    statuses: Vec<u16>,
    /// Must the server close the connection after these answers?
    closes: bool,
    /// More to check, against the answers and a plain `GET /`'s answer.
    check: Option<Check>,
}

fn case(name: &'static str, send: impl AsRef<[u8]>, statuses: &[u16], closes: bool) -> Case {
    Case {
        name,
        send: send.as_ref().to_vec(),
        half_close: false,
        methods: vec!["GET"; statuses.len()],
        statuses: statuses.to_vec(),
        closes,
        check: None,
    }
}

const GET: &str = "GET / HTTP/1.1\r\nHost: test\r\n\r\n";

/// The cases, for a server that keeps connections alive or one that
/// answers every request with `Connection: close`.
fn cases(keeps_alive: bool) -> Vec<Case> {
    let ka = keeps_alive;
    let mut head = case(
        "HEAD: the GET's head, no body",
        "HEAD / HTTP/1.1\r\nHost: test\r\n\r\n",
        &[200],
        !ka,
    );
    head.methods = vec!["HEAD"];
    head.check = Some(|r, get| {
        let same = |n: &str| r[0].one(n) == get.one(n);
        if r[0].body_len != 0 || !same("content-length") || !same("content-type") {
            return Err(format!("HEAD {:?} vs GET {:?}", r[0], get));
        }
        Ok(())
    });
    let mut post = case(
        "POST: 405 with Allow",
        "POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n",
        &[405],
        true,
    );
    post.check = Some(|r, _| match r[0].one("allow") {
        Some("GET, HEAD") => Ok(()),
        other => Err(format!("Allow: {other:?}")),
    });
    let mut half = case("half-close after a whole request", GET, &[200], true);
    half.half_close = true;
    // Pipelined: three requests in one write, answered in order by a
    // keep-alive server; a closing one answers the first and closes
    // without resetting the connection (the others are still unread).
    let pipelined = format!(
        "{GET}HEAD / HTTP/1.1\r\nHost: test\r\n\r\nGET /missing HTTP/1.1\r\nHost: test\r\n\r\n"
    );
    let mut pipe = if ka {
        case(
            "pipelining: three requests, three answers in order",
            &pipelined,
            &[200, 200, 404],
            false,
        )
    } else {
        case(
            "pipelining: the first answered, then a clean close",
            &pipelined,
            &[200],
            true,
        )
    };
    pipe.methods = vec!["GET", "HEAD", "GET"][..pipe.statuses.len()].to_vec();
    let big_body = {
        let mut r = b"POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 262144\r\n\r\n".to_vec();
        r.resize(r.len() + 262144, b'x');
        r
    };
    let oversized = {
        let mut r = b"GET / HTTP/1.1\r\nHost: test\r\nX-Big: ".to_vec();
        r.resize(64 * 1024, b'a');
        r.extend_from_slice(b"\r\n\r\n");
        r
    };
    vec![
        case("GET /", GET, &[200], !ka),
        head,
        case(
            "GET /missing: 404",
            "GET /missing HTTP/1.1\r\nHost: test\r\n\r\n",
            &[404],
            !ka,
        ),
        case(
            "query ignored",
            "GET /?q=1 HTTP/1.1\r\nHost: test\r\n\r\n",
            &[200],
            !ka,
        ),
        // RFC 9112 §3.2
        case(
            "HTTP/1.1 without Host: 400",
            "GET / HTTP/1.1\r\n\r\n",
            &[400],
            true,
        ),
        case(
            "two Host fields: 400",
            "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            &[400],
            true,
        ),
        case(
            "an invalid Host: 400",
            "GET / HTTP/1.1\r\nHost: a b/c\r\n\r\n",
            &[400],
            true,
        ),
        // RFC 9112 §3.2.2
        case(
            "absolute-form target",
            "GET http://test/ HTTP/1.1\r\nHost: test\r\n\r\n",
            &[200],
            !ka,
        ),
        // HTTP/1.0: no Host needed; closes unless it asks for keep-alive.
        case(
            "HTTP/1.0: closes by default",
            "GET / HTTP/1.0\r\n\r\n",
            &[200],
            true,
        ),
        case(
            "HTTP/1.0 with keep-alive",
            "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
            &[200],
            !ka,
        ),
        // RFC 9110 §7.6.1
        case(
            "Connection: close, TE",
            "GET / HTTP/1.1\r\nHost: test\r\nConnection: close, TE\r\nTE: trailers\r\n\r\n",
            &[200],
            true,
        ),
        case(
            "Connection: TE, then Connection: CLOSE",
            "GET / HTTP/1.1\r\nHost: test\r\nConnection: TE\r\nConnection: CLOSE\r\nTE: trailers\r\n\r\n",
            &[200],
            true,
        ),
        // RFC 9112 §6.3
        case(
            "Content-Length: abc: 400",
            "GET / HTTP/1.1\r\nHost: test\r\nContent-Length: abc\r\n\r\n",
            &[400],
            true,
        ),
        case(
            "Content-Length: -1: 400",
            "GET / HTTP/1.1\r\nHost: test\r\nContent-Length: -1\r\n\r\n",
            &[400],
            true,
        ),
        case(
            "two different Content-Lengths: 400",
            "GET / HTTP/1.1\r\nHost: test\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
            &[400],
            true,
        ),
        case(
            "a body: answered, then a clean close",
            "GET / HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\nhello",
            &[200],
            true,
        ),
        case(
            "a 256 KiB body nobody reads: no reset",
            big_body,
            &[405],
            true,
        ),
        // RFC 9112 §6.1, §6.3: one answer, and the chunked body (which
        // holds a request of its own) is never taken for a request.
        case(
            "Transfer-Encoding: chunked: 501",
            "GET / HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: test\r\n\r\n",
            &[501],
            true,
        ),
        case(
            "chunked and Content-Length: 501",
            "POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            &[501],
            true,
        ),
        case(
            "Transfer-Encoding: gzip: 400",
            "POST / HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: gzip\r\n\r\nxyz",
            &[400],
            true,
        ),
        // RFC 9110 §9.1, §15.5.6, §15.6.2
        post,
        case(
            "unknown method BREW: 501",
            "BREW / HTTP/1.1\r\nHost: test\r\n\r\n",
            &[501],
            true,
        ),
        case(
            "methods are case-sensitive: get is unknown",
            "get / HTTP/1.1\r\nHost: test\r\n\r\n",
            &[501],
            true,
        ),
        case(
            "OPTIONS *: 405",
            "OPTIONS * HTTP/1.1\r\nHost: test\r\n\r\n",
            &[405],
            true,
        ),
        half,
        pipe,
        case(
            "Connection: close, then a pipelined request",
            format!("GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n{GET}"),
            &[200],
            true,
        ),
        case("a 64 KiB head: 431, no reset", oversized, &[431], true),
        case(
            "garbage: 400",
            b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03garbage\r\n\r\n",
            &[400],
            true,
        ),
        case("not HTTP: 400", "HELLO\r\n\r\n", &[400], true),
    ]
}

/// Sends a case's bytes and reads until the server closes, or (for a case
/// whose connection stays open) until its answers are in and it has been
/// quiet for `QUIET`.
fn exchange(addr: SocketAddr, c: &Case) -> Exchange {
    let mut s = TcpStream::connect_timeout(&addr, PATIENCE).unwrap();
    s.set_write_timeout(Some(PATIENCE)).unwrap();
    // A server that closes early makes this write fail; what it answered
    // is still read below.
    let _ = s.write_all(&c.send);
    if c.half_close {
        s.shutdown(Shutdown::Write).unwrap();
    }
    let start = Instant::now();
    let mut got = Vec::new();
    let mut chunk = [0u8; 16384];
    let (mut eof, mut reset) = (false, false);
    loop {
        let heads = got.windows(4).filter(|w| w == b"\r\n\r\n").count();
        let enough = !c.closes && heads >= c.statuses.len();
        let wait = if enough {
            QUIET
        } else {
            PATIENCE.saturating_sub(start.elapsed())
        };
        if wait.is_zero() {
            break;
        }
        s.set_read_timeout(Some(wait)).unwrap();
        match s.read(&mut chunk) {
            Ok(0) => {
                eof = true;
                break;
            }
            Ok(n) => got.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                reset = true;
                break;
            }
            Err(_) => break, // quiet for `wait`
        }
    }
    let mut ex = h11_read(&got, &c.methods, eof);
    ex.reset = reset;
    ex
}

/// A `Date` that RFC 9110 §5.6.7 allows a sender to generate (IMF-fixdate,
/// which formats back to itself), close to now.
fn check_date(r: &Response) -> Result<(), String> {
    let date = r
        .one("date")
        .ok_or(format!("not one Date: {:?}", r.all("date")))?;
    let when = httpdate::parse_http_date(date).map_err(|e| format!("Date {date:?}: {e}"))?;
    if httpdate::fmt_http_date(when) != date {
        return Err(format!("Date {date:?} is not IMF-fixdate"));
    }
    let skew = SystemTime::now()
        .duration_since(when)
        .unwrap_or_else(|e| e.duration());
    if skew > Duration::from_secs(10) {
        return Err(format!("Date {date:?} is {skew:?} off"));
    }
    Ok(())
}

/// Every way the exchange breaks the case's rules (empty: it conforms).
fn judge(c: &Case, ex: &Exchange, get: Option<&Response>) -> Vec<String> {
    let mut wrong = Vec::new();
    if let Some(e) = &ex.error {
        wrong.push(format!("h11: {e}"));
    }
    if ex.reset {
        wrong.push("the connection was reset".into());
    }
    let statuses: Vec<u16> = ex.responses.iter().map(|r| r.status).collect();
    if statuses != c.statuses {
        wrong.push(format!("statuses {statuses:?}, expected {:?}", c.statuses));
    }
    for r in &ex.responses {
        wrong.extend(check_date(r).err());
        if r.version != "1.1" || r.one("content-length").is_none() {
            wrong.push(format!(
                "not an HTTP/1.1 answer with one Content-Length: {r:?}"
            ));
        }
    }
    let announced_close = ex.responses.last().is_some_and(|r| r.must_close);
    if c.closes {
        // After a half-close, the answer may have promised keep-alive
        // before the server saw the end of input; it must close anyway.
        if !((announced_close || c.half_close) && ex.closed) {
            wrong.push(format!(
                "must announce the close and close (said close: {announced_close}, closed: {})",
                ex.closed
            ));
        }
    } else if ex.closed || ex.responses.iter().any(|r| r.must_close) {
        wrong.push(format!(
            "must keep the connection open (closed: {})",
            ex.closed
        ));
    }
    if let (Some(check), Some(get), false) = (c.check, get, ex.responses.is_empty()) {
        wrong.extend(check(&ex.responses, get).err());
    }
    wrong
}

/// Runs every case against `name` and fails with the list of those that
/// did not conform.
fn conforms(name: &str, keeps_alive: bool) {
    let server = servers::start(name, &["--idle-timeout-ms", IDLE_TIMEOUT_MS]);
    let cases = cases(keeps_alive);
    let mut get = None;
    let mut failed = Vec::new();
    for c in &cases {
        let mut ex = exchange(server.addr, c);
        let wrong = judge(c, &ex, get.as_ref());
        if !wrong.is_empty() {
            failed.push(format!("  {}: {}", c.name, wrong.join("; ")));
        }
        if get.is_none() && c.name == "GET /" && !ex.responses.is_empty() {
            get = Some(ex.responses.remove(0));
        }
    }
    println!("{name}: {} conformance cases", cases.len());
    assert!(
        failed.is_empty(),
        "{name} failed {} of {} cases:\n{}",
        failed.len(),
        cases.len(),
        failed.join("\n")
    );
}

#[test]
fn sync_server_conforms() {
    conforms("sync_server", false);
}

#[test]
fn threaded_server_conforms() {
    conforms("threaded_server", true);
}

#[test]
fn pool_server_conforms() {
    conforms("pool_server", false);
}

#[test]
fn event_loop_conforms() {
    conforms("event_loop", false);
}

#[test]
fn async_server_conforms() {
    conforms("async_server", true);
}

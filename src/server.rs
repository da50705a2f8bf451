//! What every server of Part II shares outside HTTP: its command line, the
//! open-file limit, and which accept errors to ride out. One place, so that
//! `sync_server`, `threaded_server`, `pool_server`, `event_loop` and
//! `async_server` take the same flags and fail the same way on bad ones.
//!
//! ```text
//! (no flag)            serve on 127.0.0.1:8080 until Ctrl-C
//! --addr HOST:PORT     serve there instead (port 0: any free port)
//! --demo               start on a free loopback port, drive it with clients, print what happened, exit
//! ```

use anyhow::Context;
use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// The address a server serves on when given no flag.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// The options a server may accept besides `--addr` and `--demo`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Opt {
    /// `--wait-ms N`: simulated backend I/O per request (default 0).
    WaitMs,
    /// `--idle-timeout-ms N`: time for each whole request head, and for an
    /// idle keep-alive connection to send its next one.
    IdleTimeoutMs,
    /// `--max-connections N`: connections served at once.
    MaxConnections,
    /// `--workers N`: threads in a pool.
    Workers,
    /// `--queue N`: connections waiting for a worker.
    Queue,
}

impl Opt {
    fn flag(self) -> &'static str {
        match self {
            Opt::WaitMs => "--wait-ms",
            Opt::IdleTimeoutMs => "--idle-timeout-ms",
            Opt::MaxConnections => "--max-connections",
            Opt::Workers => "--workers",
            Opt::Queue => "--queue",
        }
    }
}

/// A server's parsed command line.
#[derive(Clone, Debug)]
pub struct Args {
    /// `None` in `--demo` mode: the demo binds a free port itself.
    pub addr: Option<SocketAddr>,
    pub demo: bool,
    pub wait: Duration,
    pub idle_timeout: Duration,
    pub max_connections: usize,
    pub workers: usize,
    pub queue: usize,
}

impl Default for Args {
    fn default() -> Self {
        Self {
            addr: Some(DEFAULT_ADDR.parse().expect("a valid address")),
            demo: false,
            wait: Duration::ZERO,
            idle_timeout: Duration::from_secs(10),
            max_connections: 2048,
            workers: 4,
            queue: 64,
        }
    }
}

/// Parses the process's arguments, or prints why not and exits with 2.
pub fn args(program: &str, accepted: &[Opt]) -> Args {
    match parse(std::env::args().skip(1), accepted) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{program}: {message}");
            eprintln!("{}", usage(program, accepted));
            std::process::exit(2);
        }
    }
}

fn usage(program: &str, accepted: &[Opt]) -> String {
    let mut u = format!("usage: {program} [--addr HOST:PORT | --demo]");
    for opt in accepted {
        u += &format!(" [{} N]", opt.flag());
    }
    u
}

/// Parses arguments (without the program name).
pub fn parse(args: impl IntoIterator<Item = String>, accepted: &[Opt]) -> Result<Args, String> {
    let mut out = Args::default();
    let mut args = args.into_iter();
    let mut addr_given = false;
    while let Some(arg) = args.next() {
        if arg == "--demo" {
            out.demo = true;
            continue;
        }
        let mut value = |flag: &str| args.next().ok_or(format!("{flag} needs a value"));
        if arg == "--addr" {
            let v = value("--addr")?;
            out.addr = Some(v.parse().map_err(|_| {
                format!("--addr wants HOST:PORT such as 127.0.0.1:8080, not {v:?}")
            })?);
            addr_given = true;
            continue;
        }
        let Some(&opt) = accepted.iter().find(|o| o.flag() == arg) else {
            return Err(format!("unknown argument {arg:?}"));
        };
        let v = value(opt.flag())?;
        let n: u64 = v
            .parse()
            .map_err(|_| format!("{} wants a whole number, not {v:?}", opt.flag()))?;
        let positive = |n: u64| {
            if n == 0 {
                Err(format!("{} must be at least 1", opt.flag()))
            } else {
                Ok(n as usize)
            }
        };
        match opt {
            Opt::WaitMs => out.wait = Duration::from_millis(n),
            Opt::IdleTimeoutMs => out.idle_timeout = Duration::from_millis(positive(n)? as u64),
            Opt::MaxConnections => out.max_connections = positive(n)?,
            Opt::Workers => out.workers = positive(n)?,
            Opt::Queue => out.queue = positive(n)?,
        }
    }
    if out.demo {
        if addr_given {
            return Err("--demo picks its own port; leave out --addr".into());
        }
        out.addr = None;
    }
    Ok(out)
}

/// Raises this process's soft limit on open files to its hard limit, and
/// returns the limit now in force. Every connection is a file descriptor,
/// and many systems start programs with a soft limit of 1024.
pub fn raise_open_file_limit() -> u64 {
    #[cfg(unix)]
    {
        if let Ok((soft, hard)) = rlimit::Resource::NOFILE.get() {
            if soft < hard && rlimit::Resource::NOFILE.set(hard, hard).is_ok() {
                return hard;
            }
            return soft;
        }
    }
    0
}

/// Errors from `accept` that concern one connection or a passing shortage
/// (out of file descriptors, the client gave up before we accepted it).
/// A server waits a moment and keeps accepting; only other errors are fatal.
pub fn accept_error_is_transient(e: &io::Error) -> bool {
    // EMFILE, ENFILE ("too many open files"), ENOBUFS, ENOMEM.
    const RESOURCE: [i32; 4] = [24, 23, 105, 12];
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
            | io::ErrorKind::WouldBlock
    ) || e.raw_os_error().is_some_and(|c| RESOURCE.contains(&c))
}

/// How long to pause after a transient accept error: long enough for
/// connections to close and free their descriptors.
pub const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// The start of every blocking server's serve mode: bind `addr`, print the
/// address actually bound (the port may have been 0) with `how` it serves,
/// and arrange for Ctrl-C to stop the accept loop gracefully.
pub fn listen_blocking(
    name: &str,
    addr: SocketAddr,
    how: &str,
) -> anyhow::Result<(TcpListener, Stop)> {
    let listener = TcpListener::bind(addr).with_context(|| format!("cannot listen on {addr}"))?;
    let bound = listener.local_addr()?;
    println!("{name}: serving http://{bound}/ {how}; Ctrl-C stops");
    let stop = Stop::new(bound);
    stop.on_ctrl_c()?;
    Ok((listener, stop))
}

/// The start of every blocking server's `--demo`: a listener on a free
/// loopback port, its address, and the handle that stops its accept loop.
pub fn bind_demo() -> io::Result<(TcpListener, SocketAddr, Stop)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    Ok((listener, addr, Stop::new(addr)))
}

/// Stops a blocking accept loop: sets a flag, then connects to the
/// listener once so that the `accept` blocked in the loop returns and the
/// loop sees the flag. (A blocking `accept` cannot be interrupted otherwise.)
#[derive(Clone, Debug)]
pub struct Stop {
    flag: Arc<AtomicBool>,
    addr: SocketAddr,
}

impl Stop {
    pub fn new(addr: SocketAddr) -> Self {
        Self {
            flag: Arc::new(AtomicBool::new(false)),
            addr,
        }
    }

    /// Stops the loop when the user presses Ctrl-C (SIGINT).
    pub fn on_ctrl_c(&self) -> anyhow::Result<()> {
        let stop = self.clone();
        ctrlc::set_handler(move || stop.stop())?;
        Ok(())
    }

    pub fn stop(&self) {
        // The flag publishes nothing but itself, and it is stored once per
        // run, so the ordering costs nothing measurable. What matters is
        // that the accept loop, woken by the connection below, reads `true`:
        // the store comes first in this thread, and the connect is a system
        // call (a full barrier on the platforms the course runs on, although
        // Rust's memory model does not speak of system calls).
        self.flag.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
    }

    pub fn is_stopped(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(a: &[&str], accepted: &[Opt]) -> Result<Args, String> {
        parse(a.iter().map(|s| s.to_string()), accepted)
    }

    #[test]
    fn parses_flags() {
        let a = p(&[], &[]).unwrap();
        assert_eq!(a.addr, Some(DEFAULT_ADDR.parse().unwrap()));
        let a = p(&["--demo", "--wait-ms", "20"], &[Opt::WaitMs]).unwrap();
        assert!(a.demo && a.addr.is_none());
        assert_eq!(a.wait, Duration::from_millis(20));
        assert!(p(&["--wait-ms", "20"], &[]).is_err());
        assert!(p(&["--addr", "nowhere"], &[]).is_err());
        assert!(p(&["--addr"], &[]).is_err());
        assert!(p(&["--workers", "0"], &[Opt::Workers]).is_err());
        assert!(p(&["--demo", "--addr", "127.0.0.1:1"], &[]).is_err());
    }
}

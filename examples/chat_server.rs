//! Capstone: a line-based chat server that works with `nc` or `telnet`.
//!
//! Serve it in one terminal, then connect from two or more others:
//!
//!     cargo run --release --example chat_server
//!     nc 127.0.0.1 8081
//!
//! Type your name, then chat. `/who` lists who is here, `/quit` leaves.
//! Ctrl-C stops the server gracefully: it stops accepting, tells every
//! client it is shutting down, and exits. `--addr HOST:PORT` serves
//! elsewhere; `--max-clients N` sets the connection limit (default
//! 512), and `--max-per-peer N` how many of them one IP address may hold
//! (default a quarter); `--demo` starts the server on a free port, plays a scripted
//! conversation among several clients of its own and prints the transcript.
//!
//! The default port is 8081, not the course's HTTP port 8080: this is not
//! HTTP, and you may want an HTTP server from Part II running at the same time.
//!
//! The design in one paragraph: one task per connection; a shared map from
//! name to that client's *bounded* outbound queue; a message is copied into
//! every other client's queue with `try_send`, which never waits. A client
//! whose queue is full has stopped reading (or reads more slowly than the
//! room talks): it is disconnected with a notice, and nobody else waits for
//! it. Memory per client is bounded by the queue, the line limit and the
//! kernel's socket buffers; the number of clients, by a connection limit.

use anyhow::{Context, Result, bail};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::{Semaphore, mpsc, oneshot, watch};
use tokio::task::JoinSet;
use tokio::time::timeout;

// ANCHOR: limits
/// The longest line a client may send, in bytes, newline included. A longer
/// line ends the connection: we never buffer an unbounded line.
const MAX_LINE: usize = 1024;
/// Lines waiting to be written to one client. When it is full, that client
/// is too slow for the room and is disconnected.
const QUEUE: usize = 128;
/// The send buffer the server asks for (`SO_SNDBUF`) on each client's
/// socket. Linux otherwise grows it on its own (to megabytes) for a client
/// that does not read, which hides a slow reader for a long time and costs
/// memory per client. Linux doubles the value set, to leave room for its
/// own bookkeeping (socket(7)), so the kernel keeps about 64 KiB: the
/// program prints the value it reads back.
const SEND_BUFFER: u32 = 32 * 1024;
/// How long a client has to type its name. Until then it holds one of the
/// `max_clients` slots: the limit, not this timeout, bounds how many
/// unnamed connections there can be at once.
const NAME_TIMEOUT: Duration = Duration::from_secs(60);
/// Clients connected at once, named or not, unless `--max-clients` says
/// otherwise. Each costs a file descriptor, a task and its buffers; the
/// limit keeps the total bounded (and below the usual 1024 descriptors).
/// One IP address may hold a quarter of them (`--max-per-peer`), so one
/// client cannot take every place (`course::peers`, chapter 19).
const MAX_CLIENTS: usize = 512;
/// How long we try to deliver a last notice (kicked, shutting down) to a
/// client that may not be reading at all.
const LAST_WORDS: Duration = Duration::from_secs(1);
// ANCHOR_END: limits

/// Lines are shared, not copied, between the queues of every recipient.
type Line = Arc<str>;

// ANCHOR: hub
/// Who is in the room: each name with the sending end of that client's
/// outbound queue, and a way to tell its connection task it was kicked.
///
/// A std `Mutex`, not tokio's: it is held only for a few non-async
/// operations (`try_send` never waits) and never across an `.await`. tokio's
/// `Mutex` is for when you must hold the lock across an `.await`.
#[derive(Clone, Default)]
struct Hub {
    members: Arc<Mutex<HashMap<String, Member>>>,
}

struct Member {
    queue: mpsc::Sender<Line>,
    kick: oneshot::Sender<()>,
}

/// What a session gets when its name is accepted.
struct Joined {
    name: String,
    /// Its own queue's sending end, for replies to its own commands.
    me: mpsc::Sender<Line>,
    queue: mpsc::Receiver<Line>,
    kicked: oneshot::Receiver<()>,
}

impl Hub {
    /// Adds `name`, unless it is taken. Returns both ends of the new
    /// member's queue, and a signal that fires if the member is kicked.
    fn join(&self, name: &str) -> Option<Joined> {
        let mut members = self.members.lock().unwrap();
        if members.contains_key(name) {
            return None;
        }
        let (queue, rx) = mpsc::channel(QUEUE);
        let (kick, kicked) = oneshot::channel();
        let me = queue.clone();
        members.insert(name.to_string(), Member { queue, kick });
        Some(Joined {
            name: name.to_string(),
            me,
            queue: rx,
            kicked,
        })
    }

    /// Removes `name`, if the entry is still this session's: a kicked
    /// member's name is free at once, and a newcomer may already have it.
    fn leave(&self, name: &str, me: &mpsc::Sender<Line>) {
        let mut members = self.members.lock().unwrap();
        if members.get(name).is_some_and(|m| m.queue.same_channel(me)) {
            members.remove(name);
        }
    }

    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.members.lock().unwrap().keys().cloned().collect();
        names.sort();
        names
    }

    /// Queues `line` for everyone except `from`. Never waits: a member whose
    /// queue is full is removed and kicked, so one slow reader cannot stall
    /// the sender or anyone else.
    fn broadcast(&self, from: Option<&str>, line: &str) {
        let line: Line = line.into();
        let mut members = self.members.lock().unwrap();
        let mut too_slow = Vec::new();
        for (name, member) in members.iter() {
            if Some(name.as_str()) == from {
                continue;
            }
            match member.queue.try_send(line.clone()) {
                Ok(()) => {}
                // The line is dropped for this member, and so is the member.
                Err(mpsc::error::TrySendError::Full(_)) => too_slow.push(name.clone()),
                // Its connection task is already on its way out.
                Err(mpsc::error::TrySendError::Closed(_)) => {}
            }
        }
        for name in too_slow {
            if let Some(member) = members.remove(&name) {
                let _ = member.kick.send(());
            }
        }
    }
}
// ANCHOR_END: hub

/// Why a client's session ended: what it is told, and what the room is told.
#[derive(Clone, Copy, Debug, PartialEq)]
enum End {
    Quit,
    Disconnected,
    LineTooLong,
    TooSlow,
    Shutdown,
}

impl End {
    /// The last line the client itself gets, if any.
    fn notice(self) -> Option<String> {
        match self {
            End::Quit => Some("*** bye".into()),
            End::Disconnected => None,
            End::LineTooLong => Some(format!(
                "*** line longer than {MAX_LINE} bytes; disconnecting"
            )),
            // It starts on a fresh line: the kick may have cut a line short.
            End::TooSlow => Some(format!(
                "\n*** you fell {QUEUE} lines behind; disconnected as too slow"
            )),
            End::Shutdown => Some("*** server shutting down, bye".into()),
        }
    }

    /// What the others are told.
    fn reason(self) -> &'static str {
        match self {
            End::Quit => "quit",
            End::Disconnected => "connection closed",
            End::LineTooLong => "line too long",
            End::TooSlow => "too slow to read, disconnected",
            End::Shutdown => "server shutting down",
        }
    }
}

/// One line from the client, bounded in length.
enum Input {
    Line(Vec<u8>),
    TooLong,
    Eof,
}

// ANCHOR: read_line
/// Reads one line without ever buffering more than `MAX_LINE` bytes:
/// `take` stops the read there, whatever the client sends.
async fn read_line(reader: &mut BufReader<OwnedReadHalf>) -> std::io::Result<Input> {
    let mut buf = Vec::new();
    let n = (&mut *reader)
        .take(MAX_LINE as u64)
        .read_until(b'\n', &mut buf)
        .await?;
    if n == 0 {
        return Ok(Input::Eof);
    }
    if buf.last() != Some(&b'\n') {
        // Either the limit was hit, or the client closed mid-line.
        return Ok(if n == MAX_LINE {
            Input::TooLong
        } else {
            Input::Eof
        });
    }
    buf.pop();
    if buf.last() == Some(&b'\r') {
        buf.pop(); // telnet ends lines with \r\n
    }
    Ok(Input::Line(buf))
}
// ANCHOR_END: read_line

// ANCHOR: session
/// One client, from its first byte to its last. Everything about the
/// connection lives in this one task, so it ends in one place.
async fn client(stream: TcpStream, hub: Hub, mut shutdown: watch::Receiver<bool>) -> Result<()> {
    let (reader, mut writer) = stream.into_split();
    let mut reader = BufReader::new(reader);
    writer
        .write_all(b"*** welcome! what is your name?\n")
        .await?;

    let joined = tokio::select! {
        joined = timeout(NAME_TIMEOUT, ask_name(&mut reader, &mut writer, &hub)) => match joined {
            Ok(Some(joined)) => joined,
            _ => return Ok(()), // gone, or silent for too long
        },
        _ = stopping(&mut shutdown) => {
            let notice = End::Shutdown.notice().unwrap_or_default() + "\n";
            let _ = timeout(LAST_WORDS, say(&mut writer, &notice)).await;
            return Ok(());
        }
    };
    let Joined {
        name,
        me,
        mut queue,
        kicked,
    } = joined;
    // The session's own replies (/who, errors) go through its own queue, in
    // order with everything else it receives.
    let here = hub.names().join(", ");
    let _ = me.try_send(format!("*** hello {name}! here: {here}. /who lists, /quit leaves").into());
    hub.broadcast(Some(&name), &format!("*** {name} joined"));

    // Reading and writing run at once, in this task. Whichever way the
    // session ends first wins; the others are dropped (cancelled) here.
    let end = tokio::select! {
        end = read_loop(&mut reader, &hub, &name, &me) => end,
        end = write_loop(&mut writer, &mut queue) => end,
        _ = kicked => End::TooSlow,
        _ = stopping(&mut shutdown) => End::Shutdown,
    };

    hub.leave(&name, &me);
    if end != End::Shutdown {
        hub.broadcast(Some(&name), &format!("*** {name} left ({})", end.reason()));
    }
    // Last words, bounded in time: a client that reads nothing cannot hold
    // this task (or the shutdown) for longer than LAST_WORDS. A client that
    // quit, or is being shut down, first gets what was already queued for
    // it; a slow one gets only the notice.
    let mut last = String::new();
    if matches!(end, End::Quit | End::Shutdown) {
        while let Ok(line) = queue.try_recv() {
            last += &format!("{line}\n");
        }
    }
    if let Some(notice) = end.notice() {
        last += &format!("{notice}\n");
    }
    let _ = timeout(LAST_WORDS, say(&mut writer, &last)).await;
    // Then a "lingering close": discard what the client is still sending
    // until it closes too (or LAST_WORDS pass). Closing a socket with unread
    // input makes the kernel send a reset, and a reset can destroy the
    // notice before the client reads it.
    let _ = timeout(
        LAST_WORDS,
        tokio::io::copy(&mut reader, &mut tokio::io::sink()),
    )
    .await;
    Ok(())
}
// ANCHOR_END: session

/// Resolves once shutdown is signalled. `wait_for` returns a borrow of the
/// watched value (a lock guard, which is not `Send`); dropping it here, rather
/// than holding it in the caller across `.await`s, keeps the session's future
/// `Send`, as `spawn` requires. The compiler insists, as chapter 18 shows.
async fn stopping(shutdown: &mut watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|&stop| stop).await;
}

async fn say(writer: &mut OwnedWriteHalf, last: &str) -> std::io::Result<()> {
    writer.write_all(last.as_bytes()).await?;
    writer.shutdown().await
}

/// Asks until the client gives a free, well-formed name, and joins it to
/// the room. `None`: the client left.
async fn ask_name(
    reader: &mut BufReader<OwnedReadHalf>,
    writer: &mut OwnedWriteHalf,
    hub: &Hub,
) -> Option<Joined> {
    loop {
        let Ok(Input::Line(bytes)) = read_line(reader).await else {
            return None;
        };
        let name = String::from_utf8_lossy(&bytes).trim().to_string();
        let problem = if name.is_empty()
            || name.len() > 20
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            "a name is 1 to 20 letters, digits, _ or -"
        } else if let Some(joined) = hub.join(&name) {
            return Some(joined);
        } else {
            "that name is taken"
        };
        let reply = format!("*** {problem}; what is your name?\n");
        writer.write_all(reply.as_bytes()).await.ok()?;
    }
}

// ANCHOR: read_loop
async fn read_loop(
    reader: &mut BufReader<OwnedReadHalf>,
    hub: &Hub,
    name: &str,
    me: &mpsc::Sender<Line>,
) -> End {
    loop {
        let bytes = match read_line(reader).await {
            Ok(Input::Line(bytes)) => bytes,
            Ok(Input::TooLong) => return End::LineTooLong,
            Ok(Input::Eof) | Err(_) => return End::Disconnected,
        };
        // Bad bytes are the client's problem, not the server's: say so and
        // carry on. (`from_utf8_lossy` would also do, replacing them with �.)
        let Ok(text) = std::str::from_utf8(&bytes) else {
            let _ = me.try_send("*** that line was not valid UTF-8; not sent".into());
            continue;
        };
        match text.trim() {
            "" => {}
            "/quit" => return End::Quit,
            "/who" => {
                let _ = me.try_send(format!("*** here: {}", hub.names().join(", ")).into());
            }
            cmd if cmd.starts_with('/') => {
                let _ = me.try_send(format!("*** unknown command {cmd}; try /who or /quit").into());
            }
            _ => hub.broadcast(Some(name), &format!("{name}: {text}")),
        }
    }
}
// ANCHOR_END: read_loop

// ANCHOR: write_loop
/// Drains the client's queue into its socket. This is the only place that
/// waits on a slow client, and only this client's session waits here.
async fn write_loop(writer: &mut OwnedWriteHalf, queue: &mut mpsc::Receiver<Line>) -> End {
    let mut lines = Vec::new();
    let mut bytes = Vec::new();
    loop {
        // Take everything already queued (up to 64 lines) in one write.
        if queue.recv_many(&mut lines, 64).await == 0 {
            return End::Disconnected;
        }
        bytes.clear();
        for line in lines.drain(..) {
            bytes.extend_from_slice(line.as_bytes());
            bytes.push(b'\n');
        }
        if writer.write_all(&bytes).await.is_err() {
            return End::Disconnected;
        }
    }
}
// ANCHOR_END: write_loop

/// Binds `addr` with a fixed send buffer, which accepted sockets inherit.
/// Returns the listener and the send buffer the kernel actually keeps.
fn listen(addr: SocketAddr) -> Result<(TcpListener, u32)> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.set_send_buffer_size(SEND_BUFFER)?;
    // getsockopt(SO_SNDBUF): on Linux, twice what was set.
    let kept = socket.send_buffer_size()?;
    socket
        .bind(addr)
        .with_context(|| format!("binding {addr}"))?;
    Ok((socket.listen(1024)?, kept))
}

// ANCHOR: serve
/// Accepts clients until `shutdown` turns true, then waits for every session
/// to say its last words and end.
async fn serve(
    listener: TcpListener,
    limits: Limits,
    mut shutdown: watch::Receiver<bool>,
) -> Result<()> {
    let Limits {
        max_clients,
        max_per_peer,
    } = limits;
    let hub = Hub::default();
    let mut sessions = JoinSet::new();
    // A permit per connected client, named or not, held by its session task
    // until the task ends. `try_acquire`, not `acquire`: a full server
    // answers the newcomer at once instead of leaving it waiting unanswered.
    let slots = Arc::new(Semaphore::new(max_clients));
    let peers = course::peers::Peers::new(max_per_peer);
    // Turned-away clients being told so, at most MAX_REFUSING at once, each
    // for at most twice LAST_WORDS; past that, closed without a word.
    let rejecting = Arc::new(Semaphore::new(course::peers::MAX_REFUSING));
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    // A place under the limit, then a place in the peer's share.
                    let admitted = match slots.clone().try_acquire_owned() {
                        Err(_) => Err(format!("server full ({max_clients} clients)")),
                        Ok(slot) => match peers.admit(peer.ip()) {
                            Some(share) => Ok((slot, share)),
                            None => Err(format!(
                                "too many connections from your address ({max_per_peer})"
                            )),
                        },
                    };
                    match admitted {
                        Ok(held) => {
                            let session = client(stream, hub.clone(), shutdown.clone());
                            sessions.spawn(async move {
                                let ended = session.await;
                                drop(held); // the places are free once the session ends
                                ended
                            });
                        }
                        Err(why) => {
                            if let Ok(turn) = rejecting.clone().try_acquire_owned() {
                                sessions.spawn(async move {
                                    turn_away(stream, &why).await;
                                    drop(turn);
                                    Ok(())
                                });
                            } // else: dropped here, closed without a word
                        }
                    }
                }
                // Out of file descriptors, or a connection reset before we
                // took it: not a reason to stop serving everyone else.
                Err(e) => {
                    eprintln!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
            // Reap finished sessions as we go, so the set stays small.
            Some(_) = sessions.join_next(), if !sessions.is_empty() => {}
            _ = stopping(&mut shutdown) => break,
        }
    }
    drop(listener); // stop accepting: new connections are refused from here
    // Every session sees the same signal and ends within LAST_WORDS.
    while sessions.join_next().await.is_some() {}
    Ok(())
}

/// The answer to a client over the limit: one line, then a graceful close.
/// `say` shuts down our side after writing; the lingering read that
/// follows keeps the kernel from answering the client's unread input with
/// a reset, which could destroy the line before the client reads it.
async fn turn_away(stream: TcpStream, why: &str) {
    let (mut reader, mut writer) = stream.into_split();
    let line = format!("*** {why}; try again later\n");
    if timeout(LAST_WORDS, say(&mut writer, &line)).await.is_ok() {
        let _ = timeout(
            LAST_WORDS,
            tokio::io::copy(&mut reader, &mut tokio::io::sink()),
        )
        .await;
    }
}
// ANCHOR_END: serve

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = match parse_args(&args) {
        Ok(mode) => mode,
        Err(e) => {
            eprintln!("chat_server: {e}");
            eprintln!(
                "usage: chat_server [--addr HOST:PORT] [--max-clients N] [--max-per-peer N] | --demo"
            );
            std::process::exit(2);
        }
    };
    match mode {
        Mode::Serve { addr, limits } => {
            let (listener, kept) = listen(addr)?;
            // Installed before the address is printed: a Ctrl-C that comes
            // right after it is handled, never the default "die at once".
            let ctrl_c = ctrl_c()?;
            let local = listener.local_addr()?;
            println!(
                "chat on {local}: connect with `nc {} {}`",
                local.ip(),
                local.port()
            );
            println!("{}", limits_line(limits, kept));
            let (stop, shutdown) = watch::channel(false);
            tokio::spawn(async move {
                ctrl_c.await;
                println!("Ctrl-C: telling clients, then exiting");
                let _ = stop.send(true);
            });
            serve(listener, limits, shutdown).await?;
            println!("every session closed; bye");
        }
        Mode::Demo => demo::run().await?,
    }
    Ok(())
}

/// Resolves on Ctrl-C (SIGINT). The handler is installed when this is
/// called, not when the future is first polled.
fn ctrl_c() -> Result<impl Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt = signal(SignalKind::interrupt())?;
        Ok(async move {
            interrupt.recv().await;
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}

/// How many clients at once, and how many from one IP address.
#[derive(Clone, Copy)]
struct Limits {
    max_clients: usize,
    max_per_peer: usize,
}

impl Limits {
    fn new(max_clients: usize) -> Limits {
        Limits {
            max_clients,
            max_per_peer: max_clients.div_ceil(4),
        }
    }
}

/// What the server tells its operator about its limits.
fn limits_line(limits: Limits, kept: u32) -> String {
    format!(
        "limits: {} clients at once, {} per address; send buffer per client: \
         {SEND_BUFFER} bytes set (SO_SNDBUF), {kept} kept by the kernel",
        limits.max_clients, limits.max_per_peer
    )
}

enum Mode {
    Serve { addr: SocketAddr, limits: Limits },
    Demo,
}

fn parse_args(args: &[String]) -> Result<Mode> {
    if args == ["--demo"] {
        return Ok(Mode::Demo);
    }
    let mut addr = SocketAddr::from(([127, 0, 0, 1], 8081));
    let mut max_clients = MAX_CLIENTS;
    let mut max_per_peer = None;
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let Some(value) = rest.next() else {
            bail!("`{flag}` needs a value");
        };
        match flag.as_str() {
            "--addr" => {
                addr = value
                    .parse()
                    .with_context(|| format!("`{value}` is not HOST:PORT, e.g. 127.0.0.1:8081"))?
            }
            "--max-clients" => max_clients = clients(value)?,
            "--max-per-peer" => max_per_peer = Some(clients(value)?),
            _ => bail!("unexpected argument `{flag}`"),
        }
    }
    let mut limits = Limits::new(max_clients);
    if let Some(n) = max_per_peer {
        limits.max_per_peer = n;
    }
    Ok(Mode::Serve { addr, limits })
}

fn clients(value: &str) -> Result<usize> {
    value
        .parse()
        .ok()
        .filter(|&n| n > 0)
        .with_context(|| format!("`{value}` is not a number of clients (1 or more)"))
}

/// `--demo`: a scripted conversation against a real server on a free
/// loopback port. Each step waits for what it expects to see, so the
/// transcript has the same shape on every run.
mod demo {
    use super::*;
    use tokio::net::tcp::OwnedReadHalf;

    /// A scripted client: sends lines, and collects what it receives.
    struct Client {
        name: &'static str,
        lines: tokio::io::Lines<BufReader<OwnedReadHalf>>,
        writer: OwnedWriteHalf,
        seen: Vec<String>,
        /// Which lines of `seen` an `expect` has returned.
        used: std::collections::HashSet<usize>,
    }

    impl Client {
        async fn connect(addr: SocketAddr, name: &'static str) -> Result<Client> {
            let stream = TcpStream::connect(addr).await?;
            Client::join(stream, name).await
        }

        async fn join(stream: TcpStream, name: &'static str) -> Result<Client> {
            let (r, writer) = stream.into_split();
            let mut c = Client {
                name,
                lines: BufReader::new(r).lines(),
                writer,
                seen: Vec::new(),
                used: Default::default(),
            };
            c.expect("what is your name?").await?;
            c.send(name.as_bytes()).await?;
            c.expect("*** hello").await?;
            Ok(c)
        }

        async fn send(&mut self, bytes: &[u8]) -> Result<()> {
            self.writer.write_all(bytes).await?;
            self.writer.write_all(b"\n").await?;
            Ok(())
        }

        /// Waits for a line containing `text` that no earlier `expect`
        /// returned. Lines read meanwhile are kept, so a line that arrived
        /// while we waited for another still counts. Fails after 3 s.
        async fn expect(&mut self, text: &str) -> Result<String> {
            let unused = (0..self.seen.len())
                .find(|&i| !self.used.contains(&i) && self.seen[i].contains(text));
            if let Some(i) = unused {
                self.used.insert(i);
                return Ok(self.seen[i].clone());
            }
            let wait = async {
                while let Some(line) = self.lines.next_line().await? {
                    self.seen.push(line.clone());
                    if line.contains(text) {
                        self.used.insert(self.seen.len() - 1);
                        return Ok(line);
                    }
                }
                bail!(
                    "{}: connection closed before `{text}`; last lines: {:?}",
                    self.name,
                    &self.seen[self.seen.len().saturating_sub(3)..]
                )
            };
            timeout(Duration::from_secs(3), wait)
                .await
                .with_context(|| format!("{} never saw `{text}`", self.name))?
        }

        /// Reads to the end of the connection, keeping what arrives.
        async fn drain(&mut self) -> Result<()> {
            let all = async {
                while let Ok(Some(line)) = self.lines.next_line().await {
                    self.seen.push(line);
                }
                // The server closed; a polite client closes too.
                let _ = self.writer.shutdown().await;
            };
            timeout(Duration::from_secs(3), all)
                .await
                .with_context(|| format!("{}: connection not closed", self.name))
        }

        /// What this client saw, with runs of flood lines folded into one.
        fn transcript(&self) -> String {
            let mut out = format!("{} saw:\n", self.name);
            let mut run = 0;
            for line in &self.seen {
                if line.starts_with("carol: flood") {
                    run += 1;
                    continue;
                }
                if run > 0 {
                    out += &format!("    [{run} flood lines from carol]\n");
                    run = 0;
                }
                out += &format!("    {line}\n");
            }
            if run > 0 {
                out += &format!("    [{run} flood lines from carol]\n");
            }
            out
        }

        fn flood_lines(&self) -> usize {
            self.seen
                .iter()
                .filter(|l| l.starts_with("carol: flood"))
                .count()
        }
    }

    /// Lines carol floods the room with, and their padding: enough to fill
    /// the slow reader's queue and its socket buffers several times over.
    const FLOOD: usize = 400;
    const PAD: usize = 900;

    pub async fn run() -> Result<()> {
        let (listener, kept) = listen(SocketAddr::from(([127, 0, 0, 1], 0)))?;
        let addr = listener.local_addr()?;
        let (stop, shutdown) = watch::channel(false);
        let limits = Limits::new(MAX_CLIENTS);
        let server = tokio::spawn(serve(listener, limits, shutdown));
        println!("chat server on {addr} (a free loopback port)");
        println!("{}", limits_line(limits, kept));
        println!("scripted clients:\n");

        let mut alice = Client::connect(addr, "alice").await?;
        let mut bob = Client::connect(addr, "bob").await?;
        alice.expect("*** bob joined").await?;

        // 1. Ordinary chat, and a command.
        alice.send(b"hi bob!").await?;
        bob.expect("alice: hi bob!").await?;
        bob.send(b"/who").await?;
        bob.expect("*** here:").await?;

        // 2. A client that sends bad input: invalid UTF-8, then a line far
        //    longer than MAX_LINE. It gets told; nobody else is disturbed.
        let mut mallory = Client::connect(addr, "mallory").await?;
        mallory.send(b"caf\xC3 \xFF\xFE").await?;
        mallory.expect("not valid UTF-8").await?;
        mallory.send(&vec![b'x'; 5 * MAX_LINE]).await?;
        mallory.drain().await?;
        alice.expect("*** mallory left").await?;

        // 3. dave joins on a slow link (a tiny receive buffer) and stops
        //    reading. carol floods the room.
        let socket = TcpSocket::new_v4()?;
        socket.set_recv_buffer_size(4096)?;
        let mut dave = Client::join(socket.connect(addr).await?, "dave").await?;
        let mut carol = Client::connect(addr, "carol").await?;
        bob.expect("*** carol joined").await?;
        let pad = ".".repeat(PAD);
        let started = tokio::time::Instant::now();
        // carol talks in bursts of 25 lines; alice and bob read each burst
        // before the next. They keep up, so their queues never fill. dave
        // reads nothing, so his does.
        for burst in (1..=FLOOD).collect::<Vec<_>>().chunks(25) {
            for i in burst {
                carol.send(format!("flood {i:>3} {pad}").as_bytes()).await?;
            }
            let last = format!("carol: flood {:>3}", burst[burst.len() - 1]);
            alice.expect(&last).await?;
            bob.expect(&last).await?;
        }
        let flood_ms = started.elapsed().as_millis();
        alice.expect("*** dave left").await?;
        // Now dave reads what reached him: some flood, then the notice.
        dave.drain().await?;

        // 4. carol leaves; the server shuts down and tells who is left.
        carol.send(b"/quit").await?;
        carol.drain().await?;
        alice.expect("*** carol left").await?;
        stop.send(true)?;
        alice.drain().await?;
        bob.drain().await?;
        server.await??;

        for c in [&alice, &bob, &mallory, &dave, &carol] {
            println!("{}", c.transcript());
        }
        println!("What happened to the flood of {FLOOD} lines:");
        for c in [&alice, &bob, &dave] {
            println!("  {:<5} received {:>3} of {FLOOD}", c.name, c.flood_lines());
        }
        println!(
            "  alice and bob had all {FLOOD} lines {flood_ms} ms after carol began; \
             dave was disconnected instead of holding them up."
        );
        println!("{}", course::machine::describe());
        Ok(())
    }
}

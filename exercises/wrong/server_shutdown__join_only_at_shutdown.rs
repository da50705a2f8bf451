//! Wrong solution of server_shutdown: it joins the connections only after
//! the shutdown. The shutdown is graceful and the count is right at the
//! end, but while the server runs every finished connection's result stays
//! in the JoinSet: a server that runs for weeks grows without bound.
//!
//! caught by: collects_finished_connections_while_it_runs

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;

/// How long the server "works" on one request. A shutdown cuts work short
/// only once its grace period is over.
pub const WORK: Duration = Duration::from_millis(200);

/// One connection: `ready`, one line in, `working`, then `done: LINE`.
/// Returns `true` if it answered. While it waits for the line, a shutdown
/// makes it say `shutting down` and end.
pub async fn handle(
    mut stream: TcpStream,
    mut shutdown: watch::Receiver<bool>,
) -> io::Result<bool> {
    let (reader, mut writer) = stream.split();
    let mut lines = BufReader::new(reader).lines();
    writer.write_all(b"ready\n").await?;
    let line = tokio::select! {
        line = lines.next_line() => line?,
        () = stopping(&mut shutdown) => {
            writer.write_all(b"shutting down\n").await?;
            return Ok(false);
        }
    };
    let Some(line) = line else {
        return Ok(false); // the client left without a request
    };
    writer.write_all(b"working\n").await?;
    tokio::time::sleep(WORK).await;
    writer
        .write_all(format!("done: {line}\n").as_bytes())
        .await?;
    Ok(true)
}

/// Resolves once `shutdown` turns true (or its sender is gone).
async fn stopping(shutdown: &mut watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|&stop| stop).await;
}

pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
    grace: Duration,
    answered: Arc<AtomicUsize>,
) -> io::Result<()> {
    let (stop, stopped) = watch::channel(false);
    let mut connections = JoinSet::new();
    let count = |result| {
        if matches!(result, Ok(Ok(true))) {
            answered.fetch_add(1, Ordering::Relaxed);
        }
    };
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(handle(stream, stopped.clone()));
                }
                // One failed accept (a client that gave up, "too many open
                // files") must not end the server, nor the connections in
                // the set, which dropping the `JoinSet` would abort.
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            },
            // The mistake: no `join_next` branch here.
            () = &mut shutdown => break,
        }
    }
    // 1. Stop accepting: from here the kernel refuses new connections.
    drop(listener);
    // 2. Tell every connection at once; those waiting for a line end now.
    let _ = stop.send(true);
    // 3. Wait for every connection, including the ones still working, but
    //    not for ever: a connection stuck on a client that reads nothing
    //    must not keep the server from ending.
    let drain = async {
        while let Some(result) = connections.join_next().await {
            count(result);
        }
    };
    if tokio::time::timeout(grace, drain).await.is_err() {
        // 4. The grace period is over: abort the rest, and wait until they
        //    have been dropped (which closes their sockets).
        connections.shutdown().await;
    }
    Ok(())
}

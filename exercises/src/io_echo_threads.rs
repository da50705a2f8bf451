//! Part II, chapter 6: serve clients concurrently with threads.
//!
//! `serve` is a blocking echo server: it sends back every byte a client
//! sends, until the client closes. As written, it serves one client at a
//! time, so a client that connects and says nothing blocks everyone behind
//! it. Make it serve every client concurrently, with a thread per
//! connection, so that a quiet client holds only its own thread.
//!
//! Check it with `cargo test -p exercises --test io_echo_threads`.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};

/// Echoes until the client closes (or the connection breaks).
pub fn echo(mut stream: TcpStream) {
    let mut buf = [0u8; 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                if stream.write_all(&buf[..n]).is_err() {
                    return;
                }
            }
        }
    }
}

/// Accepts connections forever.
pub fn serve(listener: TcpListener) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        // TODO: this call blocks the accept loop until the client leaves.
        // Serve the client on a thread of its own instead.
        echo(stream);
    }
}

//! Wrong solution of io_echo_threads: it spawns a thread for the client and
//! joins it at once, so the accept loop still waits for each client to leave.
//! A thread per connection, but one connection at a time.
//!
//! caught by: a_quiet_client_does_not_block_another

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
        // The mistake: the loop waits for the client's thread to end.
        let _ = std::thread::spawn(move || echo(stream)).join();
    }
}

//! Part II, chapter 6: serve clients concurrently with threads (solution).

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
        // The stream moves into the new thread; the loop goes straight back
        // to `accept`, so a quiet client blocks only its own thread.
        std::thread::spawn(move || echo(stream));
    }
}

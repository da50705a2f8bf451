use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};

fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (mut server, _) = listener.accept().unwrap();
    server.set_nonblocking(true).unwrap();
    let mut buf = [0u8; 2];
    match server.read(&mut buf) {
        Err(e) if e.kind() == ErrorKind::WouldBlock => println!("would block"),
        other => println!("{:?}", other),
    }
    client.write_all(b"hi").unwrap();
    // Blocking again, so the read waits for the bytes instead of racing them.
    server.set_nonblocking(false).unwrap();
    server.read_exact(&mut buf).unwrap();
    println!("{}", String::from_utf8_lossy(&buf));
}

fn main() {
    // The article's response, byte for byte.
    let response = "HTTP/1.1 200 OK\r\nContent-Length: 23\r\nConnection: close\r\n\r\n<html><body>Hello, world!</body></html>";
    let (head, body) = response.split_at(response.find("\r\n\r\n").unwrap() + 4);
    let length: usize = head
        .lines()
        .find(|l| l.starts_with("Content-Length:"))
        .and_then(|l| l["Content-Length:".len()..].trim().parse().ok())
        .unwrap();
    // A client reads exactly `length` bytes of body.
    println!("{} of {} bytes", length, body.len());
    println!("{}", &body[..length]);
    println!("Content-Length: {}", body.len());
}

use std::sync::mpsc;
use std::thread;

fn main() {
    let (to_echo, echo_rx) = mpsc::channel::<u32>();
    let (to_main, main_rx) = mpsc::channel::<u32>();
    let echo = thread::spawn(move || {
        let mut seen = 0;
        for n in echo_rx {
            seen += 1;
            to_main.send(n + 1).unwrap();
        }
        seen
    });
    let mut token = 0;
    for _ in 0..3 {
        to_echo.send(token).unwrap();
        token = main_rx.recv().unwrap() + 1;
    }
    drop(to_echo);
    println!("token {}", token);
    println!("echo saw {}", echo.join().unwrap());
}

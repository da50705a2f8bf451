use std::sync::Mutex;

fn needs_send<T: Send>(_: &T) {}

fn main() {
    let m = Mutex::new(0);
    let guard = m.lock().unwrap();
    needs_send(&m);
    needs_send(&guard);
    println!("{}", *guard);
}

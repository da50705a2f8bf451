//! Why `poll` takes `Pin<&mut Self>`: an `async fn` that borrows its own
//! local across an `.await` stores a pointer into itself.
//!
//! Run it with:
//!
//!     cargo run --release --example pin_demo
//!
//! The program polls such a future by hand, twice, and prints where the
//! future lives and where its local lives. The local is *inside* the future,
//! and the reference to it is too. If the future moved between the two
//! polls, that reference would point at the old place. `Pin` is the promise
//! that it will not move: once a future is pinned, safe code can no longer
//! get a `&mut` to it that would allow a move (`mem::swap`, `mem::replace`,
//! or moving it out by value).

use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

/// Where `borrows_itself`'s local `buf` is, and where its reference `view`
/// points, as seen from inside the future during its latest poll. `report`
/// takes both (leaving 0), so each line it prints is a fresh observation.
/// One thread writes and reads them, so `Relaxed` is enough.
static BUF_ADDR: AtomicUsize = AtomicUsize::new(0);
static VIEW_ADDR: AtomicUsize = AtomicUsize::new(0);

/// Records, from inside the future, where `buf` is and where `view` points.
fn observe(buf: &[u8], view: &[u8]) {
    BUF_ADDR.store(buf.as_ptr() as usize, Ordering::Relaxed);
    VIEW_ADDR.store(view.as_ptr() as usize, Ordering::Relaxed);
}

// ANCHOR: yield_once
/// Returns `Pending` once (waking itself), then `Ready`: a suspension
/// point, so the async fn below must keep its state across it.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // `YieldOnce` is just a bool, so it is `Unpin`, and `Pin<&mut Self>`
        // derefs to `&mut Self`: no pinning question arises.
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
// ANCHOR_END: yield_once

// ANCHOR: self_ref
/// The future of this `async fn` holds a buffer *and* a reference to it
/// across an `.await`: a self-referential value.
async fn borrows_itself() -> usize {
    let buf = [7u8; 64];
    let view = &buf[..]; // points into this future's own state
    observe(&buf, view); // during poll 1
    YieldOnce(false).await; // suspended here: `buf` and `view` are saved
    // During poll 2: where `buf` is now, and where the saved `view` still
    // points. Had the future moved in between, `buf` would be at the new
    // place and `view` at the old one.
    observe(&buf, view);
    view.iter().map(|&b| b as usize).sum()
}
// ANCHOR_END: self_ref

// ANCHOR: probe
/// `is_unpin!(expr)`: whether the type of `expr` is `Unpin`, as the compiler
/// decides it where the macro is used (the expression is never run).
/// Method lookup tries a receiver of type `&Probe<T>` first, which only
/// `IsUnpin` offers, and only when `T: Unpin`; failing that, it borrows once
/// more and finds `NotUnpin`'s method on `&&Probe<T>`.
struct Probe<T>(std::marker::PhantomData<T>);
trait IsUnpin {
    fn unpin(&self) -> bool {
        true
    }
}
impl<T: Unpin> IsUnpin for Probe<T> {}
trait NotUnpin {
    fn unpin(&self) -> bool {
        false
    }
}
impl<T> NotUnpin for &Probe<T> {}
fn probe<T>(_: impl FnOnce() -> T) -> Probe<T> {
    Probe(std::marker::PhantomData)
}
macro_rules! is_unpin {
    ($e:expr) => {
        (&probe(|| $e)).unpin()
    };
}
// ANCHOR_END: probe

/// Polls a pinned future once with a waker that does nothing (this
/// program polls by hand, so nobody needs waking).
fn poll_once<F: Future>(future: Pin<&mut F>) -> Poll<F::Output> {
    future.poll(&mut Context::from_waker(Waker::noop()))
}

/// Prints where the future is, where the poll just made saw its local
/// `buf`, and where `view` pointed then.
fn report<F>(label: &str, future: &F) {
    let start = future as *const F as usize;
    let end = start + size_of::<F>();
    let buf = BUF_ADDR.swap(0, Ordering::Relaxed);
    let view = VIEW_ADDR.swap(0, Ordering::Relaxed);
    assert_ne!(buf, 0, "{label}: that poll recorded no address");
    println!(
        "  {label}: future at {start:#x}..{end:#x} ({} bytes); `buf` at {buf:#x} ({}); `view` -> {view:#x}",
        size_of::<F>(),
        if (start..end).contains(&buf) {
            "inside the future"
        } else {
            "outside"
        }
    );
}

fn main() {
    // ANCHOR: box_pin
    println!("Box::pin: the future on the heap, pinned for good");
    let mut boxed: Pin<Box<_>> = Box::pin(borrows_itself());
    // The first poll runs the block up to its `.await`: from here on the
    // future holds a pointer into itself and must not move.
    assert!(poll_once(boxed.as_mut()).is_pending());
    report("after poll 1", &*boxed);
    // Moving the *Box* is fine: the future stays where it is on the heap.
    let mut moved_box = boxed;
    let Poll::Ready(sum) = poll_once(moved_box.as_mut()) else {
        unreachable!("YieldOnce is ready on its second poll")
    };
    report("after poll 2", &*moved_box);
    println!("  ready: sum of the buffer = {sum}");
    // ANCHOR_END: box_pin

    // ANCHOR: pin_macro
    println!("\npin!: the future on this stack frame, pinned until the frame ends");
    let mut on_stack = pin!(borrows_itself());
    assert!(poll_once(on_stack.as_mut()).is_pending());
    report("after poll 1", &*on_stack);
    let Poll::Ready(sum) = poll_once(on_stack.as_mut()) else {
        unreachable!()
    };
    report("after poll 2", &*on_stack);
    println!("  ready: sum of the buffer = {sum}");
    // ANCHOR_END: pin_macro

    // ANCHOR: unpin
    println!("\nUnpin: a future with no self-references can be pinned anywhere");
    let mut plain = YieldOnce(false);
    // `Pin::new` only accepts `Unpin` types. For `borrows_itself()` this
    // line would not compile (error E0277: its future "cannot be
    // unpinned"); for `YieldOnce` moving between polls is harmless.
    assert!(poll_once(Pin::new(&mut plain)).is_pending());
    let mut moved = plain; // allowed: it is Unpin, and it holds no pointers
    println!(
        "  YieldOnce moved between polls, then: {:?}",
        poll_once(Pin::new(&mut moved))
    );
    // ANCHOR_END: unpin

    // ANCHOR: set
    println!("\nPin::set: a new future in the same pinned place");
    let mut slot = pin!(borrows_itself());
    assert!(poll_once(slot.as_mut()).is_pending());
    report("old future, poll 1", &*slot);
    // `set` drops the old future where it lies (its destructor runs before
    // its memory is reused: the Drop guarantee), then writes the new one
    // into the same place, which stays pinned.
    slot.set(borrows_itself());
    assert!(poll_once(slot.as_mut()).is_pending());
    report("new future, poll 1", &*slot);
    // ANCHOR_END: set

    // ANCHOR: which
    println!("\nWhich futures are Unpin (decided by the compiler):");
    // Only the types matter: `is_unpin!` wraps each expression in a closure
    // that is never called, so no future is created (and `sleep` needs no
    // runtime here).
    let notify = tokio::sync::Notify::new();
    let semaphore = tokio::sync::Semaphore::new(1);
    let ms = Duration::from_millis(1);
    for (what, unpin) in [
        ("YieldOnce (a bool)", is_unpin!(YieldOnce(false))),
        ("async { 1 } (holds nothing)", is_unpin!(async { 1 })),
        ("tokio::time::Sleep", is_unpin!(tokio::time::sleep(ms))),
        ("Notify::notified()", is_unpin!(notify.notified())),
        ("Semaphore::acquire()", is_unpin!(semaphore.acquire())),
        (
            "Pin<Box<Sleep>>",
            is_unpin!(Box::pin(tokio::time::sleep(ms))),
        ),
    ] {
        println!("  {what:<30} Unpin: {unpin}");
    }
    // ANCHOR_END: which
}

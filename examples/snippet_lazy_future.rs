//! Coming from asyncio: a Rust future, like a coroutine object, does
//! nothing until it is awaited; `tokio::spawn`, like `asyncio.create_task`,
//! starts it without an await. Short enough for the Rust Playground.

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let fut = async { println!("  the awaited future runs") };
    println!("1. future created; nothing has run yet");
    fut.await;

    let never = async { println!("  this line is never printed") };
    drop(never); // dropped without an await: its body never runs

    let task = tokio::spawn(async { println!("  the spawned task runs") });
    println!("2. task spawned; it runs when main next waits");
    // On this one-thread runtime the task gets the thread only when main
    // awaits; awaiting its handle also waits for it to finish.
    task.await.unwrap();
    println!("3. done");
}
// ANCHOR_END: main

"""asyncio's ideas, one by one: the Python twin of examples/asyncio_map.rs.

Run it with (Python 3.9 or newer):

    python3 book/futures/python/asyncio_map.py

Each numbered section matches the Rust program's; compare the two outputs.
"""

import asyncio
import time


def compute_for(seconds):
    """Keeps the thread busy: stands for real computation."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


async def main():
    print("asyncio event loop: 1 thread")

    print("\n1. A coroutine object does nothing until awaited")
    ran = False

    async def coro():
        nonlocal ran
        ran = True

    c = coro()
    await asyncio.sleep(0.02)
    print(f"  20 ms after it was created, it has run: {ran}")
    await c
    print(f"  after await, it has run: {ran}")

    print("\n2. A Task (asyncio.create_task) is scheduled at once")
    ran = False
    task = asyncio.create_task(coro())
    await asyncio.sleep(0.02)
    print(f"  20 ms later, never awaited, it has run: {ran}")
    await task

    print("\n3. gather wraps coroutines in Tasks, but one thread runs them all")

    async def work():
        compute_for(0.1)

    start = time.perf_counter()
    await asyncio.gather(work(), work())
    print(f"  gather of two 100 ms computations: {(time.perf_counter() - start) * 1000:.0f} ms")
    start = time.perf_counter()
    a, b = asyncio.create_task(work()), asyncio.create_task(work())
    await a
    await b
    print(f"  two tasks: {(time.perf_counter() - start) * 1000:.0f} ms (one thread: one after the other)")

    print("\n4. asyncio.Future: a slot someone fills later")
    slot = asyncio.get_running_loop().create_future()

    async def fill():
        await asyncio.sleep(0.01)
        slot.set_result("set by another task")

    filler = asyncio.create_task(fill())
    print(f"  awaited the future: {await slot!r}")
    await filler

    print("\n5. wait_for cancels by raising CancelledError inside the coroutine")

    async def slow():
        try:
            await asyncio.sleep(10)
            print("  (never printed)")
        except asyncio.CancelledError:
            print("  the slow coroutine got CancelledError at its await (it could even catch it)")
            raise

    try:
        await asyncio.wait_for(slow(), 0.03)
    except asyncio.TimeoutError:
        print("  wait_for raised TimeoutError")

    print("\n6. asyncio.to_thread (run_in_executor) runs blocking code on a thread pool")
    start = time.perf_counter()
    blocking = asyncio.create_task(asyncio.to_thread(time.sleep, 0.05))
    ticks = 0
    while not blocking.done():
        await asyncio.sleep(0.01)  # the event loop stays free
        ticks += 1
    await blocking
    print(f"  done after {(time.perf_counter() - start) * 1000:.0f} ms; meanwhile this coroutine woke {ticks} times")


if __name__ == "__main__":
    asyncio.run(main())

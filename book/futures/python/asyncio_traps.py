"""Where asyncio habits mislead in tokio: the Python side of
examples/asyncio_traps.rs, section for section.

Run it with (Python 3.11 or newer, for TaskGroup):

    python3 book/futures/python/asyncio_traps.py
"""

import asyncio
import threading
import time


async def job(name, seconds, fail):
    """Sleeps, then returns or raises; says if it was cancelled first."""
    try:
        await asyncio.sleep(seconds)
    except asyncio.CancelledError:
        print(f"  {name}: cancelled unfinished")
        raise
    print(f"  {name}: finished after {seconds * 1000:.0f} ms")
    if fail:
        raise RuntimeError(f"{name} failed")
    return name


async def many_consumers():
    # Any number of coroutines may await q.get() on the same queue.
    q = asyncio.Queue()
    workers = ("w1", "w2", "w3")
    for n in range(1, 10):
        q.put_nowait(n)
    for _ in workers:
        q.put_nowait(None)  # one "stop" per worker
    handled = {}

    async def worker(name):
        handled[name] = []
        while (n := await q.get()) is not None:
            await asyncio.sleep(0.02)  # the work
            handled[name].append(n)

    await asyncio.gather(*(worker(w) for w in workers))
    for name, done in sorted(handled.items()):
        print(f"  {name} handled {done}")
    every = sorted(n for done in handled.values() for n in done)
    print(f"  every job exactly once: {every == list(range(1, 10))}")


async def wait(fut):
    return await fut


async def many_awaiters():
    loop = asyncio.get_running_loop()
    # One Future, three awaiters: each gets the result.
    fut = loop.create_future()
    waiters = [asyncio.create_task(wait(fut)) for _ in range(3)]
    fut.set_result("the result")
    for name, w in zip("abc", waiters):
        print(f"  Future: awaiter {name} got {await w!r}")
    # set_exception: every awaiter raises it.
    fut = loop.create_future()
    waiters = [asyncio.create_task(wait(fut)) for _ in range(2)]
    fut.set_exception(LookupError("no such user"))
    for name, w in zip("ab", waiters):
        try:
            await w
        except LookupError as e:
            print(f"  Future: awaiter {name} raised {e!r}")
    # cancel(): the awaiter gets CancelledError.
    fut = loop.create_future()
    fut.cancel()
    try:
        await fut
    except asyncio.CancelledError:
        print("  cancelled Future: awaiting it raised CancelledError")


async def error_semantics():
    print("  gather: raises the first exception; the other keeps running")
    slow = asyncio.create_task(job("slow", 0.08, False))
    try:
        await asyncio.gather(job("fast", 0.02, True), slow)
    except RuntimeError as e:
        print(f"  gather raised {e!r}; slow still running: {not slow.done()}")
    print(f"  slow task -> {await slow!r}")

    print("  TaskGroup: the first failure cancels the other tasks")
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(job("fast in group", 0.02, True))
            tg.create_task(job("slow in group", 0.08, False))
    except* RuntimeError as group:
        print(f"  TaskGroup raised {group.exceptions!r}")


async def cleanup():
    async def worker():
        try:
            await asyncio.sleep(10)
            print("  (never printed)")
        finally:
            # Python can await in cleanup: the coroutine still runs.
            print("  worker: cancelled, flushing (an await in finally)")
            await asyncio.sleep(0.02)
            print("  worker: flushed")

    task = asyncio.create_task(worker())
    await asyncio.sleep(0.02)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("  worker task -> cancelled: True")


async def to_thread_runs_on():
    finished = threading.Event()
    started = threading.Event()

    def blocking():
        started.set()
        time.sleep(0.1)  # a blocking call
        finished.set()

    task = asyncio.create_task(asyncio.to_thread(blocking))
    while not started.is_set():
        await asyncio.sleep(0.001)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print(f"  the awaiting task was cancelled; thread finished yet: {finished.is_set()}")
    await asyncio.to_thread(finished.wait, 2)
    print(f"  the thread ran on to its end anyway: {finished.is_set()}")


async def main():
    print("1. One queue, many consumers: any number may await get()")
    await many_consumers()
    print("\n2. One Future, many awaiters; set_exception, cancel")
    await many_awaiters()
    print("\n3. When one of two jobs fails")
    await error_semantics()
    print("\n4. Cleanup: await in finally")
    await cleanup()
    print("\n5. to_thread cannot stop its thread")
    await to_thread_runs_on()


if __name__ == "__main__":
    asyncio.run(main())

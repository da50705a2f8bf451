"""The article's asyncio "Hello, world!" server, corrected.

Run it with (Python 3.8 or newer):

    python3 book/futures/python/asyncio_server.py            # http://127.0.0.1:8080/
    python3 book/futures/python/asyncio_server.py --port 0   # any free port

What the article's version got wrong, and what this one does instead:

- `loop=` was removed from `asyncio.start_server` in Python 3.10, so the
  original no longer runs; `asyncio.run(main())` is the modern entry point.
- It sent `Content-Length: 23` for a 39-byte body; here the length is
  computed from the bytes sent.
- It read only the request line; here the whole request head is read, up to
  the blank line that ends it, and checked.
- It had no time limit, so an idle client held its connection forever; here
  the head must arrive within HEAD_TIMEOUT seconds.
- `IncompleteReadError` (the client left early) and `LimitOverrunError` (a
  head larger than the stream's limit, 64 KiB by default) went unhandled;
  here each gets an answer or a clean close.
- `writer.wait_closed()` was never awaited; here every connection is closed
  and awaited, whatever happened.

One asyncio event loop runs on one thread: this server overlaps many
clients' waits, but never uses a second core for them.
"""

import argparse
import asyncio

BODY = b"<!DOCTYPE html>\n<html><body><h1>Hello, world!</h1></body></html>\n"
HEAD_LIMIT = 8 * 1024  # bytes allowed in a request head
HEAD_TIMEOUT = 10.0  # seconds a client has to send its request head


async def respond(writer, status, reason, body, content_type="text/plain; charset=utf-8"):
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\n"  # the length of what we send
        "Connection: close\r\n"
        "\r\n"
    )
    writer.write(head.encode("ascii") + body)
    await writer.drain()  # wait until the socket accepted it (backpressure)


async def handle(reader, writer):
    try:
        try:
            # The whole head, not just the request line, within a deadline.
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), HEAD_TIMEOUT)
        except asyncio.LimitOverrunError:
            await respond(writer, 431, "Request Header Fields Too Large", b"request head too large\n")
            return
        except asyncio.IncompleteReadError:
            return  # the client closed before it finished its request
        except asyncio.TimeoutError:
            await respond(writer, 408, "Request Timeout", b"request head too slow\n")
            return

        parts = head.split(b"\r\n", 1)[0].split()
        if len(parts) != 3 or not parts[2].startswith(b"HTTP/1."):
            await respond(writer, 400, "Bad Request", b"malformed request line\n")
        elif parts[0] != b"GET":
            await respond(writer, 405, "Method Not Allowed", b"only GET\n")
        elif parts[1] != b"/":
            await respond(writer, 404, "Not Found", b"not found\n")
        else:
            await respond(writer, 200, "OK", BODY, "text/html; charset=utf-8")
    except ConnectionError:
        pass  # the client went away mid-answer: nothing to tell it
    finally:
        writer.close()
        try:
            await writer.wait_closed()
        except ConnectionError:
            pass


async def main(host, port):
    # `limit` bounds what readuntil may buffer: past it, LimitOverrunError.
    server = await asyncio.start_server(handle, host, port, limit=HEAD_LIMIT)
    bound = server.sockets[0].getsockname()
    print(f"serving on http://{bound[0]}:{bound[1]}/ (Ctrl-C to stop)", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args()
    try:
        asyncio.run(main(args.host, args.port))
    except KeyboardInterrupt:
        print("stopped")

"""Parses what a server sent on one connection with h11, an HTTP/1.1
implementation this project did not write (tests/conformance.rs runs it).

    python3 h11_read.py [--eof] METHOD...  < bytes-the-server-sent

METHOD...: the requests those bytes answer, in order; --eof: the server
closed the connection after them. Prints one line per finding:

    response STATUS VERSION BODY_LENGTH MUST_CLOSE(0|1)
    header NAME VALUE            (for the response above; names lower-case)
    closed                       (h11 saw the connection end)
    error WHY                    (h11 refused the bytes: a protocol error)

h11 is told only the methods (so that it knows a HEAD answer has no body);
the bytes the test really sent, malformed ones included, are the test's
business. h11 checks the rest: the status line, every header's syntax,
Content-Length against the body, and whether the server announced that it
closes (Connection: close), which makes its state MUST_CLOSE.
"""

import sys

import h11


def main():
    args = sys.argv[1:]
    eof = "--eof" in args
    methods = [a for a in args if a != "--eof"]
    data = sys.stdin.buffer.read()
    conn = h11.Connection(our_role=h11.CLIENT)
    lines = []

    def send(method):
        conn.send(h11.Request(method=method, target="/", headers=[("Host", "test")]))
        conn.send(h11.EndOfMessage())

    current = None
    try:
        send(methods[0])
        sent = 1
        conn.receive_data(data)
        if eof:
            conn.receive_data(b"")
        while True:
            event = conn.next_event()
            if event is h11.NEED_DATA or event is h11.PAUSED:
                break
            if isinstance(event, h11.Response):
                current = {"status": event.status_code, "version": event.http_version.decode(),
                           "headers": event.headers, "body": 0}
            elif isinstance(event, h11.Data):
                current["body"] += len(event.data)
            elif isinstance(event, h11.EndOfMessage):
                must_close = int(conn.their_state is h11.MUST_CLOSE)
                lines.append(f"response {current['status']} {current['version']} {current['body']} {must_close}")
                for name, value in current["headers"]:
                    lines.append(f"header {name.decode()} {value.decode('latin-1')}")
                current = None
                # The next response answers the next request: h11 wants it
                # sent first.
                if conn.their_state is h11.DONE and sent < len(methods):
                    conn.start_next_cycle()
                    send(methods[sent])
                    sent += 1
            elif isinstance(event, h11.ConnectionClosed):
                lines.append("closed")
                break
        if current is not None:
            lines.append("error a response was cut short")
    except h11.RemoteProtocolError as e:
        lines.append(f"error {e}")
    print("\n".join(lines))


main()

"""The least a Python process can do to run the benchmark's file: start the
interpreter, import what a Python runner cannot do without (click for its
command line, httptools for the wire, json for the JSONPath assert), then
send the same GETs one after another on a keep-alive socket, parse each
response with httptools and check ``method == "GET"`` in its JSON body.

No file is read, no variable resolved, nothing recorded: this is a floor
under any runner written in CPython, the time left from Hurl's being what
such a runner may spend on everything else.

    python _python_floor.py PORT N
"""

from __future__ import annotations

import json
import socket
import sys

import click  # noqa: F401  (imported for its cost: every CLI built on it pays it)
import httptools


class _Message:
    def __init__(self) -> None:
        self.body: list[bytes] = []
        self.done = False

    def on_body(self, data: bytes) -> None:
        self.body.append(data)

    def on_message_complete(self) -> None:
        self.done = True


def main() -> None:
    port, n = int(sys.argv[1]), int(sys.argv[2])
    raw = f"GET /echo HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: */*\r\n\r\n".encode()
    sock: socket.socket | None = None
    for i in range(n):
        if sock is None or i % 100 == 0:  # reqlab echo closes after 100 (Keep-Alive max)
            if sock is not None:
                sock.close()
            sock = socket.create_connection(("127.0.0.1", port))
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.sendall(raw)
        message = _Message()
        parser = httptools.HttpResponseParser(message)
        while not message.done:
            parser.feed_data(sock.recv(65536))
        if parser.get_status_code() != 200 or json.loads(b"".join(message.body))["method"] != "GET":
            sys.exit(f"entry {i + 1}: assert failed")


if __name__ == "__main__":
    main()

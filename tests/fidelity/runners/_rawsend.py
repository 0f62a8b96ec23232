"""Send a raw HTTP/1.x message file exactly as it is; print the response.

Usage: python _rawsend.py request.http.  The connection goes to the message's
Host header (127.0.0.1:PORT in the fidelity run); one response is read.
"""

from __future__ import annotations

import http.client
import socket
import sys


def main(path: str) -> int:
    data = open(path, "rb").read()  # noqa: SIM115 - a one-shot script
    head = data.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    method = head[0].split(b" ", 1)[0].decode()
    host = next(
        line.split(b":", 1)[1].strip() for line in head[1:] if line.lower().startswith(b"host:")
    )
    name, _, port = host.decode().rpartition(":")
    with socket.create_connection((name, int(port)), timeout=30) as sock:
        sock.sendall(data)
        response = http.client.HTTPResponse(sock, method=method)
        response.begin()
        print(response.status, response.reason)
        print(response.read().decode("utf-8", "replace"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

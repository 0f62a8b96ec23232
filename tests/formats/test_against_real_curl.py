"""The curl reader against the real curl: each command is run by bash and curl
against a one-shot socket server on 127.0.0.1, and what curl put on the wire
is compared with what reqlab would send for the request it read.

Compared: method, target, version, the headers (as a multiset: curl puts
Authorization first, the client puts it after the user's headers), the body
bytes.  Left out: Host and Content-Length (both derived), curl's own
User-Agent and Accept when the command did not ask for them, and
Accept-Encoding for --compressed (the client adds its own list).
Multipart boundaries are replaced by one placeholder on both sides.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest

from reqlab.body import boundary_of, prepare
from reqlab.formats import read
from reqlab.formats.raw import read_raw

CURL = shutil.which("curl")
pytestmark = pytest.mark.skipif(CURL is None, reason="scripts/setup installs curl")

COMMANDS = [
    "curl {url}/p -d a=1 -d 'b=2 3' --data-urlencode 'c=x y&z' -A UA -e REF -b k=v -b k2=v2 "
    "-H 'X-A: 1' -u u:p",
    "curl {url}/j --json '{{\"a\":1}}' --json '[2]' -H 'X-B: 2'",
    "curl '{url}/g?x=1' -G -d a=1 --data-urlencode 'q=a b'",
    "curl {url}/f -F a=1 -F 'f=@{dir}/f.bin;type=text/x' -F 'g=@{dir}/g.bin' "
    "-F 'h=<{dir}/f.bin' -F 'i=\"a;b\"'",
    "curl {url}/b --data-binary @{dir}/g.bin -H 'Content-Type: application/octet-stream'",
    "curl {url}/d -d @{dir}/g.bin",
    "curl {url}/x -X PURGE -H 'X-Empty;' -H 'Accept:'",
    "curl {url}/t --data-binary 'x' -H 'Content-Type:'",
    "curl {url}/r -u user:pw -r 0-9",
    "curl -I {url}/h",
    "curl --http1.0 -H 'Connection: keep-alive' {url}/old",
    "curl {url}/c -d 'a=1' -H 'Content-Type: application/json'",
    "curl {url}/o --oauth2-bearer tok",
    "curl {url}/q --url-query 'q=a b' --url-query 'r=1'",
    "curl {url}/k -H 'Cookie: z=2' -b a=1 -A ua -H 'user-agent: UA2'",
    "curl {url}/z --compressed -H 'X-Z: 1'",
    "curl {url}/e -d 'a=1&b=%20' -d '' -d c",
    "curl {url}/u -X PUT --data-raw '@not-a-file' -H 'content-type: text/plain'",
    "curl -sSL -XPATCH {url}/m -d'{{\"x\":[1,2]}}' -H'Content-Type: application/json'",
    "curl {url}/s --data-binary $'line1\\nline2\\xff\\x00gone'",
    "printf 'a\\000b\\377%%' | curl {url}/n --data-binary @-",
    "curl {url}/w -d @{dir}/h.txt",
    "curl {url}/v --json '{{\"a\":1}}' -H 'Content-Type: application/vnd.api+json' "
    "-H 'Accept: text/plain'",
    "curl {url}/up -T {dir}/f.bin",
    "curl {url}/hf -H @{dir}/hdrs.txt -e 'http://r/;auto'",
    "curl {url}/mix -d @{dir}/h.txt --data-binary @{dir}/g.bin --data-ascii x=1",
    "curl {url}/fs --form-string 'x=@y;type=z' -F 'f=@{dir}/f.bin;filename=o.bin'",
    "curl {url}/post -X POST",
    "curl '{url}/a/./b/../c?x=/../y' -F 'c= x ' -F 'd=@{dir}/f.bin; type= t/x ; filename= \"q\" '",
    "curl --path-as-is '{url}/a/./b/../c'",
    "curl -XGET {url}/getbody -d 'q=1'",
]


def _capture(command: str, cwd: Path | None = None) -> bytes:
    """Run ``command`` (curl) and return the request bytes it sent."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(20)
    url = f"http://127.0.0.1:{server.getsockname()[1]}"
    received: list[bytes] = []

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            head, _, body = data.partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            while len(body) < length:
                body += conn.recv(65536)
            received.append(head + b"\r\n\r\n" + body)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    thread = threading.Thread(target=serve)
    thread.start()
    try:
        done = subprocess.run(
            ["bash", "-c", command.replace("{url}", url).rstrip() + " -s -o /dev/null -m 20"],
            capture_output=True,
            timeout=30,
            cwd=cwd,
        )
        thread.join(25)
    finally:
        server.close()
    assert done.returncode == 0, done.stderr
    return received[0]


def _normal(headers, body: bytes, keep: set[str], compressed: bool):  # noqa: ANN202
    ctype = next((v for n, v in headers if n.lower() == "content-type"), None)
    boundary = boundary_of(ctype) if ctype and "multipart" in ctype else None
    out = []
    for name, value in headers:
        low = name.lower()
        if low in ("host", "content-length", "expect"):
            continue
        if low in ("user-agent", "accept") and low not in keep:
            continue
        if low == "accept-encoding" and compressed:
            continue
        value = value.strip(" \t")  # as the raw reader trims what curl sent
        out.append((low, value.replace(boundary, "BOUNDARY") if boundary else value))
    if boundary:
        body = body.replace(boundary.encode(), b"BOUNDARY")
    return sorted(out), body


@pytest.mark.parametrize("template", COMMANDS)
def test_reqlab_sends_what_curl_sends(template: str, tmp_path: Path) -> None:
    (tmp_path / "f.bin").write_bytes(b"hi\n")
    (tmp_path / "g.bin").write_bytes(b"l1\nl2\r\n")
    (tmp_path / "h.txt").write_bytes(b"a=1\r\n&b=2\n")
    (tmp_path / "hdrs.txt").write_bytes(b"X-One: 1\r\nX-Two: two words\n")
    command = template.replace("{dir}", str(tmp_path)).replace("{{", "{").replace("}}", "}")
    wire = read_raw(_capture(command), base_url="http://x").request
    ours = read(command.replace("{url}", "http://127.0.0.1:1"), read_file=Path.read_bytes.__call__
                if False else lambda p: Path(p).read_bytes()).request  # fmt: skip
    prepared = prepare(ours, read_file=lambda p: Path(p).read_bytes())
    assert wire.method == ours.method
    assert wire.target == ours.target
    assert wire.version == (ours.version or "HTTP/1.1")
    keep = {n.lower() for n, _ in ours.headers}
    sent = wire.body.text.encode("utf-8") if hasattr(wire.body, "text") else (
        wire.body.data if wire.body is not None else b"")  # fmt: skip
    assert _normal(prepared.headers, prepared.body, keep, ours.options.compressed) == _normal(
        wire.headers, sent, keep, ours.options.compressed
    )

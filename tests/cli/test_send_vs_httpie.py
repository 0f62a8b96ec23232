"""``reqlab send --offline`` against ``http --offline`` (HTTPie from PyPI).

Each invocation runs through both console scripts as subprocesses; the two
printed requests are compared after one normalisation (docs/client.md,
"Differences from HTTPie"):

- HTTPie's own defaults are dropped unless an item names them: User-Agent,
  Accept-Encoding, Connection, ``Accept: */*``.  reqlab sends only what
  was asked plus what the protocol needs.
- Content-Length is checked against each side's own body (JSON spacing and
  multipart boundaries differ), not against the other side.
- Header order is compared for the headers the invocation names (HTTPie
  moves Host last; reqlab puts it first).
- Bodies: JSON by value, forms by ordered pairs, multipart by parts (name,
  filename, type, content); anything else byte for byte.

Rows with ``diff`` are documented differences: the test asserts the
difference itself, so a change on either side shows up.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from urllib.parse import parse_qsl

import pytest

BIN = Path(sys.executable).parent
HTTP_CMD = shutil.which("http", path=str(BIN)) or shutil.which("http")
REQLAB = shutil.which("reqlab", path=str(BIN)) or shutil.which("reqlab")

pytestmark = pytest.mark.skipif(HTTP_CMD is None, reason="HTTPie (the test extra) is not installed")

P = ":8081"
CASES: list[tuple[str, list[str], str | None, str | None]] = [
    # id, args ({d}: the folder of test files), stdin, documented difference
    ("get", ["GET", f"{P}/get"], None, None),
    ("no-method", [f"{P}/get"], None, None),
    ("post-empty", ["POST", f"{P}/post"], None, None),
    ("infer-post", [f"{P}/post", "a=1"], None, None),
    ("put-two", ["PUT", f"{P}/put", "a=1", "b=2"], None, None),
    ("lower-method", ["patch", f"{P}/p", "a=1"], None, None),
    ("delete", ["DELETE", f"{P}/x"], None, None),
    ("options", ["OPTIONS", f"{P}/x"], None, None),
    ("head", ["HEAD", f"{P}/x"], None, None),
    ("json-number", [f"{P}/x", "n:=3"], None, None),
    ("json-bool-null", [f"{P}/x", "b:=true", "z:=null"], None, None),
    ("json-array", [f"{P}/x", "arr:=[1,2]"], None, None),
    ("json-object", [f"{P}/x", 'obj:={"a":{"b":1}}'], None, None),
    ("json-dupe", [f"{P}/x", "a:=1", "a:=2"], None, None),
    ("json-empty-key", [f"{P}/x", "=v"], None, None),
    ("json-unicode", [f"{P}/x", "name=ü✓"], None, None),
    ("nested-key", [f"{P}/x", "a[b]=1"], None, None),
    ("nested-index", [f"{P}/x", "a[b][0]=x"], None, None),
    ("nested-append", [f"{P}/x", "a[]=1", "a[]:=2"], None, None),
    ("top-array", [f"{P}/x", "[]:=1", "[]=2"], None, None),
    ("nested-pad", [f"{P}/x", "a[2]=x"], None, None),
    ("nested-deep", [f"{P}/x", "a[b][c][]:=1", "a[b][d]=y"], None, None),
    ("nested-mix", [f"{P}/x", "a[b]=1", "a[c]:=[1]", "x=2"], None, None),
    ("escape-brackets", [f"{P}/x", "a\\[b\\]=1"], None, None),
    ("escape-int", [f"{P}/x", "a[\\1]=x"], None, None),
    ("escape-backslash", [f"{P}/x", "a\\\\=1"], None, None),
    ("escape-colon", [f"{P}/x", "a\\:b=1"], None, None),
    ("escape-equals-key", [f"{P}/x", "a\\=b=c"], None, None),
    ("escape-equals-value", [f"{P}/x", "a=b\\=c"], None, None),
    ("escape-at", [f"{P}/x", "a\\@b=c"], None, None),
    ("query", [f"{P}/x", "q==1"], None, None),
    ("query-repeat-space", [f"{P}/x", "q==1", "q==2", "r==a b"], None, None),
    ("query-special", [f"{P}/x", "q==a&b=c"], None, None),
    ("query-unicode", [f"{P}/x", "q==ü"], None, None),
    ("query-plus-url", [f"{P}/x?z=0", "q==1"], None, None),
    ("header", [f"{P}/x", "X-A:1"], None, None),
    ("header-empty", [f"{P}/x", "X-A;"], None, None),
    ("header-space-value", [f"{P}/x", "X-A:  spaced value "], None, None),
    ("header-remove-accept", [f"{P}/x", "a=1", "Accept:"], None, None),
    ("header-remove-ctype", [f"{P}/x", "a=1", "Content-Type:"], None, None),
    ("header-remove-then-set", [f"{P}/x", "X-A:", "X-A:2"], None, None),
    ("header-user-agent", [f"{P}/x", "User-Agent:custom/1"], None, None),
    ("header-override-ctype", [f"{P}/x", "a=1", "Content-Type:text/plain"], None, None),
    ("header-from-file", [f"{P}/x", "X-A:@{d}/line.txt"], None, None),
    ("header-cookie", [f"{P}/x", "Cookie:a=1; b=2"], None, None),
    ("header-host", [f"{P}/x", "Host:example.org"], None, None),
    ("query-from-file", [f"{P}/x", "q==@{d}/line.txt"], None, None),
    ("field-from-file", [f"{P}/x", "a=@{d}/f.txt"], None, None),
    ("json-from-file", [f"{P}/x", "a:=@{d}/d.json"], None, None),
    ("body-file-json", [f"{P}/x", "@{d}/d.json"], None, None),
    ("body-file-text", [f"{P}/x", "@{d}/f.txt"], None, None),
    ("form", ["-f", f"{P}/x", "a=1", "b=2"], None, None),
    ("form-grouped", ["-f", f"{P}/x", "a=1", "b=2", "a=3"], None, None),
    ("form-primitive-json", ["-f", f"{P}/x", "n:=3", "t:=true"], None, None),
    ("form-encoding", ["-f", f"{P}/x", "a=x y&z", "ü=✓"], None, None),
    ("form-get", ["-f", "GET", f"{P}/x"], None, None),
    ("form-file-field", ["-f", f"{P}/x", "a=@{d}/f.txt"], None, None),
    ("form-upload", ["-f", f"{P}/x", "up@{d}/f.txt", "a=1"], None, None),
    ("form-upload-type", ["-f", f"{P}/x", "up@{d}/b.bin;type=application/x-foo"], None, None),
    ("form-two-uploads", ["-f", f"{P}/x", "up@{d}/f.txt", "up@{d}/d.json"], None, None),
    ("multipart", ["--multipart", f"{P}/x", "a=1", "b=2"], None, None),
    ("multipart-upload", ["--multipart", f"{P}/x", "a=1", "up@{d}/f.txt"], None, None),
    (
        "multipart-own-type",
        ["--multipart", f"{P}/x", "a=1", "Content-Type:multipart/mixed"],
        None,
        None,
    ),
    ("json-flag-get", ["--json", f"{P}/get"], None, None),
    ("json-flag-short", ["-j", f"{P}/x", "a=1"], None, None),
    ("json-flag-method", ["--json", "POST", f"{P}/post", "a=1"], None, None),
    ("raw", ["--raw", "hello", f"{P}/x"], None, None),
    ("raw-form", ["--raw", "a=1", "-f", f"{P}/x"], None, None),
    ("stdin", [f"{P}/post"], "hello", None),
    ("stdin-json-put", ["PUT", f"{P}/put"], '{"a": 1}', None),
    ("stdin-form", ["-f", f"{P}/post"], "a=1&b=2", None),
    ("stdin-header", [f"{P}/post", "X-A:1"], "body", None),
    ("shorthand-port", [P], None, None),
    ("shorthand-path", [":/x"], None, None),
    ("host-port", ["localhost:8081/x"], None, None),
    ("full-url", ["http://127.0.0.1:8081/x?y=1"], None, None),
    ("scheme-paste", ["://localhost:8081/x"], None, None),
    ("default-scheme", ["--default-scheme", "https", f"{P}/x"], None, None),
    ("auth-basic", ["-a", "u:p", f"{P}/x"], None, None),
    ("auth-bearer", ["-A", "bearer", "-a", "tok", f"{P}/x"], None, None),
    ("url-credentials", ["http://u:p@localhost:8081/x"], None, None),
    # documented differences
    (
        "upload-without-form",
        [f"{P}/x", "up@{d}/f.txt"],
        None,
        "HTTPie refuses; reqlab sends multipart",
    ),
    ("multipart-drops-json", ["--multipart", f"{P}/x", "a=1", "n:=3"], None, "HTTPie drops :="),
    ("host-removed", [f"{P}/x", "Host:"], None, "reqlab always sends Host"),
    ("header-order", [f"{P}/x", "X-A:1", "X-B:2", "X-A:3"], None, "HTTPie groups repeats"),
]

DROP = {"user-agent", "accept-encoding", "connection", "content-length"}


@dataclass
class Message:
    method: str
    target: str
    headers: list[tuple[str, str]]
    body: bytes
    code: int
    err: str


def _run(cmd: list[str], stdin: str | None) -> Message:
    proc = subprocess.run(
        cmd,
        input=stdin.encode() if stdin is not None else None,
        stdin=subprocess.DEVNULL if stdin is None else None,
        capture_output=True,
        timeout=60,
        env={**os.environ, "NO_COLOR": "1", "HOME": os.environ.get("HOME", "/tmp")},
    )
    head, _, body = proc.stdout.partition(b"\r\n\r\n")
    lines = head.decode("utf-8", "replace").split("\r\n")
    method, target, *_ = (lines[0].split(" ") + ["", ""]) if lines[0] else ["", ""]
    headers = [tuple(line.split(":", 1)) for line in lines[1:] if ":" in line]
    return Message(
        method,
        target,
        [(n.strip(), v.strip()) for n, v in headers],  # type: ignore[misc]
        body,
        proc.returncode,
        proc.stderr.decode("utf-8", "replace"),
    )


def _named(args: list[str]) -> set[str]:
    names = set()
    for arg in args:
        for sep in (":", ";"):
            name = arg.split(sep, 1)[0]
            if sep in arg and name and not name.startswith(("http", "/", ":")) and "=" not in name:
                names.add(name.lower())
    return names


def _normal_headers(msg: Message, named: set[str]) -> list[tuple[str, str]]:
    out = []
    for name, value in msg.headers:
        low = name.lower()
        if low in DROP and low not in named:
            continue
        if low == "accept" and value == "*/*" and "accept" not in named:
            continue
        if low == "content-type" and value.startswith("multipart/"):
            value = value.split(";")[0]  # the boundary is random on both sides
        out.append((low, value))
    return sorted(out)


def _parts(msg: Message) -> list[tuple[str | None, str | None, str | None, bytes]]:
    ctype = dict((n.lower(), v) for n, v in msg.headers).get("content-type", "")
    raw = f"Content-Type: {ctype}\r\n\r\n".encode() + msg.body
    parsed = BytesParser(policy=HTTP).parsebytes(raw)
    return [
        (
            part.get_param("name", header="content-disposition"),
            part.get_filename(),
            part.get("content-type") if "content-type" in part else None,
            part.get_payload(decode=True) or b"",
        )
        for part in parsed.iter_parts()
    ]


def _body(msg: Message) -> object:
    ctype = dict((n.lower(), v) for n, v in msg.headers).get("content-type", "")
    if not msg.body:
        return b""
    if ctype.startswith("multipart/"):
        return _parts(msg)
    if ctype.startswith("application/x-www-form-urlencoded"):
        return parse_qsl(msg.body.decode(), keep_blank_values=True)
    try:  # JSON by value, whatever the Content-Type says
        return json.loads(msg.body)
    except ValueError:
        return msg.body


def _content_length_ok(msg: Message) -> bool:
    lengths = [v for n, v in msg.headers if n.lower() == "content-length"]
    return not lengths or int(lengths[0]) == len(msg.body)


def _order(msg: Message, named: set[str]) -> list[str]:
    return [n.lower() for n, _ in msg.headers if n.lower() in named]


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    d = tmp_path_factory.mktemp("items")
    (d / "f.txt").write_text("file text\n")
    (d / "line.txt").write_text("from-file\n")
    (d / "d.json").write_text('{"k": [1, {"x": null}]}')
    (d / "b.bin").write_bytes(b"\x00\x01binary")

    def both(case):
        name, args, stdin, _ = case
        args = [a.replace("{d}", str(d)) for a in args]
        flags = [] if stdin is not None else ["--ignore-stdin"]
        theirs = _run([HTTP_CMD, "--offline", *flags, *args], stdin)
        ours = _run([REQLAB, "send", "--offline", *flags, *args], stdin)
        return name, (theirs, ours, args)

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(pool.map(both, CASES))


def test_the_table_is_large_enough():
    assert len(CASES) >= 60 and len({c[0] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", [c for c in CASES if c[3] is None], ids=lambda c: c[0])
def test_same_request_as_httpie(case, results):
    theirs, ours, args = results[case[0]]
    assert theirs.code == 0, theirs.err
    assert ours.code == 0, ours.err
    named = _named(args)
    assert ours.method == theirs.method
    assert ours.target == theirs.target
    assert _normal_headers(ours, named) == _normal_headers(theirs, named)
    assert _order(ours, named - {"host"}) == _order(theirs, named - {"host"})
    assert _body(ours) == _body(theirs)
    assert _content_length_ok(ours)


def test_difference_upload_without_form(results):
    theirs, ours, _ = results["upload-without-form"]
    assert theirs.code != 0 and "--form" in theirs.err
    assert ours.code == 0 and [p[0] for p in _parts(ours)] == ["up"]


def test_difference_multipart_keeps_json_fields(results):
    theirs, ours, _ = results["multipart-drops-json"]
    assert [p[0] for p in _parts(theirs)] == ["a"]
    assert [(p[0], p[3]) for p in _parts(ours)] == [("a", b"1"), ("n", b"3")]


def test_difference_host_is_always_sent(results):
    theirs, ours, _ = results["host-removed"]
    assert not any(n.lower() == "host" for n, _ in theirs.headers)
    assert ("Host", "localhost:8081") in ours.headers
    assert "reqlab always sends Host" in ours.err


def test_difference_repeated_headers_keep_their_order(results):
    theirs, ours, _ = results["header-order"]
    assert [v for n, v in theirs.headers if n.startswith("X-")] == ["1", "3", "2"]
    assert [v for n, v in ours.headers if n.startswith("X-")] == ["1", "2", "3"]

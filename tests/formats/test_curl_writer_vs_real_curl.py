"""The curl writer against the real curl: for generated requests, the written
command is run by bash and curl against a one-shot server on 127.0.0.1, and
what curl sends must be what reqlab sends for the request (compared as in
test_against_real_curl).  Left out of the requests: HTTP/2 (curl would try
h2c), digest auth (curl waits for a challenge), timeouts (a generated 1 ms
would make curl give up), and file parts without a type (curl guesses one
from the file name), a Content-Type given with a multipart body (curl adds
its boundary to it), and '\\' in part names (reqlab.body escapes it, curl
does not).  curl percent-encodes non-ASCII characters of the URL path,
which the comparison allows for."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qsl

from hypothesis import HealthCheck, example, given, settings

from reqlab.body import prepare
from reqlab.formats import write
from reqlab.formats.raw import read_raw
from reqlab.model import DigestAuth, FormBody, MultipartBody, MultipartFile, Request

from .strategies import fake_files, requests
from .test_against_real_curl import _capture, _normal, pytestmark  # noqa: F401

ORIGIN = "http://origin.invalid:1"


def _sendable(request: Request) -> Request:
    url = ORIGIN + request.url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])
    body = request.body
    if isinstance(body, MultipartBody):
        # curl appends its boundary to a Content-Type the user gave for -F
        request = request.without_headers("content-type")
        # reqlab.body escapes '\\' in part names as '\\\\'; curl and browsers do not.
        parts = tuple(
            replace(
                p,
                name=p.name.replace("\\", "/"),
                filename=p.filename.replace("\\", "/"),
                content_type=p.content_type or "application/octet-stream",
            )
            if isinstance(p, MultipartFile)
            else replace(p, name=p.name.replace("\\", "/"))
            for p in body.parts
        )
        body = replace(body, parts=parts)
    return replace(
        request,
        url=url,
        body=body,
        version=None if request.version == "HTTP/2" else request.version,
        auth=None if isinstance(request.auth, DigestAuth) else request.auth,
        options=replace(request.options, timeout=None, connect_timeout=None),
    )


def _as_curl_sends(target: str) -> str:
    """curl percent-encodes non-ASCII characters of the path (lower-case hex,
    the query stays as typed); the model keeps the URL as typed, which names
    the same resource."""
    path, mark, query = target.partition("?")
    path = "".join(
        ch if ord(ch) < 128 else "".join(f"%{b:02x}" for b in ch.encode()) for ch in path
    )
    return path + mark + query


def _files(request: Request, root: Path) -> None:
    paths = []
    body = request.body
    if body is not None and getattr(body, "path", None):
        paths.append(body.path)
    if isinstance(body, MultipartBody):
        paths += [p.path for p in body.parts if isinstance(p, MultipartFile) and p.path]
    for path in paths:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(fake_files(path))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(requests().map(_sendable))
@example(  # NUL bytes go through printf; the multipart delimiter starts with '-'
    Request(
        "POST",
        ORIGIN + "/",
        body=MultipartBody((MultipartFile("f", "a.bin", "x/y", data=b"\x00x"),)),
    )
)
def test_curl_sends_what_reqlab_sends(req: Request) -> None:
    request = req
    with tempfile.TemporaryDirectory() as tmp:
        _files(request, Path(tmp))
        command = write(request, "curl", read_file=fake_files).replace(ORIGIN, "{url}")
        wire = read_raw(_capture(command, cwd=Path(tmp)), base_url="http://x").request
    prepared = prepare(request, read_file=fake_files)
    assert wire.method == request.method
    assert wire.target == _as_curl_sends(request.target), command
    assert wire.version == (request.version or "HTTP/1.1")
    keep = {n.lower() for n, _ in request.headers}
    sent = b"" if wire.body is None else getattr(wire.body, "data", None)
    if sent is None:
        sent = wire.body.text.encode()
    ours, theirs = prepared.body, sent
    if isinstance(request.body, FormBody):  # curl's --data-urlencode spells '*' as %2A
        ours, theirs = (parse_qsl(b.decode(), keep_blank_values=True) for b in (ours, theirs))
    compressed = request.options.compressed
    assert _normal(prepared.headers, b"", keep, compressed) == _normal(
        wire.headers, b"", keep, compressed
    ), command
    if isinstance(request.body, MultipartBody):
        ours = _normal(prepared.headers, ours, keep, compressed)[1]
        theirs = _normal(wire.headers, theirs, keep, compressed)[1]
    assert ours == theirs, command

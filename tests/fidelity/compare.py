"""Compare the request that arrived at the echo server with the model.

What is compared, and what is deliberately not (the allowlist):

* method: exactly.
* request-target: exactly, after one normalisation: characters that may not
  appear raw in a request-target (non-ASCII, space, ``"<>[\\]^`{|}``) are
  percent-encoded as UTF-8 and percent-escapes are upper-cased, so ``café``
  and ``caf%C3%A9`` agree; ``%2F`` and ``/``, ``%26`` and ``&``, ``%2520`` and
  ``%20`` do not.  The fragment is never sent; an empty query (a lone
  trailing ``?``) may be dropped.
* HTTP version: exactly when the model names one; HTTP/1.1 or HTTP/2 when it
  leaves the choice to the client.
* headers, per name (case-insensitive, RFC 9110 5.1): the list of values,
  in order, duplicates kept - so a collapsed or comma-joined duplicate fails.
  Values are compared as bytes: non-ASCII text must arrive as UTF-8, as
  reqlab's own client sends it.
  Not compared: the case of names (HTTP/2 lower-cases them all) and the
  relative order of *different* names (RFC 9110 5.3: only the order of lines
  with the same name carries meaning; Go writes them sorted).
* allowlist: ``User-Agent, Accept, Accept-Encoding, Host, Content-Length,
  Transfer-Encoding`` may be added by the library when the model does not
  set them; when it does, its values must arrive exactly.
  A runner extends it per target with the headers that runtime always adds
  (``Runner.extra_headers``: a browser's Origin, Referer, Sec-Fetch-*, ...).
* ``Connection``: compared by meaning - whether the request lets the
  connection persist (:func:`message_persists`) must match the model; a
  request whose options forbid reuse may also announce ``close``.
* body: bytes exactly for text, bytes and JSON; urlencoded forms by their
  decoded fields (in order, repeats kept); multipart by parts - name,
  filename, the file's Content-Type and the bytes.  A text field part may
  carry ``Content-Type: text/plain`` (as some libraries add); the boundary
  is the library's, and must be the one in the Content-Type header.

**Semantic comparison** (``semantic=True``, for the idiomatic style): the
same request by meaning.  The path as above, the query as its decoded
``name=value`` pairs in order (so ``params=`` helpers that write ``%20`` as
``+`` or escape ``/`` agree); headers as above (the order of different
names and the case of names never count); JSON by value, so spacing and
key escapes may differ; forms by pairs and multipart by parts as above.

A multipart text field whose bare CR or LF arrived as CR LF (FormData
normalises line breaks, as the WHATWG spec says) is a body difference that a
warning naming "line breaks" declares; a file part whose only difference is
a non-ASCII filename sent as RFC 2047 encoded words (.NET) one that a
warning naming "encoded words" declares; any other body difference cannot be.

A difference is *declared* when the snippet's warnings name it (the version
string for a version difference, the header's name for a header, "body" for
a body left out entirely); a case whose every difference is declared counts
as ``warned``, not ``exact``.  Method and target differences, and a body
that arrived but differs, can never be declared.
"""

from __future__ import annotations

import email.header
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote

from fidelity.parsing import parse_form, parse_multipart
from reqlab.body import body_bytes, boundary_of, prepare
from reqlab.model import (
    FormBody,
    Header,
    JsonBody,
    MultipartBody,
    MultipartFile,
    Request,
)
from reqlab.protocol.keepalive import H2_FORBIDDEN, message_persists

ALLOWED_EXTRA = frozenset(
    {"user-agent", "accept", "accept-encoding", "host", "content-length", "transfer-encoding"}
)
# Characters allowed raw in a request-target's path and query (RFC 3986
# pchar, '/' and '?') plus '%'.  '[' and ']' are reserved for IP literals in
# the host: libraries that escape them in a query (requests, Guzzle) and
# those that pass them through (curl, browsers) name the same resource.
_TARGET_SAFE = "-._~:/?#@!$&'()*+,;=%"
_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")


@dataclass(frozen=True)
class Received:
    """One request as the echo server recorded it."""

    method: str
    target: str
    version: str
    headers: tuple[Header, ...]
    body: bytes
    raw_head: bytes | None = None

    def values(self, name: str) -> list[str]:
        return [v for n, v in self.headers if n.lower() == name.lower()]


@dataclass(frozen=True)
class Difference:
    kind: str  # method, target, version, header, connection, body
    key: str  # what a warning must name to declare it ("" = undeclarable)
    message: str


@dataclass
class Verdict:
    differences: list[Difference] = field(default_factory=list)
    undeclared: list[Difference] = field(default_factory=list)

    @property
    def status(self) -> str:
        if not self.differences:
            return "exact"
        return "fail" if self.undeclared else "warned"

    def explain(self) -> str:
        return "\n".join(f"- {d.kind}: {d.message}" for d in self.differences)


def wire_target(target: str) -> str:
    """``target`` as it must look on the wire, for comparison (see module doc)."""
    target = target.split("#", 1)[0]
    if target.endswith("?") and target.count("?") == 1:
        target = target[:-1]  # an empty query: libraries drop the lone '?'
    encoded = quote(target, safe=_TARGET_SAFE)
    return _ESCAPE.sub(lambda m: m.group(0).upper(), encoded)


def expected_headers(model: Request, boundary: str | None, read_file: ReadFile) -> list[Header]:
    """The headers the model means to send: the user's, auth, default Content-Type."""
    prepared = prepare(
        model, read_file=read_file, host_header=False, content_length=False, boundary=boundary
    )
    headers = list(prepared.headers)
    if model.version == "HTTP/2":
        headers = [
            (n, v)
            for n, v in headers
            if n.lower() not in H2_FORBIDDEN and not (n.lower() == "te" and v != "trailers")
        ]
    return headers


ReadFile = Callable[[str], bytes]


def compare(
    model: Request,
    received: Received,
    *,
    read_file: ReadFile,
    warnings: Sequence[str] = (),
    allowed_extra: Iterable[str] = (),
    semantic: bool = False,
) -> Verdict:
    """Every way ``received`` differs from ``model``, split into declared and not.

    ``semantic`` compares the query by pairs and JSON by value (see above)."""
    diffs: list[Difference] = []
    if received.method != model.method:
        diffs.append(Difference("method", "", f"expected {model.method}, got {received.method}"))
    want, got = wire_target(model.target), wire_target(received.target)
    if want != got and not (semantic and same_by_meaning(want, got)):
        diffs.append(Difference("target", "", f"expected {want!r}, got {received.target!r}"))
    diffs += _version(model, received)
    multipart = isinstance(model.body, MultipartBody)
    boundary = (
        boundary_of(received.values("content-type")[0])
        if multipart and received.values("content-type")
        else None
    )
    allowed = ALLOWED_EXTRA | {n.lower() for n in allowed_extra}
    expected = expected_headers(model, boundary, read_file)
    diffs += _headers(model, received, expected, multipart, allowed)
    diffs += _connection(model, received)
    body = _body(model, received, boundary, read_file, semantic)
    diffs += _left_out(body, diffs, received)
    verdict = Verdict(diffs)
    verdict.undeclared = [d for d in diffs if not _declared(d, warnings)]
    return verdict


def same_by_meaning(want: str, got: str) -> bool:
    """Two request-targets with the same path and the same decoded query pairs."""
    want_path, _, want_query = want.partition("?")
    got_path, _, got_query = got.partition("?")
    return want_path == got_path and query_pairs(want_query) == query_pairs(got_query)


def query_pairs(query: str) -> list[tuple[str, str]]:
    return parse_qsl(query, keep_blank_values=True, encoding="utf-8", errors="replace")


def _declared(diff: Difference, warnings: Sequence[str]) -> bool:
    if not diff.key:
        return False
    pattern = re.compile(rf"(?<![\w-]){re.escape(diff.key)}(?![\w-])", re.IGNORECASE)
    return any(pattern.search(w) for w in warnings)


def _version(model: Request, received: Received) -> list[Difference]:
    if model.version is None:
        if received.version in ("HTTP/1.1", "HTTP/2"):
            return []
        return [Difference("version", "", f"expected HTTP/1.1 or HTTP/2, got {received.version}")]
    if received.version != model.version:
        msg = f"expected {model.version}, got {received.version}"
        return [Difference("version", model.version, msg)]
    return []


def _headers(
    model: Request,
    received: Received,
    expected: list[Header],
    multipart: bool,
    allowed: frozenset[str] = ALLOWED_EXTRA,
) -> list[Difference]:
    diffs = []
    names = dict.fromkeys(
        [n.lower() for n, _ in expected] + [n.lower() for n, _ in received.headers]
    )
    for name in names:
        if name == "connection" or (name == "content-type" and multipart):
            continue  # compared by meaning below / with the multipart body
        want = [v for n, v in expected if n.lower() == name]
        got = received.values(name)
        if not want and name in allowed:
            continue
        if [_wire_bytes(v) for v in want] != [_received_bytes(v) for v in got]:
            shown = next(
                (n for n, _ in expected + list(received.headers) if n.lower() == name), name
            )
            diffs.append(Difference("header", shown, f"{shown}: expected {want!r}, got {got!r}"))
    return diffs


def _wire_bytes(value: str) -> bytes:
    return value.encode("utf-8")  # reqlab sends header text as UTF-8


def _received_bytes(value: str) -> bytes:
    # The server keeps HTTP/1.x header bytes as latin-1 text (one char per byte).
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8")


def _connection(model: Request, received: Received) -> list[Difference]:
    if model.version == "HTTP/2" or received.version == "HTTP/2":
        if received.version == "HTTP/2" and received.values("connection"):
            return [Difference("connection", "", "HTTP/2 request carries a Connection header")]
        return []
    want = message_persists(model.version or "HTTP/1.1", model.headers)
    got = message_persists(received.version, received.headers)
    if want == got or (not got and not model.options.keep_alive):
        return []  # a request that may not reuse its connection may also say close
    msg = (
        f"the model's request {'keeps' if want else 'closes'} the connection, the one sent "
        f"{'keeps' if got else 'closes'} it (Connection: {received.values('connection')})"
    )
    return [Difference("connection", "Connection", msg)]


def _left_out(
    body_diffs: list[Difference], diffs: list[Difference], received: Received
) -> list[Difference]:
    """A body left out entirely (not mangled) - and the Content-Type that
    went with it - may be declared by a warning that names the body."""
    if not body_diffs or received.body:
        return body_diffs
    for i, d in enumerate(diffs):
        if d.kind == "header" and d.key.lower() == "content-type" and not received.values(d.key):
            diffs[i] = Difference(d.kind, "body", d.message)
    return [Difference(d.kind, "body", d.message) for d in body_diffs]


def _body(
    model: Request,
    received: Received,
    boundary: str | None,
    read_file: ReadFile,
    semantic: bool = False,
) -> list[Difference]:
    body = model.body
    if isinstance(body, MultipartBody):
        return _multipart(body, received, boundary, read_file)
    if isinstance(body, FormBody):
        try:
            got_fields = parse_form(received.body)
        except ValueError as exc:
            return [Difference("body", "", f"form body does not parse: {exc}")]
        if got_fields != list(body.fields):
            return [
                Difference(
                    "body", "", f"form fields: expected {list(body.fields)!r}, got {got_fields!r}"
                )
            ]
        return []
    want = body_bytes(body, None, read_file)
    if semantic and isinstance(body, JsonBody) and _json_equal(body.value, received.body):
        return []
    if want != received.body:
        return [Difference("body", "", f"body: {_bytes_diff(want, received.body)}")]
    return []


def _json_equal(value: object, data: bytes) -> bool:
    try:
        got = json.loads(data.decode("utf-8"))
    except ValueError:
        return False
    # 1 == 1.0 == True in Python: compare the canonical texts as well.
    canon = json.dumps(got, sort_keys=True) == json.dumps(value, sort_keys=True)
    return bool(got == value and canon)


def rfc2047(text: str) -> str | None:
    """``text`` decoded from RFC 2047 encoded words, None when it holds none."""
    if "=?" not in text:
        return None
    try:
        parts = email.header.decode_header(text)
    except (ValueError, LookupError):
        return None
    return "".join(p.decode(c or "ascii") if isinstance(p, bytes) else p for p, c in parts)


def crlf(data: bytes) -> bytes:
    """Every bare CR, bare LF and CR LF as CR LF (the WHATWG FormData rule)."""
    return re.sub(rb"\r\n|\r|\n", b"\r\n", data)


def _multipart(
    body: MultipartBody, received: Received, boundary: str | None, read_file: ReadFile
) -> list[Difference]:
    ctype = received.values("content-type")
    if len(ctype) != 1 or not ctype[0].lower().startswith("multipart/form-data") or not boundary:
        return [
            Difference(
                "body",
                "",
                f"Content-Type: expected multipart/form-data with a boundary, got {ctype!r}",
            )
        ]
    try:
        parts = parse_multipart(received.body, boundary)
    except ValueError as exc:
        return [Difference("body", "", f"multipart body does not parse: {exc}")]
    diffs = []
    if len(parts) != len(body.parts):
        names = [p.name for p in parts]
        diffs.append(
            Difference("body", "", f"expected {len(body.parts)} parts, got {len(parts)}: {names}")
        )
    for i, (want, got) in enumerate(zip(body.parts, parts, strict=False)):
        problems = []
        if got.name != want.name:
            problems.append(f"name {got.name!r} instead of {want.name!r}")
        if isinstance(want, MultipartFile):
            data = want.data if want.data is not None else read_file(want.path or "")
            if got.filename != want.filename:
                problems.append(f"filename {got.filename!r} instead of {want.filename!r}")
            got_type = got.headers.get("content-type")
            if want.content_type is not None and got_type != want.content_type:
                problems.append(f"Content-Type {got_type!r} instead of {want.content_type!r}")
        else:
            data = want.value.encode()
            if got.filename is not None:
                problems.append(f"a text field sent as a file ({got.filename!r})")
            got_type = got.headers.get("content-type", "text/plain").lower().replace(" ", "")
            if got_type not in ("text/plain", "text/plain;charset=utf-8"):
                problems.append(f"text field has Content-Type {got_type!r}")
        if got.data != data:
            problems.append(_bytes_diff(data, got.data))
        # A text field's line breaks sent as CR LF, a non-ASCII filename as
        # RFC 2047 encoded words (.NET): declarable (see above).
        key = ""
        if not isinstance(want, MultipartFile) and len(problems) == 1:
            key = "line breaks" if got.data == crlf(data) != data else ""
        elif isinstance(want, MultipartFile) and len(problems) == 1 and got.filename:
            key = "encoded words" if rfc2047(got.filename) == want.filename else ""
        if problems:
            diffs.append(
                Difference("body", key, f"part {i} ({want.name!r}): " + "; ".join(problems))
            )
    return diffs


def _bytes_diff(want: bytes, got: bytes) -> str:
    if not got and want:
        return f"expected {len(want)} bytes, got none"
    at = next((i for i, (a, b) in enumerate(zip(want, got, strict=False)) if a != b), None)
    if at is None:
        at = min(len(want), len(got))
    lo = max(0, at - 20)
    return (
        f"{len(want)} bytes expected, {len(got)} received, first difference at byte {at}: "
        f"expected {want[lo : at + 20]!r}, got {got[lo : at + 20]!r}"
    )

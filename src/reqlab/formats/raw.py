"""Raw HTTP/1.x request messages, both ways.

Reading keeps the message as it is on the wire: every header line (Host,
Content-Length included) lands in ``headers`` in order, and the body's bytes
are kept exactly (text when they are UTF-8, else bytes).  Writing goes
through :func:`reqlab.body.prepare`, so the headers a client adds (Host
first; Authorization, Content-Type and Content-Length last) appear exactly
as the client will send them.

Round trip: text -> model -> text is byte-identical for a well-formed
message (CRLF line ends, origin-form target, Host present, ``Name: value``
with one space, body length matching Content-Length).  model -> text ->
model gives :func:`normal_form` of the model: the message materialises what
the client would add, and cannot hold auth, options or a URL scheme.
"""

from __future__ import annotations

import re

from reqlab.body import Prepared, prepare
from reqlab.errors import FormatError
from reqlab.formats._common import (
    Parsed,
    ReadFile,
    Written,
    build,
    from_bytes,
    stable_boundary,
    text_or_bytes,
    to_bytes,
)
from reqlab.model import DigestAuth, MultipartBody, Options, Request, is_token

FMT = "http"
_VERSIONS = {
    "HTTP/1.0": "HTTP/1.0",
    "HTTP/1.1": "HTTP/1.1",
    "HTTP/2": "HTTP/2",
    "HTTP/2.0": "HTTP/2",
}
_VERSION = re.compile(r"^HTTP/\d(\.\d)?$")


def _lines(data: bytes) -> tuple[list[tuple[int, str]], bytes | None]:
    """The head's lines (numbered from 1, line ends removed) and the bytes
    after the blank line, or None when the input has no blank line."""
    lines: list[tuple[int, str]] = []
    pos, number = 0, 0
    while pos < len(data):
        end = data.find(b"\n", pos)
        raw = data[pos:] if end < 0 else data[pos:end]
        number += 1
        pos = len(data) if end < 0 else end + 1
        raw = raw[:-1] if raw.endswith(b"\r") else raw
        if not raw:
            if lines:
                return lines, data[pos:]
            continue  # RFC 9112 2.2: ignore empty lines before the request line
        try:
            lines.append((number, raw.decode("utf-8")))
        except UnicodeDecodeError as exc:
            raise FormatError(
                FMT, f"line {number}, column {exc.start + 1}", "UTF-8 text in the head"
            ) from None
    return lines, None


def _request_line(number: int, line: str) -> tuple[str, str, str]:
    parts = line.split()
    if len(parts) != 3 or not _VERSION.match(parts[2]):
        raise FormatError(
            FMT, f"line {number}", f"a request line 'METHOD /target HTTP/1.1', got {line!r}"
        )
    method, target, version = parts
    if not is_token(method):
        raise FormatError(
            FMT, f"line {number}, column 1", f"a method token (like GET or PURGE), got {method!r}"
        )
    return method, target, version


def _header(number: int, line: str) -> tuple[str, str]:
    if line[0] in " \t":
        raise FormatError(
            FMT, f"line {number}, column 1", "a header 'Name: value' (folded lines are obsolete)"
        )
    name, colon, value = line.partition(":")
    if not colon:
        raise FormatError(FMT, f"line {number}", f"a header 'Name: value', got {line!r}")
    if not is_token(name):
        raise FormatError(
            FMT, f"line {number}, column 1", f"a header name (a token, no spaces), got {name!r}"
        )
    if "\r" in value or "\0" in value:
        raise FormatError(FMT, f"line {number}", "a header value without CR or NUL")
    return name, value.strip(" \t")


def _url(target: str, headers: list[tuple[str, str]], base_url: str | None, where: str) -> str:
    if re.match(r"^https?://", target, re.IGNORECASE):
        return target
    if not target.startswith("/"):
        raise FormatError(
            FMT, where, f"a target starting with '/' or an absolute http(s) URL, got {target!r}"
        )
    base = base_url or ""
    scheme = base.split("://", 1)[0] if "://" in base else base.rstrip(":") or "http"
    host = next((v for n, v in headers if n.lower() == "host"), None)
    if host is None:
        if not base_url or "://" not in base_url:
            raise FormatError(
                FMT, where, "a Host header or an absolute URL (or give a base URL: --base-url)"
            )
        host = base_url.split("://", 1)[1].split("/", 1)[0]
    return f"{scheme}://{host}{target}"


def _body(rest: bytes | None, headers: list[tuple[str, str]], warnings: list[str]) -> bytes:
    if not rest:
        return b""
    lengths = [v for n, v in headers if n.lower() == "content-length"]
    chunked = any(n.lower() == "transfer-encoding" and "chunked" in v.lower() for n, v in headers)
    if chunked:
        warnings.append("Transfer-Encoding: chunked: the body is kept as written, framing included")
        return rest
    if lengths and lengths[0].strip().isdigit():
        length = int(lengths[0])
        if len(rest) > length:
            if rest[length:].strip():
                warnings.append(
                    f"{len(rest) - length} bytes after the {length}-byte body were ignored"
                )
            return rest[:length]
        if len(rest) < length:
            warnings.append(f"the body has {len(rest)} bytes but Content-Length says {length}")
        return rest
    if not rest.strip():
        return b""
    if not lengths:
        warnings.append("no Content-Length: the body runs to the end of the input")
    return rest


def read_raw(text: str | bytes, *, base_url: str | None = None) -> Parsed:
    """Read a raw HTTP/1.x request message.  ``base_url`` gives the scheme
    (default http; ``"https"`` alone names just the scheme) and, when the
    message has no Host header, the host."""
    data = to_bytes(text) if isinstance(text, str) else text
    lines, rest = _lines(data)
    if not lines:
        raise FormatError(FMT, "line 1", "a request line 'METHOD /target HTTP/1.1'")
    number, first = lines[0]
    method, target, version = _request_line(number, first)
    warnings: list[str] = []
    if version not in _VERSIONS:
        warnings.append(f"{version} is not supported; the client will choose the version")
    headers = [_header(n, line) for n, line in lines[1:]]
    url = _url(target, headers, base_url, f"line {number}")
    body = _body(rest, headers, warnings)
    request = build(
        FMT,
        f"line {number}",
        method=method,
        url=url,
        headers=tuple(headers),
        body=text_or_bytes(body) if body else None,
        version=_VERSIONS.get(version),
    )
    return Parsed(request, warnings, FMT)


def _boundary(request: Request) -> str | None:
    if isinstance(request.body, MultipartBody):
        return stable_boundary(request.body)
    return None


def write_raw_bytes(
    request: Request, *, read_file: ReadFile | None = None
) -> tuple[bytes, list[str]]:
    """The request as a raw HTTP/1.x message, and what it could not hold."""
    warnings: list[str] = []
    prepared = _prepare(request, read_file)
    version = request.version or "HTTP/1.1"
    if version == "HTTP/2":
        warnings.append(
            "HTTP/2 has no text form: written in HTTP/1.1 message syntax (Host for :authority)"
        )
    if isinstance(request.auth, DigestAuth):
        warnings.append("digest auth answers a server challenge: it cannot be written up front")
    if request.options != Options():
        warnings.append("options (timeouts, redirects, TLS, reuse) have no place in a raw message")
    head = [f"{request.method} {request.target} {version}"]
    head += [f"{name}: {value}" for name, value in prepared.headers]
    message = "\r\n".join(head).encode() + b"\r\n\r\n" + prepared.body
    return message, warnings


def _prepare(request: Request, read_file: ReadFile | None) -> Prepared:
    def refuse(path: str) -> bytes:
        raise FormatError(FMT, "body", f"the contents of {path!r} (file reading is off)")

    return prepare(request, read_file=read_file or refuse, boundary=_boundary(request))


def write_raw(request: Request, *, read_file: ReadFile | None = None) -> Written:
    message, warnings = write_raw_bytes(request, read_file=read_file)
    return Written(from_bytes(message), warnings)


def normal_form(request: Request, *, read_file: ReadFile | None = None) -> Request:
    """What ``read_raw(write_raw(request))`` gives back (with ``base_url``
    naming the request's scheme): headers as prepared, auth moved into
    Authorization, the body as its bytes, version made explicit, options
    dropped, header values trimmed of surrounding whitespace (as reading
    does), and the URL rebuilt from Host and the origin-form target."""
    prepared = _prepare(request, read_file)
    host = next(v for n, v in prepared.headers if n.lower() == "host")
    return Request(
        method=request.method,
        url=f"{request.scheme}://{host}{request.target}",
        headers=tuple((n, v.strip(" \t")) for n, v in prepared.headers),
        body=text_or_bytes(prepared.body) if prepared.body else None,
        version=request.version or "HTTP/1.1",
    )

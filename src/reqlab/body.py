"""Turning a modelled body into bytes, and the headers a request needs.

This is the single place that decides how each body kind looks on the wire,
so the client, the raw-HTTP writer, the web page and code generation agree.
Files named by path are read through a ``read_file`` callable the caller
passes in; this module itself never touches the disk.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote_plus

from reqlab._records import record
from reqlab.model import (
    BasicAuth,
    BearerAuth,
    Body,
    BytesBody,
    FormBody,
    Header,
    JsonBody,
    MultipartBody,
    MultipartFile,
    Request,
    TextBody,
    check_headers,
)

ReadFile = Callable[[str], bytes]


def no_files(path: str) -> bytes:
    raise FileNotFoundError(f"reading {path!r} is not allowed here")


def json_text(value: Any) -> str:
    """The one JSON serialisation reqlab sends: compact, UTF-8, key order kept."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def form_text(fields: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> str:
    """application/x-www-form-urlencoded, as browsers write it (space as '+')."""
    return "&".join(f"{quote_plus(n, safe='*')}={quote_plus(v, safe='*')}" for n, v in fields)


def new_boundary() -> str:
    import secrets  # loads hashlib and OpenSSL's digests: only multipart needs it

    return "----reqlab" + secrets.token_hex(12)


def default_content_type(body: Body, boundary: str | None = None) -> str | None:
    """The Content-Type to add when the user gave none."""
    if isinstance(body, JsonBody):
        return "application/json"
    if isinstance(body, FormBody):
        return "application/x-www-form-urlencoded"
    if isinstance(body, MultipartBody):
        return f"multipart/form-data; boundary={boundary or body.boundary or new_boundary()}"
    return None  # text and bytes: the user's Content-Type, or none at all


def boundary_of(content_type: str | None) -> str | None:
    """The boundary parameter of a multipart Content-Type, unquoted."""
    if not content_type:
        return None
    for param in content_type.split(";")[1:]:
        key, _, value = param.strip().partition("=")
        if key.strip().lower() == "boundary":
            return value.strip().strip('"') or None
    return None


def part_header_value(text: str) -> str:
    """A part name or filename inside its quoted Content-Disposition value.

    Quotes and line breaks are percent-encoded as browsers do (WHATWG HTML);
    a backslash is doubled, as in a quoted-string (RFC 9110 section 5.6.4)
    and as Go's mime/multipart writes it, so that parsers which read
    quoted-pairs get it back unchanged."""
    return text.replace("\\", "\\\\").replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def multipart_bytes(body: MultipartBody, boundary: str, read_file: ReadFile = no_files) -> bytes:
    out: list[bytes] = []
    for part in body.parts:
        out.append(f"--{boundary}\r\n".encode())
        disposition = f'form-data; name="{part_header_value(part.name)}"'
        if isinstance(part, MultipartFile):
            disposition += f'; filename="{part_header_value(part.filename)}"'
            ctype = part.content_type or "application/octet-stream"
            data = part.data if part.data is not None else read_file(part.path or "")
            out.append(
                f"Content-Disposition: {disposition}\r\nContent-Type: {ctype}\r\n\r\n".encode()
            )
            out.append(data)
        else:
            out.append(f"Content-Disposition: {disposition}\r\n\r\n".encode())
            out.append(part.value.encode())
        out.append(b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out)


def body_bytes(
    body: Body | None, boundary: str | None = None, read_file: ReadFile = no_files
) -> bytes:
    """The bytes of ``body`` as sent; multipart needs its boundary."""
    if body is None:
        return b""
    if isinstance(body, TextBody):
        return body.text.encode()
    if isinstance(body, BytesBody):
        return body.data if body.data is not None else read_file(body.path or "")
    if isinstance(body, JsonBody):
        return json_text(body.value).encode()
    if isinstance(body, FormBody):
        return form_text(body.fields).encode()
    if isinstance(body, MultipartBody):
        return multipart_bytes(body, boundary or body.boundary or new_boundary(), read_file)
    raise TypeError(f"unknown body {body!r}")


def basic_credentials(username: str, password: str) -> str:
    return base64.b64encode(f"{username}:{password}".encode()).decode()


def auth_header(request: Request) -> str | None:
    """The Authorization value an auth adds up front (digest waits for a challenge)."""
    if isinstance(request.auth, BasicAuth):
        return "Basic " + basic_credentials(request.auth.username, request.auth.password)
    if isinstance(request.auth, BearerAuth):
        return "Bearer " + request.auth.token
    return None


@record(frozen=True)
class Prepared:
    """A request resolved to what goes on the wire.

    ``headers`` is the full list in sending order: the user's, as written,
    followed by the ones added (``added`` names them) - except Host, which
    HTTP/1.1 convention puts first.
    """

    headers: tuple[Header, ...]
    body: bytes
    added: tuple[str, ...]


def prepare(
    request: Request,
    *,
    read_file: ReadFile = no_files,
    host_header: bool = True,
    content_length: bool = True,
    boundary: str | None = None,
    extra: Iterable[Header] = (),
) -> Prepared:
    """Resolve ``request`` into the header list and body bytes to send.

    ``host_header`` False leaves out Host (HTTP/2 uses :authority instead);
    ``content_length`` False leaves out Content-Length (HTTP/2 frames carry
    the length).  ``extra`` are headers a session adds (cookies, a digest
    answer, Accept-Encoding); they go last.

    This is where the header list is finalised, so every header reqlab
    generates (Host, auth, a multipart Content-Type with its boundary, the
    ``extra`` ones) passes here through the same check as the user's own
    headers (:func:`reqlab.model.check_header`): a CR or LF smuggled in
    through a boundary, a digest user name or a cookie never reaches the wire.
    """
    user = list(request.headers)
    given = {n.lower() for n, _ in user}  # the names the user wrote, any case
    added: list[Header] = []
    front: list[Header] = []
    if host_header and "host" not in given:
        front.append(("Host", request.split_url.netloc.rsplit("@", 1)[-1]))
    auth = auth_header(request)
    if auth and "authorization" not in given:
        added.append(("Authorization", auth))
    body = request.body
    if isinstance(body, MultipartBody):
        boundary = (
            boundary
            or body.boundary
            or boundary_of(request.header("content-type"))
            or new_boundary()
        )
    if body is not None and "content-type" not in given:
        ctype = default_content_type(body, boundary)
        if ctype:
            added.append(("Content-Type", ctype))
    data = body_bytes(body, boundary, read_file)
    sends_length = (
        content_length and "content-length" not in given and "transfer-encoding" not in given
    )
    if sends_length and (data or request.method.upper() in ("POST", "PUT", "PATCH")):
        added.append(("Content-Length", str(len(data))))
    added.extend(extra)
    made = front + added
    check_headers(made, "generated headers")
    return Prepared(headers=tuple(front + user + added), body=data, added=tuple(n for n, _ in made))


def describe_body(body: Body | None) -> str:
    """A short human label for a body, for logs and tables."""
    if body is None:
        return "none"
    if isinstance(body, MultipartBody):
        names = ", ".join(
            p.name + ("(file)" if isinstance(p, MultipartFile) else "") for p in body.parts
        )
        return f"multipart [{names}]"
    if isinstance(body, FormBody):
        return f"form [{', '.join(n for n, _ in body.fields)}]"
    return body.kind


__all__ = [
    "Prepared",
    "auth_header",
    "body_bytes",
    "boundary_of",
    "default_content_type",
    "describe_body",
    "form_text",
    "json_text",
    "multipart_bytes",
    "new_boundary",
    "prepare",
]

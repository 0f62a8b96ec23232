"""Where ``reqlab send``'s input comes from: files, stdin, curl-style options,
credentials.  The I/O half of building a request (``_send_build`` decides).

curl's habits become HTTPie items: ``-H 'Name: value'`` a header item,
``--form-part name=value|name=@file`` a multipart item, ``--data DATA``
(curl's ``-d``; ``@file`` reads a file, newlines dropped as curl does) a
whole body.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import Any

from reqlab.errors import InvalidRequest
from reqlab.model import BasicAuth, BearerAuth, DigestAuth


def read_file(path: str) -> bytes:
    return Path(path).expanduser().read_bytes()


def stdin_has_body() -> bool:
    """A pipe, a file or a socket on stdin is the body; a terminal or a
    character device such as /dev/null is not (HTTPie reads /dev/null as
    an empty body; CI runners give exactly that)."""
    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (OSError, ValueError, AttributeError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISREG(mode) or stat.S_ISSOCK(mode)


def curl_parts(specs: tuple[str, ...]) -> list[str]:
    """``-F`` values as multipart items."""
    items = []
    for spec in specs:
        name, eq, value = spec.partition("=")
        if not eq or not name:
            raise InvalidRequest(f"-F {spec!r}", "expected name=value or name=@file")
        esc = name.replace("\\", "\\\\")
        for ch in ":;=@":
            esc = esc.replace(ch, "\\" + ch)
        items.append(f"{esc}@{value[1:]}" if value.startswith("@") else f"{esc}={value}")
    return items


def curl_headers(specs: tuple[str, ...]) -> list[tuple[str, str]]:
    out = []
    for spec in specs:
        name, colon, value = spec.partition(":")
        if not colon or not name.strip():
            raise InvalidRequest(f"-H {spec!r}", "expected 'Name: value'")
        out.append((name.strip(), value.strip()))
    return out


def curl_data(values: tuple[str, ...]) -> bytes:
    """curl's -d: values joined with '&'; '@file' reads a file (newlines dropped)."""
    chunks = []
    for value in values:
        if value.startswith("@"):
            path = value[1:]
            try:
                raw = sys.stdin.buffer.read() if path == "-" else read_file(path)
            except OSError as exc:
                raise InvalidRequest(
                    f"--data {value!r}", f"cannot read {path!r}: {exc.strerror}"
                ) from None
            chunks.append(raw.replace(b"\r", b"").replace(b"\n", b""))
        else:
            chunks.append(value.encode())
    return b"&".join(chunks)


def read_body_file(path: str) -> bytes:
    try:
        return read_file(path)
    except OSError as exc:
        raise InvalidRequest(f"item @{path}", f"cannot read: {exc.strerror}") from None


def guess_type(path: str) -> str | None:
    import mimetypes  # reads the system's type tables: only when a file is named

    return mimetypes.guess_type(path, strict=False)[0]


def auth_for(credentials: str | None, kind: str | None) -> Any:
    if credentials is None:
        return None
    if kind == "bearer":
        return BearerAuth(credentials)
    name, colon, password = credentials.partition(":")
    if not colon and sys.stdin.isatty():
        import getpass

        password = getpass.getpass(f"reqlab: password for {name}: ")
    return DigestAuth(name, password) if kind == "digest" else BasicAuth(name, password)

"""The cookie manager: a client's cookies to and from Netscape cookie files
(the ``cookies.txt`` curl, wget and browser extensions read and write), and
a listing per domain.

    load_cookies(client, "cookies.txt")   # before sending
    save_cookies(client, "cookies.txt")   # after: what the servers set is kept

Session cookies (no expiry) are written too, as curl's ``-c`` does, so a
login survives between ``reqlab send`` runs; the file is created mode 0600.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from http.cookiejar import Cookie
from pathlib import Path
from typing import Protocol

from reqlab.client._cookies import Jar
from reqlab.errors import InvalidRequest


class HasJar(Protocol):
    jar: Jar | None


@dataclass(frozen=True)
class CookieRow:
    domain: str
    path: str
    name: str
    value: str
    secure: bool
    expires: int | None  # epoch seconds; None: a session cookie


def _jar_of(client: HasJar) -> Jar:
    if client.jar is None:
        raise InvalidRequest("cookies", "this client was made with cookies=False")
    return client.jar


def parse_netscape(text: str, where: str) -> list[Cookie]:
    """Cookies of a Netscape file: 7 tab-separated fields a line; curl writes
    ``0`` as the expiry of a session cookie and ``#HttpOnly_`` before the domain."""
    found: list[Cookie] = []
    lines = text.splitlines()
    for number, line in enumerate(lines, 1):
        http_only = line.startswith("#HttpOnly_")
        if http_only:
            line = line[len("#HttpOnly_") :]
        elif not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 7 or not fields[4].lstrip("-").isdigit():
            raise InvalidRequest(where, f"line {number}: not a Netscape cookie line")
        domain, _, path, secure, expires, name, value = fields
        cookie = _cookie(domain, path, secure == "TRUE", int(expires) or None, name, value)
        if http_only:
            cookie.set_nonstandard_attr("HttpOnly", "")
        found.append(cookie)
    return found


def _cookie(
    domain: str, path: str, secure: bool, expires: int | None, name: str, value: str
) -> Cookie:
    return Cookie(
        version=0, name=name, value=value, port=None, port_specified=False,
        domain=domain, domain_specified=domain.startswith("."),
        domain_initial_dot=domain.startswith("."), path=path, path_specified=True,
        secure=secure, expires=expires, discard=expires is None, comment=None,
        comment_url=None, rest={},
    )  # fmt: skip


def format_netscape(cookies: list[Cookie]) -> str:
    lines = ["# Netscape HTTP Cookie File", "# written by reqlab", ""]
    for c in cookies:
        flag = "TRUE" if c.domain.startswith(".") else "FALSE"
        secure = "TRUE" if c.secure else "FALSE"
        prefix = "#HttpOnly_" if c.has_nonstandard_attr("HttpOnly") else ""
        lines.append(
            prefix
            + "\t".join(
                [c.domain, flag, c.path, secure, str(c.expires or 0), c.name, c.value or ""]
            )
        )
    return "\n".join(lines) + "\n"


def load_cookies(client: HasJar, path: str | Path) -> int:
    """Add the cookies of a Netscape cookie file to ``client``; how many."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return 0
    except OSError as exc:
        raise InvalidRequest("--cookie-jar", f"{path}: {exc.strerror}") from None
    try:
        cookies = parse_netscape(text, str(path))
    except InvalidRequest as exc:
        raise InvalidRequest(
            "--cookie-jar", f"{path}: not a Netscape cookie file ({exc.message})"
        ) from None
    jar = _jar_of(client).jar
    now = int(time.time())
    kept = [c for c in cookies if not c.is_expired(now)]
    for cookie in kept:
        jar.set_cookie(cookie)
    return len(kept)


def save_cookies(client: HasJar, path: str | Path) -> int:
    """Write the client's cookies (those with a domain) to a Netscape file, mode 0600."""
    cookies = list(_jar_of(client).jar)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(format_netscape(cookies))
    return len(cookies)


def rows(client: HasJar) -> list[CookieRow]:
    """Every cookie, sorted by domain, path and name."""
    return sorted(
        (_row(c) for c in _jar_of(client).jar),
        key=lambda r: (r.domain.lstrip("."), r.path, r.name),
    )


def _row(cookie: Cookie) -> CookieRow:
    return CookieRow(
        cookie.domain,
        cookie.path,
        cookie.name,
        cookie.value or "",
        cookie.secure,
        cookie.expires,
    )


def read_rows(path: str | Path) -> list[CookieRow]:
    """The cookies of a Netscape cookie file (expired ones left out)."""

    class _Holder:
        jar: Jar | None = Jar()

    holder = _Holder()
    if not Path(path).exists():
        raise InvalidRequest("cookie file", f"{path}: no such file")
    load_cookies(holder, path)
    return rows(holder)

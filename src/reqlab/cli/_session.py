"""``--session NAME|PATH``: cookies, auth and headers kept between runs.

The file is HTTPie 3.x's session layout, so HTTPie reads reqlab's sessions
and the other way round::

    {"__meta__": {"about": "HTTPie session file", ...},
     "auth": {"type": "basic", "raw_auth": "user:pass"},
     "cookies": [{"name", "value", "domain", "path", "expires", "secure"}],
     "headers": [{"name": "X-A", "value": "1"}]}

A NAME lives in ``$XDG_CONFIG_HOME/reqlab/sessions/HOST_PORT/NAME.json``
(HTTPie's tree under reqlab's config directory); anything with a ``/`` is
a path.  Headers named Content-* or If-* are not kept (they belong to one
request); a Cookie header becomes cookies.  ``--session-read-only`` uses a
session without writing it back.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http.cookies import CookieError, SimpleCookie
from pathlib import Path
from typing import Any

from reqlab import __version__
from reqlab.errors import InvalidRequest
from reqlab.model import Auth, BasicAuth, BearerAuth, DigestAuth, Request

NAME = re.compile(r"^[a-zA-Z0-9_.-]+$")
IGNORED_PREFIXES = ("content-", "if-")


def sessions_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "reqlab" / "sessions"


def session_path(name: str, request: Request) -> Path:
    if os.sep in name or "/" in name:
        return Path(name).expanduser()
    if not NAME.match(name):
        raise InvalidRequest("--session", f"{name!r}: a name is letters, digits, '_', '.', '-'")
    host = request.split_url.netloc.rsplit("@", 1)[-1].replace(":", "_")
    return sessions_dir() / host / f"{name}.json"


@dataclass
class Session:
    path: Path
    host: str
    data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def open(cls, name: str, request: Request) -> Session:
        path = session_path(name, request)
        data: dict[str, Any] = {}
        if path.exists():
            try:
                data = json.loads(path.read_text())
            except (OSError, ValueError) as exc:
                raise InvalidRequest(f"--session {str(path)!r}", f"unreadable: {exc}") from None
        data.setdefault("headers", [])
        data.setdefault("cookies", [])
        data.setdefault("auth", {"type": None, "raw_auth": None})
        if isinstance(data["headers"], dict):  # HTTPie before 3.2
            data["headers"] = [{"name": n, "value": v} for n, v in data["headers"].items()]
        if isinstance(data["cookies"], dict):  # HTTPie before 3.1
            data["cookies"] = [{"name": n, **c} for n, c in data["cookies"].items()]
        return cls(path, request.host, data)

    # -- reading
    def apply(self, request: Request) -> Request:
        """``request`` with the session's headers, cookies and auth added
        (what the command line gives wins)."""
        given = {n.lower() for n, _ in request.headers}
        headers = [
            (h["name"], h["value"]) for h in self.data["headers"] if h["name"].lower() not in given
        ]
        headers += list(request.headers)
        cookie = self._cookie_header(request)
        if cookie:
            headers = [(n, v) for n, v in headers if n.lower() != "cookie"] + [("Cookie", cookie)]
        auth = request.auth or self._auth()
        return request.replace(headers=tuple(headers), auth=auth)

    def _cookie_header(self, request: Request) -> str | None:
        jar = {c["name"]: c["value"] for c in self._live_cookies(request)}
        for value in request.header_values("cookie"):
            jar.update(_parse_cookie(value))
        return "; ".join(f"{n}={v}" for n, v in jar.items()) or None

    def _live_cookies(self, request: Request) -> list[dict[str, Any]]:
        now = time.time()
        out = []
        for c in self.data["cookies"]:
            if c.get("expires") is not None and c["expires"] <= now:
                continue
            if c.get("secure") and request.scheme != "https":
                continue
            domain = (c.get("domain") or "").lstrip(".")
            if domain and not (request.host == domain or request.host.endswith("." + domain)):
                continue
            if not (request.split_url.path or "/").startswith(c.get("path") or "/"):
                continue
            out.append(c)
        return out

    def _auth(self) -> Auth | None:
        auth = self.data.get("auth") or {}
        kind, raw = auth.get("type"), auth.get("raw_auth")
        if not kind or raw is None:
            return None
        if kind == "bearer":
            return BearerAuth(raw)
        user, _, password = raw.partition(":")
        return DigestAuth(user, password) if kind == "digest" else BasicAuth(user, password)

    # -- writing
    def update(self, exchanges: list[Any], request: Request) -> None:
        """Keep the request's headers, auth and cookies, and the cookies the
        responses set."""
        kept: dict[str, str] = {h["name"]: h["value"] for h in self.data["headers"]}
        cookies = {c["name"]: c for c in self.data["cookies"]}
        for name, value in request.headers:
            if name.lower() == "cookie":
                for cname, cvalue in _parse_cookie(value).items():
                    cookies[cname] = _cookie(cname, cvalue)
                continue
            if name.lower().startswith(IGNORED_PREFIXES):
                continue
            kept = {n: v for n, v in kept.items() if n.lower() != name.lower()}
            kept[name] = value
        self.data["headers"] = [{"name": n, "value": v} for n, v in kept.items()]
        for exchange in exchanges:
            for name, value in exchange.response_headers:
                if name.lower() == "set-cookie":
                    _set_cookie(cookies, value)
        self.data["cookies"] = list(cookies.values())
        # HTTPie's kinds only: a SigV4, API key or OAuth 2.0 auth (and its secrets) is not kept
        if isinstance(request.auth, (BasicAuth, DigestAuth, BearerAuth)):
            self.data["auth"] = _auth_json(request.auth)

    def save(self) -> None:
        self.data["__meta__"] = {
            "about": "HTTPie session file",
            "help": "https://httpie.io/docs#sessions",
            "httpie": "3.2.4",
            "reqlab": __version__,
        }
        ordered = {k: self.data[k] for k in ("__meta__", "auth", "cookies", "headers")}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(ordered, indent=4, sort_keys=True) + "\n")


def _auth_json(auth: Auth) -> dict[str, Any]:
    if isinstance(auth, BearerAuth):
        return {"type": "bearer", "raw_auth": auth.token}
    return {"type": auth.scheme, "raw_auth": f"{auth.username}:{auth.password}"}


def _parse_cookie(value: str) -> dict[str, str]:
    out = {}
    for pair in value.split(";"):
        name, eq, val = pair.strip().partition("=")
        if eq and name:
            out[name] = val
    return out


def _cookie(name: str, value: str, **attrs: Any) -> dict[str, Any]:
    return {"domain": "", "expires": None, "name": name, "path": "/", "secure": False, **attrs} | {
        "value": value
    }


def _set_cookie(cookies: dict[str, dict[str, Any]], header: str) -> None:
    try:
        parsed = SimpleCookie(header)
    except CookieError:
        return
    for name, morsel in parsed.items():
        expires: float | None = None
        if morsel["max-age"]:
            try:
                expires = time.time() + int(morsel["max-age"])
            except ValueError:
                expires = None
        elif morsel["expires"]:
            try:
                expires = parsedate_to_datetime(morsel["expires"]).timestamp()
            except (TypeError, ValueError):
                expires = None
        if expires is not None and expires <= time.time():
            cookies.pop(name, None)  # the server deleted it
            continue
        cookies[name] = _cookie(
            name,
            morsel.value,
            domain=morsel["domain"] or "",
            path=morsel["path"] or "/",
            expires=int(expires) if expires is not None else None,
            secure=bool(morsel["secure"]),
        )

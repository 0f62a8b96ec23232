"""The guard in front of every request: who may talk to the local sender.

The workbench sends requests from the user's machine on the API's say, so a
web page the user happens to visit must not be able to drive it:

* **DNS rebinding** - a hostile name that resolves to 127.0.0.1 makes the
  browser treat this server as that name's origin.  Only Host names this
  server really serves are answered (localhost, IP literals, the bind host
  and ``--allow-host`` names); anything else gets 421.
* **Drive-by localhost** - a cross-site page can still *send* requests here.
  Every /api call must be same-origin (``Sec-Fetch-Site`` same-origin/none,
  ``Origin`` equal to this server when present) and carry the session's
  CSRF token in ``X-CSRF-Token``, which another origin cannot read.
* **Session fixation** - the session cookie counts only if this server
  minted its id (see :mod:`identity`); any other value gets 403 here and a
  fresh id from the page.
* **Live response content** - every response carries a Content-Security-
  Policy with no inline script, so even a bug that put response HTML into
  the page could not run it; the page shows HTML only in a sandboxed
  ``srcdoc`` iframe.
"""

from __future__ import annotations

import ipaddress
import json
import re
import socket
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reqlab.web.identity import SessionIds
from reqlab.web.ratelimit import RateLimiter
from reqlab.web.sessions import Sessions

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self'; frame-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
# A WebSocket handshake's scheme as the page's origin names it.
_HTTP_SCHEME = {"http": "http", "https": "https", "ws": "http", "wss": "https"}
# API paths a same-origin page may call before it holds a token.
NO_TOKEN = {"/api/session", "/api/openapi.json"}


# RFC 9110 7.2 / RFC 3986 3.2.2: Host = uri-host [ ":" port ], where uri-host
# is an IP literal in brackets, an IPv4 address or a registered name.  Parsed
# strictly: "[::1]x.evil.example" is none of these and is refused.
_HOST = re.compile(
    r"(?:\[(?P<v6>[0-9a-f:.]+)\]|(?P<name>[a-z0-9](?:[a-z0-9._-]*[a-z0-9.])?))(?::[0-9]{0,5})?"
)


def split_host(value: str) -> str | None:
    """The host of a Host header value (lower-case, no port or brackets), or
    None when the value is not a well-formed ``host[:port]``."""
    match = _HOST.fullmatch(value.strip().lower())
    if match is None:
        return None
    if match["v6"] is not None:
        return match["v6"] if is_ip_literal(match["v6"]) else None
    return str(match["name"])


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def served_hosts(bind_host: str, extra: Iterable[str] = ()) -> frozenset[str]:
    bind = bind_host.strip("[]").lower()
    names = {"localhost", "localhost.", bind}
    if bind_host in ("0.0.0.0", "::", ""):
        names.add(socket.gethostname().lower())
    names.update(split_host(h) or h.lower() for h in extra)
    return frozenset(n for n in names if n)


def host_allowed(host_header: str | None, allowed: frozenset[str]) -> bool:
    """IP literals are always fine: a rebinding attack needs a *name*."""
    host = split_host(host_header or "")
    return host is not None and (host in allowed or is_ip_literal(host))


class SecurityMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        sessions: Sessions,
        ids: SessionIds,
        allowed_hosts: frozenset[str],
        limiter: RateLimiter | None = None,
    ) -> None:
        self.app = app
        self.sessions = sessions
        self.ids = ids
        self.allowed_hosts = allowed_hosts
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host")
        if not host_allowed(host, self.allowed_hosts):
            await _refuse(send, 421, f"this server does not answer for Host {(host or '')[:100]!r}")
            return
        path: str = scope["path"]
        if path.startswith("/api/"):
            problem = await self._api_problem(scope, headers, host or "")
            if problem is not None:
                await _refuse(send, *problem)
                return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A WebSocket handshake (the page's WebSocket tab) passes the same
        checks as an API call; a browser always sends Origin on one, and
        another site's page could otherwise open it (no CORS for WebSockets),
        so here Origin is required.  The token comes in the ``csrf`` query
        parameter.  Refused handshakes get a 403 before any frame."""
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host")
        problem: tuple[Any, ...] | None = None
        if not host_allowed(host, self.allowed_hosts):
            problem = (421,)
        elif "origin" not in headers or not scope["path"].startswith("/api/"):
            problem = (403,)
        else:
            problem = await self._api_problem(scope, headers, host or "")
        if problem is not None:
            await send({"type": "websocket.close", "code": 1008})
            return
        await self.app(scope, receive, send)

    async def _api_problem(
        self, scope: Scope, headers: dict[str, str], host: str
    ) -> tuple[int, str] | tuple[int, str, list[tuple[bytes, bytes]]] | None:
        site = headers.get("sec-fetch-site")
        if site is not None and site not in ("same-origin", "none"):
            return 403, f"cross-site API call refused (Sec-Fetch-Site: {site})"
        origin = headers.get("origin")
        if origin is not None:
            scheme = _HTTP_SCHEME.get(scope.get("scheme", "http"), "http")
            if origin.lower() != f"{scheme}://{host}".lower():
                return 403, f"API calls are accepted only from this page's origin, not {origin!r}"
        if self.limiter is not None:
            client = (scope.get("client") or ("?", 0))[0]
            wait = self.limiter.take(client)
            if wait > 0:
                return (
                    429,
                    "too many requests; slow down",
                    [(b"retry-after", str(int(wait) + 1).encode())],
                )
        if scope["path"] in NO_TOKEN:
            return None
        sid = self.ids.read(
            headers.get("cookie"), _HTTP_SCHEME.get(scope.get("scheme", "http")) == "https"
        )
        if sid is None:
            return 403, "no session: load the workbench page first (GET /api/session)"
        # Known ids are answered from memory; only a new one costs a thread hop.
        lookup = self.ids.used(sid) if self.ids.cached(sid) else None
        if lookup is None and await run_in_threadpool(self.ids.used, sid) is None:
            return 403, "unknown session (not issued by this server, or expired); reload the page"
        token = headers.get("x-csrf-token")
        if token is None and scope.get("method", "GET") == "GET":
            # Download links cannot set headers; they carry the token in the query.
            token = (parse_qs(scope.get("query_string", b"").decode()).get("csrf") or [None])[0]
        if not self._token_ok(sid, token):
            return 403, "missing or wrong CSRF token (X-CSRF-Token); reload the page"
        scope.setdefault("state", {})["sid"] = sid
        return None

    def _token_ok(self, sid: str, token: str | None) -> bool:
        """The session's token; or, just after the id rotated, the token of
        the id it replaced (another tab of the same browser still holds it)."""
        if self.sessions.check_csrf(sid, token):
            return True
        before = self.ids.previous.get(sid)
        return before is not None and self.sessions.check_csrf(before, token)


async def _refuse(
    send: Send, status: int, message: str, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    body = json.dumps({"error": {"status": status, "message": message}}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *SECURITY_HEADERS,
                *(extra or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})

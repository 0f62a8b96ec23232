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
* **Live response content** - every response carries a Content-Security-
  Policy with no inline script, so even a bug that put response HTML into
  the page could not run it; the page shows HTML only in a sandboxed
  ``srcdoc`` iframe.
"""

from __future__ import annotations

import ipaddress
import json
import socket
from collections.abc import Iterable
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reqlab.web.ratelimit import RateLimiter
from reqlab.web.sessions import COOKIE, Sessions

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
# API paths a same-origin page may call before it holds a token.
NO_TOKEN = {"/api/session", "/api/openapi.json"}


def split_host(value: str) -> str:
    """The host name of a Host header value, lower-case, without port or brackets."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    if value.count(":") == 1:
        return value.rsplit(":", 1)[0]
    return value


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def served_hosts(bind_host: str, extra: Iterable[str] = ()) -> frozenset[str]:
    names = {"localhost", "localhost.", split_host(bind_host)}
    if bind_host in ("0.0.0.0", "::", ""):
        names.add(socket.gethostname().lower())
    names.update(split_host(h) for h in extra)
    return frozenset(n for n in names if n)


def host_allowed(host_header: str | None, allowed: frozenset[str]) -> bool:
    """IP literals are always fine: a rebinding attack needs a *name*."""
    if not host_header:
        return False
    host = split_host(host_header)
    return host in allowed or is_ip_literal(host)


class SecurityMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        sessions: Sessions,
        allowed_hosts: frozenset[str],
        limiter: RateLimiter | None = None,
    ) -> None:
        self.app = app
        self.sessions = sessions
        self.allowed_hosts = allowed_hosts
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host")
        if not host_allowed(host, self.allowed_hosts):
            await _refuse(send, 421, f"this server does not answer for Host {host!r}")
            return
        path: str = scope["path"]
        if path.startswith("/api/"):
            problem = self._api_problem(scope, headers, host or "")
            if problem is not None:
                await _refuse(send, *problem)
                return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _api_problem(
        self, scope: Scope, headers: dict[str, str], host: str
    ) -> tuple[int, str] | tuple[int, str, list[tuple[bytes, bytes]]] | None:
        site = headers.get("sec-fetch-site")
        if site is not None and site not in ("same-origin", "none"):
            return 403, f"cross-site API call refused (Sec-Fetch-Site: {site})"
        origin = headers.get("origin")
        if origin is not None:
            scheme = scope.get("scheme", "http")
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
        sid = cookie_sid(headers.get("cookie"))
        if sid is None:
            return 403, "no session: load the workbench page first (GET /api/session)"
        token = headers.get("x-csrf-token")
        if token is None and scope["method"] == "GET":
            # Download links cannot set headers; they carry the token in the query.
            token = (parse_qs(scope.get("query_string", b"").decode()).get("csrf") or [None])[0]
        if not self.sessions.check_csrf(sid, token):
            return 403, "missing or wrong CSRF token (X-CSRF-Token); reload the page"
        scope.setdefault("state", {})["sid"] = sid
        return None


def cookie_sid(cookie_header: str | None) -> str | None:
    if not cookie_header:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(cookie_header)
    except Exception:  # a malformed Cookie header is just "no session"
        return None
    morsel = jar.get(COOKIE)
    if morsel is None or not Sessions.valid_id(morsel.value):
        return None
    return morsel.value


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

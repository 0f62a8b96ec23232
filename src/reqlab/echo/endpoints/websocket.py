"""WebSocket endpoints: ``/ws`` and the misbehaving variants under it.

Each answers a valid upgrade request (HTTP/1.1) with 101, or an RFC 8441
extended CONNECT (HTTP/2, ``:protocol websocket``) with 200, and hands the
connection (or the stream) to a :class:`reqlab.echo.ws.WSSession` with its
behaviour; a request that is neither gets 426 and a one-line reason, bad
query values 400, both before any upgrade.

* ``/ws`` - echoes every message; its first message is the handshake's
  reflection (the same JSON ``/echo`` answers), unless ``?reflect=0``;
* ``/ws/tick?interval=S&count=N`` - sends ``tick 1`` .. ``tick N`` every S
  seconds, then closes with 1000 (also echoes);
* ``/ws/close?code=C&reason=R&after=K`` - closes with code C after echoing K
  messages (default 0: at once);
* ``/ws/noping`` - echoes but never answers a ping.

Every variant takes ``max_size`` (bytes; default 1 MiB): a bigger message is
answered with close 1009.  The first offered subprotocol is chosen, and
permessage-deflate is accepted when offered (``?deflate=0`` declines it).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from reqlab.echo._types import EchoResponse
from reqlab.echo.ws import Behaviour, WSSession
from reqlab.protocol.ws_handshake import Accepted, accept, accept_h2

from ._http import error_response, parse_float, parse_int
from ._router import route
from ._view import RequestView
from .reflect import reflection_json

MAX_SIZE_LIMIT = 64 * 1024 * 1024
MAX_TICKS = 10_000
MIN_INTERVAL = 0.001


@route("/ws", "/ws/tick", "/ws/close", "/ws/noping", methods=("GET", "CONNECT"))
async def websocket(view: RequestView) -> EchoResponse:
    try:
        behaviour = _behaviour(view)
    except ValueError as exc:
        return error_response(400, str(exc))
    req = view.request
    deflate = view.arg("deflate") != "0"
    h2 = req.http_version == "HTTP/2"
    if h2:
        answer = accept_h2(req.method, req.pseudo_headers, req.headers, deflate=deflate)
    elif req.http_version == "HTTP/1.1":
        answer = accept(req.method, req.headers, deflate=deflate)
    else:
        return error_response(426, "WebSocket needs HTTP/1.1 (an Upgrade request) or HTTP/2")
    if not isinstance(answer, Accepted):
        return error_response(answer.status, answer.message, answer.headers)
    behaviour.extensions = answer.extensions
    if view.path == "/ws" and view.arg("reflect") != "0":
        behaviour.greeting = reflection_json(view)
    start = partial(_start, behaviour)
    if h2:
        return EchoResponse(200, answer.headers, extra={"h2_tunnel": start})
    return EchoResponse(101, answer.headers, extra={"switch": start})


def _start(behaviour: Behaviour, transport: Any, server: Any, rest: bytes) -> None:
    WSSession(server, behaviour).start(transport, rest)


def _behaviour(view: RequestView) -> Behaviour:
    b = Behaviour()
    b.max_size = parse_int(view.arg("max_size"), b.max_size)
    if not 0 < b.max_size <= MAX_SIZE_LIMIT:
        raise ValueError(f"max_size must be 1..{MAX_SIZE_LIMIT}")
    path = view.path
    if path == "/ws/tick":
        b.tick_interval = parse_float(view.arg("interval"), 1.0)
        b.tick_count = parse_int(view.arg("count"), 10)
        if not MIN_INTERVAL <= b.tick_interval <= 3600:
            raise ValueError(f"interval must be {MIN_INTERVAL}..3600 seconds")
        if not 0 < b.tick_count <= MAX_TICKS:
            raise ValueError(f"count must be 1..{MAX_TICKS}")
    elif path == "/ws/close":
        b.close_code = parse_int(view.arg("code"), 1000)
        b.close_reason = view.arg("reason") or ""
        b.close_after = parse_int(view.arg("after"), 0)
        if not _sendable(b.close_code):
            raise ValueError("code must be 1000-1003, 1007-1014 or 3000-4999")
        if len(b.close_reason.encode()) > 123:
            raise ValueError("reason must be at most 123 bytes (a close frame holds 125)")
        if b.close_after < 0:
            raise ValueError("after must be 0 or more")
    elif path == "/ws/noping":
        b.auto_pong = False
    return b


def _sendable(code: int) -> bool:
    """Close codes an endpoint may put on the wire (RFC 6455 7.4; 1004-1006, 1015 are not)."""
    return code in (1000, 1001, 1002, 1003) or 1007 <= code <= 1014 or 3000 <= code <= 4999

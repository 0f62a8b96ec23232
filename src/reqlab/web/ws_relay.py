"""The page's WebSocket tab: ``/api/ws/relay``, a WebSocket between the page
and the workbench, which opens the real connection with :mod:`reqlab.ws`.

The browser cannot time a handshake, set arbitrary handshake headers or see
ping/pong frames, so the workbench connects instead and relays JSON:

page -> workbench::

    {"type": "connect", "url": "ws://...", "headers": [[n, v]], "subprotocols": [..]}
    {"type": "send", "text": "..."}  |  {"type": "send", "base64": "..."}
    {"type": "ping", "text": "..."}
    {"type": "close", "code": 1000, "reason": ""}

workbench -> page::

    {"type": "handshake", ...}   the record without frames (timings, headers)
    {"type": "frames", "frames": [...]}   batches, each frame as the record has it
    {"type": "closed", "code", "reason", "by"}
    {"type": "error", "message"}

Same session and CSRF rules as every ``/api`` call: the security middleware
checks the Host, the Origin, the session cookie and the token (in the
``csrf`` query parameter, as a WebSocket handshake cannot carry headers).
A public instance checks the target like a send (the SSRF guard) and bounds
message size, connection time and connections per session.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import json
from typing import Any
from urllib.parse import urlsplit

from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket as PageSocket
from starlette.websockets import WebSocketDisconnect

import reqlab.ws
from reqlab.errors import ReqlabError
from reqlab.web.config import WebConfig
from reqlab.web.guard import guarding, loop_guards, resolve_public
from reqlab.web.ratelimit import RateLimiter
from reqlab.web.sender import guarded

BATCH_EVERY = 0.05  # seconds between frame batches to the page
SHOWN = 64 * 1024  # bytes of one message the page receives (the size is always exact)


class Refused(Exception):
    """A command the relay will not carry out; its message goes to the page."""


def limits(config: WebConfig) -> tuple[int, float | None, int | None]:
    """(message size cap, connection seconds, connections per session)."""
    if config.public:
        return config.public_ws_max_message, config.public_ws_max_time, config.public_ws_per_session
    return config.ws_max_message, None, None


async def relay(page: PageSocket) -> None:
    config: WebConfig = page.app.state.config
    sid: str = page.scope.get("state", {}).get("sid", "")
    open_now: dict[str, int] = page.app.state.ws_open
    _, _, per_session = limits(config)
    await page.accept()
    if per_session is not None and open_now.get(sid, 0) >= per_session:
        await _say(page, type="error", message=f"at most {per_session} WebSocket tabs per session")
        await page.close(1008)
        return
    open_now[sid] = open_now.get(sid, 0) + 1
    try:
        await Relay(page, config).run()
    finally:
        open_now[sid] -= 1
        if not open_now[sid]:
            del open_now[sid]


async def _say(page: PageSocket, **message: Any) -> None:
    with contextlib.suppress(WebSocketDisconnect, RuntimeError):
        await page.send_text(json.dumps(message, separators=(",", ":")))


class Relay:
    def __init__(self, page: PageSocket, config: WebConfig) -> None:
        self.page = page
        self.config = config
        self.ws: reqlab.ws.WebSocket | None = None
        self.tasks: list[asyncio.Task[None]] = []
        self.drainer: asyncio.Task[None] | None = None
        # public: messages and pings this tab may send (a burst of a tenth of a minute's)
        per_minute = config.public_ws_messages_per_minute
        self.limiter = RateLimiter(per_minute, max(per_minute // 10, 1)) if config.public else None

    async def run(self) -> None:
        try:
            while True:
                try:
                    command = json.loads(await self.page.receive_text())
                    if not isinstance(command, dict):
                        raise Refused("each message is a JSON object")
                    await self.handle(command)
                except (Refused, ReqlabError) as exc:
                    await _say(self.page, type="error", message=str(exc))
                except json.JSONDecodeError:
                    await _say(self.page, type="error", message="not JSON")
        except (WebSocketDisconnect, RuntimeError):
            pass  # the page went away
        finally:
            await self.stop()

    async def handle(self, c: dict[str, Any]) -> None:
        kind = c.get("type")
        if kind == "connect":
            await self.connect(c)
            return
        ws = self.ws
        if ws is None or ws.closed is not None:
            raise Refused("not connected")
        if kind in ("send", "ping") and self.limiter is not None and self.limiter.take("tab"):
            raise Refused("too many messages; slow down (this workbench's rate limit)")
        if kind == "send":
            await ws.send(self._payload(c))
        elif kind == "ping":
            self.tasks.append(asyncio.create_task(self._ping(_text(c, "text").encode())))
        elif kind == "close":
            code = c.get("code", 1000)
            if not isinstance(code, int) or not (code == 1000 or 3000 <= code <= 4999):
                raise Refused("close code: 1000 or 3000-4999")
            await ws.close(code, _text(c, "reason")[:120])
        else:
            raise Refused(f"unknown message type {kind!r}")

    def _payload(self, c: dict[str, Any]) -> str | bytes:
        cap = limits(self.config)[0]
        data: str | bytes
        if "base64" in c:
            try:
                data = base64.b64decode(_text(c, "base64"), validate=True)
            except binascii.Error:
                raise Refused("base64: not valid base64") from None
        else:
            data = _text(c, "text")
        size = len(data.encode() if isinstance(data, str) else data)
        if size > cap:
            raise Refused(f"message of {size} bytes is over this workbench's cap of {cap}")
        return data

    async def _ping(self, payload: bytes) -> None:
        assert self.ws is not None
        with contextlib.suppress(ReqlabError):
            await self.ws.ping(payload, timeout=10)

    async def connect(self, c: dict[str, Any]) -> None:
        await self.stop()
        url = _text(c, "url").strip()
        headers = [(str(n), str(v)) for n, v in _pairs(c.get("headers"))]
        protos = [str(p) for p in c.get("subprotocols") or [] if str(p).strip()]
        cap, max_time, _ = limits(self.config)
        guard: contextlib.AbstractContextManager[None] = contextlib.nullcontext()
        if guarded(self.config):
            if not loop_guards():
                raise Refused("this public instance runs without its address guard")
            parts = urlsplit(url)
            tls = parts.scheme.lower() in ("wss", "https")
            try:
                port = parts.port or (443 if tls else 80)
            except ValueError:
                raise Refused(f"bad port in {url!r}") from None
            scheme = "https" if tls else "http"
            await resolve_public(parts.hostname or "", port, self.config.echo_origin, scheme)
            guard = guarding(self.config.echo_origin)
        with guard:
            self.ws = await reqlab.ws.connect(
                url, headers=headers, subprotocols=protos, max_size=cap, timeout=10
            )
        record = self.ws.record.to_json()
        record.pop("frames")
        await _say(self.page, type="handshake", **record)
        self.drainer = asyncio.create_task(self._drain())
        self.tasks = [asyncio.create_task(self._pump()), self.drainer]
        if max_time is not None:
            self.tasks.append(asyncio.create_task(self._deadline(max_time)))

    async def _pump(self) -> None:
        """Read messages (their content is in the frame record) until the close."""
        assert self.ws is not None
        with contextlib.suppress(ReqlabError):
            async for _ in self.ws:
                pass

    async def _drain(self) -> None:
        """Send the frames recorded since the last batch; the close last."""
        ws = self.ws
        assert ws is not None
        while True:
            await asyncio.sleep(BATCH_EVERY)
            frames = ws.record.frames
            if frames:
                batch, frames[:] = [_frame(f) for f in frames], []
                await _say(self.page, type="frames", frames=batch)
            if ws.closed is not None and not frames:
                await _say(self.page, type="closed", **ws.closed.to_json())
                return

    async def _deadline(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        if self.ws is not None and self.ws.closed is None:
            await self.ws.close(1000, "connection time limit of this workbench")

    async def stop(self) -> None:
        ws, self.ws = self.ws, None
        if ws is not None and ws.closed is None:
            with contextlib.suppress(ReqlabError, OSError):
                await ws.close(1001, "", timeout=2)
        if self.drainer is not None:
            # the last frames and the close reach the page before a new connection
            with contextlib.suppress(TimeoutError, Exception):
                await asyncio.wait_for(asyncio.shield(self.drainer), 1)
            self.drainer = None
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self.tasks = []


def _frame(f: reqlab.ws.FrameRecord) -> dict[str, Any]:
    out = f.to_json()
    m = f.message
    if m is not None and len(m) > SHOWN:
        cut = m[:SHOWN]
        out["message"] = cut if isinstance(cut, str) else base64.b64encode(cut).decode("ascii")
        out["truncated"] = True
    return out


def _text(c: dict[str, Any], key: str) -> str:
    value = c.get(key, "")
    if not isinstance(value, str):
        raise Refused(f"{key}: a string")
    return value


def _pairs(value: Any) -> list[tuple[Any, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in value
    ):
        raise Refused("headers: a list of [name, value] pairs")
    return [(n, v) for n, v in value if n.strip()]


routes = [WebSocketRoute("/api/ws/relay", relay)]

"""POST /api/send/stream: a send whose body the page shows as it arrives.

The answer is NDJSON, one record a line: ``head`` (status, version, headers,
time to first byte), then one ``chunk`` per read (its arrival time in ms
after the send began, its size, its text while under the display cap), then
``end`` (the usual /api/send view, with the client's arrival record, and the
history id) - or ``error``.  History gets the entry as for any send.

A ``text/event-stream`` response (or any, with ``"sse": true``) is parsed by
the WHATWG rules as it arrives: each ``chunk`` then carries ``events``, one
row per event or comment (:mod:`reqlab.web.sse_rows`), instead of text.
The head names the stream (``stream``); POST /api/send/stream/stop with it
ends the body early (the record says so) and the ``end`` record follows as
usual.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import json
import secrets
import time
from collections.abc import AsyncIterator
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request as HTTPRequest
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from reqlab.errors import ReqlabError
from reqlab.model import Request
from reqlab.web import auth_api, sender, tls_settings
from reqlab.web.api import _log_send
from reqlab.web.config import WebConfig
from reqlab.web.cookies import rotated, writer
from reqlab.web.endpoint import contained
from reqlab.web.errors import APIError, field_of, json_body
from reqlab.web.guard import guarding, loop_guards, resolve_public
from reqlab.web.serialize import request_from_json, request_to_json
from reqlab.web.sessions import Session
from reqlab.web.sse_rows import EventRows, is_event_stream
from reqlab.web.view import exchange_view

KEEP_FOR_DOWNLOAD = 8 * 1024 * 1024  # bytes of a streamed body kept for its download link
# the streams in progress: name -> (owner, its Stop)
_STOPS: dict[str, tuple[str, asyncio.Event]] = {}


def _line(record: dict[str, Any]) -> bytes:
    return json.dumps(record, separators=(",", ":")).encode() + b"\n"


async def _open(state: Any, session: Session, model: Request, tls: Any, stack: Any) -> Any:
    """Send and return the streamed response once its head is in.  The
    address guard covers the connecting; the body's reads connect nothing."""
    config: WebConfig = state.config
    guard: contextlib.AbstractContextManager[None] = contextlib.nullcontext()
    if sender.guarded(config):
        if not loop_guards():
            raise APIError(500, "this public instance runs without its address guard")
        await resolve_public(model.host, model.port, config.echo_origin, model.scheme)
        guard = guarding(config.echo_origin)
    tls = tls or tls_settings.for_host(session.tls_hosts, model.host, model.port)
    client = state.sessions.client_of(session)
    if tls is not None:
        ctx = tls_settings.context(tls, model.options.verify)
        client = await stack.enter_async_context(sender.make_client(config, verify=ctx))
    async with session.lock:
        with guard:
            return await client.send(sender.capped(model, config), stream=True)


async def _until(chunks: AsyncIterator[bytes], stop: asyncio.Event) -> AsyncIterator[bytes]:
    """The chunks until the body ends or ``stop`` is set (even while none arrive)."""
    it = chunks.__aiter__()
    stopping = asyncio.ensure_future(stop.wait())
    try:
        while True:
            nxt = asyncio.ensure_future(it.__anext__())
            await asyncio.wait({nxt, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if not nxt.done():  # stopped: the read is cancelled, the stream closes
                nxt.cancel()
                with contextlib.suppress(BaseException):
                    await nxt
                return
            try:
                chunk = nxt.result()
            except StopAsyncIteration:
                return
            yield chunk
    finally:
        stopping.cancel()


async def _records(
    state: Any, owner: str, model: Request, tls: Any, sse: bool
) -> AsyncIterator[bytes]:
    config: WebConfig = state.config
    as_json = request_to_json(model)
    model = auth_api.bind(state, owner, model)  # the tab's API key / SigV4 / OAuth 2.0
    session = state.sessions.get(owner)
    started = time.perf_counter()
    async with contextlib.AsyncExitStack() as stack:
        try:
            response = await _open(state, session, model, tls, stack)
        except (ReqlabError, APIError) as exc:
            await run_in_threadpool(_log_send, state, owner, as_json, None, None, str(exc))
            yield _line({"type": "error", "message": str(exc)})
            return

        def ms() -> float:  # since the workbench began the send
            return round((time.perf_counter() - started) * 1000, 1)

        name, stop = secrets.token_urlsafe(16), asyncio.Event()
        rows = EventRows() if sse or is_event_stream(response.headers.get("content-type")) else None
        yield _line(
            {
                "type": "head",
                "status": response.status_code,
                "version": response.http_version,
                "headers": [list(h) for h in response.headers.items()],
                "t": ms(),
                "stream": name,
                "sse": rows is not None,
            }
        )
        kept, size = bytearray(), 0
        cap_ms = config.public_max_time * 1000
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        _STOPS[name] = (owner, stop)
        try:
            async for chunk in _until(response.aiter_bytes(), stop):
                size += len(chunk)
                if config.public and ms() > cap_ms:  # (its size: the client's max_body)
                    message = f"response body: still arriving after {config.public_max_time} s"
                    yield _line({"type": "error", "message": message + ", this instance's limit"})
                    break
                shown = size - len(chunk) < config.display_cap
                if len(kept) < KEEP_FOR_DOWNLOAD:
                    kept += chunk
                now = ms()
                record = {"type": "chunk", "t": now, "n": len(chunk), "size": size}
                if rows is not None:
                    record["events"] = rows.feed(chunk, now)
                else:
                    record["text"] = decoder.decode(chunk) if shown else ""
                yield _line(record)
        except ReqlabError as exc:  # the body broke off: the page says so
            yield _line({"type": "error", "message": str(exc)})
        finally:
            _STOPS.pop(name, None)
            response.close()
        if stop.is_set():
            yield _line({"type": "stopped", "t": ms(), "size": size})
        exchange = response.exchange
        record = exchange.to_json(body_limit=0)
        download = None
        if size <= KEEP_FOR_DOWNLOAD:
            key = state.bodies.keep(owner, bytes(kept), size)
            download = f"/api/bodies/{key}" if key is not None else None
        view = exchange_view(
            model, record, bytes(kept[: config.display_cap]), size, config.display_cap, download
        )
        total = (view.get("timings") or {}).get("total")
        view["history_id"] = await run_in_threadpool(
            _log_send, state, owner, as_json, response.status_code, total
        )
        yield _line({"type": "end", "view": view})


async def api_send_stream(request: HTTPRequest) -> Response:
    state = request.app.state
    data = await json_body(request)
    model = request_from_json(field_of(data, "request", dict))
    tls = tls_settings.parse(data.get("tls"), state.config.public)
    sse = bool(field_of(data, "sse", bool, required=False))
    owner = await writer(request)
    stream = StreamingResponse(
        _records(state, owner, model, tls, sse),
        media_type="application/x-ndjson",
        headers={"cache-control": "no-store", "x-accel-buffering": "no"},
    )
    return rotated(request, stream)


async def api_send_stream_stop(request: HTTPRequest) -> Response:
    """Stop a stream in progress: its body ends now, its record and history follow."""
    data = await json_body(request)
    name = field_of(data, "stream", str)
    owner = await writer(request)
    entry = _STOPS.get(name)
    if entry is None or entry[0] != owner:  # ended already, or not this session's
        raise APIError(404, "stream: no such stream in progress", field="stream")
    entry[1].set()
    return rotated(request, JSONResponse({"stopped": name}))


routes = [
    Route("/api/send/stream", contained(api_send_stream), methods=["POST"]),
    Route("/api/send/stream/stop", contained(api_send_stream_stop), methods=["POST"]),
]

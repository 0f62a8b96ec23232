"""Every API refusal has one JSON shape: ``{"error": {status, message, ...}}``."""

from __future__ import annotations

import json
import logging
import secrets
import traceback
from typing import Any

from starlette.requests import Request as HTTPRequest
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reqlab.errors import (
    AuthError,
    FormatError,
    InvalidRequest,
    LocalProtocolError,
    NameResolutionError,
    RequestTimeout,
    ResponseTooLarge,
    TransportError,
)
from reqlab.web.guard import BlockedAddress

log = logging.getLogger("reqlab.web")


class APIError(Exception):
    def __init__(self, status: int, message: str, **extra: Any) -> None:
        self.status = status
        self.message = message
        self.extra = extra
        super().__init__(message)


def error_response(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "message": message, **extra}}, status)


def from_exception(exc: Exception) -> JSONResponse:
    """Map reqlab's exception tree to HTTP answers the page can show."""
    if isinstance(exc, APIError):
        return error_response(exc.status, exc.message, **exc.extra)
    if isinstance(exc, InvalidRequest):
        return error_response(422, str(exc), field=exc.field)
    if isinstance(exc, FormatError):
        return error_response(422, str(exc), format=exc.fmt, position=exc.position)
    if isinstance(exc, AuthError):  # a token request refused, no token yet: the server's words
        return error_response(502, str(exc), kind="auth")
    if isinstance(exc, LocalProtocolError):
        return error_response(422, str(exc), kind="local-protocol")
    if isinstance(exc, BlockedAddress):
        return error_response(403, str(exc), kind="blocked-address")
    if isinstance(exc, RequestTimeout):
        return error_response(504, str(exc), kind="timeout", phase=exc.phase)
    if isinstance(exc, ResponseTooLarge):
        return error_response(502, str(exc), kind="too-large")
    if isinstance(exc, NameResolutionError):
        return error_response(502, str(exc), kind="dns")
    if isinstance(exc, TransportError):
        return error_response(502, str(exc), kind=type(exc).__name__)
    raise exc


class _NotJSON:
    """Where Python's parser met NaN, Infinity or -Infinity (not JSON)."""

    def __init__(self, word: str) -> None:
        self.word = word


def _not_json_at(value: Any) -> tuple[str, str] | None:
    """The path and word of the first non-JSON number in a parsed value."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, _NotJSON):
            return path or "(body)", item.word
        if isinstance(item, dict):
            stack.extend((f"{path}.{k}" if path else str(k), v) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((f"{path}[{i}]", v) for i, v in enumerate(item))
    return None


def parse_json(raw: bytes) -> Any:
    """JSON as RFC 8259 defines it: no NaN or Infinity (Python's parser takes
    them, and a NaN timeout compares false with every cap), no nesting deeper
    than the parser can follow.  Refusals are one line: 400."""
    try:
        data = json.loads(raw, parse_constant=_NotJSON)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise APIError(400, f"the request body is not valid JSON: {exc}") from None
    except RecursionError:
        raise APIError(400, "the request body is not valid JSON: nested too deeply") from None
    found = _not_json_at(data)
    if found is not None:
        where, word = found
        raise APIError(
            400, f"{where}: {word} is not a JSON number; give a finite number", field=where
        )
    return data


def internal_error(method: str, path: str, exc: BaseException) -> JSONResponse:
    """A bug's answer: "internal error" and an id to quote, nothing of the
    exception (its text may hold a user's data).  The log gets the id, the
    exception's type and the code lines it passed through - not its message
    or any values, so no request's secrets reach the log either."""
    incident = secrets.token_hex(4)
    where = "".join(traceback.format_tb(exc.__traceback__))
    log.error(
        "internal error %s in %s %s: %s\n%s", incident, method, path, type(exc).__name__, where
    )
    return error_response(500, f"internal error (id {incident}); the server log has the details")


class ContainErrors:
    """Outermost: an exception no route handled becomes :func:`internal_error`
    here, so it reaches neither the client nor - with its message - the log
    (Starlette's own last-resort handler would log the message, then re-raise)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking)
        except Exception as exc:
            response = internal_error(scope.get("method", "?"), scope.get("path", "?"), exc)
            if not started:  # else the client already has a status: the connection just ends
                await response(scope, receive, send)


async def json_body(request: HTTPRequest) -> Any:
    raw = await request.body()
    if not raw:
        raise APIError(400, "the request body must be JSON; it was empty")
    return parse_json(raw)


def field_of(data: Any, name: str, kind: type | tuple[type, ...], required: bool = True) -> Any:
    if not isinstance(data, dict):
        raise APIError(422, "the request body must be a JSON object", field="(body)")
    if name not in data or data[name] is None:
        if required:
            raise APIError(422, f"{name}: is required", field=name)
        return None
    value = data[name]
    if not isinstance(value, kind):
        raise APIError(422, f"{name}: has the wrong type", field=name)
    return value

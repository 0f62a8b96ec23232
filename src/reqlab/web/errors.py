"""Every API refusal has one JSON shape: ``{"error": {status, message, ...}}``."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request as HTTPRequest
from starlette.responses import JSONResponse

from reqlab.errors import (
    FormatError,
    InvalidRequest,
    LocalProtocolError,
    NameResolutionError,
    RequestTimeout,
    ResponseTooLarge,
    TransportError,
)
from reqlab.web.guard import BlockedAddress


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


async def json_body(request: HTTPRequest) -> Any:
    raw = await request.body()
    if not raw:
        raise APIError(400, "the request body must be JSON; it was empty")
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise APIError(400, f"the request body is not valid JSON: {exc}") from None


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

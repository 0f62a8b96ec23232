"""POST /api/probe, /api/bench and /api/versions: the keep-alive probe, the
reuse benchmark of ``reqlab probe`` / ``reqlab bench``, and the seed's
keep-alive table for each HTTP version filled in by the probe's per-version
checks, for the page's Probe, Bench and Versions buttons.

Both open many connections on purpose, so a ``--public`` instance refuses
them (they would make it a load generator against anyone), and their
budgets are bounded here whatever the page asks for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request as HTTPRequest
from starlette.responses import JSONResponse, Response

from reqlab.web.errors import APIError, field_of, json_body
from reqlab.web.serialize import request_from_json

if TYPE_CHECKING:
    from reqlab.model import Request
    from reqlab.probe import ProbeSettings

MAX_IDLE = 60.0
MAX_REQUESTS = 500
MAX_BENCH_REQUESTS = 2000
MAX_CONCURRENCY = 16


def _number(data: dict[str, Any], name: str, default: float, low: float, high: float) -> float:
    value = data.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise APIError(422, f"{name}: must be a number from {low:g} to {high:g}", field=name)
    return float(value)


def _refuse_public(request: HTTPRequest) -> None:
    if request.app.state.config.public:
        raise APIError(403, "probe and bench are switched off on a public instance")


def _idempotent(method: str, force: bool) -> None:
    if method.upper() not in ("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE") and not force:
        raise APIError(
            422,
            f"method: {method} is not idempotent; probing repeats it many times "
            '(send "force": true to probe anyway)',
            field="method",
        )


async def _measured(request: HTTPRequest) -> tuple[dict[str, Any], Request]:
    """The body and the request to measure, after the checks every measurement shares."""
    _refuse_public(request)
    data = await json_body(request)
    model = request_from_json(field_of(data, "request", dict))
    _idempotent(model.method, bool(data.get("force")))
    return data, model


def _probe_settings(data: dict[str, Any], model: Request) -> ProbeSettings:
    from reqlab.probe import ProbeSettings

    return ProbeSettings(
        max_idle=_number(data, "max_idle", 10.0, 0.5, MAX_IDLE),
        max_requests=int(_number(data, "max_requests", 200, 10, MAX_REQUESTS)),
        verify=model.options.verify,
    )


async def api_probe(request: HTTPRequest) -> Response:
    from reqlab.probe import probe

    data, model = await _measured(request)
    report = await probe(model, _probe_settings(data, model))
    return JSONResponse(report.to_json())


async def api_bench(request: HTTPRequest) -> Response:
    from reqlab.probe import BenchSettings, bench

    data, model = await _measured(request)
    settings = BenchSettings(
        requests=int(_number(data, "requests", 200, 1, MAX_BENCH_REQUESTS)),
        concurrency=int(_number(data, "concurrency", 4, 1, MAX_CONCURRENCY)),
        verify=model.options.verify,
    )
    comparison = await bench(model, settings)
    return JSONResponse(comparison.to_json())


async def api_versions(request: HTTPRequest) -> Response:
    """The seed's table (HTTP/1.0, 1.1, 2, 3: how the connection is kept, for
    how long, what ends it), each rule beside what this server did."""
    from reqlab.probe._table import versions_table

    data, model = await _measured(request)
    table = await versions_table(model, _probe_settings(data, model))
    return JSONResponse(table.to_json())

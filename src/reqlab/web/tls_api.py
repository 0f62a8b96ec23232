"""The "Certificates" dialog's API: per-host client certificates and CA
bundles for this page session (kept in memory; see :mod:`tls_settings`)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request as HTTPRequest
from starlette.responses import JSONResponse, Response

from reqlab.web import tls_settings
from reqlab.web.cookies import rotated, writer
from reqlab.web.errors import APIError, json_body


def _listing(hosts: dict[str, tls_settings.TLSMaterial]) -> list[dict[str, Any]]:
    return [{"pattern": p, **m.masked()} for p, m in sorted(hosts.items())]


async def _hosts(request: HTTPRequest) -> dict[str, tls_settings.TLSMaterial]:
    owner = await writer(request)
    hosts: dict[str, tls_settings.TLSMaterial] = request.app.state.sessions.get(owner).tls_hosts
    return hosts


async def list_hosts(request: HTTPRequest) -> Response:
    """Each entry masked: the certificate's subject, never the key."""
    return rotated(request, JSONResponse(_listing(await _hosts(request))))


async def put_host(request: HTTPRequest) -> Response:
    data = await json_body(request)
    pattern = tls_settings.check_pattern(data.get("pattern"))
    material = tls_settings.parse(data.get("tls"), request.app.state.config.public)
    if material is None:
        raise APIError(422, "tls: give a certificate (tls.cert) or a CA bundle (tls.ca)")
    tls_settings.context(material, True)  # refuse a key that does not load, now
    hosts = await _hosts(request)
    if pattern not in hosts and len(hosts) >= tls_settings.MAX_HOSTS:
        raise APIError(429, f"this session keeps {tls_settings.MAX_HOSTS} host entries at most")
    hosts[pattern] = material
    return rotated(request, JSONResponse(_listing(hosts)))


async def delete_host(request: HTTPRequest) -> Response:
    pattern = tls_settings.check_pattern(request.query_params.get("pattern"))
    hosts = await _hosts(request)
    if hosts.pop(pattern, None) is None:
        raise APIError(404, "no certificate entry for that pattern")
    return rotated(request, JSONResponse(_listing(hosts)))

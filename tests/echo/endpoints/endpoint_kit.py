"""Building EchoRequests and reading EchoResponses for the endpoint unit tests."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from reqlab.echo._types import (
    ConnectionInfo,
    EchoRequest,
    EchoResponse,
    KeepAliveInfo,
    TLSInfo,
)
from reqlab.echo.endpoints import handle


def make_request(
    method: str = "GET",
    target: str = "/echo",
    headers: list[tuple[str, str]] | None = None,
    body: bytes = b"",
    *,
    http_version: str = "HTTP/1.1",
    pseudo_headers: list[tuple[str, str]] | None = None,
    tls: TLSInfo | None = None,
    client: str = "127.0.0.1:54321",
    host: str | None = "127.0.0.1:8081",
    raw_head: bytes | None = None,
) -> EchoRequest:
    """A request as the connection layer would build it (raw_head derived for HTTP/1.x)."""
    hdrs = list(headers or [])
    if (
        host is not None
        and http_version != "HTTP/2"
        and not any(n.lower() == "host" for n, _ in hdrs)
    ):
        hdrs.insert(0, ("Host", host))
    if raw_head is None and http_version != "HTTP/2":
        lines = [f"{method} {target} {http_version}"] + [f"{n}: {v}" for n, v in hdrs]
        raw_head = ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")
    if http_version == "HTTP/2" and pseudo_headers is None:
        pseudo_headers = [
            (":method", method),
            (":scheme", "https" if tls else "http"),
            (":authority", host or "127.0.0.1:8081"),
            (":path", target),
        ]
    return EchoRequest(
        method=method,
        target=target,
        http_version=http_version,
        headers=hdrs,
        body=body,
        connection=ConnectionInfo(
            id=7,
            request_number=1,
            client=client,
            server_port=8081,
            scheme="https" if tls else "http",
            tls=tls,
        ),
        keep_alive=KeepAliveInfo(persistent=True, timeout=5.0, remaining=99),
        pseudo_headers=pseudo_headers or [],
        raw_head=raw_head if http_version != "HTTP/2" else None,
    )


def call(request: EchoRequest) -> EchoResponse:
    return asyncio.run(handle(request))


def send(method: str = "GET", target: str = "/echo", *args: Any, **kwargs: Any) -> EchoResponse:
    return call(make_request(method, target, *args, **kwargs))


async def _collect(response: EchoResponse) -> bytes:
    if isinstance(response.body, bytes):
        return response.body
    return b"".join([chunk async for chunk in response.body])


def body_of(response: EchoResponse) -> bytes:
    return asyncio.run(_collect(response))


def chunks_of(response: EchoResponse) -> list[bytes]:
    async def go() -> list[bytes]:
        assert not isinstance(response.body, bytes)
        return [chunk async for chunk in response.body]

    return asyncio.run(go())


def json_of(response: EchoResponse) -> Any:
    return json.loads(body_of(response))


def header(response: EchoResponse, name: str) -> str | None:
    values = headers_named(response, name)
    return values[0] if values else None


def headers_named(response: EchoResponse, name: str) -> list[str]:
    return [v for n, v in response.headers if n.lower() == name.lower()]


FRAMING = {"content-length", "transfer-encoding", "connection", "keep-alive"}


def assert_no_framing(response: EchoResponse) -> None:
    """Endpoints never set the connection layer's headers."""
    names = {n.lower() for n, _ in response.headers}
    assert not names & FRAMING, names & FRAMING

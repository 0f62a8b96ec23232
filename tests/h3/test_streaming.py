"""Streamed responses over HTTP/3, both engines and the CLI, against the
echo server's /drip and /stream/N on its QUIC listener."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.cli.conftest import send

import reqlab
from reqlab.echo.testing import EchoHandle, start_echo_server


@pytest.fixture(scope="module")
def echo() -> Iterator[EchoHandle]:
    with start_echo_server(tls=True, http3=True) as handle:
        yield handle


DRIP = "/drip?duration=0.6&numbytes=3"  # three bytes, 0.3 s apart


def _check_drip_record(response: reqlab.Response, chunks: list[bytes]) -> None:
    assert b"".join(chunks) == b"***"
    assert len(chunks) == 3  # each byte handed over as it came, not at the end
    exchange = response.exchange
    assert exchange.version == "HTTP/3"
    assert exchange.connection is not None and exchange.connection.quic is not None
    # receive ends when the stream does: after the last byte, 0.6 s after the first
    assert exchange.timings.receive >= 550, exchange.timings
    arrivals = [at for at, _size in exchange.arrivals]
    assert len(arrivals) >= 3 and arrivals[-1] - arrivals[0] >= 550
    assert exchange.body_size == 3


def test_sync_stream_and_reuse(echo: EchoHandle) -> None:
    with reqlab.Client(verify=False, http_version="HTTP/3") as client:
        with client.stream("GET", echo.tls_url + DRIP) as response:
            assert response.status_code == 200
            chunks = list(response.iter_bytes())
        _check_drip_record(response, chunks)
        with client.stream("GET", f"{echo.tls_url}/stream/4") as response:
            lines = list(response.iter_lines())
        assert [json.loads(line)["id"] for line in lines] == [0, 1, 2, 3]
        conn = response.exchange.connection
        assert conn is not None and conn.reused and conn.requests == 2
        assert client.get(f"{echo.tls_url}/echo").exchange.connection.requests == 3  # type: ignore[union-attr]


def test_async_stream_and_reuse(echo: EchoHandle) -> None:
    async def main() -> tuple[reqlab.Response, list[bytes], list[str], reqlab.Response]:
        async with reqlab.AsyncClient(verify=False, http_version="HTTP/3") as client:
            async with client.stream("GET", echo.tls_url + DRIP) as response:
                chunks = [c async for c in response.aiter_bytes()]
            async with client.stream("GET", f"{echo.tls_url}/stream/3") as second:
                lines = [line async for line in second.aiter_lines()]
            return response, chunks, lines, second

    response, chunks, lines, second = asyncio.run(main())
    _check_drip_record(response, chunks)
    assert [json.loads(line)["id"] for line in lines] == [0, 1, 2]
    assert second.exchange.connection is not None and second.exchange.connection.reused


def test_closing_a_stream_early_resets_it_and_keeps_the_connection(echo: EchoHandle) -> None:
    with reqlab.Client(verify=False, http_version="HTTP/3") as client:
        with client.stream("GET", echo.tls_url + "/drip?duration=5&numbytes=5") as response:
            first = next(response.iter_bytes())
        assert first == b"*"
        assert any("closed before the end" in w for w in response.exchange.warnings)
        after = client.get(f"{echo.tls_url}/echo")  # the QUIC connection carries on
        assert after.exchange.connection is not None and after.exchange.connection.reused


def test_stream_timeout_is_per_wait(echo: EchoHandle) -> None:
    from reqlab.errors import RequestTimeout

    with (
        reqlab.Client(verify=False, http_version="HTTP/3", timeout=0.3) as client,
        pytest.raises(RequestTimeout, match="receive"),
        client.stream("GET", echo.tls_url + "/drip?duration=3&numbytes=2") as response,
    ):
        list(response.iter_bytes())


def test_cli_stream_and_download(echo: EchoHandle, tmp_path: Path) -> None:
    run = send("-k", "--http3", "--stream", echo.tls_url + DRIP)
    assert run.code == 0, run.err
    assert run.out.endswith(b"***") or b"***" in run.out
    target = tmp_path / "drip.txt"
    run = send("-k", "--http3", "--download", "-o", str(target), echo.tls_url + DRIP)
    assert run.code == 0, run.err
    assert target.read_bytes() == b"***"

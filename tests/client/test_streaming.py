"""client.stream(): the body as it arrives, and a record that says when."""

from __future__ import annotations

import pytest

import reqlab
from reqlab.echo.testing import start_echo_server


@pytest.fixture(scope="module")
def echo():
    with start_echo_server() as server:
        yield server


def test_drip_arrives_in_chunks_and_the_record_keeps_their_times(echo):
    with (
        reqlab.Client() as client,
        client.stream(
            "GET", echo.url + "/drip", params={"numbytes": 4, "duration": 0.4, "delay": 0}
        ) as r,
    ):
        assert r.status_code == 200
        chunks = list(r.iter_bytes())
    assert b"".join(chunks) == b"****"
    record = r.exchange
    assert len(record.arrivals) >= 2
    times = [at for at, _ in record.arrivals]
    assert times == sorted(times) and times[-1] - times[0] >= 200  # spread over the drip
    # receive ends when the stream does: it covers the drip
    assert record.timings.receive >= 200
    assert record.body_size == 4 and record.body == b""
    assert record.to_json()["arrivals"][0][1] >= 1


def test_iter_lines_and_reuse_after_the_stream(echo):
    with reqlab.Client() as client:
        with client.stream("GET", echo.url + "/stream/3") as r:
            lines = list(r.iter_lines())
        after = client.get(echo.url + "/get")
    assert len(lines) == 3 and all(line.startswith("{") for line in lines)
    assert after.exchange.connection.reused is True
    assert after.exchange.connection.id == r.exchange.connection.id


def test_closing_early_closes_the_connection_and_says_so(echo):
    with reqlab.Client() as client:
        with client.stream("GET", echo.url + "/drip", params={"numbytes": 5, "duration": 2}) as r:
            first = next(r.iter_bytes())
        after = client.get(echo.url + "/get")
    assert first
    assert any("closed before the end" in w for w in r.exchange.warnings)
    assert after.exchange.connection.reused is False


def test_read_and_content_of_a_streamed_response(echo):
    with reqlab.Client() as client, client.stream("GET", echo.url + "/bytes/1000") as r:
        with pytest.raises(RuntimeError):
            r.content  # noqa: B018
        assert len(r.read()) == 1000 and len(r.content) == 1000


def test_stream_follows_redirects(echo):
    with (
        reqlab.Client(follow_redirects=True) as client,
        client.stream("GET", echo.url + "/redirect/2") as r,
    ):
        body = r.read()
    assert r.status_code == 200 and b"/get" in body
    assert [h.status for h in r.history] == [302, 302]


def test_http2_stream(echo):
    with (
        reqlab.Client(http1=False) as client,
        client.stream("GET", echo.url + "/drip", params={"numbytes": 3, "duration": 0.2}) as r,
    ):
        data = b"".join(r.iter_bytes())
    assert r.http_version == "HTTP/2" and data == b"***"
    assert len(r.exchange.arrivals) >= 2


def _run(coro):
    import asyncio

    return asyncio.run(coro)


def test_async_stream_over_http1_and_http2(echo):
    async def main(http2: bool) -> tuple[reqlab.Response, list[bytes], list[str]]:
        async with reqlab.AsyncClient(http1=not http2) as client:
            async with client.stream(
                "GET", echo.url + "/drip", params={"numbytes": 4, "duration": 0.3}
            ) as r:
                chunks = [c async for c in r.aiter_bytes()]
            async with client.stream("GET", echo.url + "/stream/2") as lines_r:
                lines = [line async for line in lines_r.aiter_lines()]
            after = await client.get(echo.url + "/get")
            assert after.exchange.connection.reused is True
        return r, chunks, lines

    for http2 in (False, True):
        r, chunks, lines = _run(main(http2))
        assert b"".join(chunks) == b"****" and len(r.exchange.arrivals) >= 2
        assert r.exchange.timings.receive >= 150
        assert len(lines) == 2
        assert r.http_version == ("HTTP/2" if http2 else "HTTP/1.1")


def test_async_stream_closed_early_and_read(echo):
    async def main() -> tuple[reqlab.Response, int]:
        async with reqlab.AsyncClient() as client:
            async with client.stream(
                "GET", echo.url + "/drip", params={"numbytes": 5, "duration": 2}
            ) as r:
                async for _ in r.aiter_bytes():
                    break
            async with client.stream("GET", echo.url + "/bytes/500") as whole:
                size = len(await whole.aread())
        return r, size

    r, size = _run(main())
    assert size == 500
    assert any("closed before the end" in w for w in r.exchange.warnings)


def test_async_stream_timeout_names_the_phase(echo):
    async def main() -> None:
        async with (
            reqlab.AsyncClient(timeout=0.3) as client,
            client.stream("GET", echo.url + "/delay/2") as r,
        ):
            await r.aread()

    with pytest.raises(reqlab.RequestTimeout) as info:
        _run(main())
    assert info.value.phase == "wait"


def test_send_stream_prints_the_body_as_it_arrives(echo):
    from .conftest import run_send

    run = run_send("--stream", echo.url + "/drip?numbytes=3&duration=0.3")
    assert run.code == 0, run.err
    head, _, body = run.out.partition("\n\n")
    assert head.startswith("HTTP/1.1 200 OK") and body == "***"
    assert "streamed 3 bytes in" in run.err and "first byte" in run.err
    as_json = run_send("--stream", "--output", "json", echo.url + "/stream/2")
    record = __import__("json").loads(as_json.out)
    assert record["arrivals"] and record["response"]["body_size"] > 0
    bad = run_send("--stream", "--repeat", "2", echo.url + "/get")
    assert bad.code == 2 and "--stream" in bad.err

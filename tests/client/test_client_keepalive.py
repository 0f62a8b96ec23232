"""Connection reuse against real servers: when it happens and when it must not."""

from __future__ import annotations

import asyncio
import time

import reqlab
from reqlab import Request
from reqlab.echo.testing import start_echo_server

from .conftest import ok

SEED_HEADERS = [("Connection", "keep-alive"), ("Keep-Alive", "timeout=5, max=100")]


def test_reuse_within_one_client_not_across_clients(nginx):
    with reqlab.Client() as a, reqlab.Client() as b:
        first, second = a.get(nginx.url + "/"), a.get(nginx.url + "/")
        other = b.get(nginx.url + "/")
    assert first.exchange.connection.reused is False
    assert second.exchange.connection.reused is True
    assert second.exchange.connection.id == first.exchange.connection.id
    assert second.exchange.connection.local == first.exchange.connection.local
    assert other.exchange.connection.reused is False
    assert other.exchange.connection.local != first.exchange.connection.local


def test_keep_alive_terms_recorded(nginx):
    with reqlab.Client() as client:
        r = client.get(nginx.url + "/")
    assert r.exchange.keep_alive.persistent is True
    assert r.exchange.keep_alive.server_timeout == 30


def test_seed_request_http10_keep_alive_honoured_when_server_agrees():
    # The seed's exact request.  The echo server agrees to keep-alive on 1.0.
    with start_echo_server() as echo, reqlab.Client() as client:
        request = Request(
            "GET", echo.url + "/echo", headers=tuple(SEED_HEADERS), version="HTTP/1.0"
        )
        first = client.send(request)
        second = client.send(request)
    assert first.exchange.request_raw.startswith(
        b"GET /echo HTTP/1.0\r\nHost: 127.0.0.1:%d\r\nConnection: keep-alive\r\n"
        b"Keep-Alive: timeout=5, max=100\r\n\r\n" % echo.port
    )
    assert first.exchange.added == ("Host",)
    assert first.json()["http_version"] == "HTTP/1.0"
    assert first.exchange.keep_alive.persistent is True
    assert second.exchange.connection.reused is True
    assert any("advisory" in w for w in first.exchange.warnings)


def test_http10_without_keep_alive_is_not_reused(nginx):
    with reqlab.Client() as client:
        first = client.get(nginx.url + "/", version="HTTP/1.0")
        second = client.get(nginx.url + "/", version="HTTP/1.0")
    assert first.exchange.keep_alive.persistent is False
    assert second.exchange.connection.reused is False
    assert any("HTTP/1.0 connections close" in w for w in first.exchange.warnings)


def test_http10_keep_alive_refused_by_server_is_not_reused(scripted):
    # The server answers HTTP/1.0 without agreeing to keep-alive: it closes.
    server = scripted(lambda c, n, raw: b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")
    with reqlab.Client() as client:
        first = client.get(server.url + "/", version="HTTP/1.0", headers=SEED_HEADERS)
        second = client.get(server.url + "/", version="HTTP/1.0", headers=SEED_HEADERS)
    assert first.exchange.keep_alive.persistent is False
    assert second.exchange.connection.reused is False
    assert server.connections == 2


def test_connection_close_from_client_is_honoured(nginx):
    with reqlab.Client() as client:
        first = client.get(nginx.url + "/", headers={"Connection": "close"})
        second = client.get(nginx.url + "/")
    assert first.exchange.keep_alive.persistent is False
    assert second.exchange.connection.reused is False


def test_server_keep_alive_timeout_respected(nginx):
    # nginx closes idle connections after 1 s and says so (Keep-Alive: timeout=1).
    with reqlab.Client() as client:
        first = client.get(nginx.short_url + "/")
        assert first.exchange.keep_alive.server_timeout == 1
        quick = client.get(nginx.short_url + "/")
        time.sleep(1.0)  # idling is the behaviour under test
        late = client.get(nginx.short_url + "/")
    assert quick.exchange.connection.reused is True
    assert late.exchange.connection.reused is False
    assert late.exchange.retried is False
    assert any("Keep-Alive timeout=1" in w for w in late.exchange.warnings)


def test_keep_alive_max_respected():
    with start_echo_server(keep_alive_max=3) as echo, reqlab.Client() as client:
        rs = [client.get(echo.url + "/echo") for _ in range(4)]
    assert [r.exchange.connection.reused for r in rs] == [False, True, True, False]
    assert rs[0].exchange.keep_alive.server_max == 2
    assert rs[2].exchange.keep_alive.persistent is False
    assert not any(r.exchange.retried for r in rs)


def test_keep_alive_max_zero_means_no_reuse(scripted):
    server = scripted(lambda c, n, raw: ok(extra="Keep-Alive: timeout=5, max=0\r\n"))
    with reqlab.Client() as client:
        first = client.get(server.url + "/")
        second = client.get(server.url + "/")
    assert first.exchange.keep_alive.server_max == 0
    assert first.exchange.keep_alive.persistent is False
    assert second.exchange.connection.reused is False


def test_nginx_keepalive_requests_limit(nginx):
    with reqlab.Client() as client:
        rs = [client.get(nginx.limited_url + "/") for _ in range(4)]
    assert [r.exchange.connection.reused for r in rs] == [False, True, True, False]
    assert rs[2].headers.get("Connection") == "close"


def test_idle_connection_closed_by_server_is_detected(scripted):
    # The server closes right after answering, without saying so: the
    # pool's check before reuse sees EOF and opens a new connection.
    server = scripted(lambda conn, n, raw: (ok(), True))
    with reqlab.Client() as client:
        first = client.get(server.url + "/")
        assert server.closed.wait(5)
        second = client.get(server.url + "/")
    assert first.exchange.keep_alive.persistent is True
    assert second.exchange.connection.reused is False
    assert second.exchange.retried is False
    assert any("closed it while it was idle" in w for w in second.exchange.warnings)


def test_stale_connection_race_retried_once_for_idempotent(scripted):
    # The server accepts keep-alive, then closes the connection the moment
    # the second request arrives, before any response byte: the race a
    # server's idle timeout creates.
    def handler(conn: int, n: int, raw: bytes) -> bytes | None:
        if conn == 1 and n == 2:
            return None
        return ok(extra="Keep-Alive: timeout=5\r\n")

    server = scripted(handler)
    with reqlab.Client() as client:
        first = client.get(server.url + "/a")
        second = client.get(server.url + "/b")
    assert first.status_code == second.status_code == 200
    assert second.exchange.retried is True
    assert second.exchange.connection.reused is False
    assert second.exchange.connection.id != first.exchange.connection.id
    assert any("retried once on a new connection" in w for w in second.exchange.warnings)
    assert server.connections == 2


def test_stale_connection_not_retried_for_post(scripted):
    def handler(conn: int, n: int, raw: bytes) -> bytes | None:
        return None if (conn == 1 and n == 2) else ok()

    server = scripted(handler)
    with reqlab.Client() as client:
        client.get(server.url + "/")
        try:
            client.post(server.url + "/", content=b"x")
        except reqlab.RemoteProtocolError as exc:
            assert "without sending a response" in str(exc)
        else:
            raise AssertionError("a POST on a stale connection must not be retried silently")


def test_no_keep_alive_option_opens_new_connections(nginx):
    with reqlab.Client(keep_alive=False) as client:
        rs = [client.get(nginx.url + "/") for _ in range(3)]
    assert [r.exchange.connection.reused for r in rs] == [False, False, False]
    assert len({r.exchange.connection.id for r in rs}) == 3


def test_async_client_reuses_and_closes(nginx):
    async def main() -> list[bool]:
        async with reqlab.AsyncClient() as client:
            rs = [await client.get(nginx.url + "/") for _ in range(3)]
            pool = client.pool
        assert pool.connections() == []
        return [r.exchange.connection.reused for r in rs]

    assert asyncio.run(main()) == [False, True, True]


def test_sync_client_works_inside_running_loop(nginx):
    async def main() -> list[bool]:
        with reqlab.Client() as client:
            return [client.get(nginx.url + "/").exchange.connection.reused for _ in range(2)]

    assert asyncio.run(main()) == [False, True]

"""Behaviour of other libraries that reqlab relies on beyond their documented
API, pinned: each test fails when the library changes under it.  The list and
the reasons are in docs/internals.md.
"""

import asyncio
import dataclasses
import http.client
import socket
import ssl
from collections.abc import Callable

import h2.exceptions
import pytest
import urllib3.connection
from h2.utilities import HeaderValidationFlags, validate_headers

from reqlab.echo._types import ConnectionInfo, EchoRequest, EchoResponse, KeepAliveInfo
from reqlab.echo.connection import start_eagerly
from reqlab.echo.server import new_event_loop
from reqlab.echo.testing import start_echo_server
from reqlab.protocol.h1server import H1Server

GET = b"GET /a HTTP/1.1\r\nHost: x\r\n\r\n"


def _read_answers(sock: socket.socket, count: int) -> bytes:
    data = b""
    while data.count(b"HTTP/1.1 200") < count or not data.endswith(b"ok"):
        chunk = sock.recv(65536)
        assert chunk, data
        data += chunk
    return data


def test_echo_fills_frozen_dataclasses_whole_without_init() -> None:
    # echo/connection.py makes ConnectionInfo and KeepAliveInfo with
    # object.__new__ and fills their __dict__: that needs a __dict__ (no
    # slots), every field filled, and nothing done in __init__ besides.
    seen: list[EchoRequest] = []

    async def handler(request: EchoRequest) -> EchoResponse:
        seen.append(request)
        return EchoResponse(200, [], b"ok")

    with (
        start_echo_server(handler=handler, keep_alive_max=10) as echo,
        socket.create_connection((echo.host, echo.port), timeout=5) as sock,
    ):
        sock.sendall(GET + GET)
        _read_answers(sock, 2)
        host, port = sock.getsockname()[:2]
    assert [r.connection.request_number for r in seen] == [1, 2]
    for info, cls in ((seen[1].connection, ConnectionInfo), (seen[1].keep_alive, KeepAliveInfo)):
        assert type(info) is cls
        assert set(vars(info)) == {f.name for f in dataclasses.fields(cls)}
        made = cls(**vars(info))
        assert info == made and hash(info) == hash(made) and repr(info) == repr(made)
        with pytest.raises(dataclasses.FrozenInstanceError):
            info.__setattr__("id", 0)
    assert seen[1].connection == ConnectionInfo(
        seen[0].connection.id, 2, f"{host}:{port}", echo.port, "http", None
    )
    assert seen[1].keep_alive == KeepAliveInfo(True, 5.0, 8)


@pytest.mark.parametrize("make_loop", [asyncio.new_event_loop, new_event_loop])
def test_a_coroutine_started_outside_a_task_carries_on_in_one(
    make_loop: Callable[[], asyncio.AbstractEventLoop],
) -> None:
    # start_eagerly steps a handler up to its first real wait with no Task,
    # then gives what it yielded (a Future, flagged by Future.__await__ as
    # waited on) to a Task: asyncio's Future/Task hand-shake, not its API.
    async def main() -> list[object]:
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[int] = loop.create_future()
        out: list[object] = []

        async def handler() -> None:
            out.append("start")
            out.append(await fut)
            await asyncio.sleep(0)
            out.append("end")

        task = start_eagerly(loop, handler())
        assert task is not None and out == ["start"]  # ran up to its wait, now
        fut.set_result(1)
        await task
        assert out == ["start", 1, "end"]

        stuck: asyncio.Future[int] = loop.create_future()

        async def waits() -> None:
            try:
                await stuck
            except asyncio.CancelledError:
                out.append("cancelled")
                raise

        task = start_eagerly(loop, waits())
        assert task is not None
        await asyncio.sleep(0)  # the task takes over the wait
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return out

    loop = make_loop()
    try:
        assert loop.run_until_complete(main())[-1] == "cancelled"
    finally:
        loop.close()


def test_h1_core_reports_its_buffer_through_a_public_property() -> None:
    # The echo connection pauses reading on this figure (it once read h1._buf).
    h1 = H1Server()
    h1.receive_data(GET * 3)
    assert h1.buffered == 3 * len(GET)
    h1.next_event()
    assert h1.buffered == 2 * len(GET)


REQUEST_FLAGS = HeaderValidationFlags(False, False, False, False)  # as echo/h2.py
TRAILER_FLAGS = HeaderValidationFlags(False, True, False, False)
HEAD = [(b":method", b"GET"), (b":scheme", b"http"), (b":path", b"/"), (b":authority", b"x")]


def test_h2_header_validator_as_the_echo_server_calls_it() -> None:
    # Positional flags: (is_client, is_trailer, is_response_header, is_push_promise).
    assert HeaderValidationFlags._fields == (
        "is_client",
        "is_trailer",
        "is_response_header",
        "is_push_promise",
    )
    good = [*HEAD, (b"x-case", b"Kept As Sent")]  # exact bytes out
    assert list(validate_headers(good, REQUEST_FLAGS)) == good
    for bad in (
        HEAD[:2],  # no :path
        [*HEAD, (b":weird", b"1")],  # unknown pseudo-header
        [*HEAD, (b"X-Case", b"1")],  # uppercase name
        [(b"a", b"b"), *HEAD],  # pseudo-header after a regular one
        [*HEAD, (b"a", b" padded")],  # surrounding whitespace
    ):
        with pytest.raises(h2.exceptions.ProtocolError):
            list(validate_headers(bad, REQUEST_FLAGS))
    assert list(validate_headers([(b"x", b"1")], TRAILER_FLAGS)) == [(b"x", b"1")]
    with pytest.raises(h2.exceptions.ProtocolError):
        list(validate_headers([(b":path", b"/")], TRAILER_FLAGS))


def _request_line(make: type[http.client.HTTPConnection], http10: bool = False) -> bytes:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        conn = make("127.0.0.1", listener.getsockname()[1], timeout=5)
        if http10:  # what the generated http.client snippet writes
            conn._http_vsn = 10
            conn._http_vsn_str = "HTTP/1.0"
        conn.request("GET", "/v")
        peer, _ = listener.accept()
        with peer:
            line = peer.recv(65536).split(b"\r\n", 1)[0]
        conn.close()
    return line


def test_http_client_version_attributes_that_generated_snippets_set() -> None:
    # http.client (and urllib3, so requests) has no public HTTP version switch:
    # the Python snippets for HTTP/1.0 set these attributes (codegen/_pyhttp.py,
    # _pysrc.py's speak_http10).
    assert _request_line(http.client.HTTPConnection) == b"GET /v HTTP/1.1"
    assert _request_line(http.client.HTTPConnection, http10=True) == b"GET /v HTTP/1.0"
    original = urllib3.connection.HTTPConnection._http_vsn_str
    try:
        urllib3.connection.HTTPConnection._http_vsn_str = "HTTP/1.0"
        assert _request_line(urllib3.connection.HTTPConnection) == b"GET /v HTTP/1.0"
    finally:
        urllib3.connection.HTTPConnection._http_vsn_str = original


def test_ssl_unverified_context_that_generated_snippets_use() -> None:
    # PEP 476's opt-out, written by the http.client snippet for verify=False.
    ctx = ssl._create_unverified_context()
    assert isinstance(ctx, ssl.SSLContext)
    assert ctx.verify_mode == ssl.CERT_NONE and ctx.check_hostname is False

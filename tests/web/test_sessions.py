"""Page sessions: one client each, closed when the session goes idle."""

from __future__ import annotations

import asyncio
import time

from reqlab import Request
from reqlab.echo.testing import EchoHandle
from reqlab.web.config import WebConfig
from reqlab.web.identity import new_id, well_formed
from reqlab.web.ratelimit import RateLimiter
from reqlab.web.sender import make_client
from reqlab.web.sessions import Sessions


def wait_until(condition, timeout: float = 5.0) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


async def until(condition, timeout: float = 5.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        await asyncio.sleep(0.01)


def test_idle_session_closes_its_client_and_connection(echo_server: EchoHandle) -> None:
    now = [0.0]
    sessions = Sessions(
        b"k" * 32, idle=60, make_client=lambda: make_client(WebConfig()), clock=lambda: now[0]
    )

    async def scenario() -> tuple[int, int]:
        busy = sessions.get(new_id())
        idle = sessions.get(new_id())
        for s in (busy, idle):
            await sessions.client_of(s).send(Request(url=echo_server.url + "/get"))
        now[0] = 50.0
        sessions.get(busy.id)  # busy is used again; idle is not
        now[0] = 100.0
        await until(lambda: echo_server.connection_count == 2)
        closed = await sessions.expire()
        remaining = len(sessions)
        # The expired session's pooled connection is really closed; busy's stays.
        await until(lambda: echo_server.connection_count == 1)
        await sessions.close()
        return closed, remaining

    closed, remaining = asyncio.run(scenario())
    assert (closed, remaining) == (1, 1)
    assert wait_until(lambda: echo_server.connection_count == 0)


def test_csrf_tokens_are_per_session_and_per_secret() -> None:
    a = Sessions(b"a" * 32, 60, make_client=lambda: None)
    b = Sessions(b"b" * 32, 60, make_client=lambda: None)
    sid, other = new_id(), new_id()
    assert a.check_csrf(sid, a.csrf_token(sid))
    assert not a.check_csrf(sid, a.csrf_token(other))
    assert not a.check_csrf(sid, b.csrf_token(sid))
    assert not a.check_csrf(sid, None) and not a.check_csrf(sid, "")
    assert well_formed(sid) and not well_formed("x") and not well_formed("a b" * 10)


def test_rate_limiter_refills_over_time() -> None:
    now = [0.0]
    limiter = RateLimiter(per_minute=60, burst=2, clock=lambda: now[0])
    assert [limiter.take("ip") for _ in range(2)] == [0.0, 0.0]
    assert limiter.take("ip") > 0 and limiter.take("other") == 0.0
    now[0] = 1.0
    assert limiter.take("ip") == 0.0

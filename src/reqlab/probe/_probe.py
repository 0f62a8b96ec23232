"""``reqlab probe``: learn a server's persistent-connection behaviour.

Every check sends the user's own request (GET by default), counts against
``max_requests`` and stays within ``max_idle`` seconds of idleness, so a
probe is bounded in requests and in time before it starts.  The decisions
(what to conclude from what was seen) live in
:mod:`reqlab.protocol.probe`; this module only opens connections, writes
bytes and watches the clock.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter
from typing import Any

from reqlab.body import prepare
from reqlab.errors import ReqlabError
from reqlab.model import Request
from reqlab.probe._conn import ProbeConnection
from reqlab.probe._h3 import check_http3
from reqlab.probe._h3idle import measure_h3_idle
from reqlab.probe._report import Check, ProbeReport
from reqlab.protocol.h1client import serialize_request
from reqlab.protocol.keepalive import connection_tokens, h2_forbidden, keep_alive_of
from reqlab.protocol.probe import (
    IdleObservations,
    bisect_schedule,
    idle_schedule,
    idle_timeout_from,
    needs_bisection,
    recommend,
)

Progress = Callable[[str, float], None]  # (what is happening, fraction done)


class BudgetExhausted(ReqlabError):
    pass


@dataclass
class ProbeSettings:
    max_idle: float = 30.0
    max_requests: int = 200
    verify: bool = True
    cafile: str | None = None
    idle_connections: int = 8
    bisect_rounds: int = 3


@dataclass
class _State:
    request: Request
    settings: ProbeSettings
    progress: Progress
    used: int = 0
    opened: list[ProbeConnection] = field(default_factory=list)

    def spend(self, n: int = 1) -> None:
        if self.used + n > self.settings.max_requests:
            raise BudgetExhausted(f"the request budget ({self.settings.max_requests}) is used up")
        self.used += n


def _wire(request: Request, version: str, connection: str | None) -> bytes:
    """The user's request as bytes, with the version and Connection header
    this check needs (any Connection/Keep-Alive the user wrote is replaced)."""
    req = request.without_headers("connection", "keep-alive").replace(version=version)
    if connection:
        req = req.with_headers([*req.headers, ("Connection", connection)])
    prepared = prepare(req, read_file=lambda path: Path(path).read_bytes())
    return serialize_request(req.method, req.target, version, prepared.headers, prepared.body)


async def _connect(state: _State) -> ProbeConnection:
    req = state.request
    conn = await ProbeConnection.open(
        req.host,
        req.port,
        tls=req.scheme == "https",
        verify=state.settings.verify,
        cafile=state.settings.cafile,
    )
    state.opened.append(conn)
    return conn


async def _exchange(
    state: _State, conn: ProbeConnection, data: bytes, timeout: float = 10.0
) -> bool:
    state.spend()
    conn.send(data, [state.request.method])
    return await conn.wait_responses(len(conn.responses) + 1, timeout)


# ------------------------------------------------------------------ checks


async def check_http11(state: _State, report: ProbeReport) -> None:
    data = _wire(state.request, "HTTP/1.1", None)
    conn = await _connect(state)
    if not await _exchange(state, conn, data):
        report.add(Check("HTTP/1.1", "fail", "no response to an HTTP/1.1 request"))
        return
    first = conn.responses[0]
    report.advertised = _advertised(first.headers)
    report.status = first.status
    report.add(Check("HTTP/1.1", "ok", f"{first.status} over {first.version}"))
    second = await _exchange(state, conn, data)
    if second:
        report.persistent_11 = True
        report.add(
            Check(
                "HTTP/1.1 persistence", "ok", "a second request on the same connection was answered"
            )
        )
    else:
        why = "the server closed the connection" if conn.is_closed else "no answer"
        report.add(
            Check("HTTP/1.1 persistence", "fail", f"not persistent: {why} after the first response")
        )
    conn.close()


async def check_http10(state: _State, report: ProbeReport) -> None:
    plain = await _connect(state)
    if await _exchange(state, plain, _wire(state.request, "HTTP/1.0", None)):
        closed = await plain.wait_closed(2.0)
        verdict = "ok" if closed else "warn"
        said = (
            "closes after the response, as HTTP/1.0 requires"
            if closed
            else "kept the connection open without keep-alive"
        )
        report.add(Check("HTTP/1.0", verdict, f"{plain.responses[0].status}; {said}"))
    else:
        report.add(Check("HTTP/1.0", "warn", "no response to an HTTP/1.0 request"))
    plain.close()

    conn = await _connect(state)
    data = _wire(state.request, "HTTP/1.0", "keep-alive")
    if not await _exchange(state, conn, data):
        report.add(Check("HTTP/1.0 keep-alive", "fail", "no response"))
        return
    answered = "keep-alive" in connection_tokens(conn.responses[0].headers)
    honoured = await _exchange(state, conn, data, timeout=5.0)
    report.http10_keep_alive = honoured
    if honoured:
        said = (
            "Connection: keep-alive honoured: a second request was answered on the same connection"
        )
        if not answered:
            said += " (but the response did not say Connection: keep-alive)"
        report.add(Check("HTTP/1.0 keep-alive", "ok" if answered else "warn", said))
    else:
        report.add(
            Check(
                "HTTP/1.0 keep-alive",
                "warn",
                "Connection: keep-alive ignored: the server closed after one response",
            )
        )
    conn.close()


async def check_pipelining(state: _State, report: ProbeReport) -> None:
    if state.request.method.upper() == "HEAD":
        report.add(Check("pipelining", "info", "not checked for HEAD requests"))
        return
    conn = await _connect(state)
    data = _wire(state.request, "HTTP/1.1", None)
    state.spend(3)
    conn.send(data * 3, [state.request.method] * 3)
    ok = await conn.wait_responses(3, 10.0)
    got = len(conn.responses)
    report.pipelining = ok
    if ok:
        report.add(Check("pipelining", "ok", "3 pipelined requests answered in order"))
    else:
        report.add(Check("pipelining", "warn", f"only {got} of 3 pipelined requests answered"))
    conn.close()


async def check_http2(state: _State, report: ProbeReport) -> None:
    from reqlab.client import AsyncClient

    req = state.request.without_headers("connection", "keep-alive")
    tls = req.scheme == "https"
    name = "HTTP/2 (ALPN)" if tls else "HTTP/2 (h2c prior knowledge)"
    async with AsyncClient(
        verify=state.settings.verify, cafile=state.settings.cafile, timeout=10
    ) as client:
        state.spend()
        try:
            response = await client.send(req.replace(version=None if tls else "HTTP/2"))
        except ReqlabError as exc:
            report.add(Check(name, "info", f"not available: {exc}"))
            return
    exchange = response.exchange
    if exchange.version != "HTTP/2":
        alpn = (
            exchange.connection.tls.alpn
            if exchange.connection and exchange.connection.tls
            else None
        )
        report.add(Check(name, "info", f"not offered (ALPN chose {alpn or 'nothing'})"))
        return
    report.http2 = True
    report.add(Check(name, "ok", f"{exchange.status} over HTTP/2"))
    bad = h2_forbidden(exchange.response_headers)
    if bad:
        report.add(
            Check(
                "HTTP/2 connection headers",
                "fail",
                f"responses carry {', '.join(bad)}: Safari refuses them (RFC 9113 8.2.2)",
            )
        )
    else:
        report.add(Check("HTTP/2 connection headers", "ok", "none in responses"))


async def measure_max_requests(state: _State, report: ProbeReport) -> None:
    conn = await _connect(state)
    data = _wire(state.request, "HTTP/1.1", None)
    advertised = report.advertised.get("max")
    served = 0
    try:
        while not conn.is_closed:
            state.progress(f"max requests: {served} answered on one connection", 0.0)
            if not await _exchange(state, conn, data):
                break
            served += 1
            last = conn.responses[-1]
            if "close" in connection_tokens(last.headers):
                await conn.wait_closed(2.0)
                break
    except BudgetExhausted:
        report.max_requests = None
        hint = f" (advertised max={advertised})" if advertised is not None else ""
        report.add(
            Check(
                "max requests", "info", f"more than {served} per connection{hint}; budget used up"
            )
        )
        conn.close()
        return
    report.max_requests = served
    said = f"the server closes a connection after {served} requests"
    if advertised is not None:
        said += f" (first response advertised max={advertised})"
    report.add(Check("max requests", "ok", said))
    conn.close()


async def _idle_round(state: _State, instants: list[float], obs: IdleObservations) -> None:
    """Open one connection per instant; check each at its instant; watch all."""
    data = _wire(state.request, "HTTP/1.1", None)
    conns = await asyncio.gather(*(_connect(state) for _ in instants))
    await asyncio.gather(*(_exchange(state, c, data) for c in conns))
    start = perf_counter()
    end = start + max(instants) + min(2.0, max(instants))

    async def check(conn: ProbeConnection, at: float) -> None:
        wait = conn.last_response_at + at - perf_counter()
        if await conn.wait_closed(max(wait, 0.0)):
            obs.closed_at.append(conn.close_delay())
            obs.close_kinds.append(conn.close_kind or "fin")
            return
        age = conn.idle_age()
        if await _exchange(state, conn, data, timeout=5.0):
            obs.alive_at.append(age)
            if "close" in connection_tokens(conn.responses[-1].headers):
                return  # the server's request limit ended this one, not idleness
            # The check reset the server's idle timer: keep watching.
            if await conn.wait_closed(end - perf_counter()):
                obs.closed_at.append(conn.close_delay())
                obs.close_kinds.append(conn.close_kind or "fin")
        else:
            obs.dead_at.append(age)

    async def checked(conn: ProbeConnection, at: float) -> None:
        try:
            await check(conn, at)
        except BudgetExhausted:
            obs.budget_exhausted = True

    tasks = [asyncio.create_task(checked(c, at)) for c, at in zip(conns, instants, strict=True)]
    while tasks:
        done, pending = await asyncio.wait(tasks, timeout=0.25, return_when=asyncio.FIRST_COMPLETED)
        tasks = list(pending)
        state.progress(
            f"idle timeout: {perf_counter() - start:.1f} s of up to {max(instants):g} s", 0.0
        )
        if len(obs.closed_at) >= 2:  # two server closes agree on the figure: done
            break
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for conn in conns:
        conn.close()


async def measure_idle_timeout(state: _State, report: ProbeReport) -> None:
    settings = state.settings
    obs = IdleObservations()
    await _idle_round(state, idle_schedule(settings.max_idle, settings.idle_connections), obs)
    rounds = 0
    while needs_bisection(obs) and rounds < settings.bisect_rounds and not obs.budget_exhausted:
        alive, dead = obs.interval()
        await _idle_round(state, bisect_schedule(alive, dead or settings.max_idle), obs)
        rounds += 1
    timeout, how = idle_timeout_from(obs)
    report.idle_timeout = timeout
    report.close_kind = obs.close_kinds[0] if obs.close_kinds else None
    advertised = report.advertised.get("timeout")
    if timeout is None:
        why = "the request budget ran out" if obs.budget_exhausted else how
        report.add(
            Check("idle timeout", "info", f"not reached within {settings.max_idle:g} s ({why})")
        )
        return
    said = f"{timeout:.2f} s ({how})"
    if advertised is not None:
        said += f"; advertised timeout={advertised}"
    report.add(Check("idle timeout", "ok", said))
    if obs.close_kinds:
        kind = obs.close_kinds[0]
        verdict, text = (
            ("ok", "clean close (FIN)") if kind == "fin" else ("warn", "connection reset (RST)")
        )
        report.add(Check("close", verdict, text))


async def check_race(state: _State, report: ProbeReport) -> None:
    """Send a request the moment an idle connection reaches the timeout."""
    timeout = report.idle_timeout
    if timeout is None:
        return
    data = _wire(state.request, "HTTP/1.1", None)
    conn = await _connect(state)
    if not await _exchange(state, conn, data):
        return
    await asyncio.sleep(max(conn.last_response_at + timeout - perf_counter(), 0.0))
    ok = not conn.is_closed and await _exchange(state, conn, data, timeout=5.0)
    report.race_failed = not ok
    if ok:
        report.add(Check("request racing the timeout", "ok", "answered"))
    else:
        how = "reset" if conn.close_kind == "reset" else "closed without a response"
        report.add(
            Check(
                "request racing the timeout",
                "warn",
                f"failed ({how}): clients must retry idempotent requests on a fresh connection",
            )
        )
    conn.close()


def _advertised(headers: list[tuple[str, str]]) -> dict[str, Any]:
    ka = keep_alive_of(headers)
    out: dict[str, Any] = {
        "connection": ", ".join(v for n, v in headers if n.lower() == "connection") or None
    }
    out["keep_alive"] = next((v for n, v in headers if n.lower() == "keep-alive"), None)
    out["timeout"] = ka.timeout if ka else None
    out["max"] = ka.max if ka else None
    return out


Step = tuple[str, Callable[[_State, ProbeReport], Any]]

STEPS: list[Step] = [
    ("HTTP/1.1", check_http11),
    ("HTTP/1.0", check_http10),
    ("pipelining", check_pipelining),
    ("HTTP/2", check_http2),
    ("HTTP/3", check_http3),
    ("HTTP/3 idle timeout", measure_h3_idle),
    ("idle timeout", measure_idle_timeout),
    ("racing request", check_race),
    ("max requests", measure_max_requests),  # last: it may use up the rest of the budget
]


async def probe(
    request: Request,
    settings: ProbeSettings | None = None,
    progress: Progress | None = None,
    steps: list[Step] | None = None,
) -> ProbeReport:
    """Run every check (or ``steps``, a part of :data:`STEPS`) against
    ``request``'s server and return the report."""
    settings = settings or ProbeSettings()
    steps = STEPS if steps is None else steps
    state = _State(request, settings, progress or (lambda _what, _frac: None))
    report = ProbeReport(
        url=request.url,
        method=request.method,
        limits={"max_idle": settings.max_idle, "max_requests": settings.max_requests},
    )
    started = perf_counter()
    try:
        for index, (name, step) in enumerate(steps):
            state.progress(name, index / len(steps))
            try:
                await step(state, report)
            except BudgetExhausted as exc:
                report.add(Check(name, "info", f"skipped: {exc}"))
                break
            except ReqlabError as exc:
                report.add(Check(name, "fail", str(exc)))
                if name == "HTTP/1.1":
                    raise
    finally:
        for conn in state.opened:
            conn.close()
    state.progress("done", 1.0)
    report.requests_used = state.used
    report.elapsed = perf_counter() - started
    report.recommendation = recommend(
        report.idle_timeout,
        report.max_requests,
        racing_request_failed=report.race_failed,
        advertised_timeout=report.advertised.get("timeout"),
    )
    return report

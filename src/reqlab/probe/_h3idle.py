"""The HTTP/3 idle timeout a server really applies, measured by bisection.

QUIC announces an idle timeout (the ``max_idle_timeout`` transport
parameter) but a server may end connections sooner or later than it says,
and past it a QUIC connection ends *silently*: no FIN, no CONNECTION_CLOSE
(RFC 9000 section 10.1).  So, as for TCP servers that drop silently, the
probe opens one connection per instant, leaves each idle until its
instant, then sends the request on it: an answer means the server still
held the connection at that idleness, silence (or an error) means it had
let it go.  Rounds of :func:`bisect_schedule` narrow the interval between
the longest idle that worked and the shortest that failed.

Our own end must outlive the server's announcement or aioquic would drop
the connection itself at that figure: the probe's connections do not
honour the peer's parameter (``honour_peer_idle``).  Idleness is counted
from the last datagram either way, which is when both ends' timers start.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from time import perf_counter
from typing import Any

from reqlab.errors import ReqlabError
from reqlab.model import Request
from reqlab.probe._report import Check, ProbeReport
from reqlab.protocol.probe import (
    IdleObservations,
    bisect_schedule,
    idle_schedule,
    idle_timeout_from,
    needs_bisection,
)

CHECK_TIMEOUT = 2.0  # a live connection answers in milliseconds; silence past this is death
POLL = 0.25  # how often a waiting check looks for a CONNECTION_CLOSE


def _last_io(conn: Any) -> float:
    return float(max(conn.last_activity, conn.last_sent))


async def _idle_check(state: Any, target: Request, at: float, obs: IdleObservations) -> None:
    """One connection: a request, ``at`` seconds of silence, a request."""
    from reqlab.client import AsyncClient

    settings = state.settings
    client = AsyncClient(verify=settings.verify, cafile=settings.cafile, timeout=10.0)
    rules = client.pool.h3
    rules.honour_peer_idle = False
    rules.idle_timeout = settings.max_idle + 60  # ours: never the one that ends it
    try:
        state.spend()
        await client.send(target)
        conn = next(iter(rules.conns.values()))
        while (left := _last_io(conn) + at - perf_counter()) > 0 and not conn.closed:
            await asyncio.sleep(min(left, POLL))
        if conn.closed:  # the server said so (some do send CONNECTION_CLOSE when idle)
            obs.closed_at.append(conn.ended_at - _last_io(conn))
            obs.close_kinds.append("close")
            return
        age = perf_counter() - _last_io(conn)
        try:
            state.spend()
        except ReqlabError:
            obs.budget_exhausted = True
            return
        check = target.replace(options=replace(target.options, timeout=CHECK_TIMEOUT))
        try:
            await client.send(check)
        except ReqlabError:
            obs.dead_at.append(age)
        else:
            obs.alive_at.append(age)
    finally:
        await client.aclose()


async def _round(state: Any, target: Request, instants: list[float], obs: IdleObservations) -> None:
    from reqlab.probe._probe import BudgetExhausted

    async def one(at: float) -> None:
        try:
            await _idle_check(state, target, at, obs)
        except BudgetExhausted:
            obs.budget_exhausted = True
        except ReqlabError:
            pass  # the first request failed: this connection teaches nothing

    state.progress(f"HTTP/3 idle timeout: checks at {', '.join(f'{t:g}' for t in instants)} s", 0.0)
    await asyncio.gather(*(one(at) for at in instants))


async def measure_h3_idle(state: Any, report: ProbeReport) -> None:
    found = report.http3
    if not found or not found.get("answers"):
        return
    settings = state.settings
    request = state.request
    # The request's own options: explicit ones win over the client's, so the
    # probe's verify setting goes into them (the check request sets a timeout).
    options = replace(request.options, verify=settings.verify)
    target = request.replace(url=found["url"], version="HTTP/3", options=options)
    obs = IdleObservations()
    # The announced figure bounds the first round (twice it, within max_idle);
    # a server that outlives that gets a second round up to max_idle.
    announced = found.get("idle_timeout")
    cap = min(settings.max_idle, 2 * announced) if announced else settings.max_idle
    await _round(state, target, idle_schedule(cap, settings.idle_connections), obs)
    if cap < settings.max_idle and not (obs.dead_at or obs.closed_at or obs.budget_exhausted):
        await _round(
            state, target, sorted({min(2 * cap, settings.max_idle), settings.max_idle}), obs
        )
    rounds = 0
    while needs_bisection(obs) and rounds < settings.bisect_rounds and not obs.budget_exhausted:
        alive, dead = obs.interval()
        await _round(state, target, bisect_schedule(alive, dead or settings.max_idle), obs)
        rounds += 1
    timeout, how = idle_timeout_from(obs)
    found["idle_timeout_measured"] = None if timeout is None else round(timeout, 3)
    found["idle_how"] = how
    found["idle_close"] = (
        None if timeout is None else ("CONNECTION_CLOSE" if obs.close_kinds else "silent")
    )
    advertised = found.get("idle_timeout")
    said_adv = f"; transport parameter {advertised:g} s" if advertised else ""
    if timeout is None:
        alive, dead = obs.interval()
        if dead is not None:  # seen, not narrowed to 10% within the rounds
            found["idle_between"] = [round(alive, 3), round(dead, 3)]
            said = f"between {alive:.2f} s and {dead:.2f} s idle (not narrowed further)"
        else:
            why = "the request budget ran out" if obs.budget_exhausted else how
            said = f"not reached within {settings.max_idle:g} s ({why})"
        report.add(Check("HTTP/3 idle timeout", "info", said + said_adv))
        return
    ends = "with CONNECTION_CLOSE" if obs.close_kinds else "silently (no CONNECTION_CLOSE)"
    verdict = "ok"
    if advertised and abs(timeout - advertised) > max(0.2 * advertised, 0.3):
        verdict = "warn"  # the server does not do what it announced
    report.add(
        Check("HTTP/3 idle timeout", verdict, f"{timeout:.2f} s ({how}), ends {ends}{said_adv}")
    )

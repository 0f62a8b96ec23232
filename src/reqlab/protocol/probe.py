"""The decisions of ``reqlab probe``, without I/O.

Theory of operation.  The probe learns a server's persistent-connection
behaviour from a bounded number of requests:

* A :class:`ResponseReader` parses the responses that come back on one
  connection, any number of them (pipelined or one after another), and says
  how many completed before the server closed.
* :func:`idle_schedule` chooses when to check idle connections.  All of them
  are opened at once and each is checked once, at its own instant, so the
  wall time stays near the timeout itself.  Meanwhile every idle connection
  is watched: a server that closes idle connections does so T seconds after
  its last response, so the first close seen *is* the measurement.  When no
  close is seen but checks fail (a server that drops silently),
  :func:`bisect_schedule` narrows the interval between the last success and
  the first failure.
* :func:`idle_timeout_from` turns the observations into a measured timeout,
  and :func:`recommend` into client pool settings.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field

import httptools

from reqlab.errors import RemoteProtocolError
from reqlab.model import Header


@dataclass(frozen=True, slots=True)
class ProbeResponse:
    status: int
    version: str
    headers: list[Header]
    body_size: int


class ResponseReader:
    """Parse consecutive responses on one connection (pipelining included).

    ``methods`` lists the request methods in the order sent, so that a
    response to HEAD is known to have no body.
    """

    def __init__(self) -> None:
        self.responses: list[ProbeResponse] = []
        self._methods: list[str] = []
        self._new_parser()

    def _new_parser(self) -> None:
        self._parser = httptools.HttpResponseParser(self)
        self._headers: list[Header] = []
        self._size = 0

    def expect(self, method: str) -> None:
        self._methods.append(method.upper())

    @property
    def pending(self) -> int:
        return len(self._methods) - len(self.responses)

    def feed(self, data: bytes) -> list[ProbeResponse]:
        """Feed bytes; returns the responses completed by them."""
        before = len(self.responses)
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            pass
        except httptools.HttpParserError as exc:
            if not self._head_done:
                raise RemoteProtocolError(f"invalid HTTP response: {exc}") from None
        if self._head_done:
            self._head_done = False
            self._new_parser()
        return self.responses[before:]

    # httptools callbacks
    def on_message_begin(self) -> None:
        self._headers = []
        self._size = 0

    def on_header(self, name: bytes, value: bytes) -> None:
        self._headers.append((name.decode("latin-1"), value.decode("latin-1")))

    def on_headers_complete(self) -> None:
        # llhttp cannot be told a response answers HEAD: end it here and
        # start a fresh parser for whatever follows (see ``feed``).
        index = len(self.responses)
        methods = self._methods
        if (
            self._parser.get_status_code() >= 200
            and index < len(methods)
            and methods[index] == "HEAD"
        ):
            self._complete()
            self._head_done = True

    def on_body(self, body: bytes) -> None:
        self._size += len(body)

    def on_message_complete(self) -> None:
        if self._parser.get_status_code() >= 200 and not self._head_done:
            self._complete()

    _head_done = False

    def _complete(self) -> None:
        version = "HTTP/" + self._parser.get_http_version()
        status = self._parser.get_status_code()
        self.responses.append(ProbeResponse(status, version, list(self._headers), self._size))


# ---------------------------------------------------------------- idle timeout


def idle_schedule(max_idle: float, connections: int = 8) -> list[float]:
    """Instants (seconds of idleness) at which to check idle connections.

    Geometric from a quarter second to ``max_idle``: coarse, but every
    connection not yet checked still watches for the server's close, which
    gives the precise figure.
    """
    instants: list[float] = []
    t = 0.25
    while t < max_idle and len(instants) < connections - 1:
        instants.append(round(t, 3))
        t *= 2
    instants.append(float(max_idle))
    return instants


def bisect_schedule(alive_at: float, dead_at: float, connections: int = 4) -> list[float]:
    """Evenly spaced instants inside (alive_at, dead_at) for the next round."""
    step = (dead_at - alive_at) / (connections + 1)
    return [round(alive_at + step * (i + 1), 3) for i in range(connections)]


@dataclass
class IdleObservations:
    """What was seen of idle connections, in seconds of idleness."""

    closed_at: list[float] = field(default_factory=list)  # the server closed (FIN/RST seen)
    alive_at: list[float] = field(default_factory=list)  # a check at this age succeeded
    dead_at: list[float] = field(default_factory=list)  # a check at this age failed
    close_kinds: list[str] = field(default_factory=list)  # "fin" | "reset"
    budget_exhausted: bool = False  # some checks could not be sent

    def interval(self) -> tuple[float, float | None]:
        """(longest idle that still worked, shortest idle that failed)."""
        alive = max(self.alive_at, default=0.0)
        dead = min((d for d in self.dead_at if d > alive), default=None)
        return alive, dead


def idle_timeout_from(obs: IdleObservations, precision: float = 0.1) -> tuple[float | None, str]:
    """The measured idle timeout (seconds) and how it was found.

    A close the server initiated is a direct measurement (median of those
    seen); otherwise the midpoint of the bisected interval, once it is
    narrower than ``precision`` of its upper end.
    """
    if obs.closed_at:
        return statistics.median(obs.closed_at), "server closed idle connections"
    alive, dead = obs.interval()
    if dead is None:
        return None, "no idle connection was closed"
    if dead - alive <= max(precision * dead, 0.02):
        return (alive + dead) / 2, "bisected between checks"
    return None, f"between {alive:g} s and {dead:g} s"


def needs_bisection(obs: IdleObservations, precision: float = 0.1) -> bool:
    timeout, _ = idle_timeout_from(obs, precision)
    return timeout is None and obs.interval()[1] is not None


# ---------------------------------------------------------------- advice


@dataclass(frozen=True)
class Recommendation:
    pool_idle_timeout: float | None  # seconds; None: no limit observed
    max_requests_per_connection: int | None
    notes: tuple[str, ...] = ()


def safety_margin(timeout: float) -> float:
    """How far below the server's timeout a client pool should expire idle
    connections: enough to cover a round trip and scheduling delays."""
    return max(0.5, 0.2 * timeout) if timeout >= 1 else timeout * 0.5


def recommend(
    idle_timeout: float | None,
    max_requests: int | None,
    *,
    racing_request_failed: bool | None = None,
    advertised_timeout: int | None = None,
) -> Recommendation:
    notes: list[str] = []
    pool_timeout = None
    if idle_timeout is not None:
        pool_timeout = round(max(idle_timeout - safety_margin(idle_timeout), 0.0), 2)
        notes.append(
            f"expire pooled connections after {pool_timeout:g} s idle "
            f"(server closes at {idle_timeout:.2f} s)"
        )
        if advertised_timeout is not None and abs(advertised_timeout - idle_timeout) > max(
            0.5, 0.1 * idle_timeout
        ):
            notes.append(
                f"the server advertises timeout={advertised_timeout} but closes after "
                f"{idle_timeout:.2f} s: trust the measurement"
            )
    if max_requests is not None:
        notes.append(f"open a new connection after {max_requests} requests")
    if racing_request_failed:
        notes.append(
            "a request racing the timeout failed: retry idempotent requests once on a "
            "fresh connection"
        )
    return Recommendation(pool_timeout, max_requests, tuple(notes))


def summarize_times(values: Iterable[float]) -> dict[str, float]:
    data = sorted(values)
    if not data:
        return {}
    return {"min": data[0], "median": statistics.median(data), "max": data[-1]}

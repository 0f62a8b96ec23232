"""``reqlab probe`` against real servers on 127.0.0.1 with known settings."""

from __future__ import annotations

import asyncio

import pytest

from reqlab.echo.testing import start_echo_server
from reqlab.model import Request
from reqlab.probe import ProbeSettings, probe


def run(url: str, **settings: object):
    return asyncio.run(probe(Request("GET", url), ProbeSettings(**settings)))  # type: ignore[arg-type]


def verdicts(report) -> dict[str, str]:
    return {c.name: c.verdict for c in report.checks}


@pytest.mark.parametrize("timeout, most", [(1.0, 5), (2, 12)])
def test_finds_the_echo_servers_timeout_and_max(timeout, most):
    with start_echo_server(keep_alive_timeout=timeout, keep_alive_max=most) as echo:
        report = run(echo.url + "/echo", max_idle=5)
    assert report.idle_timeout == pytest.approx(timeout, rel=0.10)
    assert report.max_requests == most
    assert report.http10_keep_alive is True
    assert report.persistent_11 is True
    assert report.pipelining is True
    assert report.http2 is True  # h2c by prior knowledge
    assert report.close_kind == "fin"
    assert report.advertised["timeout"] == timeout
    assert report.advertised["max"] == most - 1
    assert report.recommendation.pool_idle_timeout < timeout
    assert report.recommendation.max_requests_per_connection == most
    assert report.elapsed < timeout * 3 + 3  # the idle search runs in parallel
    assert set(verdicts(report).values()) <= {"ok", "warn"}


def test_reports_a_server_that_ignores_http10_keep_alive(tiny_server):
    server = tiny_server(honour_http10_keep_alive=False, idle_close_after=0.6)
    report = run(server.url + "/", max_idle=3)
    assert report.http10_keep_alive is False
    assert verdicts(report)["HTTP/1.0 keep-alive"] == "warn"
    assert "ignored" in next(c.summary for c in report.checks if c.name == "HTTP/1.0 keep-alive")
    assert report.idle_timeout == pytest.approx(
        0.6, rel=0.10
    )  # advertises nothing, measured anyway
    assert report.advertised["timeout"] is None
    assert report.http2 is None


def test_tells_a_reset_from_a_clean_close(tiny_server):
    server = tiny_server(idle_close_after=0.4, reset_on_idle_close=True)
    report = run(server.url + "/", max_idle=2)
    assert report.close_kind == "reset"
    assert verdicts(report)["close"] == "warn"


def test_idle_timeout_beyond_max_idle_is_reported_not_reached(tiny_server):
    server = tiny_server(idle_close_after=None)
    report = run(server.url + "/", max_idle=0.6, max_requests=60)
    assert report.idle_timeout is None
    assert "not reached within 0.6 s" in next(
        c.summary for c in report.checks if c.name == "idle timeout"
    )
    assert report.max_requests is None  # the server never closes: the budget runs out first


def test_never_sends_more_than_the_budget(tiny_server):
    server = tiny_server(idle_close_after=None)
    report = run(server.url + "/", max_idle=0.5, max_requests=12)
    assert server.requests <= 12
    assert report.requests_used == 12  # one of them was the HTTP/2 attempt this server refused
    assert any("budget" in c.summary for c in report.checks)

"""The probe's HTTP/3 row against the echo server (and a server without it)."""

from __future__ import annotations

import asyncio

from reqlab.echo.testing import start_echo_server
from reqlab.model import Options, Request
from reqlab.probe._h3 import check_http3
from reqlab.probe._probe import ProbeSettings, _State
from reqlab.probe._report import ProbeReport


def _run(url: str) -> ProbeReport:
    state = _State(Request(url=url), ProbeSettings(verify=False), lambda _w, _f: None)
    report = ProbeReport(url=url, method="GET", limits={})
    asyncio.run(check_http3(state, report))
    return report


def test_advertised_answered_with_its_terms() -> None:
    with start_echo_server(tls=True, http3=True, h3_idle_timeout=9.0) as echo:
        report = _run(f"{echo.tls_url}/echo")
    found = report.http3
    assert found is not None
    assert found["advertised"] and found["answers"] and found["status"] == 200
    assert found["idle_timeout"] == 9.0 and found["max_streams"] > 0
    assert found["zero_rtt_accepted"] is True
    assert report.checks[-1].verdict == "ok"


def test_no_http3_is_reported_not_raised() -> None:
    with start_echo_server(tls=True, http3=False) as echo:
        state = _State(
            Request(url=f"{echo.tls_url}/echo", options=Options(verify=False, timeout=1.0)),
            ProbeSettings(verify=False),
            lambda _w, _f: None,
        )
        report = ProbeReport(url="", method="GET", limits={})
        asyncio.run(check_http3(state, report))
    assert report.http3 is not None and report.http3["advertised"] is False
    assert report.http3["answers"] is False
    assert report.checks[-1].verdict == "info" and "no HTTP/3 answer" in report.checks[-1].summary


def test_idle_timeout_is_measured_by_bisection() -> None:
    """The echo server ends idle QUIC connections silently after 1 s: the
    probe finds that by checks past the announced figure, within its
    idle budget (3 s) and request budget."""
    from time import perf_counter

    from reqlab.probe._h3idle import measure_h3_idle

    with start_echo_server(tls=True, http3=True, h3_idle_timeout=1.0) as echo:
        url = f"{echo.tls_url}/echo"
        state = _State(
            Request(url=url), ProbeSettings(verify=False, max_idle=3.0), lambda _w, _f: None
        )
        report = ProbeReport(url=url, method="GET", limits={})
        asyncio.run(check_http3(state, report))
        started = perf_counter()
        asyncio.run(measure_h3_idle(state, report))
        took = perf_counter() - started
    found = report.http3
    assert found is not None
    measured = found["idle_timeout_measured"]
    check = report.checks[-1]
    assert check.name == "HTTP/3 idle timeout"
    assert "transport parameter 1 s" in check.summary
    if measured is not None:
        assert 0.8 <= measured <= 1.5, found
        assert found["idle_how"] == "bisected between checks"
        assert found["idle_close"] == "silent"
        assert check.verdict == "ok" and "silently" in check.summary, check
    else:  # a loaded machine delays the server's idle timer: an interval, still narrow
        low, high = found["idle_between"]
        assert 0.8 <= low < high <= 1.6 and high - low <= 0.4, found
        assert check.verdict == "info" and "between" in check.summary
    # three rounds at most, each at most max_idle + the check's timeout
    assert took < 3 * (3.0 + 2.0) + 5
    assert state.used <= ProbeSettings().max_requests


def test_idle_measurement_respects_the_request_budget() -> None:
    from reqlab.probe._h3idle import measure_h3_idle

    with start_echo_server(tls=True, http3=True, h3_idle_timeout=1.0) as echo:
        url = f"{echo.tls_url}/echo"
        state = _State(
            Request(url=url),
            ProbeSettings(verify=False, max_idle=3.0, max_requests=6),
            lambda _w, _f: None,
        )
        report = ProbeReport(url=url, method="GET", limits={})
        asyncio.run(check_http3(state, report))
        asyncio.run(measure_h3_idle(state, report))
    assert state.used <= 6
    assert report.http3 is not None and report.http3["idle_timeout_measured"] is None
    assert "budget" in report.checks[-1].summary

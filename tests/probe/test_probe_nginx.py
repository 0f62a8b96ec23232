"""``reqlab probe`` against nginx from Debian, configured by the client tests'
fixture: a real server whose settings the test knows."""

from __future__ import annotations

import asyncio

import pytest

from nginx_server import Nginx, ca, nginx  # noqa: F401  (fixtures shared with the client tests)
from reqlab.model import Request
from reqlab.probe import ProbeSettings, probe


def run(url: str, **settings: object):
    return asyncio.run(probe(Request("GET", url), ProbeSettings(**settings)))  # type: ignore[arg-type]


@pytest.mark.xdist_group("nginx")
def test_measures_nginx_keepalive_timeout(nginx: Nginx):  # noqa: F811
    report = run(nginx.short_url + "/", max_idle=4)  # keepalive_timeout 1 1
    assert report.idle_timeout == pytest.approx(1.0, rel=0.10)
    assert report.advertised["timeout"] == 1  # nginx advertises timeout= only
    assert report.advertised["max"] is None
    assert report.http10_keep_alive is True
    assert report.persistent_11 is True


@pytest.mark.xdist_group("nginx")
def test_measures_nginx_keepalive_requests(nginx: Nginx):  # noqa: F811
    report = run(nginx.limited_url + "/", max_idle=1)  # keepalive_requests 3, timeout 30
    assert report.max_requests == 3
    assert report.idle_timeout is None  # 30 s is beyond --max-idle 1
    assert report.recommendation.max_requests_per_connection == 3

"""Fixtures shared by every test area."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from reqlab.echo.testing import EchoHandle, start_echo_server

# scripts/test (and so CI) runs the property tests derandomized: the same
# examples every run, so whether a commit lands never depends on luck.  A
# plain `pytest` keeps Hypothesis's random search, which is how new failing
# cases are found; each found case becomes an @example.
# No deadline and no "too slow" health check either: on a loaded 2-core CI
# machine a slow example is not a failure, and derandomized runs must not
# depend on timing.
settings.register_profile(
    "ci",
    derandomize=True,
    print_blob=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("REQLAB_HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def echo_server() -> Iterator[EchoHandle]:
    """A fresh echo server (default options) on a free port, for one test."""
    with start_echo_server() as handle:
        yield handle


@pytest.fixture(scope="session")
def echo_url() -> Iterator[str]:
    """The base URL (http://127.0.0.1:PORT) of an echo server shared by the session."""
    with start_echo_server() as handle:
        yield handle.url

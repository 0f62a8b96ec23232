"""Fixtures shared by every test area."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from reqlab.echo.testing import EchoHandle, start_echo_server


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

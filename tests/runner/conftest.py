from __future__ import annotations

from collections.abc import Iterator

import pytest

from reqlab.echo.testing import EchoHandle, start_echo_server


@pytest.fixture(scope="module")
def echo() -> Iterator[EchoHandle]:
    with start_echo_server(keep_alive_timeout=5) as server:
        yield server

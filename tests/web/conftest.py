"""Fixtures for the web workbench tests: a running workbench + echo server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from reqlab.web.testing import Workbench, start_workbench


@pytest.fixture
def workbench(tmp_path: Path) -> Iterator[Workbench]:
    """A workbench on a free port with its own SQLite file and echo server."""
    with start_workbench(db_url=f"sqlite:///{tmp_path / 'wb.db'}") as wb:
        yield wb


@pytest.fixture
def api(workbench: Workbench) -> Iterator[httpx.Client]:
    """A client holding a session cookie and its CSRF token, as the page does."""
    with workbench.api() as client:
        yield client

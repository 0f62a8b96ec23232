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


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One chromium per test module; each test opens its own context."""
    from playwright.sync_api import sync_playwright
    from tests.web._chromium import ARGS, CHROMIUM

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()

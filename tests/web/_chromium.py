"""Debian's chromium for the page's browser tests: where it is, how it is
started, and a fresh page on the workbench (one place for all of them)."""

from __future__ import annotations

from typing import Any

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def new_page(
    browser: Any, url: str, width: int = 1280, height: int = 900, scheme: str = "light"
) -> Any:
    """A fresh context (so a fresh page session) on the workbench at
    ``url``, ready once the page says so; page errors collected in
    ``page.errors`` for the test to assert none."""
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(url + "/")
    pg.wait_for_selector("body[data-ready='1']")
    pg.errors = errors
    return pg

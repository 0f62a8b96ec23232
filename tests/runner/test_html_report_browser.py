"""The HTML report in a real browser (Debian's chromium driven by
Playwright): a response full of markup stays text, no script runs, and the
page shows the waterfall with the connection's reuse.  Leaves a screenshot,
run-report.png, where the page's browser tests leave theirs (REQLAB_SCREENSHOTS=
docs/screenshots refreshes the committed one; by default the checkout stays
clean)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reqlab.echo.testing import EchoHandle
from reqlab.runner import run
from reqlab.runner._html import write_html

CHROMIUM = "/usr/bin/chromium"
SHOTS = (
    os.environ.get("REQLAB_SCREENSHOTS")
    or Path(os.environ.get("TMPDIR", "/tmp")) / "reqlab-screenshots"
)
SHOT = Path(SHOTS) / "run-report.png"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]
playwright_api = pytest.importorskip("playwright.sync_api")

HOSTILE = (
    "POST {{base}}/echo\n"
    "`<script>document.title='owned'</script><img src=x onerror=\"document.title='owned'\">`\n"
    'HTTP 200\n[Asserts]\njsonpath "$.method" == "POST"\n'
    "GET {{base}}/echo\nHTTP 200\n[Asserts]\nconnection reused == true\n"
    'jsonpath "$.method" == "PUT"\n'
)


def test_report_is_inert_and_shows_reuse(
    tmp_path: Path, echo: EchoHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the report names the file as given: journey.hurl
    (tmp_path / "journey.hurl").write_text(HOSTILE)
    result = run("journey.hurl", variables={"base": echo.url})
    page_path = write_html(result, tmp_path / "report")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text))
            page.goto(page_path.as_uri())
            assert page.title() == "reqlab run report"  # no script changed it
            assert page.locator("img").count() == 0  # the response's <img> is text
            assert page.locator("script").count() == 0
            body = page.inner_text("body")
            assert "<script>document.title='owned'</script>" not in page.content()
            assert "connection #1 reused" in body and "FAIL" in body
            for summary in page.locator("summary").all()[:2]:
                summary.click()
            SHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOT), full_page=False)
        finally:
            browser.close()

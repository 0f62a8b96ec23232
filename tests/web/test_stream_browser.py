"""The streaming body in Debian's chromium: the byte count grows while the
drip is still arriving; the history entry comes afterwards as usual.  And the
TLS section and the Certificates dialog are there."""

from __future__ import annotations

import os

import pytest
from tests.web.test_browser import (  # noqa: F401 - fixtures shared with the page's smoke tests
    CHROMIUM,
    page,
    shot,
    url_box,
    wait_js,
    wb,
)

from reqlab.web.testing import Workbench

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("web-browser"),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]
pytest.importorskip("playwright.sync_api")

BYTES = "Number(document.getElementById('stream-live')?.dataset.bytes || 0)"


def test_streamed_body_count_grows_before_the_end(page, wb: Workbench) -> None:  # noqa: ANN001, F811
    url_box(page).fill(wb.echo_url + "/drip?duration=2&numbytes=10")
    page.get_by_label("Stream body").check()
    before = page.locator("#history-list li").count()
    page.get_by_role("button", name="Send", exact=True).click()
    wait_js(page, f"{BYTES} >= 1")
    early = page.evaluate(BYTES)
    assert early < 10  # seen while the drip is still running
    assert page.locator("#stream-ttfb").inner_text().endswith("ms")
    wait_js(page, f"{BYTES} > {early}")
    wait_js(
        page, f"{BYTES} == 10 && document.querySelectorAll('#history-list li').length > {before}"
    )
    assert page.locator("#stream-text").inner_text() == "*" * 10
    assert page.locator("#stream-bytes").inner_text() == "10 B"
    shot(page, "stream-drip")


def test_certificates_dialog_lists_an_entry_without_its_key(page, wb: Workbench) -> None:  # noqa: ANN001, F811
    import trustme

    leaf = trustme.CA().issue_cert("alice.test", common_name="alice")
    page.get_by_role("button", name="Certificates…").click()
    page.get_by_label("Host pattern").fill("*.example.test")
    dialog = page.locator("#tls-hosts")
    dialog.locator("#tlsh-cert").fill(leaf.cert_chain_pems[0].bytes().decode())
    dialog.locator("#tlsh-key").fill(leaf.private_key_pem.bytes().decode())
    dialog.get_by_role("button", name="Add").click()
    page.locator("#tls-host-list li").first.wait_for()
    text = page.locator("#tls-host-list").inner_text()
    assert "*.example.test" in text and "alice" in text and "PRIVATE" not in text
    assert dialog.locator("#tlsh-key").input_value() == ""

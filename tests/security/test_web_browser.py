"""Issue 15's session-fixation attack and share-link secrets, played in
Chromium (Debian's /usr/bin/chromium driven by Playwright)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import httpx
import pytest

from reqlab.web.testing import Workbench, start_workbench

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("security-browser"),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]
playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def wb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workbench]:
    db = tmp_path_factory.mktemp("secbrowser") / "wb.db"
    with start_workbench(db_url=f"sqlite:///{db}") as workbench:
        yield workbench


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


def _open(context, url: str):  # noqa: ANN001, ANN202
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']")
    return page


def _sid(context) -> str | None:  # noqa: ANN001
    values = [c["value"] for c in context.cookies() if c["name"] == "reqlab_sid"]
    assert len(values) <= 1
    return values[0] if values else None


def _send(page, url: str) -> None:  # noqa: ANN001
    before = page.locator("#history-list li").count()
    page.get_by_role("textbox", name="URL", exact=True).fill(url)
    page.get_by_role("button", name="Send", exact=True).click()
    deadline = time.monotonic() + 20
    while page.locator("#history-list li").count() <= before:
        assert time.monotonic() < deadline, page.locator("#error").text_content()
        page.wait_for_timeout(20)


@pytest.mark.parametrize("used", [False, True], ids=["fresh-id", "used-id"])
def test_a_fixed_session_id_never_reads_the_victims_history(
    browser, wb: Workbench, used: bool
) -> None:  # noqa: ANN001
    attacker = browser.new_context()
    victim = browser.new_context()
    try:
        mine = _open(attacker, wb.url + "/")
        if used:  # the attacker's id holds data before it is planted
            _send(mine, f"{wb.echo_url}/get?attacker=1")
        planted = _sid(attacker)
        assert planted
        # The route: the co-hosted echo server sets the cookie.  Refused.
        lure = victim.new_page()
        answer = lure.goto(f"{wb.echo_url}/cookies/set?reqlab_sid={planted}")
        assert answer is not None and answer.status == 403
        assert _sid(victim) is None
        # Any other same-host way to plant it (simulated by the browser's own API).
        victim.add_cookies([{"name": "reqlab_sid", "value": planted, "url": wb.url}])
        page = _open(victim, wb.url + "/")
        _send(page, f"{wb.echo_url}/get?access_token=victim-secret")
        page.get_by_label("Name", exact=True).fill("victim's request")
        page.get_by_role("button", name="Save", exact=True).click()
        page.locator("#share-link").wait_for()
        rotated = _sid(victim)
        assert rotated and rotated != planted
        # The attacker, holding the planted id, sees none of it.
        with httpx.Client(base_url=wb.url, cookies={"reqlab_sid": planted}) as spy:
            spy.headers["X-CSRF-Token"] = spy.get("/api/session").json()["csrf"]
            for path in ("/api/history", "/api/requests"):
                r = spy.get(path)
                assert r.status_code in (200, 403) and "victim" not in r.text
        # The victim still has everything, and the page kept working after the rotation.
        _send(page, wb.echo_url + "/get?again=1")
        assert page.locator("#history-list li").count() == 2 + used  # the attacker's own came along
        assert page.get_by_label("Saved requests").get_by_text("victim's request").is_visible()
    finally:
        attacker.close()
        victim.close()


def _share(page, name: str, include_secrets: bool) -> str:  # noqa: ANN001
    page.get_by_label("Name", exact=True).fill(name)
    box = page.get_by_label("Include secrets in the share link")
    box.set_checked(include_secrets)
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_label("Saved requests").get_by_text(name).wait_for()
    href = page.locator("#share-link").get_attribute("href")
    assert href is not None
    return href


def test_share_links_carry_secrets_only_when_ticked(browser, wb: Workbench) -> None:  # noqa: ANN001
    owner = browser.new_context()
    other = browser.new_context()
    try:
        page = _open(owner, wb.url + "/")
        page.get_by_role("textbox", name="URL", exact=True).fill(
            f"{wb.echo_url}/get?api_key=share-secret&q=1"
        )
        plain = _share(page, "no secrets", include_secrets=False)
        assert "leaves out" in page.locator("#share-note").text_content()
        with_secrets = _share(page, "with secrets", include_secrets=True)
        assert "includes" in page.locator("#share-note").text_content()

        shared = _open(other, wb.url + plain)
        url = shared.get_by_role("textbox", name="URL", exact=True)
        assert "share-secret" not in url.input_value() and "q=1" in url.input_value()
        shared = _open(other, wb.url + with_secrets)
        url = shared.get_by_role("textbox", name="URL", exact=True)
        assert "api_key=share-secret" in url.input_value()
    finally:
        owner.close()
        other.close()

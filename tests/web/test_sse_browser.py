"""The live Server-Sent Events list in Debian's chromium, against a real
``reqlab serve`` workbench and the real echo server: events appear while the
stream is still arriving, filter and search, Stop; input latency with
100,000 events; 390 px and dark mode."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from tests.web._chromium import new_page
from tests.web.test_browser import CHROMIUM, shot, url_box, wait_js

from reqlab.web.testing import Workbench, start_workbench

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("web-browser"),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]
playwright_api = pytest.importorskip("playwright.sync_api")

EVENTS = "(window.reqlabSse ? window.reqlabSse.events.filter(e => e.kind !== 1).length : 0)"
STATUS = "document.getElementById('stream-status').textContent"
IDLE = "document.getElementById('send').textContent === 'Send'"


@pytest.fixture(scope="module")
def wb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workbench]:
    db = tmp_path_factory.mktemp("sse") / "wb.db"
    with start_workbench(db_url=f"sqlite:///{db}") as workbench:
        yield workbench


@pytest.fixture
def page(browser, wb: Workbench):  # noqa: ANN001, ANN201
    pg = new_page(browser, wb.url)
    yield pg
    pg.context.close()
    assert not pg.errors, pg.errors


def test_events_appear_live_with_type_id_data_and_retry(page, wb: Workbench) -> None:  # noqa: ANN001
    url_box(page).fill(wb.echo_url + "/sse?count=6&interval=0.4&retry=1500")
    page.get_by_label("Stream body").check()  # text/event-stream: the event list by itself
    before = page.locator("#history-list li").count()
    page.get_by_role("button", name="Send", exact=True).click()
    wait_js(page, f"{EVENTS} >= 2")
    assert page.evaluate(EVENTS) < 6  # seen while the stream is still running
    assert "done" not in page.evaluate(STATUS)
    wait_js(page, f"{EVENTS} === 6 && {STATUS}.includes('done') && {IDLE}")
    wait_js(page, f"document.querySelectorAll('#history-list li').length > {before}")
    log = page.get_by_role("log", name="Events")
    first = log.locator(".r", has_text='"n": 1,').first
    assert first.locator(".op").text_content() == "tick"
    assert first.locator(".id").text_content() == "1"
    assert first.locator(".rt").text_content() == "1500"
    assert page.locator("#sse-count").text_content() == "7 events"  # the comment too
    page.get_by_label("Filter events").select_option("comments")
    wait_js(page, "document.getElementById('sse-count').textContent === '1 of 7 events'")
    page.get_by_label("Filter events").select_option("type:tick")
    wait_js(page, "document.getElementById('sse-count').textContent === '6 of 7 events'")
    page.get_by_label("Search events").fill('"n": 4')
    wait_js(page, "document.getElementById('sse-count').textContent === '1 of 7 events'")
    log.locator(".r").first.click()
    detail = page.get_by_label("Event detail").text_content()
    assert detail.startswith("event tick, id 4, retry 1500 ms") and '"n": 4' in detail
    shot(page, "23-sse-events")


def test_stop_ends_the_stream_and_keeps_its_record(page, wb: Workbench) -> None:  # noqa: ANN001
    url_box(page).fill(wb.echo_url + "/stream/3?x=1")  # not an event stream: SSE asked for
    page.get_by_label("Events (SSE)").check()
    page.get_by_role("button", name="Send", exact=True).click()
    wait_js(page, f"{STATUS}.includes('done') && {IDLE}")
    assert page.evaluate(EVENTS) == 0 and page.locator("#sse-log").is_visible()
    url_box(page).fill(wb.echo_url + "/sse?count=500&interval=0.25")
    before = page.locator("#history-list li").count()
    page.get_by_role("button", name="Send", exact=True).click()
    wait_js(page, f"{EVENTS} >= 1")
    page.get_by_role("button", name="Stop").click()
    wait_js(page, f"{STATUS}.includes('stopped') && {IDLE}")
    assert page.evaluate(EVENTS) < 20
    wait_js(page, f"document.querySelectorAll('#history-list li').length > {before}")
    assert not page.get_by_role("button", name="Stop").is_visible()


def test_100k_events_keep_input_fast(page, wb: Workbench) -> None:  # noqa: ANN001
    # Latency of each keystroke: from the event's timestamp to the next frame
    # after its handlers ran (what the user waits for), measured in the page,
    # while 100,000 real events arrive from the echo server and then with all
    # of them in the list (each keystroke filters 100,000 rows).
    url_box(page).fill(wb.echo_url + "/sse?count=100000&interval=0")
    page.get_by_label("Stream body").check()
    page.get_by_role("button", name="Send", exact=True).click()
    wait_js(page, f"{EVENTS} >= 1")
    page.evaluate(
        """() => { window.lat = [];
        document.getElementById('sse-search').addEventListener('keydown', (e) => {
          const t0 = e.timeStamp;
          requestAnimationFrame(() => window.lat.push(performance.now() - t0)); }); }"""
    )
    search = page.get_by_label("Search events")
    arriving = 0
    for ch in "tick9":
        search.press(ch)
        page.wait_for_timeout(150)
        arriving += page.evaluate(f"{EVENTS} < 100000")
    wait_js(page, f"{EVENTS} === 100000 && {IDLE}", timeout=120)
    while_arriving = page.evaluate("window.lat")
    # Then with all of them in the list, best of three rounds: on a 2-core
    # machine another test's browser can take the CPU for a whole round;
    # the page is what is measured, not the neighbours.
    rounds = [_filter_round(page) for _ in range(3)]
    lat = sorted(while_arriving + min(rounds, key=lambda r: r[int(len(r) * 0.9)]))
    p90, worst = lat[int(len(lat) * 0.9)], lat[-1]
    print(
        f"100k SSE events ({arriving} keys while arriving): keystroke latency p50 "
        f"{lat[len(lat) // 2]:.1f} ms, p90 {p90:.1f} ms, max {worst:.1f} ms ({len(lat)} keys)"
    )
    assert p90 < 50, (while_arriving, rounds)
    wait_js(page, "document.getElementById('sse-count').textContent === '11 of 100001 events'")
    assert page.locator("#sse-log .r:not([hidden])").count() < 60  # virtualised
    shot(page, "24-sse-100k")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_narrow_screen_and_dark_mode(browser, wb: Workbench, scheme: str) -> None:  # noqa: ANN001
    pg = new_page(browser, wb.url, 390, 844, scheme)
    try:
        url_box(pg).fill(wb.echo_url + "/sse?count=3&interval=0")
        pg.get_by_label("Events (SSE)").check()
        pg.get_by_role("button", name="Send", exact=True).click()
        wait_js(pg, f"{EVENTS} === 3 && {IDLE}")
        width = pg.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways: {width}px"
        pg.locator("#sse-log").scroll_into_view_if_needed()
        box = pg.locator("#sse-log").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
        rows = pg.locator("#sse-log .r:not([hidden])")
        assert rows.count() == 4 and rows.nth(1).locator(".op").is_visible()
        if scheme == "dark":
            color = pg.evaluate(
                "getComputedStyle(document.getElementById('sse-log')).backgroundColor"
            )
            assert color != "rgb(255, 255, 255)", color
        shot(pg, f"25-sse-390-{scheme}")
        assert not pg.errors, pg.errors
    finally:
        pg.context.close()


def _filter_round(page) -> list[float]:  # noqa: ANN001
    """Each keystroke filters 100,000 events (after a short debounce): their
    latencies, sorted."""
    page.evaluate("window.lat = []")
    search = page.get_by_label("Search events")
    search.fill("")
    for ch in '"n": 9999':
        search.press(ch if ch != " " else "Space")
        page.wait_for_timeout(150)
    for _ in range(6):
        page.get_by_label("Filter events").focus()
        search.press("End")
        page.wait_for_timeout(100)
    return sorted(page.evaluate("window.lat"))

"""The page in a real browser: Debian's chromium driven by Playwright.

Each step saves a screenshot so a reviewer can see the page (the committed
set in docs/screenshots/ is refreshed with REQLAB_SCREENSHOTS=docs/screenshots).  All tests share one workbench and browser (one xdist group);
each gets a fresh browser context, so a fresh page session and client.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.web._chromium import CHROMIUM

from reqlab.echo._types import EchoRequest, EchoResponse
from reqlab.echo.server import default_handler
from reqlab.web.testing import Workbench, start_workbench

# REQLAB_SCREENSHOTS=docs/screenshots refreshes the committed set; by
# default a run writes them where they do not dirty the checkout.
SHOTS = Path(
    os.environ.get("REQLAB_SCREENSHOTS")
    or Path(os.environ.get("TMPDIR", "/tmp")) / "reqlab-screenshots"
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("web-browser"),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]

playwright_api = pytest.importorskip("playwright.sync_api")

BIG_ITEMS = 290_000  # about 20 MB of JSON


def _big_json() -> bytes:
    items = (
        f'{{"id":{i},"name":"item number {i}","tags":["alpha","beta"],"ok":true}}'
        for i in range(BIG_ITEMS)
    )
    return ("[" + ",".join(items) + "]").encode()


# A 2x2 PNG (red, green / blue, white).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000002000000020802000000fdd49a730000001249444154789c"
    "63f8cfc0c000c20cff8100001fee05fb0bd9688b0000000049454e44ae426082"
)
EVIL_HTML = b"<html><body><h1>Hello</h1><script>parent.document.title='pwned';window.top.pwned=1</script></body></html>"


def make_handler():  # noqa: ANN201
    echo = default_handler()
    big = _big_json()

    async def handle(request: EchoRequest) -> EchoResponse:
        if request.target == "/big":
            return EchoResponse(200, [("Content-Type", "application/json")], big)
        if request.target == "/image.png":
            return EchoResponse(200, [("Content-Type", "image/png")], PNG)
        if request.target == "/evil":
            return EchoResponse(200, [("Content-Type", "text/html")], EVIL_HTML)
        return await echo(request)

    return handle


@pytest.fixture(scope="module")
def wb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workbench]:
    db = tmp_path_factory.mktemp("browser") / "wb.db"
    with start_workbench(db_url=f"sqlite:///{db}", echo_handler=make_handler()) as workbench:
        yield workbench


@pytest.fixture
def page(browser, wb: Workbench):  # noqa: ANN001, ANN201
    context = browser.new_context(viewport={"width": 1200, "height": 820})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=wb.url)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(wb.url + "/")
    pg.wait_for_selector("body[data-ready='1']")
    yield pg
    context.close()
    assert not errors, errors


def shot(page, name: str) -> None:  # noqa: ANN001
    """Save a screenshot for reviewers; palette PNG (a third of the size) when Pillow is there."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def wait_js(page, expression: str, timeout: float = 20.0) -> None:  # noqa: ANN001
    """Poll ``expression`` until truthy.  (Playwright's wait_for_function
    compiles its predicate with eval, which the page's CSP rightly forbids.)"""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise TimeoutError(f"still false after {timeout} s: {expression}")
        page.wait_for_timeout(20)


def url_box(page):  # noqa: ANN001, ANN201
    return page.get_by_role("textbox", name="URL", exact=True)


def send_and_wait(page) -> None:  # noqa: ANN001
    before = page.locator("#history-list li").count()
    page.get_by_role("button", name="Send", exact=True).click()
    wait_js(
        page,
        f"document.querySelectorAll('#history-list li').length > {before}"
        " && document.getElementById('send').textContent === 'Send'",
    )


def test_compose_and_send(page, wb: Workbench) -> None:  # noqa: ANN001
    page.get_by_label("Method", exact=True).fill("POST")
    url_box(page).fill(wb.echo_url + "/anything?lang=en")
    assert page.get_by_label("Name 1").first.input_value() == "lang"  # params follow the URL
    page.get_by_role("tab", name="Headers").click()
    page.locator("#headers").get_by_label("Name 1").fill("X-Trace")
    page.locator("#headers").get_by_label("Value 1").fill("abc")
    page.get_by_role("tab", name="Body").click()
    page.get_by_label("JSON", exact=True).check()
    page.get_by_label("JSON body").fill('{"hello": "world", "n": 42}')
    send_and_wait(page)
    status = page.get_by_label("Status", exact=True)
    assert status.text_content() == "200 OK"
    assert "s2" in status.get_attribute("class")
    pretty = page.locator("#pretty")
    pretty.locator(".k").first.wait_for()  # highlighted by the worker
    echoed = json.loads(page.locator("#rawbody").text_content())
    assert echoed["json"] == {"hello": "world", "n": 42}
    assert echoed["headers"]["X-Trace"] == "abc"
    assert page.get_by_label("Time", exact=True).text_content().endswith("ms")
    history = page.get_by_label("History", exact=True)
    assert "POST" in history.text_content() and "/anything?lang=en" in history.text_content()
    shot(page, "01-compose-and-send")
    page.get_by_role("tab", name="Raw", exact=True).click()
    wait_js(
        page, "document.getElementById('raw').value.startsWith('POST /anything?lang=en HTTP/1.1')"
    )
    assert "X-Trace: abc" in page.get_by_label("Raw request").input_value()
    shot(page, "02-raw-tab")


def test_history_search_reload_and_clear(page, wb: Workbench) -> None:  # noqa: ANN001
    for path in ("/get?alpha=1", "/json"):
        url_box(page).fill(wb.echo_url + path)
        send_and_wait(page)
    history = page.get_by_label("History", exact=True)
    page.get_by_label("Search history").fill("alpha")
    wait_js(page, "document.querySelectorAll('#history-list li').length === 1")
    history.locator("li").first.click()
    wait_js(page, "document.getElementById('url').value.endsWith('/get?alpha=1')")
    page.on("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Clear", exact=True).click()
    page.get_by_label("Search history").fill("")
    wait_js(page, "document.querySelectorAll('#history-list li').length === 0")


def test_editing_the_raw_request_updates_the_tabs(page, wb: Workbench) -> None:  # noqa: ANN001
    url_box(page).fill(wb.echo_url + "/get")
    page.get_by_role("tab", name="Raw", exact=True).click()
    raw = page.get_by_label("Raw request")
    wait_js(page, "document.getElementById('raw').value.startsWith('GET /get HTTP/1.1')")
    port = wb.echo.port
    raw.fill(f"PATCH /patch HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-From-Raw: yes\r\n\r\nhello")
    wait_js(page, "document.getElementById('method').value === 'PATCH'")
    assert url_box(page).input_value() == wb.echo_url + "/patch"
    page.get_by_role("tab", name="Headers").click()
    assert page.locator("#headers").get_by_label("Name 1").input_value() == "X-From-Raw"
    page.get_by_role("tab", name="Body").click()
    assert page.get_by_label("Text body").input_value() == "hello"
    send_and_wait(page)
    echoed = json.loads(page.locator("#rawbody").text_content())
    assert echoed["data"] == "hello" and echoed["headers"]["X-From-Raw"] == "yes"


def test_multipart_file_picker(page, wb: Workbench) -> None:  # noqa: ANN001
    page.get_by_label("Method", exact=True).fill("POST")
    url_box(page).fill(wb.echo_url + "/post")
    page.get_by_role("tab", name="Body").click()
    page.get_by_label("Multipart").check()
    parts = page.locator("#body-multipart")
    parts.get_by_label("Name 1").fill("note")
    parts.get_by_label("Value 1").fill("hi")
    parts.get_by_label("Name 2").fill("upload")
    parts.get_by_label("File 2").set_input_files(
        files=[{"name": "hello.txt", "mimeType": "text/plain", "buffer": b"file body"}]
    )
    wait_js(
        page,
        "document.querySelector('#body-multipart [aria-label=\"Value 2\"]').value === 'hello.txt'",
    )
    send_and_wait(page)
    echoed = json.loads(page.locator("#rawbody").text_content())
    assert echoed["form"] == {"note": "hi"} and echoed["files"] == {"upload": "file body"}


def test_import_a_har_file_and_export_curl(page, wb: Workbench) -> None:  # noqa: ANN001
    har = {
        "log": {
            "version": "1.2",
            "entries": [
                {
                    "request": {
                        "method": "PUT",
                        "url": wb.echo_url + "/put?from=har",
                        "httpVersion": "HTTP/1.1",
                        "headers": [{"name": "X-Har", "value": "1"}],
                        "queryString": [],
                        "cookies": [],
                        "headersSize": -1,
                        "bodySize": -1,
                    }
                }
            ],
        }
    }
    page.get_by_label("Import request file").set_input_files(
        files=[
            {"name": "r.har", "mimeType": "application/json", "buffer": json.dumps(har).encode()}
        ]
    )
    wait_js(page, "document.getElementById('method').value === 'PUT'")
    assert url_box(page).input_value() == wb.echo_url + "/put?from=har"
    with page.expect_download() as info:
        page.get_by_label("Export", exact=True).select_option("curl")
    exported = Path(info.value.path()).read_text()
    assert exported.startswith("curl ") and "X-Har: 1" in exported and "/put?from=har" in exported


def test_paste_a_curl_command(page, wb: Workbench) -> None:  # noqa: ANN001
    curl = f"curl -X PUT '{wb.echo_url}/put' -H 'Accept: application/json' --data-raw 'a=1&b=2'"
    page.evaluate("text => navigator.clipboard.writeText(text)", curl)
    url_box(page).click()
    page.keyboard.press("Control+V")
    wait_js(page, "document.getElementById('method').value === 'PUT'")
    assert url_box(page).input_value() == wb.echo_url + "/put"
    page.get_by_role("tab", name="Headers").click()
    assert page.locator("#headers").get_by_label("Value 1").input_value() == "application/json"
    page.get_by_role("tab", name="Body").click()
    shot(page, "03-pasted-curl")
    send_and_wait(page)
    assert json.loads(page.locator("#rawbody").text_content())["form"] == {"a": "1", "b": "2"}


def test_switch_http_version(page, wb: Workbench) -> None:  # noqa: ANN001
    url_box(page).fill(wb.echo_url + "/get")
    page.get_by_label("HTTP version").select_option("HTTP/1.0")
    send_and_wait(page)
    page.get_by_role("tab", name="Request sent").click()
    assert page.locator("#sent").text_content().startswith("GET /get HTTP/1.0")
    lint = page.get_by_label("Warnings", exact=True).text_content()
    assert "HTTP/1.0 connections close" in lint
    assert "new connection" in page.get_by_label("Connection", exact=True).text_content()
    shot(page, "04-http-1.0")


def test_second_send_shows_the_reused_connection(page, wb: Workbench) -> None:  # noqa: ANN001
    url_box(page).fill(wb.echo_url + "/json")
    send_and_wait(page)
    badge = page.get_by_label("Connection", exact=True)
    assert badge.text_content().startswith("new connection #")
    first_id = badge.text_content().rsplit("#", 1)[1]
    page.keyboard.press("Control+Enter")  # the keyboard shortcut sends too
    wait_js(page, "document.getElementById('conn').textContent.includes('reused')")
    assert badge.text_content() == f"connection #{first_id} reused"
    page.get_by_role("tab", name="Timing").click()
    shot(page, "05-reused-connection-timing")
    page.get_by_role("tab", name="Headers", exact=True).last.click()


def test_copy_code(page, wb: Workbench) -> None:  # noqa: ANN001
    url_box(page).fill(wb.echo_url + "/get?x=1")
    target = page.get_by_label("Target", exact=True)
    ids = target.locator("option").evaluate_all("os => os.map(o => o.value)")
    assert len(ids) >= 10 and "python-requests" in ids
    target.select_option("python-requests")
    wait_js(
        page,
        # the idiomatic style (the default) puts the query in params=
        "(t => t.includes('requests.') && t.includes('\"x\": \"1\"'))"
        "(document.getElementById('code').textContent)",
    )
    page.get_by_role("button", name="Copy", exact=True).click()
    page.get_by_text("Copied.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#code").text_content()
    assert '/get"' in copied and '"x": "1"' in copied and "params=params" in copied
    shot(page, "06-code-copied")


def test_save_and_open_a_share_link(page, browser, wb: Workbench) -> None:  # noqa: ANN001
    page.get_by_label("Method", exact=True).fill("DELETE")
    url_box(page).fill(wb.echo_url + "/delete")
    page.get_by_label("Name", exact=True).fill("remove thing")
    page.get_by_role("button", name="Save", exact=True).click()
    link = page.locator("#share-link")
    link.wait_for()
    share = link.get_attribute("href")
    assert share.startswith("/r/")
    page.get_by_label("Saved requests").get_by_text("remove thing").wait_for()
    shot(page, "07-saved")
    # Someone else opens the link: a fresh browser context, no cookie.
    other = browser.new_context(viewport={"width": 1200, "height": 820})
    try:
        shared = other.new_page()
        shared.goto(wb.url + share)
        shared.wait_for_selector("body[data-ready='1']")
        assert shared.get_by_text("Shared request").is_visible()
        assert url_box(shared).input_value() == wb.echo_url + "/delete"
        assert not url_box(shared).is_editable()
        assert shared.get_by_role("button", name="Send", exact=True).is_disabled()
        shot(shared, "08-share-link-read-only")
        shared.get_by_role("button", name="Copy to my workbench").click()
        assert url_box(shared).is_editable()
        assert shared.evaluate("location.pathname") == "/"
        send_and_wait(shared)
        assert shared.get_by_label("Status", exact=True).text_content() == "200 OK"
        assert shared.get_by_label("Method", exact=True).input_value() == "DELETE"
    finally:
        other.close()


def test_html_is_previewed_only_in_a_sandbox(page, wb: Workbench) -> None:  # noqa: ANN001
    url_box(page).fill(wb.echo_url + "/evil")
    send_and_wait(page)
    page.get_by_role("tab", name="Preview").click()
    frame = page.locator("#preview iframe")
    assert frame.get_attribute("sandbox") == ""
    page.frame_locator("#preview iframe").get_by_text("Hello").wait_for()
    assert page.title() == "reqlab workbench"
    assert page.evaluate("window.pwned") is None
    page.get_by_role("tab", name="Pretty").click()
    assert page.locator("#pretty .t").count() > 0  # highlighted as source, not rendered
    shot(page, "09-html-sandboxed-preview")


def test_images_and_binary_bodies(page, wb: Workbench) -> None:  # noqa: ANN001
    url_box(page).fill(wb.echo_url + "/image.png")
    send_and_wait(page)
    image = page.get_by_role("img", name="response image")
    image.wait_for()
    assert image.evaluate("img => img.complete && img.naturalWidth") == 2
    url_box(page).fill(wb.echo_url + "/bytes/40?seed=7")
    send_and_wait(page)
    page.get_by_role("tab", name="Pretty").click()
    wait_js(page, "document.getElementById('pretty').textContent.startsWith('00000000  ')")
    dump = page.locator("#pretty").text_content().splitlines()
    assert len(dump) == 3 and dump[2].startswith("00000020  ")  # 40 bytes: 16 + 16 + 8


def test_a_20_mb_response_keeps_the_page_responsive(page, wb: Workbench) -> None:  # noqa: ANN001
    # Measured inside the page, so the test process's own work does not
    # count: the longest task, and how late a 20 ms timer fires (the delay
    # any keystroke or click would see).
    page.evaluate(
        """() => { window.longest = 0; window.lag = 0;
        new PerformanceObserver(l => { for (const e of l.getEntries())
          window.longest = Math.max(window.longest, e.duration); })
        .observe({type: 'longtask', buffered: false});
        let last = performance.now();
        window.lagTimer = setInterval(() => { const now = performance.now();
          window.lag = Math.max(window.lag, now - last - 20); last = now; }, 20); }"""
    )
    url_box(page).fill(wb.echo_url + "/big")
    page.get_by_role("button", name="Send", exact=True).click()
    search = page.get_by_label("Search history")
    typed = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # keep typing while the body arrives and renders
        search.press("x")
        typed += 1
        if (
            page.locator("#truncated").is_visible()
            and page.locator("#pretty").text_content() != "Formatting…"
        ):
            break
    assert search.input_value() == "x" * typed  # every keystroke landed
    search.fill("")
    note = page.locator("#truncated").text_content()
    shown_mb = float(note.split(" of ")[1].split(" MB")[0])
    assert 19 <= shown_mb <= 21, note
    assert page.get_by_role("link", name="Download the full body").is_visible()
    assert (
        page.locator("#pretty").text_content().startswith("[\n  {\n")
    )  # re-indented in the worker
    page.wait_for_timeout(200)  # let a trailing layout show up in the measures
    longest, lag = page.evaluate("[window.longest, window.lag]")
    shot(page, "10-20mb-truncated")
    print(f"20 MB response: longest task {longest:.0f} ms, worst timer lag {lag:.0f} ms")
    assert longest < 1000, f"a {longest:.0f} ms long task blocked the page"
    assert lag < 1000, f"input would have waited {lag:.0f} ms"


def test_every_control_has_an_accessible_name(page) -> None:  # noqa: ANN001
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea, button')].filter(el => {
          if (el.type === 'hidden') return false;
          const named = el.getAttribute('aria-label') || (el.labels && el.labels.length)
            || el.getAttribute('aria-labelledby') || (el.tagName === 'BUTTON' && el.textContent.trim());
          return !named;
        }).map(el => el.outerHTML.slice(0, 80))"""
    )
    assert unnamed == []
    assert page.get_by_role("textbox", name="URL", exact=True).count() == 1
    assert page.get_by_role("button", name="Send", exact=True).count() == 1
    assert page.get_by_role("combobox", name="Target", exact=True).count() == 1


def test_probe_and_bench_buttons(page) -> None:  # noqa: ANN001
    from reqlab.echo.testing import start_echo_server

    pytest.importorskip("reqlab.probe")  # the probe engine lands separately (issue 7)
    with start_echo_server(keep_alive_timeout=1.0, keep_alive_max=5) as echo:
        url_box(page).fill(echo.url + "/get")
        page.get_by_role("button", name="Probe", exact=True).click()
        report = page.get_by_label("Keep-alive report")
        report.get_by_text("idle timeout").wait_for(timeout=60_000)
        assert "after 5 requests" in report.text_content()
        assert "Recommended:" in report.text_content()
        shot(page, "11-probe-report")
        page.get_by_role("button", name="Bench", exact=True).click()
        page.get_by_role("img", name="Latency with and without connection reuse").wait_for(
            timeout=60_000
        )
        assert "connections saved" in page.locator("#measure-status").text_content()
        shot(page, "12-bench-chart")


def test_tls_and_compression_are_shown(page, wb: Workbench) -> None:  # noqa: ANN001
    from reqlab.echo.testing import start_echo_server

    with start_echo_server(tls=True) as echo:
        url_box(page).fill(echo.tls_url + "/gzip")
        page.get_by_label("Verify TLS").uncheck()
        send_and_wait(page)
        assert page.get_by_label("TLS", exact=True).text_content() == "TLSv1.3 · h2 · not verified"
        assert "gzip on the wire" in page.get_by_label("Size", exact=True).text_content()
        assert json.loads(page.locator("#rawbody").text_content())["gzipped"] is True

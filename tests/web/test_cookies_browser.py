"""The cookie editor in Debian's chromium: the cookies a server set, edited,
deleted, added, imported from and exported to a Netscape cookie file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.web._chromium import ARGS, CHROMIUM
from tests.web.test_browser import shot

from reqlab.web.testing import Workbench

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("web-browser"),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]
playwright_api = pytest.importorskip("playwright.sync_api")


def test_cookie_editor(workbench: Workbench, tmp_path: Path) -> None:
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(accept_downloads=True)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(workbench.url + "/")
        page.wait_for_selector("body[data-ready='1']")
        page.get_by_label("URL", exact=True).fill(f"{workbench.echo_url}/cookies/set?flavour=oat")
        page.get_by_role("button", name="Send").click()
        page.locator("#status").filter(has_text="302").wait_for()

        page.get_by_role("button", name="Cookies").click()
        dialog = page.get_by_role("dialog", name="Cookies")
        dialog.locator("section[data-domain='127.0.0.1'] tr[data-name='flavour']").wait_for()
        value = dialog.get_by_label("Value of flavour")
        assert value.input_value() == "oat"
        value.fill("rye")
        dialog.get_by_role("button", name="Save flavour").click()
        dialog.get_by_text("Saved flavour.").wait_for()

        dialog.get_by_label("New cookie domain").fill("127.0.0.1")
        dialog.get_by_label("New cookie name").fill("lang")
        dialog.get_by_label("New cookie value").fill("en")
        dialog.get_by_role("button", name="Add cookie").click()
        dialog.locator("tr[data-name='lang']").wait_for()
        dialog.get_by_label("New cookie name").fill("bad name")
        dialog.get_by_role("button", name="Add cookie").click()
        dialog.locator("#cookie-status.err").filter(has_text="name:").wait_for()

        cookies_txt = tmp_path / "cookies.txt"
        cookies_txt.write_text(".example.org\tTRUE\t/\tFALSE\t0\ttheme\tdark\n")
        dialog.get_by_label("Import a Netscape cookie file").set_input_files(str(cookies_txt))
        dialog.locator("section[data-domain='.example.org'] tr[data-name='theme']").wait_for()
        shot(page, "32-cookie-editor")

        dialog.get_by_role("button", name="Delete flavour").click()
        dialog.locator("tr[data-name='flavour']").wait_for(state="detached")
        with page.expect_download() as info:
            dialog.get_by_role("link", name="Export cookies.txt").click()
        exported = Path(info.value.path()).read_text()
        assert "\tlang\ten" in exported and "\ttheme\tdark" in exported
        assert "flavour" not in exported
        dialog.get_by_role("button", name="Close").click()

        page.get_by_label("URL", exact=True).fill(f"{workbench.echo_url}/cookies")
        page.get_by_role("button", name="Send").click()
        page.locator("#pretty").filter(has_text='"lang": "en"').wait_for()
        assert "flavour" not in page.locator("#pretty").inner_text()
        browser.close()
        assert not errors, errors

"""A person at a browser, for ``BROWSER=...``: opens the URL in Debian's
chromium (Playwright), signs in as alice, approves, and waits for the
redirect to reach the loopback listener.  Used by the CLI sign-in test."""

from __future__ import annotations

import re
import sys

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def main(url: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        page = browser.new_page()
        page.goto(url)
        page.fill("input[name=username]", "alice")
        page.click("button[value=approve]")
        page.wait_for_url(re.compile(r"http://127\.0\.0\.1:\d+/callback\?"))
        page.wait_for_selector("text=You can close this tab")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1])

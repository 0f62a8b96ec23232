"""Browser targets: each snippet runs in Debian's Chromium, driven by Playwright.

Playwright for Python comes from pip (a test dependency); its own browser
download is never used: Chromium is ``/usr/bin/chromium`` from Debian.  One
browser serves the whole batch, each case on a freshly loaded page from the
echo server's origin, so the snippet's requests are same-origin, as on a
real site talking to its API.

The snippet runs as module code (``import()`` of a blob URL, so top-level
``await`` works).  Its ``console.log`` lines become the case's stdout; an
uncaught error, a rejected promise or ``console.error`` its stderr and a
non-zero exit.  Files it uploads come from ``<input type="file">`` elements
the snippet names in its header comment; the runner adds them to the page
and fills them with the case's files, as a user picking them would.
jQuery is the npm package's ``dist/jquery.min.js``, added as a script tag.

Headers Chromium adds to every script request (Origin, Referer, Sec-Fetch-*,
sec-ch-ua*, Accept-Language) and jQuery's X-Requested-With on same-origin
requests are allowed extras for these targets (``extra_headers``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from fidelity.harness import CASE_TIMEOUT, Case, Result, Runner, Unavailable
from fidelity.runners._npm import npm_file
from reqlab.codegen.javascript import BROWSER_ADDS

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
_ORIGIN = re.compile(r"https?://[^/\"'\s]+")
# The echo server's origin: a URL in a query value (the idiomatic style puts
# the query's pairs before the call) must not be taken for it.
_ECHO_ORIGIN = re.compile(r"https?://127\.0\.0\.1:\d+")
_INPUT = re.compile(r'^//\s+<input type="file" id="(file\d+)">\s+\((.*)\)$', re.M)

# Before any page script: collect console.log lines and every kind of failure.
_INIT = """
window.__logs = [];
window.__errors = [];
const log = console.log.bind(console);
console.log = (...args) => { window.__logs.push(args.map(String).join(" ")); log(...args); };
const error = console.error.bind(console);
console.error = (...args) => { window.__errors.push(args.map(String).join(" ")); error(...args); };
window.addEventListener("error", (e) => window.__errors.push(String(e.message)));
window.addEventListener("unhandledrejection", (e) => window.__errors.push(String(e.reason)));
"""
_RUN = """async (code) => {
  const url = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
  try { await import(url); } catch (e) { window.__errors.push(String(e && e.stack || e)); }
}"""
_ADD_INPUT = """(id) => {
  const input = document.createElement("input");
  input.type = "file";
  input.id = id;
  document.body.append(input);
}"""
# Done once the snippet printed status and body, or failed.
_DONE = "() => window.__logs.length >= 2 || window.__errors.length > 0"


class BrowserRunner(Runner):
    runtime = "chromium"

    def prepare(self, cache_dir: Path) -> None:
        if not CHROMIUM.exists():
            raise Unavailable(f"{CHROMIUM} missing (scripts/setup installs chromium)")
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            raise Unavailable("playwright (pip) not installed") from None
        self.jquery = npm_file("jquery", "dist", "jquery.min.js")

    def extra_headers(self, target: str) -> frozenset[str]:
        added = {name.lower() for name in BROWSER_ADDS}
        if target == "javascript-jquery":
            added.add("x-requested-with")
        return frozenset(added)

    def run(self, cases: Sequence[Case]) -> dict[str, Result]:
        from playwright.sync_api import sync_playwright

        results: dict[str, Result] = {}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
            try:
                # One page for the batch (a new context costs ~0.5 s): each case
                # loads a fresh document, which resets every script state.
                page = browser.new_page()
                page.add_init_script(_INIT)
                for case in cases:
                    results[case.id] = self._run_one(page, case)
            finally:
                browser.close()
        return results

    def _run_one(self, page, case: Case) -> Result:  # type: ignore[no-untyped-def]
        origin = _ECHO_ORIGIN.search(case.code) or _ORIGIN.search(case.code)
        if origin is None:
            return Result(1, "", "no URL in the snippet")
        try:
            page.goto(origin.group(0) + "/html", wait_until="domcontentloaded")
            for input_id, name in _INPUT.findall(case.code):
                page.evaluate(_ADD_INPUT, input_id)
                page.set_input_files(f"#{input_id}", str(case.workdir / name))
            if case.target == "javascript-jquery":
                page.add_script_tag(path=str(self.jquery))
            page.evaluate(_RUN, case.code)
            try:
                page.wait_for_function(_DONE, timeout=CASE_TIMEOUT * 1000, polling=20)
            except Exception as exc:  # playwright's TimeoutError
                return Result(-9, "", f"the snippet did not finish: {exc}")
            logs = page.evaluate("() => window.__logs")
            errors = page.evaluate("() => window.__errors")
            return Result(1 if errors else 0, "\n".join(logs), "\n".join(errors))
        except Exception as exc:
            return Result(-1, "", f"browser: {exc}")


_BROWSER = BrowserRunner()
RUNNERS: dict[str, Runner] = {
    "javascript-fetch": _BROWSER,
    "javascript-xhr": _BROWSER,
    "javascript-jquery": _BROWSER,
}

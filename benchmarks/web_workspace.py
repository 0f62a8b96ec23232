"""The workspace in the web sidebar: 5,000 requests in 500 files.

    python benchmarks/web_workspace.py [ROUNDS]

Generates the workspace of ``benchmarks/workspace.py`` (500 ``.http`` files
in 50 folders, 10 requests each, environments with a private file), starts
the workbench on it (in this process, as the tests do) and opens the page
in Debian's chromium ROUNDS times (default 5), each in a fresh browser
context (a new session, nothing cached).  Per round, measured inside the
page:

* load: navigation start -> every request indexed and the tree in the
  sidebar (the page's JavaScript loaded, ``GET /api/workspace`` answered,
  the search index built, the tree drawn);
* search: a query typed into the box -> its results drawn.

Also: the server's own load + index of the workspace (the preload at
start-up) and ``GET /api/workspace`` once warm, with its size.  The goal:
load + index + searchable in the sidebar under 1 s.  No peer tool serves a
workspace in a browser page here, so there is nothing to run beside it.
"""

from __future__ import annotations

import importlib.util
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from reqlab.web.testing import start_workbench
from reqlab.web.workspace_host import WorkspaceHost

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
SEARCH = """() => new Promise((done) => {
  const box = document.getElementById('ws-search');
  const tree = document.getElementById('ws-tree');
  const t0 = performance.now();
  box.value = 'post thing 42';
  box.dispatchEvent(new Event('input'));
  const check = () => tree.querySelector('.results')
    ? requestAnimationFrame(() => done(performance.now() - t0))
    : requestAnimationFrame(check);
  check();
})"""


def _generate(root: Path) -> None:
    spec = importlib.util.spec_from_file_location("_ws_bench", HERE / "workspace.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(root)


def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        root.mkdir()
        _generate(root)
        t0 = time.perf_counter()
        WorkspaceHost(root).current()
        server_load = (time.perf_counter() - t0) * 1000
        loads, searches = [], []
        with start_workbench(workspace=str(root)) as wb, sync_playwright() as p:
            with wb.api() as api:
                api.get("/api/workspace")  # waits for the start-up preload
                t0 = time.perf_counter()
                size = len(api.get("/api/workspace").content)
                warm = (time.perf_counter() - t0) * 1000
            browser = p.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            for _ in range(rounds):
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                page = context.new_page()
                page.goto(wb.url + "/")
                page.wait_for_selector("body[data-ws-items]", state="attached", timeout=30_000)
                loads.append(page.evaluate("performance.now()"))
                assert page.evaluate("document.body.dataset.wsItems") == "5000"
                searches.append(page.evaluate(SEARCH))
                context.close()
            browser.close()
    print(
        f"5,000 requests in 500 files; {rounds} page loads in chromium; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(
        f"server: load + index {server_load:.0f} ms (once, at start-up); "
        f"GET /api/workspace warm {warm:.0f} ms, {size / 1024:.0f} KB"
    )
    print(
        f"sidebar load (navigation -> tree of 5,000): median {statistics.median(loads):.0f} ms, "
        f"best {min(loads):.0f}, worst {max(loads):.0f}"
    )
    print(
        f"search typed -> results drawn: median {statistics.median(searches):.0f} ms, "
        f"best {min(searches):.0f}, worst {max(searches):.0f}"
    )
    verdict = "met" if statistics.median(loads) + statistics.median(searches) < 1000 else "NOT met"
    print(f"goal: load + search < 1 s: {verdict}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)

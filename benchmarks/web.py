"""The web workbench's own cost: API overhead around a send, first page load.

    python benchmarks/web.py                # 500 sends x 5 rounds
    python benchmarks/web.py -n 200 -r 3    # quicker

Starts ``reqlab serve`` (a subprocess, as a user runs it: uvicorn + the echo
server in one process, SQLite history) on free ports, then:

* **overhead**: POST /api/send of a GET to the local echo server, one after
  another on one keep-alive API connection; per send, the API round trip
  measured by the caller minus the exchange's own ``timings.total``.  That is
  what the app adds: JSON in and out, validation, the history insert, the
  session lookup, the HTTP hop to the app.  Goal: p50 under 10 ms.
* **first page load**: Debian's chromium (Playwright) loads the page; every
  response's transferred bytes (headers + body) are summed, the page's
  start-up API calls included.  Goal: under 300 KB.

Prints medians over the rounds; the numbers are measured, never assumed.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx


@contextmanager
def serve(tmp: str) -> Iterator[dict[str, str]]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "reqlab",
            "serve",
            "--port",
            "0",
            "--echo-port",
            "0",
            "--db",
            f"sqlite:///{tmp}/bench.db",
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    urls: dict[str, str] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        m = re.match(r"reqlab (workbench|echo server): (\S+)", line)
        if m:
            urls[m.group(1)] = m.group(2).rstrip("/")
        if line.startswith("Press Ctrl-C"):
            break
    try:
        yield urls
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def overhead_round(api: httpx.Client, target: str, n: int) -> dict[str, float]:
    body = {"request": {"url": target}}
    over, trips, totals = [], [], []
    for _ in range(n):
        t0 = time.perf_counter()
        r = api.post("/api/send", json=body)
        trip = (time.perf_counter() - t0) * 1000
        x = r.json()
        assert r.status_code == 200, r.text[:200]
        total = x["timings"]["total"]
        trips.append(trip)
        totals.append(total)
        over.append(trip - total)
    return {
        "p50": pct(over, 50),
        "p90": pct(over, 90),
        "p99": pct(over, 99),
        "trip_p50": pct(trips, 50),
        "exchange_p50": pct(totals, 50),
    }


def page_load_bytes(url: str) -> tuple[int, int, int] | None:
    """(total bytes, bytes of static assets, number of responses) in chromium."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not os.path.exists("/usr/bin/chromium"):
        return None
    sizes: list[tuple[str, int]] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        page = browser.new_page()
        responses = []
        page.on("response", lambda r: responses.append(r))
        page.goto(url + "/")
        page.wait_for_selector("body[data-ready='1']")
        page.wait_for_load_state("networkidle")
        for resp in responses:
            s = resp.request.sizes()
            sizes.append((resp.url, s["responseBodySize"] + s["responseHeadersSize"]))
        browser.close()
    static = sum(b for u, b in sizes if "/api/" not in u)
    return sum(b for _, b in sizes), static, len(sizes)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=500, help="sends per round")
    ap.add_argument("-r", "--rounds", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp, serve(tmp) as urls:
        web, echo = urls["workbench"], urls["echo server"]
        print(f"reqlab serve at {web}, echo at {echo}; {args.rounds} rounds x {args.n} sends")
        with httpx.Client(base_url=web, timeout=30) as api:
            api.headers["X-CSRF-Token"] = api.get("/api/session").json()["csrf"]
            for path in ("/get", "/bytes/65536"):
                overhead_round(api, echo + path, 50)  # warm up: imports, pools, caches
                rounds = [overhead_round(api, echo + path, args.n) for _ in range(args.rounds)]
                med = {k: statistics.median(r[k] for r in rounds) for k in rounds[0]}
                print(
                    f"GET {path:<13} app overhead p50 {med['p50']:.2f} ms  p90 {med['p90']:.2f} ms  "
                    f"p99 {med['p99']:.2f} ms   (API round trip p50 {med['trip_p50']:.2f} ms, "
                    f"exchange total p50 {med['exchange_p50']:.2f} ms)  goal p50 < 10 ms: "
                    f"{'met' if med['p50'] < 10 else 'MISSED'}"
                )
        loads = [page_load_bytes(web) for _ in range(3)]
        if loads[0] is None:
            print("first page load: skipped (Playwright or /usr/bin/chromium missing)")
        else:
            total = statistics.median(x[0] for x in loads if x)
            static = statistics.median(x[1] for x in loads if x)
            count = loads[0][2]
            print(
                f"first page load: {total / 1024:.1f} KB transferred in {count} responses "
                f"({static / 1024:.1f} KB static assets, the rest start-up API calls); "
                f"goal < 300 KB: {'met' if total < 300 * 1024 else 'MISSED'}"
            )


if __name__ == "__main__":
    main()

"""reqlab's client against its peers: sequential GETs to a local nginx, then
64 concurrent requests to ``reqlab echo`` over HTTP/1.1 and HTTP/2.

    python benchmarks/client.py                 # 2,000 requests x 5 rounds
    python benchmarks/client.py -n 500 -r 3     # quicker
    python benchmarks/client.py --concurrent-only --concurrent 4000 -r 5

Starts nginx (Debian's nginx-light) on free ports on 127.0.0.1 with a plain
and a TLS listener (a trustme certificate), then, round after round, runs
every client side by side: reqlab.Client, reqlab.AsyncClient, httpx.Client,
requests.Session, aiohttp, pycurl, urllib3 and bare http.client.  Each sends
N GETs one after another on one connection ("reuse"), and N/4 GETs with a
new connection each ("new"): the keep-alive speed-up is reuse / new.  reqlab
records its full timing and connection record for every request throughout.
Prints medians of requests/s and client CPU microseconds per request.

The concurrent part (``_client_concurrent``): reqlab.AsyncClient, aiohttp
and httpx.AsyncClient, 64 requests at a time, over HTTP/1.1 and over HTTP/2
on one multiplexed connection (aiohttp has no HTTP/2), the echo server in
its own process pinned to its own CPU, rounds interleaved with the order
rotated, every client on the same event loop (``--loop``) sending the same
headers.  The client CPU per request is the figure a loaded machine moves
least.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import os
import shutil
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

now = time.perf_counter

CONFIG = """
daemon off; worker_processes 1; {user}
pid {d}/nginx.pid; error_log {d}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off; keepalive_timeout 60 60; keepalive_requests 1000000;
  client_body_temp_path {d}; proxy_temp_path {d}; fastcgi_temp_path {d};
  uwsgi_temp_path {d}; scgi_temp_path {d};
  server {{ listen 127.0.0.1:{plain}; location / {{ return 200 "hello\\n"; }} }}
  server {{ listen 127.0.0.1:{tls} ssl; ssl_certificate {d}/cert.pem; ssl_certificate_key {d}/key.pem;
           location / {{ return 200 "hello\\n"; }} }}
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_nginx(d: Path) -> tuple[subprocess.Popen[bytes], int, int, str]:
    import trustme

    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    cert.private_key_pem.write_to_path(str(d / "key.pem"))
    cert.cert_chain_pems[0].write_to_path(str(d / "cert.pem"))
    ca.cert_pem.write_to_path(str(d / "ca.pem"))
    plain, tls = free_port(), free_port()
    user = "user root;" if os.geteuid() == 0 else ""
    (d / "nginx.conf").write_text(CONFIG.format(d=d, user=user, plain=plain, tls=tls))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    proc = subprocess.Popen(
        [nginx, "-p", str(d), "-c", str(d / "nginx.conf"), "-e", str(d / "error.log")]
    )
    for port in (plain, tls):
        for _ in range(500):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.01)
    return proc, plain, tls, str(d / "ca.pem")


# ------------------------------------------------------------ the clients
# Each takes (url, n, reuse, cafile, lat) and sends n GETs, checking bodies and
# appending each request's duration (seconds) to ``lat``.


def run_reqlab_sync(url: str, n: int, reuse: bool, cafile: str, lat: list[float]) -> None:
    import reqlab

    with reqlab.Client(cafile=cafile, keep_alive=reuse, cookies=False) as client:
        for i in range(n):
            t = now()
            r = client.get(url)
            lat.append(now() - t)
            assert r.exchange.body == b"hello\n"
            assert r.exchange.connection.reused == (reuse and i > 0)


def run_reqlab_bare(url: str, n: int, reuse: bool, cafile: str, lat: list[float]) -> None:
    """The same engine with the exchange record switched off (internal switch)."""
    import reqlab

    with reqlab.Client(cafile=cafile, keep_alive=reuse, cookies=False) as client:
        client.sizes.record = False
        for _ in range(n):
            t = now()
            r = client.get(url)
            lat.append(now() - t)
            assert r.exchange.body == b"hello\n"


def run_reqlab_async(url: str, n: int, reuse: bool, cafile: str, lat: list[float]) -> None:
    import reqlab

    async def main() -> None:
        async with reqlab.AsyncClient(cafile=cafile, keep_alive=reuse, cookies=False) as client:
            for _ in range(n):
                t = now()
                r = await client.get(url)
                lat.append(now() - t)
                assert r.exchange.body == b"hello\n"

    asyncio.run(main())


def run_httpx(url: str, n: int, reuse: bool, cafile: str, lat: list[float]) -> None:
    import httpx

    limits = httpx.Limits(max_keepalive_connections=1 if reuse else 0)
    with httpx.Client(verify=ssl.create_default_context(cafile=cafile), limits=limits) as client:
        for _ in range(n):
            t = now()
            body = client.get(url).content
            lat.append(now() - t)
            assert body == b"hello\n"


def run_requests(url: str, n: int, reuse: bool, cafile: str, lat: list[float]) -> None:
    import requests

    with requests.Session() as session:
        headers = {} if reuse else {"Connection": "close"}
        for _ in range(n):
            t = now()
            body = session.get(url, headers=headers, verify=cafile).content
            lat.append(now() - t)
            assert body == b"hello\n"


def run_urllib3(url: str, n: int, reuse: bool, cafile: str, lat: list[float]) -> None:
    import urllib3

    pool = urllib3.PoolManager(ca_certs=cafile, maxsize=1)
    headers = {} if reuse else {"Connection": "close"}
    for _ in range(n):
        t = now()
        body = pool.request("GET", url, headers=headers).data
        lat.append(now() - t)
        assert body == b"hello\n"
    pool.clear()


def run_aiohttp(url: str, n: int, reuse: bool, cafile: str, lat: list[float]) -> None:
    import aiohttp

    async def main() -> None:
        context = ssl.create_default_context(cafile=cafile)
        connector = aiohttp.TCPConnector(ssl=context, force_close=not reuse)
        async with aiohttp.ClientSession(connector=connector) as session:
            for _ in range(n):
                t = now()
                async with session.get(url) as r:
                    body = await r.read()
                lat.append(now() - t)
                assert body == b"hello\n"

    asyncio.run(main())


def run_pycurl(url: str, n: int, reuse: bool, cafile: str, lat: list[float]) -> None:
    import io

    import pycurl

    curl = pycurl.Curl()
    curl.setopt(pycurl.URL, url)
    curl.setopt(pycurl.CAINFO, cafile)
    curl.setopt(pycurl.FORBID_REUSE, 0 if reuse else 1)
    for _ in range(n):
        t = now()
        buf = io.BytesIO()
        curl.setopt(pycurl.WRITEDATA, buf)
        curl.perform()
        lat.append(now() - t)
        assert buf.getvalue() == b"hello\n"
    curl.close()


def run_http_client(url: str, n: int, reuse: bool, cafile: str, lat: list[float]) -> None:
    from urllib.parse import urlsplit

    parts = urlsplit(url)

    def connect() -> http.client.HTTPConnection:
        if parts.scheme == "https":
            context = ssl.create_default_context(cafile=cafile)
            return http.client.HTTPSConnection(parts.hostname, parts.port, context=context)
        return http.client.HTTPConnection(parts.hostname, parts.port)

    conn = connect()
    for _ in range(n):
        t = now()
        if not reuse:
            conn.close()
            conn = connect()
        conn.request("GET", parts.path or "/")
        body = conn.getresponse().read()
        lat.append(now() - t)
        assert body == b"hello\n"
    conn.close()


CLIENTS: dict[str, Callable[[str, int, bool, str, list[float]], None]] = {
    "reqlab.Client": run_reqlab_sync,
    "reqlab.Client/no-record": run_reqlab_bare,
    "reqlab.AsyncClient": run_reqlab_async,
    "httpx.Client": run_httpx,
    "requests.Session": run_requests,
    "urllib3": run_urllib3,
    "aiohttp": run_aiohttp,
    "pycurl": run_pycurl,
    "http.client": run_http_client,
}
TLS_CLIENTS = (
    "reqlab.Client",
    "reqlab.Client/no-record",
    "reqlab.AsyncClient",
    "httpx.Client",
    "aiohttp",
    "http.client",
)


def available(name: str) -> bool:
    module = "reqlab" if name.startswith("reqlab") else name.split(".")[0]
    if module in ("http", "reqlab"):
        return True
    try:
        __import__(module)
    except ImportError as exc:
        print(f"  ({name} skipped: {exc})", file=sys.stderr)
        return False
    return True


def measure(
    fn: Callable[[str, int, bool, str, list[float]], None],
    url: str,
    n: int,
    reuse: bool,
    cafile: str,
) -> tuple[float, float, float]:
    """(requests/s over the whole run, client CPU us per request, and
    requests/s from the median request time, which a busy machine's
    scheduling stalls do not skew)."""
    fn(url, 20, reuse, cafile, [])  # warm up imports and caches
    lat: list[float] = []
    wall, cpu = time.perf_counter(), time.process_time()
    fn(url, n, reuse, cafile, lat)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return n / wall, cpu / n * 1e6, 1 / statistics.median(lat)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", type=int, default=2000, help="requests per client per round (reuse)")
    parser.add_argument("-r", "--rounds", type=int, default=5)
    parser.add_argument("--only", nargs="*", help="client names to run")
    parser.add_argument("--concurrent", type=int, default=4000, help="requests (64 at a time)")
    parser.add_argument(
        "--concurrent-only", action="store_true", help="skip the sequential table (nginx)"
    )
    parser.add_argument(
        "--loop",
        choices=("asyncio", "uvloop"),
        default="asyncio",
        help="event loop every concurrent client runs on",
    )
    parser.add_argument(
        "--no-pin", action="store_true", help="leave server and client unpinned (concurrent part)"
    )
    args = parser.parse_args()
    if not args.concurrent_only:
        sequential(args)
    if args.concurrent:
        concurrent(args)


def sequential(args: argparse.Namespace) -> None:
    names = [n for n in CLIENTS if (not args.only or n in args.only) and available(n)]
    with tempfile.TemporaryDirectory(prefix="reqlab-bench-") as tmp:
        d = Path(tmp)
        d.chmod(0o755)
        proc, plain, tls, cafile = start_nginx(d)
        try:
            results: dict[tuple[str, str, str], list[tuple[float, float, float]]] = {}
            for rnd in range(args.rounds):
                print(f"round {rnd + 1}/{args.rounds}", file=sys.stderr)
                for scheme, port in (("http", plain), ("https", tls)):
                    url = f"{scheme}://127.0.0.1:{port}/"
                    for name in names:
                        if scheme == "https" and name not in TLS_CLIENTS:
                            continue
                        for mode, reuse, n in (
                            ("reuse", True, args.n),
                            ("new", False, max(args.n // 4, 50)),
                        ):
                            results.setdefault((scheme, name, mode), []).append(
                                measure(CLIENTS[name], url, n, reuse, cafile)
                            )
        finally:
            proc.terminate()
            proc.wait()
    report(results, args)


def concurrent(args: argparse.Namespace) -> None:
    import _client_concurrent as cc

    names = [n for n in cc.CLIENTS if available(n.split("/")[0])]
    proc, url, placement = cc.start_echo(pin=not args.no_pin)
    load_before = os.getloadavg()
    # rates[(proto, name)]: one (req/s, client cpu us/req, server cpu us/req) per round
    rates: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
    try:
        for rnd in range(args.rounds):
            print(f"concurrent round {rnd + 1}/{args.rounds}", file=sys.stderr)
            # Rotate who goes first, so that no client always meets the
            # server (or the machine) in the same state.
            order = names[rnd % len(names) :] + names[: rnd % len(names)]
            for proto, h2 in (("HTTP/1.1", False), ("HTTP/2", True)):
                for name in order:
                    if h2 and name == "aiohttp":
                        continue  # aiohttp has no HTTP/2 client
                    got = cc.measure(name, url, args.concurrent, h2, args.loop, proc.pid)
                    rates.setdefault((proto, name), []).append(got)
    finally:
        proc.terminate()
        proc.wait()
        os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))
    concurrent_report(rates, names, args, placement, (load_before, os.getloadavg()))


def concurrent_report(
    rates: dict[tuple[str, str], list[tuple[float, float, float]]],
    names: list[str],
    args: argparse.Namespace,
    placement: str,
    loads: tuple[tuple[float, float, float], tuple[float, float, float]],
) -> None:
    import _client_concurrent as cc

    print(
        f"\n{args.concurrent} GETs, {cc.CONCURRENCY} at a time, to reqlab echo {cc.PATH};"
        f" {args.rounds} interleaved rounds; {args.loop} event loop for every client;"
        f" {placement}; load average {loads[0][0]:.2f} before, {loads[1][0]:.2f} after"
    )
    print(
        f"{'client':<29}{'protocol':<9}{'req/s':>7}{'best':>7}{'client cpu':>11}{'server cpu':>11}"
    )
    print(f"{'':<38}{'median':>7}{'round':>7}{'us/req':>11}{'us/req':>11}")
    for proto in ("HTTP/1.1", "HTTP/2"):
        for name in names:
            got = rates.get((proto, name))
            if not got:
                continue
            rate = statistics.median(r[0] for r in got)
            best = max(r[0] for r in got)
            cpu = statistics.median(r[1] for r in got)
            server = statistics.median(r[2] for r in got)
            print(f"{name:<29}{proto:<9}{rate:>7.0f}{best:>7.0f}{cpu:>11.0f}{server:>11.0f}")
    ours = "reqlab.AsyncClient"
    for proto in ("HTTP/1.1", "HTTP/2"):
        mine = rates.get((proto, ours), [])
        for peer in names:
            theirs = rates.get((proto, peer))
            if peer.startswith("reqlab") or not theirs or not mine:
                continue
            pairs = list(zip(mine, theirs, strict=True))
            faster = sum(a[0] > b[0] for a, b in pairs)
            leaner = sum(a[1] < b[1] for a, b in pairs)
            ratio = statistics.median(b[1] / a[1] for a, b in pairs)
            print(
                f"{proto} {ours} vs {peer}: more req/s in {faster} of {len(pairs)} rounds,"
                f" less client CPU per request in {leaner} of {len(pairs)}"
                f" ({ratio:.2f}x less, median of the rounds' ratios)"
            )
    print(
        "aiohttp has no HTTP/2 client: no HTTP/2 row.  Client cpu us/req is the client"
        " process's own CPU time (user + system) per request: the machine's other load moves"
        " it far less than req/s (which it moves by 2x and more), so it is the figure to"
        " compare on a busy machine (best: the round least disturbed).  Server cpu: the echo"
        " server's CPU per request while serving that client."
    )


def report(
    results: dict[tuple[str, str, str], list[tuple[float, float, float]]], args: argparse.Namespace
) -> None:
    def med(key: tuple[str, str, str], i: int) -> float:
        return statistics.median(r[i] for r in results[key])

    print(
        f"\n{args.n} sequential GETs per client per round, median of {args.rounds} rounds, local nginx"
    )
    for scheme in ("http", "https"):
        names = {k[1] for k in results if k[0] == scheme}
        rows = sorted(names, key=lambda n: -med((scheme, n, "reuse"), 2))
        if not rows:
            continue
        has_base = "aiohttp" in names
        print(f"\n{scheme}://")
        print(
            f"{'client':<20}{'reuse req/s':>12}{'vs aiohttp':>11}{'cpu us/req':>11}"
            f"{'req/s@med':>11}{'vs aiohttp':>11}{'new req/s':>11}{'speed-up':>9}"
        )
        for name in rows:
            key = (scheme, name, "reuse")
            reuse, cpu, at_median = med(key, 0), med(key, 1), med(key, 2)
            new = med((scheme, name, "new"), 0)
            ratio = mratio = "-"
            if has_base:
                ratio = f"{reuse / med((scheme, 'aiohttp', 'reuse'), 0):.2f}x"
                mratio = f"{at_median / med((scheme, 'aiohttp', 'reuse'), 2):.2f}x"
            print(
                f"{name:<20}{reuse:>12.0f}{ratio:>11}{cpu:>11.0f}"
                f"{at_median:>11.0f}{mratio:>11}{new:>11.0f}{reuse / new:>8.1f}x"
            )
    print(
        "\nreuse req/s: over the whole run; req/s@med: 1 / median request time (robust to a busy"
        " machine); cpu: client process CPU per request; speed-up: reuse req/s / new-connection req/s"
    )


if __name__ == "__main__":
    main()

"""Each command path imports only what it uses (issues 12 and 14: cold
start).  A deterministic check, not a timing one: a fresh interpreter runs
the path for real against the echo server, then lists which of the heavy
modules ended up in ``sys.modules``.  Each one named here costs a cold
``reqlab send`` or ``reqlab run`` milliseconds it does not need."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# Never needed for a plain-HTTP request whose response sets no cookie.
HEAVY_FOR_HTTP1 = [
    "h2",
    "hpack",
    "http.cookiejar",  # only once a response sets a cookie
    "http.cookies",
    "email",
    "urllib.request",
    "tempfile",  # only when a body spools to disk
    "zstandard",  # only when a body is zstd-encoded
    "concurrent.futures",
    "rich",  # only for the terminal view
    "reqlab.codegen",
    "reqlab.web",
    "reqlab.echo",
    "reqlab.workspace",
    "reqlab.runner",
    "reqlab.client._digest",  # only on a digest challenge
]
# The sync path (``reqlab send``, ``Client``) runs no event loop at all, and
# over plain HTTP it never loads ssl (OpenSSL): only a TLS connection does.
HEAVY_FOR_SYNC = [
    *HEAVY_FOR_HTTP1,
    "asyncio",
    "reqlab.client._api",
    "reqlab.client._h2core",
    "ssl",
]


def loaded_after(code: str, heavy: list[str]) -> list[str]:
    """Run ``code`` in a fresh interpreter; which of ``heavy`` it imported."""
    script = f"{code}\nimport sys\nprint('\\nLOADED', sorted(m for m in {heavy!r} if m in sys.modules))\n"
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("LOADED "))
    loaded: list[str] = json.loads(line.removeprefix("LOADED ").replace("'", '"'))
    return loaded


def test_import_reqlab_loads_no_engine_or_surface() -> None:
    heavy = [*HEAVY_FOR_SYNC, "socket", "reqlab.client", "click", "reqlab.cli"]
    assert loaded_after("import reqlab", heavy) == []


def test_send_plain_http_loads_only_the_sync_http1_path(echo_url: str) -> None:
    # stdout is a pipe here: the body-only output, as `reqlab send URL | jq`
    code = (
        "from reqlab.cli import main\n"
        f"main(['send', '--ignore-stdin', '{echo_url}/get?a=1', 'X-Test:1'])\n"
    )
    assert loaded_after(code, HEAVY_FOR_SYNC) == []


def test_send_offline_loads_no_client(echo_url: str) -> None:
    code = f"from reqlab.cli import main\nmain(['send', '--offline', '{echo_url}/post', 'a=1'])\n"
    heavy = [*HEAVY_FOR_SYNC, "reqlab.client._sync", "reqlab.client._base"]
    assert loaded_after(code, heavy) == []


def test_sync_client_plain_http_loads_no_event_loop(echo_url: str) -> None:
    code = (
        "from reqlab.client import Client\n"
        "with Client() as client:\n"
        f"    assert client.get('{echo_url}/get').status_code == 200\n"
    )
    assert loaded_after(code, HEAVY_FOR_SYNC) == []


def test_cookies_and_http2_still_load_when_used(echo_url: str) -> None:
    """The lazy seams open when needed: a Set-Cookie fills the jar, and an
    HTTP/2 request (h2c, prior knowledge) brings in the HTTP/2 engine."""
    code = (
        "from reqlab.client import Client\n"
        "with Client() as client:\n"
        f"    client.get('{echo_url}/cookies/set?flavour=oat', follow_redirects=False)\n"
        "    assert dict(client.cookies) == {'flavour': 'oat'}, dict(client.cookies)\n"
        f"    assert client.get('{echo_url}/get', version='HTTP/2').http_version == 'HTTP/2'\n"
    )
    assert loaded_after(code, ["http.cookiejar", "h2"]) == ["h2", "http.cookiejar"]


def test_run_plain_http_loads_no_event_loop_tls_or_jsonpath_library(
    echo_url: str, tmp_path: Path
) -> None:
    """``reqlab run`` on a plain-http file runs on the blocking client: no
    asyncio (nor the concurrent.futures and ssl it brings), and its singular
    JSONPath asserts need no JSONPath library (nor the regex module)."""
    hurl = tmp_path / "one.hurl"
    hurl.write_text(
        f'GET {echo_url}/get\nHTTP 200\n[Asserts]\njsonpath "$.url" endsWith "/get"\n\n'
        f"GET {echo_url}/get\nHTTP 200\n[Asserts]\nconnection reused == true\n"
    )
    code = (
        "from reqlab.cli import main\n"
        "try:\n"
        f"    main(['run', '--test', {str(hurl)!r}])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
    )
    heavy = [*HEAVY_FOR_SYNC, "ssl", "jsonpath_rfc9535", "regex", "reqlab.runner._async"]
    heavy.remove("reqlab.runner")
    assert loaded_after(code, heavy) == []


def test_run_over_https_loads_ssl_then(tmp_path: Path) -> None:
    """The lazy seam opens when a file needs TLS, and still no event loop."""
    from reqlab.echo.testing import start_echo_server

    hurl = tmp_path / "tls.hurl"
    with start_echo_server(tls=True) as server:
        hurl.write_text(
            f"GET {server.tls_url}/get\n[Options]\ninsecure: true\nHTTP 200\n"
            "[Asserts]\ntls version exists\n"
        )
        code = (
            "from reqlab.cli import main\n"
            "try:\n"
            f"    main(['run', '--test', {str(hurl)!r}])\n"
            "except SystemExit as exc:\n"
            "    assert exc.code == 0, exc.code\n"
        )
        assert loaded_after(code, ["ssl", "asyncio", "h2"]) == ["h2", "ssl"]  # ALPN: h2

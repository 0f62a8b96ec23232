"""Hurl's TLS, proxy and auth options, differential: each file in
hurl_transport/ runs with ``hurl --test`` (8.0.1) and ``reqlab run --test``,
both as commands with the same flags, against the same servers: ``reqlab
echo`` with a TLS listener that requires a client certificate (a trustme
CA) and SigV4 checking, and tinyproxy.  They must exit alike (0 passed, 3
runtime error, 4 assert failed); ``fail_*`` files must fail.

What Hurl cannot be asked here is checked on reqlab alone: HTTP/3 (Debian's
libcurl has none), and that a ``--secret`` value reaches no output or report.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import trustme

from nginx_server import started_on_free_port
from reqlab.echo.testing import start_echo_server

HERE = Path(__file__).parent / "hurl_transport"
HURL = Path(os.environ.get("REQLAB_HURL", Path.home() / ".cache/reqlab/hurl/bin/hurl"))
TINYPROXY = shutil.which("tinyproxy") or "/usr/bin/tinyproxy"
SECRET = "s3cr3t-v4lue-never-shown"

pytestmark = [
    pytest.mark.skipif(not HURL.exists(), reason=f"Hurl 8.0.1 is not built at {HURL}"),
    pytest.mark.skipif(
        not Path(TINYPROXY).exists(), reason="tinyproxy comes from scripts/setup.d/45-proxies.sh"
    ),
]


@dataclass
class Servers:
    variables: dict[str, str]
    tmp: Path


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    tmp = tmp_path_factory.mktemp("transport")
    ca = trustme.CA()
    ca.cert_pem.write_to_path(str(tmp / "ca.pem"))
    server = ca.issue_cert("127.0.0.1", "api.reqlab.test")  # resolve.hurl dials the name
    server.private_key_pem.write_to_path(str(tmp / "server-key.pem"))
    server.cert_chain_pems[0].write_to_path(str(tmp / "server.pem"))
    client = ca.issue_cert("client@reqlab.test")
    client.private_key_pem.write_to_path(str(tmp / "client-key.pem"))
    client.cert_chain_pems[0].write_to_path(str(tmp / "client.pem"))
    client.private_key_and_cert_chain_pem.write_to_path(str(tmp / "client-both.pem"))
    echo = subprocess.Popen(
        [sys.executable, "-m", "reqlab", "echo", "--port", "0", "--tls-port", "0"]
        + ["--tls-cert", str(tmp / "server.pem"), "--tls-key", str(tmp / "server-key.pem")]
        + ["--tls-client-ca", str(tmp / "ca.pem"), "--sigv4-secret", "AKRUN:run-secret"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    proxy_port, proxy = _tinyproxy(tmp)
    try:
        assert echo.stdout is not None
        urls = [echo.stdout.readline().rsplit(" ", 1)[-1].strip() for _ in range(2)]
        assert urls[0].startswith("http://") and urls[1].startswith("https://"), urls
        yield Servers(
            {
                "base": urls[0],
                "tls_base": urls[1],
                "ca": str(tmp / "ca.pem"),
                "cert": str(tmp / "client.pem"),
                "key": str(tmp / "client-key.pem"),
                "combined": str(tmp / "client-both.pem"),
                "proxy": f"http://127.0.0.1:{proxy_port}",
                "proxy_hostport": f"127.0.0.1:{proxy_port}",
                "port": urls[0].rsplit(":", 1)[1],
                "tls_port": urls[1].rsplit(":", 1)[1],
            },
            tmp,
        )
    finally:
        for proc in (echo, proxy):
            proc.terminate()
            proc.wait(timeout=10)


def _tinyproxy(tmp: Path) -> tuple[int, subprocess.Popen[bytes]]:
    def start(port: int) -> subprocess.Popen[bytes]:
        conf = tmp / "tinyproxy.conf"
        conf.write_text(
            f"Port {port}\nListen 127.0.0.1\nAllow 127.0.0.1\nLogLevel Critical\n"
            'AddHeader "X-Proxy" "tinyproxy"\n'  # what says a request came through it
        )
        return subprocess.Popen([TINYPROXY, "-d", "-c", str(conf)], stderr=subprocess.DEVNULL)

    return started_on_free_port(start)


def _both(
    servers: Servers, name: str, *flags: str, env: dict[str, str] | None = None
) -> tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]:
    args = [f"--variable={k}={v}" for k, v in servers.variables.items()]
    args += [*flags, "--test", str(HERE / name)]
    environ = {**os.environ, **(env or {})}
    for var in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY"):
        environ.pop(var, None)  # the files name their proxies
    theirs = subprocess.run(
        [str(HURL), *args], capture_output=True, text=True, timeout=60, env=environ
    )
    ours = subprocess.run(
        [sys.executable, "-m", "reqlab", "run", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=environ,
    )
    return theirs, ours


FILES = sorted(p.name for p in HERE.glob("*.hurl") if p.name not in {"plain_tls.hurl"})
# files that need command-line options (run in their own tests below)
CLI_ONLY = {"cli_auth.hurl", "fail_secret.hurl"}


@pytest.mark.parametrize("name", [f for f in FILES if f not in CLI_ONLY])
def test_same_exit_as_hurl(servers: Servers, name: str) -> None:
    theirs, ours = _both(servers, name)
    assert ours.returncode == theirs.returncode, (theirs.stderr, ours.stderr)
    if name.startswith("fail_"):
        assert ours.returncode in (3, 4), ours.stderr
    else:
        assert ours.returncode == 0, ours.stderr


def test_the_files_name_the_failures_a_user_would_expect(servers: Servers) -> None:
    _, ours = _both(servers, "fail_unknown_ca.hurl")
    assert ours.returncode == 3 and "certificate" in ours.stderr.lower(), ours.stderr
    _, ours = _both(servers, "fail_digest.hurl")
    assert ours.returncode == 4 and "actual:   integer <401>" in ours.stderr, ours.stderr
    _, ours = _both(servers, "fail_sigv4.hurl")
    assert ours.returncode == 4 and "actual:   integer <403>" in ours.stderr, ours.stderr
    _, ours = _both(servers, "fail_ipv6.hurl")
    assert ours.returncode == 3 and "no IPv6 address" in ours.stderr, ours.stderr
    _, ours = _both(servers, "fail_resolve_wrong_name.hurl")
    assert ours.returncode == 3 and "other.reqlab.test" in ours.stderr, ours.stderr


def test_dial_options_on_the_command_line(servers: Servers) -> None:
    v = servers.variables
    rule = f"api.reqlab.test:80:127.0.0.1:{v['port']}"
    (servers.tmp / "named.hurl").write_text(
        "GET http://api.reqlab.test/get\nHTTP 200\n[Asserts]\n"
        'jsonpath "$.headers.Host" == "api.reqlab.test"\n'
    )
    named = str(servers.tmp / "named.hurl")  # (no run without the rule: that asks DNS)
    theirs = subprocess.run(
        [str(HURL), "--test", "--connect-to", rule, named],
        capture_output=True,
        text=True,
        timeout=60,
    )
    ours = subprocess.run(
        [sys.executable, "-m", "reqlab", "run", "--test", "--connect-to", rule, named],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ours.returncode == theirs.returncode == 0, (theirs.stderr, ours.stderr)


def test_tls_options_on_the_command_line(servers: Servers) -> None:
    v = servers.variables
    flags = ["--cacert", v["ca"], "--cert", v["cert"], "--key", v["key"]]
    theirs, ours = _both(servers, "plain_tls.hurl", *flags)
    assert ours.returncode == theirs.returncode == 0, (theirs.stderr, ours.stderr)
    # without the certificate the server refuses both
    theirs, ours = _both(servers, "plain_tls.hurl", "--cacert", v["ca"])
    assert ours.returncode == theirs.returncode == 3, (theirs.stderr, ours.stderr)
    # a file's [Options] win over the command line: mtls.hurl names the right files
    theirs, ours = _both(servers, "mtls.hurl", "--cert", v["ca"], "--key", v["ca"])
    assert ours.returncode == theirs.returncode == 0, (theirs.stderr, ours.stderr)


def test_auth_and_proxy_on_the_command_line(servers: Servers) -> None:
    theirs, ours = _both(servers, "cli_auth.hurl", "--user", "cli:pw", "--digest")
    assert ours.returncode == theirs.returncode == 0, (theirs.stderr, ours.stderr)
    theirs, ours = _both(servers, "cli_auth.hurl", "--user", "cli:pw")  # basic: 401
    assert ours.returncode == theirs.returncode == 4, (theirs.stderr, ours.stderr)
    # -x for every entry: the last entry of proxy.hurl (no option) now goes through it
    theirs, ours = _both(servers, "proxy.hurl", "-x", servers.variables["proxy"])
    assert ours.returncode == theirs.returncode == 4, (theirs.stderr, ours.stderr)
    assert "not exists" in ours.stderr


def test_a_secret_reaches_no_output_or_report(servers: Servers) -> None:
    reports = servers.tmp / "reports"
    flags = ["--secret", f"token={SECRET}", "--report-junit", str(reports / "junit.xml")]
    theirs, ours = _both(servers, "fail_secret.hurl", *flags, "--report-json", str(reports))
    assert ours.returncode == theirs.returncode == 4, (theirs.stderr, ours.stderr)
    assert SECRET not in theirs.stdout + theirs.stderr  # Hurl's rule, which reqlab follows
    assert "X-Token" in ours.stderr or "x-token" in ours.stderr.lower(), ours.stderr
    assert SECRET not in ours.stdout + ours.stderr, ours.stderr
    ours_json = subprocess.run(
        [sys.executable, "-m", "reqlab", "run", "--test", "--report-json", str(reports / "r.json")]
        + [f"--variable=base={servers.variables['base']}", "--secret", f"token={SECRET}"]
        + ["--report-html", str(reports / "html"), str(HERE / "fail_secret.hurl")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ours_json.returncode == 4
    written = [p for p in reports.rglob("*") if p.is_file()]
    assert any(p.name == "r.json" for p in written) and any(p.suffix == ".html" for p in written)
    for path in written:
        if "store" not in path.parts:  # Hurl's own response store
            assert SECRET not in path.read_text(errors="replace"), path
    report = json.loads((reports / "r.json").read_text())
    assert report  # the JSON report was written, and holds no secret (above)


def test_http3_option_and_response_line(tmp_path: Path) -> None:
    """Hurl's ``http3: true`` and an ``HTTP/3`` response line (reqlab alone:
    Debian's libcurl, which Hurl is built on, has no HTTP/3)."""
    hurl = tmp_path / "h3.hurl"
    hurl.write_text(
        "GET {{tls_base}}/get\n[Options]\nhttp3: true\ninsecure: true\nHTTP/3 200\n"
        '[Asserts]\nversion == "3"\n\n'
        "GET {{tls_base}}/get\n[Options]\ninsecure: true\nHTTP/2 200\n"
    )
    with start_echo_server(tls=True, http3=True) as echo:
        proc = subprocess.run(
            [sys.executable, "-m", "reqlab", "run", "--test", f"--variable=tls_base={echo.tls_url}"]
            + [str(hurl)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 0, proc.stderr
        # and --http3 on the command line: the HTTP/2 line of the second entry now fails
        proc = subprocess.run(
            [sys.executable, "-m", "reqlab", "run", "--test", "--http3", "-k"]
            + [f"--variable=tls_base={echo.tls_url}", str(hurl)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 4 and "HTTP/3" in proc.stderr, proc.stderr


def test_the_asyncio_runner_routes_entries_and_shares_cookies_too(servers: Servers) -> None:
    """The web page's Run button runs files on ``arun``: an entry's proxy and
    TLS files get a client of their own there too, with the file's cookies."""
    import asyncio

    from reqlab.runner import RunConfig, arun

    config = RunConfig(variables=dict(servers.variables))
    result = asyncio.run(arun([str(HERE / "proxy.hurl"), str(HERE / "mtls.hurl")], config))
    assert result.ok, [e.error or [a for a in e.asserts if not a.ok] for f in result.files
                       for e in f.entries]  # fmt: skip
    proxied = result.files[0].entries[1].exchange
    assert proxied is not None and proxied.request_headers  # went out, and was recorded
    mtls = result.files[1].entries
    assert mtls[1].exchange is not None and mtls[1].exchange.connection is not None
    assert mtls[1].exchange.connection.reused  # the entry's client kept its connection


def test_entries_with_the_same_tls_files_share_one_connection(servers: Servers) -> None:
    from reqlab.runner import run

    result = run(str(HERE / "mtls.hurl"), variables=dict(servers.variables))
    first, second = (e.exchange for e in result.files[0].entries)
    assert result.ok and first is not None and second is not None
    assert first.connection is not None and second.connection is not None
    assert not first.connection.reused and second.connection.reused
    assert second.connection.id == first.connection.id

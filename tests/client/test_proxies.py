"""Proxies, against real ones: tinyproxy (HTTP, CONNECT) and microsocks (SOCKS5)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import reqlab
from nginx_server import free_port, started_on_free_port
from reqlab.client._proxy import ProxyChoice
from reqlab.echo.testing import start_echo_server
from reqlab.errors import ProxyError

TINYPROXY = shutil.which("tinyproxy") or "/usr/bin/tinyproxy"
MICROSOCKS = shutil.which("microsocks") or "/usr/bin/microsocks"
pytestmark = pytest.mark.skipif(
    not (Path(TINYPROXY).exists() and Path(MICROSOCKS).exists()),
    reason="tinyproxy and microsocks come from scripts/setup.d/45-proxies.sh",
)


@dataclass
class Proxies:
    http: str  # tinyproxy, no credentials
    http_auth: str  # tinyproxy wanting user:secret
    socks: str  # microsocks, no credentials
    socks_auth: str  # microsocks wanting user:secret


def _tinyproxy(tmp: Path, port: int, auth: bool) -> subprocess.Popen[bytes]:
    conf = tmp / f"tinyproxy-{port}.conf"
    lines = [
        f"Port {port}",
        "Listen 127.0.0.1",
        "Timeout 30",
        "Allow 127.0.0.1",
        "LogLevel Critical",
    ]
    if auth:
        lines.append("BasicAuth user secret")
    conf.write_text("\n".join(lines) + "\n")
    return subprocess.Popen([TINYPROXY, "-d", "-c", str(conf)], stderr=subprocess.DEVNULL)


def _microsocks(port: int, auth: bool) -> subprocess.Popen[bytes]:
    extra = ["-u", "user", "-P", "secret"] if auth else []
    return subprocess.Popen(
        [MICROSOCKS, "-i", "127.0.0.1", "-p", str(port), *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def proxies(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxies]:
    tmp = tmp_path_factory.mktemp("proxies")
    taken: set[int] = set()
    procs: list[subprocess.Popen[bytes]] = []
    ports: list[int] = []
    try:
        for start in (
            lambda port: _tinyproxy(tmp, port, False),
            lambda port: _tinyproxy(tmp, port, True),
            lambda port: _microsocks(port, False),
            lambda port: _microsocks(port, True),
        ):
            port, proc = started_on_free_port(start, taken)
            ports.append(port)
            procs.append(proc)
        yield Proxies(
            http=f"http://127.0.0.1:{ports[0]}",
            http_auth=f"127.0.0.1:{ports[1]}",
            socks=f"127.0.0.1:{ports[2]}",
            socks_auth=f"127.0.0.1:{ports[3]}",
        )
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait()


@pytest.fixture(scope="module")
def echo():
    with start_echo_server(tls=True) as server:
        yield server


def test_plain_http_is_forwarded_in_absolute_form(proxies, echo):
    with reqlab.Client(proxy=proxies.http) as client:
        r = client.get(echo.url + "/echo")
        again = client.get(echo.url + "/echo")
    assert r.exchange.request_raw.startswith(f"GET {echo.url}/echo HTTP/1.1".encode())
    assert r.exchange.connection.proxy == proxies.http
    assert r.exchange.timings.tunnel == 0
    # tinyproxy closes its client connection after each response; the pool sees it
    assert again.status_code == 200
    assert again.exchange.connection.reused or any(
        "closed it while it was idle" in w for w in again.exchange.warnings
    )


def test_https_goes_through_a_connect_tunnel_with_credentials(proxies, echo):
    proxy = f"http://user:secret@{proxies.http_auth}"
    with reqlab.Client(proxy=proxy, verify=False) as client:
        r = client.get(echo.tls_url + "/get")
    record = r.exchange
    assert r.status_code == 200
    assert record.connection.proxy == f"http://{proxies.http_auth}"  # no password in the record
    assert record.timings.tunnel > 0 and record.timings.tls > 0
    assert record.connection.tls is not None


def test_http2_through_a_tunnel(proxies, echo):
    with reqlab.Client(proxy=proxies.http, http1=False) as client:
        r = client.get(echo.url + "/get")
    assert r.http_version == "HTTP/2" and r.exchange.timings.tunnel > 0


def test_407_names_the_proxy(proxies, echo):
    with pytest.raises(ProxyError) as info:
        reqlab.get(echo.tls_url + "/get", proxy=f"http://{proxies.http_auth}", verify=False)
    assert info.value.status == 407
    assert f"proxy http://{proxies.http_auth}" in str(info.value)
    assert "credentials" in str(info.value)


def test_tunnel_refused_names_the_proxy_and_status(proxies):
    dead = free_port()
    with pytest.raises(ProxyError) as info:
        reqlab.get(f"https://127.0.0.1:{dead}/", proxy=proxies.http)
    assert info.value.status is not None and info.value.status >= 400
    assert f"CONNECT 127.0.0.1:{dead} refused" in str(info.value)


def test_refused_proxy_names_it():
    dead = free_port()
    with pytest.raises(ProxyError, match=f"proxy http://127.0.0.1:{dead}: cannot connect"):
        reqlab.get("http://127.0.0.1:1/", proxy=f"http://127.0.0.1:{dead}")


@pytest.mark.parametrize("scheme", ["socks5", "socks5h"])
def test_socks5_with_and_without_credentials(proxies, echo, scheme):
    with reqlab.Client(proxy=f"{scheme}://{proxies.socks}") as client:
        r = client.get(echo.url.replace("127.0.0.1", "localhost") + "/get")
    assert r.status_code == 200 and r.exchange.connection.proxy == f"{scheme}://{proxies.socks}"
    assert r.exchange.timings.tunnel > 0
    with reqlab.Client(
        proxy=f"{scheme}://user:secret@{proxies.socks_auth}", verify=False
    ) as client:
        assert client.get(echo.tls_url + "/get").status_code == 200


def test_socks_failure_names_the_proxy(proxies):
    with pytest.raises(ProxyError, match=f"proxy socks5://{proxies.socks_auth}: SOCKS5"):
        reqlab.get("http://127.0.0.1:1/", proxy=f"socks5://{proxies.socks_auth}")
    dead = free_port()
    with pytest.raises(ProxyError, match="SOCKS5 handshake") as info:
        reqlab.get(f"http://127.0.0.1:{dead}/", proxy=f"socks5://{proxies.socks}")
    assert f"proxy socks5://{proxies.socks}" in str(info.value)


def test_async_client_through_both_kinds(proxies, echo):
    import asyncio

    async def main() -> list[str | None]:
        seen = []
        for proxy in (proxies.http, f"socks5h://{proxies.socks}"):
            async with reqlab.AsyncClient(proxy=proxy, verify=False) as client:
                plain = await client.get(echo.url + "/get")
                tls = await client.get(echo.tls_url + "/get")
            assert plain.status_code == tls.status_code == 200
            seen.append(tls.exchange.connection.proxy)
        return seen

    assert asyncio.run(main()) == [proxies.http, f"socks5h://{proxies.socks}"]


def test_environment_is_honoured_and_trust_env_false_ignores_it(proxies, echo, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", proxies.http)
    monkeypatch.setenv("NO_PROXY", "example.test")
    with reqlab.Client() as client:
        assert client.get(echo.url + "/get").exchange.connection.proxy == proxies.http
    with reqlab.Client(trust_env=False) as client:
        assert client.get(echo.url + "/get").exchange.connection.proxy is None


def test_proxy_choice_rules():
    env = {
        "https_proxy": "socks5h://s:1080",
        "ALL_PROXY": "http://a:3128",
        "no_proxy": "internal, .corp",
    }
    choice = ProxyChoice(None, True, env)
    assert choice.for_target("https", "example.org").name == "socks5h://s:1080"
    assert choice.for_target("http", "example.org").name == "http://a:3128"
    assert choice.for_target("http", "internal") is None
    assert choice.for_target("http", "db.corp") is None
    assert not ProxyChoice(None, False, env)
    with pytest.raises(reqlab.InvalidRequest, match="https:// proxies are not supported"):
        ProxyChoice("https://p:1", True, {})


def test_send_through_a_proxy_and_its_exit_code(proxies, echo):
    from .conftest import run_send

    run = run_send("--proxy", f"socks5h://{proxies.socks}", "--output", "json", echo.url + "/get")
    assert run.code == 0, run.err
    assert f'"proxy":"socks5h://{proxies.socks}"' in run.out.replace(" ", "")
    refused = run_send("--proxy", f"http://{proxies.http_auth}", "-k", echo.tls_url + "/get")
    assert refused.code == 14  # ProxyError: its own code after main's HTTPie table (11 is connect)
    assert f"proxy http://{proxies.http_auth}" in refused.err and "407" in refused.err
    assert "Traceback" not in refused.err

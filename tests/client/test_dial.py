"""``resolve``, ``connect_to`` and ``ip_version``: the client dials another
address than its URL's, on every engine (blocking and asyncio; HTTP/1.1, 2
and 3), while Host, ``:authority``, TLS's server name and the certificate
check keep the URL's host, as curl's --resolve and --connect-to do.

The echo server's certificate is for ``api.reqlab.test`` only (a trustme
CA), a name no resolver knows: a request to it can only succeed by dialling
127.0.0.1 as told, and only verify if the name is what TLS checks.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

import reqlab
from reqlab.client._dial import parse_dial
from reqlab.echo.testing import EchoHandle, start_echo_server
from reqlab.errors import InvalidRequest, NameResolutionError, TLSError

NAME = "api.reqlab.test"


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EchoHandle, str]]:
    d = tmp_path_factory.mktemp("dial")
    ca = trustme.CA()
    cert = ca.issue_cert(NAME)
    cert.private_key_pem.write_to_path(str(d / "key.pem"))
    cert.cert_chain_pems[0].write_to_path(str(d / "cert.pem"))
    ca.cert_pem.write_to_path(str(d / "ca.pem"))
    options = {"tls_cert": str(d / "cert.pem"), "tls_key": str(d / "key.pem"), "http3": True}
    with start_echo_server(**options) as echo:
        yield echo, str(d / "ca.pem")


@pytest.mark.parametrize("version", ["HTTP/1.1", "HTTP/2", "HTTP/3"])
def test_resolve_dials_the_address_and_keeps_the_name(
    tls: tuple[EchoHandle, str], version: str
) -> None:
    echo, ca = tls
    port = echo.tls_port
    url = f"https://{NAME}:{port}/get"
    rule = [f"{NAME}:{port}:127.0.0.1"]
    with reqlab.Client(cafile=ca, resolve=rule, http_version=version) as client:
        first, second = client.get(url), client.get(url)
    assert first.status_code == 200 and first.http_version == version
    assert first.json()["url"] == url  # the echo builds it from Host or :authority
    conn = first.exchange.connection
    assert conn is not None and conn.remote == f"127.0.0.1:{port}"
    assert second.exchange.connection is not None and second.exchange.connection.reused

    async def go() -> reqlab.Response:
        async with reqlab.AsyncClient(cafile=ca, resolve=rule, http_version=version) as client:
            return await client.get(url)

    answer = asyncio.run(go())
    assert answer.status_code == 200 and answer.http_version == version
    assert answer.json()["url"] == url


def test_connect_to_dials_another_host_and_port(tls: tuple[EchoHandle, str]) -> None:
    echo, ca = tls
    rule = [f"{NAME}:443:127.0.0.1:{echo.tls_port}", f"::127.0.0.1:{echo.port}"]
    with reqlab.Client(cafile=ca, connect_to=rule) as client:
        secure = client.get(f"https://{NAME}/get")  # port 443 of the name
        plain = client.get("http://anything.reqlab.test:8000/get")  # the catch-all rule
    assert secure.status_code == 200 and secure.json()["url"] == f"https://{NAME}/get"
    assert plain.status_code == 200 and plain.json()["headers"]["Host"] == (
        "anything.reqlab.test:8000"
    )
    assert plain.exchange.connection is not None
    assert plain.exchange.connection.remote == f"127.0.0.1:{echo.port}"


def test_the_certificate_is_checked_against_the_urls_name(tls: tuple[EchoHandle, str]) -> None:
    echo, ca = tls
    other = "other.reqlab.test"
    rule = [f"{other}:{echo.tls_port}:127.0.0.1"]
    with reqlab.Client(cafile=ca, resolve=rule) as client, pytest.raises(TLSError, match=other):
        client.get(f"https://{other}:{echo.tls_port}/get")


def test_ip_version_filters_the_addresses(tls: tuple[EchoHandle, str]) -> None:
    echo, _ = tls
    six = reqlab.Client(ip_version=6)
    with six, pytest.raises(NameResolutionError, match="no IPv6 address"):
        six.get(echo.url + "/get")
    with reqlab.Client(ip_version=4) as client:
        assert client.get(echo.url + "/get").status_code == 200
    both = f"{NAME}:{echo.port}:::1,127.0.0.1"  # resolve gives both: -4 keeps the one
    with reqlab.Client(ip_version=4, resolve=[both]) as client:
        answer = client.get(f"http://{NAME}:{echo.port}/get")
    assert answer.exchange.connection is not None
    assert answer.exchange.connection.remote == f"127.0.0.1:{echo.port}"


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"resolve": ["example.com:443"]}, "expected HOST:PORT:ADDRESS"),
        ({"resolve": ["example.com:443:not-an-ip"]}, "not an IP address"),
        ({"connect_to": ["a:1:b"]}, "expected HOST1:PORT1:HOST2:PORT2"),
        ({"connect_to": ["a:1:b:70000"]}, "out of range"),
        ({"ip_version": 5}, "must be 4 or 6"),
    ],
)
def test_bad_rules_are_refused_with_their_text(kwargs: dict[str, object], words: str) -> None:
    with pytest.raises(InvalidRequest, match=words):
        reqlab.Client(**kwargs)  # type: ignore[arg-type]


def test_rules_match_as_curls_do() -> None:
    dial = parse_dial(
        resolve=["*:9443:10.0.0.9", "[::1]:80:::2", "api.example:8443:10.0.0.7"],
        connect_to=["api.example:443:[2001:db8::1]:8443", ":80::8080", "old.example::new.example:"],
    )
    assert dial.route("api.example", 443) == ("2001:db8::1", 8443, None)  # first rule wins
    assert dial.route("Other.Example", 80) == ("Other.Example", 8080, None)  # any host, port 80
    assert dial.route("old.example", 5) == ("new.example", 5, None)  # any port, keeps it
    assert dial.route("anything", 9443) == ("anything", 9443, ("10.0.0.9",))  # "*" host
    assert dial.route("API.example", 8443) == ("API.example", 8443, ("10.0.0.7",))
    assert dial.route("::1", 81) == ("::1", 81, None)  # the port must match
    assert not parse_dial() and parse_dial(ip_version=4)


def test_send_takes_curls_spellings(tls: tuple[EchoHandle, str], tmp_path: Path) -> None:
    from tests.client.conftest import run_send

    echo, ca = tls
    url = f"https://{NAME}:{echo.tls_port}/get"
    done = run_send("--cacert", ca, "--resolve", f"{NAME}:{echo.tls_port}:127.0.0.1", url)
    assert done.code == 0 and f'"url": "{url}"' in done.out, done.err
    done = run_send("-6", echo.url + "/get")
    assert done.code != 0 and "no IPv6 address" in done.err and "Traceback" not in done.err

"""Client certificates and CA bundles from the page: per request and per host,
against an echo server that requires a client certificate."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import trustme

from reqlab.echo.testing import start_echo_server
from reqlab.web.testing import Workbench


@pytest.fixture
def mtls(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """An echo requiring client certificates; the PEMs the page would paste."""
    ca = trustme.CA()
    ca.issue_cert("127.0.0.1").private_key_and_cert_chain_pem.write_to_path(
        str(tmp_path / "server.pem")
    )
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    leaf = ca.issue_cert("alice@example.test", common_name="alice")
    pems = {
        "cert": leaf.cert_chain_pems[0].bytes().decode(),
        "key": leaf.private_key_pem.bytes().decode(),
        "ca": ca.cert_pem.bytes().decode(),
    }
    options = {"tls_cert": str(tmp_path / "server.pem"), "tls_client_ca": str(tmp_path / "ca.pem")}
    with start_echo_server(http3=False, **options) as echo:
        yield echo.tls_url, pems


def _subject(r: httpx.Response) -> str:
    assert r.status_code == 200, r.text
    seen = json.loads(r.json()["response"]["body"]["text"])
    subject: str = seen["connection"]["tls"]["client_cert"]["subject"]
    return subject


def test_per_request_certificate_is_presented(api: httpx.Client, mtls) -> None:
    url, pems = mtls
    r = api.post("/api/send", json={"request": {"url": url + "/echo"}, "tls": pems})
    assert _subject(r).endswith("commonName=alice")


def test_without_a_certificate_the_server_refuses(api: httpx.Client, mtls) -> None:
    url, pems = mtls
    r = api.post("/api/send", json={"request": {"url": url + "/echo"}, "tls": {"ca": pems["ca"]}})
    assert r.status_code >= 400 and "Traceback" not in r.text


def test_per_host_entry_applies_to_matching_sends_and_is_masked(api: httpx.Client, mtls) -> None:
    url, pems = mtls
    r = api.put("/api/tls/hosts", json={"pattern": "127.0.0.*", "tls": pems})
    assert r.status_code == 200, r.text
    listed = api.get("/api/tls/hosts").json()
    assert listed[0]["pattern"] == "127.0.0.*" and "alice" in listed[0]["cert"]
    assert "PRIVATE KEY" not in json.dumps(listed)
    assert _subject(api.post("/api/send", json={"request": {"url": url + "/echo"}})).endswith(
        "commonName=alice"
    )
    assert api.delete("/api/tls/hosts", params={"pattern": "127.0.0.*"}).json() == []


def test_no_key_in_history_or_a_shared_link(api: httpx.Client, workbench: Workbench, mtls) -> None:
    url, pems = mtls
    request = {"url": url + "/echo"}
    sent = api.post("/api/send", json={"request": request, "tls": pems})
    assert sent.status_code == 200
    saved = api.post("/api/requests", json={"name": "m", "request": request, "tls": pems}).json()
    stored = [
        api.get("/api/history").text,
        api.get(f"/api/history/{sent.json()['history_id']}").text,
        api.get(f"/api/requests/{saved['id']}").text,
    ]
    with workbench.api() as other:  # someone opening the share link
        stored.append(other.get(f"/api/requests/{saved['id']}").text)
    for text in stored:
        assert "PRIVATE KEY" not in text and "BEGIN CERTIFICATE" not in text


@pytest.mark.parametrize(
    ("tls", "words"),
    [
        ({"cert": "hello"}, "tls.cert: not PEM"),
        ({"key": "-----BEGIN PRIVATE KEY-----\n"}, "needs its certificate"),
        ({"cert": "-----BEGIN " + "x" * 70000}, "tls.cert: larger than 64 KB"),
    ],
)
def test_bad_material_is_one_clear_answer(api: httpx.Client, workbench, tls, words) -> None:
    r = api.post("/api/send", json={"request": {"url": workbench.echo_url + "/get"}, "tls": tls})
    assert 400 <= r.status_code < 500 and words in r.text


def test_a_key_that_does_not_match_is_named(api: httpx.Client, mtls) -> None:
    url, pems = mtls
    other = trustme.CA().issue_cert("bob").private_key_pem.bytes().decode()
    r = api.put("/api/tls/hosts", json={"pattern": "x", "tls": {**pems, "key": other}})
    assert r.status_code == 422 and "tls.key" in r.text


def test_public_instance_takes_client_certificates_with_a_smaller_ca_limit(mtls) -> None:
    from reqlab.web import tls_settings
    from reqlab.web.errors import APIError

    _, pems = mtls
    assert tls_settings.parse(pems, public=True) is not None  # the user's own certificate
    big = {"ca": pems["ca"] * (70 * 1024 // len(pems["ca"]) + 1)}
    assert tls_settings.parse(big, public=False) is not None
    with pytest.raises(APIError, match="tls.ca: larger than 64 KB"):
        tls_settings.parse(big, public=True)

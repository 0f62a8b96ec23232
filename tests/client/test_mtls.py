"""Client certificates: a real TLS server (stdlib ssl) that requires one."""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

import reqlab

from .conftest import run_send


class CertServer:
    """Answers one HTTP/1.1 request per connection with the client's certificate subject."""

    def __init__(self, ca: trustme.CA, tmp: Path) -> None:
        cert = ca.issue_cert("127.0.0.1")
        self.ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(self.ctx)
        ca.configure_trust(self.ctx)
        self.ctx.verify_mode = ssl.CERT_REQUIRED
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"https://127.0.0.1:{self.sock.getsockname()[1]}/"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                raw, _ = self.sock.accept()
            except OSError:
                return
            try:
                with self.ctx.wrap_socket(raw, server_side=True) as conn:
                    conn.recv(65536)
                    peer = conn.getpeercert() or {}
                    subject = ",".join(
                        f"{k}={v}" for rdn in peer.get("subject", ()) for k, v in rdn
                    )
                    body = subject.encode()
                    conn.sendall(
                        b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s"
                        % (len(body), body)
                    )
            except (ssl.SSLError, OSError):
                continue


@pytest.fixture
def mtls(tmp_path: Path) -> Iterator[tuple[CertServer, trustme.CA, Path]]:
    ca = trustme.CA()
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    server = CertServer(ca, tmp_path)
    yield server, ca, tmp_path
    server.sock.close()


def _client_files(ca: trustme.CA, tmp: Path) -> tuple[str, str]:
    leaf = ca.issue_cert("alice@example.test", common_name="alice")
    leaf.cert_chain_pems[0].write_to_path(str(tmp / "client.pem"))
    leaf.private_key_pem.write_to_path(str(tmp / "client.key"))
    return str(tmp / "client.pem"), str(tmp / "client.key")


def test_client_certificate_is_presented(mtls):
    server, ca, tmp = mtls
    cert, key = _client_files(ca, tmp)
    with reqlab.Client(verify=str(tmp / "ca.pem"), cert=(cert, key)) as client:
        r = client.get(server.url)
    assert "commonName=alice" in r.text


def test_verify_takes_an_ssl_context(mtls):
    server, ca, tmp = mtls
    cert, key = _client_files(ca, tmp)
    ctx = ssl.create_default_context(cafile=str(tmp / "ca.pem"))
    ctx.load_cert_chain(cert, key)
    r = reqlab.get(server.url, verify=ctx)
    assert "commonName=alice" in r.text


def test_key_not_matching_the_certificate_names_the_file(mtls):
    server, ca, tmp = mtls
    cert, _ = _client_files(ca, tmp)
    other = ca.issue_cert("bob")
    other.private_key_pem.write_to_path(str(tmp / "other.key"))
    with pytest.raises(reqlab.ClientCertError) as info:
        reqlab.get(server.url, verify=str(tmp / "ca.pem"), cert=(cert, str(tmp / "other.key")))
    assert "other.key" in str(info.value) and "does not match" in str(info.value)


def test_unreadable_key_names_the_file(mtls):
    server, ca, tmp = mtls
    cert, _ = _client_files(ca, tmp)
    (tmp / "bad.key").write_text("not a key")
    with pytest.raises(reqlab.ClientCertError, match="bad.key"):
        reqlab.get(server.url, verify=str(tmp / "ca.pem"), cert=(cert, str(tmp / "bad.key")))


def test_send_cert_key_cacert(mtls):
    server, ca, tmp = mtls
    cert, key = _client_files(ca, tmp)
    run = run_send("--cacert", str(tmp / "ca.pem"), "--cert", cert, "--key", key, server.url)
    assert run.code == 0, run.err
    assert "commonName=alice" in run.out


def test_send_wrong_key_has_its_own_exit_code(mtls):
    server, ca, tmp = mtls
    cert, _ = _client_files(ca, tmp)
    (tmp / "bad.key").write_text("not a key")
    run = run_send(
        "--cacert", str(tmp / "ca.pem"), "--cert", cert, "--key", str(tmp / "bad.key"), server.url
    )
    assert run.code == 10
    assert "bad.key" in run.err and "Traceback" not in run.err
    assert len(run.err.strip().splitlines()) == 1


def test_echo_requires_a_client_certificate_and_reflects_its_subject(tmp_path):
    from reqlab.echo.testing import start_echo_server

    ca = trustme.CA()
    server_cert = ca.issue_cert("127.0.0.1")
    server_cert.private_key_and_cert_chain_pem.write_to_path(str(tmp_path / "server.pem"))
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    cert, key = _client_files(ca, tmp_path)
    options = {"tls_cert": str(tmp_path / "server.pem"), "tls_client_ca": str(tmp_path / "ca.pem")}
    with start_echo_server(**options) as echo:
        with reqlab.Client(verify=str(tmp_path / "ca.pem"), cert=(cert, key)) as client:
            for version in ("HTTP/1.1", "HTTP/2"):
                tls = client.get(echo.tls_url + "/echo", version=version).json()["connection"][
                    "tls"
                ]
                assert tls["client_cert"]["subject"].endswith("commonName=alice")
                assert "trustme" in tls["client_cert"]["issuer"]
        with pytest.raises(reqlab.TransportError):  # no certificate: the server refuses
            reqlab.get(echo.tls_url + "/echo", verify=str(tmp_path / "ca.pem"))


def test_echo_cli_refuses_client_ca_without_tls():
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-m", "reqlab", "echo", "--tls-client-ca", "ca.pem", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert run.returncode == 2 and "--tls-client-ca needs" in run.stderr

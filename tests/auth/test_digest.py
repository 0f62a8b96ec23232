"""Digest: RFC 7616's worked examples, and every algorithm and qop against reqlab echo."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator

import pytest

import reqlab
from reqlab.client._digest import authorization, find_challenge, parse_challenge
from reqlab.model import DigestAuth

MUFASA = (
    'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm={alg}, '
    'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", '
    'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"'
)
CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"


@pytest.mark.parametrize(
    ("alg", "response"),
    [
        ("MD5", "8ca523f5e9506fed4657c9700eebdbec"),
        ("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"),
    ],
)
def test_rfc7616_section_3_9_1(alg: str, response: str) -> None:
    challenge = parse_challenge(MUFASA.format(alg=alg))
    assert challenge is not None
    value = authorization(
        "Mufasa", "Circle of Life", "GET", "/dir/index.html", challenge, cnonce=CNONCE
    )
    assert f'response="{response}"' in value
    assert "qop=auth," in value  # auth preferred when the server offers both


def test_rfc7616_section_3_9_2_userhash() -> None:
    """The RFC's SHA-512-256 example values are SHA-512 cut to 256 bits, not
    SHA-512/256 (FIPS 180-4): the truncation reproduces them; reqlab sends
    the algorithm the RFC names (hashlib's sha512_256), which echo checks."""

    def cut(text: str) -> str:
        return hashlib.sha512(text.encode()).hexdigest()[:64]

    user, realm = "Jäsøn Doe", "api@example.org"
    assert (
        cut(f"{user}:{realm}") == "488869477bf257147b804c45308cd62ac4e25eb717b12b298c79e62dcea254ec"
    )
    challenge = parse_challenge(
        f'Digest realm="{realm}", qop="auth", algorithm=SHA-512-256, '
        'nonce="5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK", '
        'opaque="HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS", charset=UTF-8, userhash=true'
    )
    assert challenge is not None
    value = authorization(user, "Secret, or not?", "GET", "/doe.json", challenge, cnonce="c")
    real = hashlib.new("sha512_256", f"{user}:{realm}".encode()).hexdigest()
    assert f'username="{real}"' in value and value.endswith("userhash=true")


def test_strongest_supported_challenge_wins() -> None:
    headers = [
        ("WWW-Authenticate", 'Digest realm="r", nonce="n1", algorithm=MD5, qop="auth"'),
        ("WWW-Authenticate", 'Digest realm="r", nonce="n3", algorithm=SHA-512-256, qop="auth"'),
        ("WWW-Authenticate", 'Digest realm="r", nonce="n2", algorithm=SHA-256, qop="auth"'),
        ("WWW-Authenticate", 'Digest realm="r", nonce="n4", algorithm=SHA3-512, qop="auth"'),
    ]
    assert find_challenge(headers)["nonce"] == "n3"  # type: ignore[index]


def test_auth_int_hashes_the_body() -> None:
    challenge = {"realm": "r", "nonce": "n", "qop": "auth-int", "algorithm": "SHA-256"}
    one = authorization("u", "p", "POST", "/", challenge, cnonce="c", body=b"one")
    two = authorization("u", "p", "POST", "/", challenge, cnonce="c", body=b"two")
    assert "qop=auth-int" in one and one != two


@pytest.mark.parametrize(
    "alg", ["MD5", "SHA-256", "SHA-512-256", "SHA-256-sess", "SHA-512-256-sess"]
)
@pytest.mark.parametrize("qop", ["auth", "auth-int"])
def test_echo_accepts_every_algorithm_and_qop(echo_url: str, alg: str, qop: str) -> None:
    url = f"{echo_url}/digest-auth/{qop}/user/pa55/{alg}"
    with reqlab.Client(auth=DigestAuth("user", "pa55")) as client:
        r = client.request("GET", url, content=b"a body, hashed with auth-int")
    assert r.status_code == 200, (r.status_code, r.headers.get("www-authenticate"))
    assert r.json() == {"authenticated": True, "user": "user"}
    sent = r.exchange.request_headers
    value = next(v for n, v in sent if n.lower() == "authorization")
    assert f"qop={qop}," in value and f"ALGORITHM={alg.upper()}," in value.upper()


def test_wrong_password_is_refused(echo_url: str) -> None:
    r = reqlab.get(
        f"{echo_url}/digest-auth/auth-int/user/pa55/SHA-256", auth=DigestAuth("user", "x")
    )
    assert r.status_code == 401


@pytest.fixture(scope="module")
def httpbin_url() -> Iterator[str]:
    """Real httpbin (its Flask app): a second Digest implementation to answer."""
    core = pytest.importorskip("httpbin.core", reason="httpbin is installed by scripts/setup.d")
    from werkzeug import serving

    server = serving.make_server("127.0.0.1", 0, core.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.mark.parametrize("alg", ["MD5", "SHA-256", "SHA-512"])
@pytest.mark.parametrize("qop", ["auth", "auth-int"])
def test_httpbin_accepts_every_algorithm_and_qop(httpbin_url: str, alg: str, qop: str) -> None:
    url = f"{httpbin_url}/digest-auth/{qop}/user/pa55/{alg}"
    with reqlab.Client(auth=DigestAuth("user", "pa55")) as client:
        r = client.request("GET", url, content=b"a body, hashed with auth-int")
    assert r.status_code == 200, (r.status_code, r.headers.get("www-authenticate"))
    assert r.json() == {"authenticated": True, "user": "user"}
    value = next(v for n, v in r.exchange.request_headers if n.lower() == "authorization")
    assert f"qop={qop}," in value

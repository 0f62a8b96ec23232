"""httpbin auth endpoints: Basic, hidden Basic, Bearer, Digest (RFC 7616)."""

from __future__ import annotations

import base64
import hashlib
import os
import time

import pytest
from endpoint_kit import header, json_of, send

from reqlab.echo.endpoints import httpbin_digest
from reqlab.echo.endpoints.httpbin_digest import nonce_state, parse_auth_params


def basic(user: str, pw: str) -> tuple[str, str]:
    return ("Authorization", "Basic " + base64.b64encode(f"{user}:{pw}".encode()).decode())


def test_basic_auth():
    r = send("GET", "/basic-auth/user/passwd", [basic("user", "passwd")])
    assert r.status == 200 and json_of(r) == {"authenticated": True, "user": "user"}
    for hdrs in (
        [],
        [basic("user", "wrong")],
        [basic("other", "passwd")],
        [("Authorization", "Basic !!!")],
    ):
        r = send("GET", "/basic-auth/user/passwd", hdrs)
        assert r.status == 401 and header(r, "www-authenticate") == 'Basic realm="Fake Realm"'


def test_password_with_colon():
    assert send("GET", "/basic-auth/u/a:b", [basic("u", "a:b")]).status == 200


def test_hidden_basic_auth():
    assert send("GET", "/hidden-basic-auth/u/p", [basic("u", "p")]).status == 200
    r = send("GET", "/hidden-basic-auth/u/p", [basic("u", "x")])
    assert r.status == 404 and header(r, "www-authenticate") is None


def test_bearer():
    r = send("GET", "/bearer", [("Authorization", "Bearer tok.en")])
    assert json_of(r) == {"authenticated": True, "token": "tok.en"}
    for hdrs in ([], [("Authorization", "Basic abc")], [("Authorization", "bearer x")]):
        r = send("GET", "/bearer", hdrs)
        assert r.status == 401 and header(r, "www-authenticate") == "Bearer"


def test_parse_auth_params():
    got = parse_auth_params('username="a\\"b", realm="r, with comma", nc=00000001, qop=auth')
    assert got == {"username": 'a"b', "realm": "r, with comma", "nc": "00000001", "qop": "auth"}


# An independent client-side digest computation, written from RFC 7616 section 3.4.
def _hash(alg: str, text: str) -> str:
    name = {"MD5": "md5", "SHA-256": "sha256", "SHA-512": "sha512"}[
        alg.upper().removesuffix("-SESS")
    ]
    return hashlib.new(name, text.encode()).hexdigest()


def answer(
    challenge: str,
    method: str,
    uri: str,
    user: str,
    pw: str,
    *,
    qop: str | None = "auth",
    body: bytes = b"",
) -> str:
    ch = parse_auth_params(challenge.removeprefix("Digest "))
    alg = ch["algorithm"]
    cnonce, nc = os.urandom(8).hex(), "00000001"
    ha1 = _hash(alg, f"{user}:{ch['realm']}:{pw}")
    if alg.upper().endswith("-SESS"):
        ha1 = _hash(alg, f"{ha1}:{ch['nonce']}:{cnonce}")
    a2 = f"{method}:{uri}"
    if qop == "auth-int":
        a2 += ":" + _hash(alg, body.decode())
    ha2 = _hash(alg, a2)
    if qop:
        resp = _hash(alg, f"{ha1}:{ch['nonce']}:{nc}:{cnonce}:{qop}:{ha2}")
        extra = f', qop={qop}, nc={nc}, cnonce="{cnonce}"'
    else:
        resp = _hash(alg, f"{ha1}:{ch['nonce']}:{ha2}")
        extra = ""
    return (
        f'Digest username="{user}", realm="{ch["realm"]}", nonce="{ch["nonce"]}", uri="{uri}", '
        f'algorithm={alg}, response="{resp}", opaque="{ch["opaque"]}"{extra}'
    )


@pytest.mark.parametrize("alg", ["MD5", "SHA-256", "SHA-512", "MD5-sess", "SHA-256-sess"])
@pytest.mark.parametrize("qop", ["auth", "auth-int"])
def test_digest_round_trip(alg, qop):
    path = f"/digest-auth/{qop}/alice/s3cret/{alg}?x=1"
    # httpbin serves digest on GET only; auth-int still covers a (GET) body.
    first = send("GET", path, body=b"payload")
    assert first.status == 401
    challenge = header(first, "www-authenticate")
    params = parse_auth_params(challenge.removeprefix("Digest "))
    assert (
        params["qop"] == qop and params["algorithm"] == alg.upper() and params["stale"] == "FALSE"
    )
    auth = answer(challenge, "GET", path, "alice", "s3cret", qop=qop, body=b"payload")
    ok = send("GET", path, [("Authorization", auth)], b"payload")
    assert ok.status == 200 and json_of(ok) == {"authenticated": True, "user": "alice"}
    if qop == "auth":
        info = parse_auth_params(header(ok, "authentication-info"))
        assert info["qop"] == "auth" and len(info["rspauth"]) == len(_hash(alg, ""))
    else:  # auth-int: the digest covers the body, so a changed body fails
        assert send("GET", path, [("Authorization", auth)], b"tampered").status == 401


def test_digest_default_algorithm_is_md5_and_default_qop_offers_both():
    ch = header(send("GET", "/digest-auth/whatever/u/p"), "www-authenticate")
    params = parse_auth_params(ch.removeprefix("Digest "))
    assert params["algorithm"] == "MD5" and params["qop"] == "auth, auth-int"
    ok = send(
        "GET",
        "/digest-auth/whatever/u/p",
        [("Authorization", answer(ch, "GET", "/digest-auth/whatever/u/p", "u", "p", qop=None))],
    )
    assert ok.status == 200


@pytest.mark.parametrize(
    ("user", "pw", "uri", "method"),
    [
        ("alice", "wrong", None, "GET"),
        ("bob", "s3cret", None, "GET"),
        ("alice", "s3cret", "/digest-auth/auth/alice/s3cret/other", "GET"),
        ("alice", "s3cret", None, "POST"),  # signed for POST, sent as GET
    ],
)
def test_digest_wrong_credentials_get_a_new_challenge(user, pw, uri, method):
    path = "/digest-auth/auth/alice/s3cret"
    ch = header(send("GET", path), "www-authenticate")
    auth = answer(ch, method, uri or path, user, pw)
    r = send("GET", path, [("Authorization", auth)])
    assert r.status == 401 and header(r, "www-authenticate").startswith("Digest ")


def test_digest_forged_nonce_is_refused():
    path = "/digest-auth/auth/u/p"
    ch = header(send("GET", path), "www-authenticate").replace('nonce="', 'nonce="0')
    r = send("GET", path, [("Authorization", answer(ch, "GET", path, "u", "p"))])
    assert r.status == 401
    assert parse_auth_params(header(r, "www-authenticate")[7:])["stale"] == "FALSE"


def test_digest_expired_nonce_is_stale(monkeypatch):
    path = "/digest-auth/auth/u/p"
    old = httpbin_digest.make_nonce(time.time() - httpbin_digest.NONCE_LIFETIME - 5)
    assert nonce_state(old) == "stale" and nonce_state(httpbin_digest.make_nonce()) == "ok"
    ch = header(send("GET", path), "www-authenticate")
    ch = ch.replace(parse_auth_params(ch[7:])["nonce"], old)
    r = send("GET", path, [("Authorization", answer(ch, "GET", path, "u", "p"))])
    assert r.status == 401
    assert parse_auth_params(header(r, "www-authenticate")[7:])["stale"] == "TRUE"


def test_digest_rejects_other_schemes():
    r = send("GET", "/digest-auth/auth/u/p", [basic("u", "p")])
    assert r.status == 401

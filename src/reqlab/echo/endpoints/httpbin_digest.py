"""``/digest-auth/{qop}/{user}/{passwd}[/{algorithm}]``: HTTP Digest auth (RFC 7616).

A real challenge and verification: MD5, SHA-256, SHA-512 and SHA-512-256 (and their
``-sess`` variants), qop ``auth`` and ``auth-int``, plus the RFC 2069 form
without qop that httpbin also accepts.  Nonces are stateless: a timestamp
and an HMAC of it under a per-process secret, so any worker can check them
without shared storage; an expired nonce with an otherwise correct digest
gets a fresh challenge with ``stale=true``, as RFC 7616 section 3.3 asks.
Replayed nonce counts are not tracked (no state), which a test server can
afford.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from functools import partial

from reqlab.echo._types import EchoResponse

from ._http import empty_response, json_response
from ._router import route
from ._view import RequestView

REALM = "me@kennethreitz.com"  # httpbin's realm, so recorded exchanges stay comparable
NONCE_LIFETIME = 300  # seconds
_SECRET = secrets.token_bytes(32)
OPAQUE = hmac.new(_SECRET, b"opaque", hashlib.sha256).hexdigest()[:32]

_HASHES: dict[str, Callable[[bytes], hashlib._Hash]] = {
    "MD5": hashlib.md5,
    "SHA-256": hashlib.sha256,
    "SHA-512": hashlib.sha512,
    "SHA-512-256": partial(hashlib.new, "sha512_256"),  # RFC 7616's SHA-512/256
}


def _h(algorithm: str, data: str) -> str:
    base = algorithm.upper().removesuffix("-SESS")
    return _HASHES[base](data.encode("utf-8")).hexdigest()


def make_nonce(now: float | None = None) -> str:
    stamp = f"{int(time.time() if now is None else now):x}"
    return stamp + hmac.new(_SECRET, stamp.encode(), hashlib.sha256).hexdigest()[:32]


def nonce_state(nonce: str, now: float | None = None) -> str:
    """ "ok", "stale" (ours but expired) or "bad" (not ours)."""
    stamp, mac = nonce[:-32], nonce[-32:]
    expected = hmac.new(_SECRET, stamp.encode(), hashlib.sha256).hexdigest()[:32]
    if not stamp or not hmac.compare_digest(mac, expected):
        return "bad"
    try:
        issued = int(stamp, 16)
    except ValueError:
        return "bad"
    age = (time.time() if now is None else now) - issued
    return "ok" if 0 <= age <= NONCE_LIFETIME else "stale"


def parse_auth_params(text: str) -> dict[str, str]:
    """``k=v, k2="quoted, \\"v\\""`` -> dict (keys lower-cased)."""
    params: dict[str, str] = {}
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in " \t,":
            i += 1
        eq = text.find("=", i)
        if eq < 0:
            break
        key = text[i:eq].strip().lower()
        i = eq + 1
        while i < n and text[i] in " \t":
            i += 1
        if i < n and text[i] == '"':
            i += 1
            chars = []
            while i < n and text[i] != '"':
                if text[i] == "\\" and i + 1 < n:
                    i += 1
                chars.append(text[i])
                i += 1
            i += 1
            value = "".join(chars)
        else:
            end = text.find(",", i)
            end = n if end < 0 else end
            value = text[i:end].strip()
            i = end
        params[key] = value
    return params


def expected_response(
    creds: dict[str, str], password: str, method: str, body: bytes, algorithm: str
) -> str:
    """The ``response`` value a client knowing ``password`` computes (RFC 7616 3.4.1)."""
    ha1 = _h(algorithm, f"{creds.get('username', '')}:{creds.get('realm', '')}:{password}")
    if algorithm.upper().endswith("-SESS"):
        ha1 = _h(algorithm, f"{ha1}:{creds.get('nonce', '')}:{creds.get('cnonce', '')}")
    qop = creds.get("qop")
    a2 = f"{method}:{creds.get('uri', '')}"
    if qop == "auth-int":
        base = algorithm.upper().removesuffix("-SESS")
        a2 += ":" + _HASHES[base](body).hexdigest()
    ha2 = _h(algorithm, a2)
    if qop:
        tail = f"{creds.get('nc', '')}:{creds.get('cnonce', '')}:{qop}:{ha2}"
        return _h(algorithm, f"{ha1}:{creds.get('nonce', '')}:{tail}")
    return _h(algorithm, f"{ha1}:{creds.get('nonce', '')}:{ha2}")


def challenge(qop: str | None, algorithm: str, stale: bool = False) -> EchoResponse:
    offered = qop or "auth, auth-int"
    value = (
        f'Digest realm="{REALM}", nonce="{make_nonce()}", opaque="{OPAQUE}", '
        f'qop="{offered}", algorithm={algorithm}, stale={"TRUE" if stale else "FALSE"}'
    )
    return empty_response(401, [("WWW-Authenticate", value)])


def _normalise(qop: str, algorithm: str) -> tuple[str | None, str]:
    alg = algorithm.upper()
    if alg.removesuffix("-SESS") not in _HASHES:
        alg = "MD5"
    return (qop if qop in ("auth", "auth-int") else None), alg


@route("/digest-auth/{qop}/{user}/{passwd}", "/digest-auth/{qop}/{user}/{passwd}/{algorithm}")
async def digest_auth(
    view: RequestView, qop: str, user: str, passwd: str, algorithm: str = "MD5"
) -> EchoResponse:
    want_qop, alg = _normalise(qop, algorithm)
    header = view.header("authorization") or ""
    scheme, _, rest = header.partition(" ")
    if scheme.lower() != "digest":
        return challenge(want_qop, alg)
    creds = parse_auth_params(rest)
    got_qop = creds.get("qop")
    if (
        creds.get("username") != user
        or creds.get("realm") != REALM
        or creds.get("algorithm", "MD5").upper() != alg
        or creds.get("opaque", OPAQUE) != OPAQUE
        or creds.get("uri") not in (view.request.target, view.raw_path)
        or (got_qop is not None and got_qop not in (want_qop or "auth auth-int").split())
        or (got_qop and not (creds.get("nc") and creds.get("cnonce")))
    ):
        return challenge(want_qop, alg)
    digest = expected_response(creds, passwd, view.method, view.request.body, alg)
    if not hmac.compare_digest(creds.get("response", ""), digest):
        return challenge(want_qop, alg)
    state = nonce_state(creds.get("nonce", ""))
    if state != "ok":
        return challenge(want_qop, alg, stale=state == "stale")
    info = (
        [] if got_qop == "auth-int" else [("Authentication-Info", _auth_info(creds, passwd, alg))]
    )
    return json_response({"authenticated": True, "user": user}, headers=info)


def _auth_info(creds: dict[str, str], password: str, algorithm: str) -> str:
    """RFC 7616 3.5: proves to the client that the server knows the password too.

    rspauth is the response digest with an empty method (A2 = ":" uri).
    """
    rspauth = expected_response(creds, password, "", b"", algorithm)
    fields = [f'rspauth="{rspauth}"']
    if creds.get("qop"):
        fields += [f"qop={creds['qop']}", f'cnonce="{creds["cnonce"]}"', f"nc={creds['nc']}"]
    return ", ".join(fields)

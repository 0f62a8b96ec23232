"""HTTP Digest authentication (RFC 7616): MD5, SHA-256 (and -sess), qop=auth.

Pure functions: parse the server's challenge, compute the Authorization
value.  The engine sends the request, sees 401 + ``WWW-Authenticate:
Digest ...``, and sends it again with the value computed here.
"""

from __future__ import annotations

import hashlib
import re
import secrets

_PARAM = re.compile(r'\s*([!#$%&\'*+\-.^_`|~0-9A-Za-z]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,]+)\s*,?')


def parse_challenge(value: str) -> dict[str, str] | None:
    """The parameters of a ``Digest`` challenge, keys lower-cased; None if not digest."""
    scheme, _, rest = value.strip().partition(" ")
    if scheme.lower() != "digest":
        return None
    params: dict[str, str] = {}
    for key, raw in _PARAM.findall(rest):
        if raw.startswith('"'):
            raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
        params[key.lower()] = raw
    return params if "nonce" in params else None


def find_challenge(headers: list[tuple[str, str]]) -> dict[str, str] | None:
    """The strongest digest challenge among WWW-Authenticate headers we support."""
    found = []
    for name, value in headers:
        if name.lower() == "www-authenticate":
            params = parse_challenge(value)
            if params and supported(params):
                found.append(params)
    found.sort(key=lambda p: p.get("algorithm", "MD5").upper().startswith("SHA-256"), reverse=True)
    return found[0] if found else None


def supported(challenge: dict[str, str]) -> bool:
    algorithm = challenge.get("algorithm", "MD5").upper().removesuffix("-SESS")
    qops = [q.strip() for q in challenge.get("qop", "auth").split(",")]
    return algorithm in ("MD5", "SHA-256") and "auth" in qops


def _h(algorithm: str, text: str) -> str:
    fn = hashlib.sha256 if algorithm.startswith("SHA-256") else hashlib.md5
    return fn(text.encode()).hexdigest()


def authorization(
    username: str,
    password: str,
    method: str,
    uri: str,
    challenge: dict[str, str],
    nc: int = 1,
    cnonce: str | None = None,
) -> str:
    """The ``Authorization`` header value answering ``challenge``."""
    algorithm = challenge.get("algorithm", "MD5").upper()
    realm = challenge.get("realm", "")
    nonce = challenge["nonce"]
    qop = "auth" if "qop" in challenge else None
    cnonce = cnonce or secrets.token_hex(16)
    nc_text = f"{nc:08x}"
    ha1 = _h(algorithm, f"{username}:{realm}:{password}")
    if algorithm.endswith("-SESS"):
        ha1 = _h(algorithm, f"{ha1}:{nonce}:{cnonce}")
    ha2 = _h(algorithm, f"{method}:{uri}")
    if qop:
        response = _h(algorithm, f"{ha1}:{nonce}:{nc_text}:{cnonce}:{qop}:{ha2}")
    else:
        response = _h(algorithm, f"{ha1}:{nonce}:{ha2}")
    parts = [
        f"username={_quoted(username)}",
        f"realm={_quoted(realm)}",
        f"uri={_quoted(uri)}",
        f"algorithm={_token(challenge.get('algorithm', 'MD5'))}",
        f"nonce={_quoted(nonce)}",
    ]
    if qop:
        parts += [f"nc={nc_text}", f'cnonce="{cnonce}"', f"qop={qop}"]
    parts.append(f'response="{response}"')
    if "opaque" in challenge:
        parts.append(f"opaque={_quoted(challenge['opaque'])}")
    return "Digest " + ", ".join(parts)


def _quoted(text: str) -> str:
    """A quoted-string (RFC 9110 section 5.6.4): a quote or backslash in a user
    name or in the server's realm cannot end the parameter early."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _token(text: str) -> str:
    return text if _PARAM_TOKEN.fullmatch(text) else _quoted(text)


_PARAM_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")

"""HTTP Digest authentication (RFC 7616): MD5, SHA-256, SHA-512-256 (and
their -sess forms), qop ``auth`` and ``auth-int``, ``userhash``.

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
    found.sort(key=lambda p: _STRENGTH.index(_base(p)), reverse=True)  # strongest first
    return found[0] if found else None


# hashlib names, weakest first: RFC 7616's three, and SHA-512 as httpbin offers it
_HASHES = {"MD5": "md5", "SHA-256": "sha256", "SHA-512-256": "sha512_256", "SHA-512": "sha512"}
_STRENGTH = list(_HASHES)


def _base(challenge: dict[str, str]) -> str:
    return challenge.get("algorithm", "MD5").upper().removesuffix("-SESS")


def _qops(challenge: dict[str, str]) -> list[str]:
    return [q.strip() for q in challenge.get("qop", "auth").split(",")]


def supported(challenge: dict[str, str]) -> bool:
    qops = _qops(challenge)
    return _base(challenge) in _HASHES and ("auth" in qops or "auth-int" in qops)


def _hash(algorithm: str, data: bytes) -> str:
    return hashlib.new(_HASHES[algorithm.upper().removesuffix("-SESS")], data).hexdigest()


def _h(algorithm: str, text: str) -> str:
    return _hash(algorithm, text.encode())


def _qop(challenge: dict[str, str]) -> str | None:
    """``auth`` when offered (the body may be streamed), else ``auth-int``."""
    if "qop" not in challenge:
        return None  # RFC 2069 style
    return "auth" if "auth" in _qops(challenge) else "auth-int"


def authorization(
    username: str,
    password: str,
    method: str,
    uri: str,
    challenge: dict[str, str],
    nc: int = 1,
    cnonce: str | None = None,
    body: bytes = b"",
) -> str:
    """The ``Authorization`` header value answering ``challenge``.

    ``body`` is the entity body, hashed into the answer when the server asks
    for ``qop=auth-int`` only.
    """
    algorithm = challenge.get("algorithm", "MD5").upper()
    realm = challenge.get("realm", "")
    nonce = challenge["nonce"]
    qop = _qop(challenge)
    cnonce = cnonce or secrets.token_hex(16)
    nc_text = f"{nc:08x}"
    ha1 = _h(algorithm, f"{username}:{realm}:{password}")
    if algorithm.endswith("-SESS"):
        ha1 = _h(algorithm, f"{ha1}:{nonce}:{cnonce}")
    a2 = f"{method}:{uri}"
    if qop == "auth-int":
        a2 += ":" + _hash(algorithm, body)
    ha2 = _h(algorithm, a2)
    if qop:
        response = _h(algorithm, f"{ha1}:{nonce}:{nc_text}:{cnonce}:{qop}:{ha2}")
    else:
        response = _h(algorithm, f"{ha1}:{nonce}:{ha2}")
    userhash = challenge.get("userhash", "").lower() == "true"
    parts = [
        # userhash (RFC 7616 section 3.4.4): the name is sent hashed, a hex digest
        f"username={_quoted(_h(algorithm, f'{username}:{realm}') if userhash else username)}",
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
    if userhash:
        parts.append("userhash=true")
    return "Digest " + ", ".join(parts)


def _quoted(text: str) -> str:
    """A quoted-string (RFC 9110 section 5.6.4): a quote or backslash in a user
    name or in the server's realm cannot end the parameter early."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _token(text: str) -> str:
    return text if _PARAM_TOKEN.fullmatch(text) else _quoted(text)


_PARAM_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")

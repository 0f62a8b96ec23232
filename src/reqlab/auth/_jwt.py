"""Client assertions for ``private_key_jwt`` (RFC 7523 section 2.2), signed
with ``cryptography``: RS256 for RSA keys, ES256 for P-256 keys.

The JWT says "I am client X (iss = sub = client_id), talking to token
endpoint Y (aud), once (jti), for the next few minutes (iat, exp)".
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from collections.abc import Callable

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from reqlab.errors import InvalidRequest

LIFETIME = 300  # seconds an assertion is valid


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def private_key_signer(
    pem: bytes | str, key_id: str | None = None, password: bytes | None = None
) -> Callable[[str, str], str]:
    """A function (client_id, audience) -> a signed client assertion."""
    data = pem.encode() if isinstance(pem, str) else pem
    try:
        key = serialization.load_pem_private_key(data, password=password)
    except (ValueError, TypeError) as exc:
        raise InvalidRequest("private_key", f"not a PEM private key: {exc}") from None
    if isinstance(key, rsa.RSAPrivateKey):
        alg = "RS256"
    elif isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp256r1":
        alg = "ES256"
    else:
        raise InvalidRequest("private_key", "use an RSA or a P-256 (ES256) key")

    def sign(client_id: str, audience: str) -> str:
        now = int(time.time())
        header = {"alg": alg, "typ": "JWT", **({"kid": key_id} if key_id else {})}
        claims = {
            "iss": client_id,
            "sub": client_id,
            "aud": audience,
            "jti": secrets.token_urlsafe(16),
            "iat": now,
            "exp": now + LIFETIME,
        }
        signing_input = ".".join(
            _b64(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims)
        ).encode()
        return signing_input.decode() + "." + _b64(_signature(key, signing_input))

    return sign


def _signature(key: object, data: bytes) -> bytes:
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")  # JWS wants raw r || s

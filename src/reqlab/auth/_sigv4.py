"""AWS Signature Version 4: the canonical request and the signature (pure).

Theory of operation.  A signer and a verifier each build the same
*canonical request* from what is on the wire, hash it into a *string to
sign*, and HMAC that with a key derived from the secret, the date, the
region and the service:

    canonical = METHOD \\n URI \\n QUERY \\n HEADERS \\n \\n SIGNED \\n PAYLOAD-HASH
    to_sign   = "AWS4-HMAC-SHA256" \\n TIMESTAMP \\n SCOPE \\n hex(sha256(canonical))
    key       = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request")

The rules (AWS's, and botocore's where AWS is vague):
- URI: S3 signs the path exactly as sent; every other service removes dot
  segments and empty segments and URI-encodes the sent path once more.
- QUERY: each key and value decoded, then encoded with only ``A-Za-z0-9-_.~``
  left bare (space is %20, never +), pairs sorted by key then value; a key
  without ``=`` signs as ``key=``.
- HEADERS: names lower-cased and sorted; values trimmed with inner runs of
  spaces folded to one; repeated headers joined by ``,`` in sending order.
  Hop-by-hop headers and User-Agent are never signed (proxies change them).

This module only turns strings into strings, so the client's signer
(:mod:`reqlab.auth._aws`) and the echo server's verifier share it.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Sequence
from urllib.parse import quote, unquote

ALGORITHM = "AWS4-HMAC-SHA256"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
TIMESTAMP_FORMAT = "%Y%m%dT%H%M%SZ"
# Headers that change on their way (proxies, tracing, the client itself).
NOT_SIGNED = frozenset(
    {
        "authorization",
        "baggage",
        "connection",
        "expect",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "traceparent",
        "tracestate",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "user-agent",
        "x-amzn-trace-id",
    }
)
_UNRESERVED = "-_.~"


def aws_quote(text: str, safe: str = _UNRESERVED) -> str:
    """Percent-encode UTF-8 as AWS wants: unreserved characters left bare."""
    return quote(text, safe=safe)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def remove_dot_segments(path: str) -> str:
    """RFC 3986 dot-segment removal, plus AWS's "no empty segments"."""
    if not path:
        return "/"
    out: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if out:
                out.pop()
        elif segment and segment != ".":
            out.append(segment)
    lead = "/" if path.startswith("/") else ""
    tail = "/" if path.endswith("/") and out else ""
    return lead + "/".join(out) + tail


def canonical_uri(path: str, s3: bool) -> str:
    """The URI line for a path as sent (already percent-encoded)."""
    if s3:
        return path or "/"
    return aws_quote(remove_dot_segments(path), safe="/~")


def split_query(query: str) -> list[tuple[str, str]]:
    """The decoded (key, value) pairs of a raw query string, in order."""
    pairs = []
    for item in query.split("&"):
        if item:
            key, _, value = item.partition("=")
            pairs.append((unquote(key), unquote(value)))
    return pairs


def encode_query(pairs: Iterable[tuple[str, str]]) -> str:
    """Pairs as a query string in AWS's encoding, in the order given."""
    return "&".join(f"{aws_quote(k)}={aws_quote(v)}" for k, v in pairs)


def canonical_query(pairs: Iterable[tuple[str, str]]) -> str:
    encoded = sorted((aws_quote(k), aws_quote(v)) for k, v in pairs)
    return "&".join(f"{k}={v}" for k, v in encoded)


def signable(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(n, v) for n, v in headers if n.lower() not in NOT_SIGNED]


def canonical_headers(headers: Sequence[tuple[str, str]]) -> tuple[str, str]:
    """(the HEADERS block with its trailing newline, the SIGNED list)."""
    values: dict[str, list[str]] = {}
    for name, value in headers:
        values.setdefault(name.lower().strip(), []).append(" ".join(value.split()))
    names = sorted(values)
    block = "".join(f"{n}:{','.join(values[n])}\n" for n in names)
    return block, ";".join(names)


def canonical_request(
    method: str,
    uri: str,
    query: str,
    headers: Sequence[tuple[str, str]],
    payload_hash: str,
) -> tuple[str, str]:
    """(the canonical request, the signed header list)."""
    block, signed = canonical_headers(headers)
    return "\n".join([method.upper(), uri, query, block, signed, payload_hash]), signed


def scope(date: str, region: str, service: str) -> str:
    return f"{date}/{region}/{service}/aws4_request"


def string_to_sign(timestamp: str, credential_scope: str, canonical: str) -> str:
    digest = sha256_hex(canonical.encode())
    return f"{ALGORITHM}\n{timestamp}\n{credential_scope}\n{digest}"


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def signature(secret_key: str, date: str, region: str, service: str, to_sign: str) -> str:
    key = _hmac(f"AWS4{secret_key}".encode(), date)
    for part in (region, service, "aws4_request"):
        key = _hmac(key, part)
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()

"""Checking an AWS SigV4 signature as a server does (pure).

:func:`verify` rebuilds the canonical request from what arrived (method,
request-target, headers, body) with the same rules the signer used
(:mod:`reqlab.auth._sigv4`) and answers with a :class:`Verdict` whose
``error`` is one sentence a person can act on: unknown key, clock skew,
expired presigned URL, or a signature mismatch with the canonical request the
server computed (AWS shows it too, so the client side can diff it).
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

from reqlab.auth import _sigv4 as v4

MAX_SKEW = dt.timedelta(minutes=15)  # what AWS allows
_FIELD = re.compile(r"(Credential|SignedHeaders|Signature)=([^,\s]+)")


@dataclass
class Verdict:
    valid: bool
    error: str = ""
    access_key: str = ""
    region: str = ""
    service: str = ""
    signed_headers: list[str] = field(default_factory=list)
    canonical_request: str = ""
    string_to_sign: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"valid": self.valid}
        if self.error:
            out["error"] = self.error
        out.update(
            access_key=self.access_key,
            region=self.region,
            service=self.service,
            signed_headers=self.signed_headers,
        )
        if not self.valid and self.canonical_request:
            out["canonical_request"] = self.canonical_request
            out["string_to_sign"] = self.string_to_sign
        return out


def _header_values(headers: Sequence[tuple[str, str]], name: str) -> list[str]:
    return [v for n, v in headers if n.lower() == name]


def _parse_time(stamp: str | None, date: str | None) -> dt.datetime | None:
    try:
        if stamp:
            return dt.datetime.strptime(stamp, v4.TIMESTAMP_FORMAT).replace(tzinfo=dt.UTC)
        if date:
            return parsedate_to_datetime(date).astimezone(dt.UTC)
    except (ValueError, TypeError):
        return None
    return None


def _fields(
    headers: Sequence[tuple[str, str]], query: list[tuple[str, str]]
) -> dict[str, str] | None:
    """Credential, SignedHeaders, Signature, Date (and Expires) from either place."""
    params = dict(query)
    if "X-Amz-Signature" in params:
        return {
            "Credential": params.get("X-Amz-Credential", ""),
            "SignedHeaders": params.get("X-Amz-SignedHeaders", ""),
            "Signature": params["X-Amz-Signature"],
            "Date": params.get("X-Amz-Date", ""),
            "Expires": params.get("X-Amz-Expires", ""),
        }
    auth = next(iter(_header_values(headers, "authorization")), "")
    if not auth.startswith(v4.ALGORITHM + " "):
        return None
    found = dict(_FIELD.findall(auth))
    stamp = next(iter(_header_values(headers, "x-amz-date")), "")
    return {**found, "Date": stamp}


def verify(
    method: str,
    target: str,
    headers: Sequence[tuple[str, str]],
    body: bytes,
    keys: Mapping[str, str],
    now: dt.datetime,
) -> Verdict:
    """Whether the request carries a valid SigV4 signature by one of ``keys``."""
    path, _, raw_query = target.partition("?")
    query = v4.split_query(raw_query)
    got = _fields(headers, query)
    if got is None:
        return Verdict(False, "no AWS4-HMAC-SHA256 Authorization header or X-Amz-Signature")
    presigned = "Expires" in got
    key, _, rest = got.get("Credential", "").partition("/")
    date, region, service, terminal = ([*rest.split("/"), "", "", ""])[:4]
    verdict = Verdict(False, access_key=key, region=region, service=service)
    verdict.signed_headers = got.get("SignedHeaders", "").split(";")
    if terminal != "aws4_request" or not got.get("Signature"):
        verdict.error = "malformed credential scope or signature"
        return verdict
    if key not in keys:
        verdict.error = f"unknown access key {key!r}"
        return verdict
    when = _parse_time(
        got["Date"], None if presigned else next(iter(_header_values(headers, "date")), None)
    )
    if when is None:
        verdict.error = "no valid X-Amz-Date (or Date) to sign with"
        return verdict
    stamp = when.strftime(v4.TIMESTAMP_FORMAT)
    problem = _time_problem(when, now, got.get("Expires", "") if presigned else None)
    if problem:
        verdict.error = problem
        return verdict
    signed = [(n, ",".join(_header_values(headers, n))) for n in verdict.signed_headers]
    if presigned:
        query = [(k, v) for k, v in query if k != "X-Amz-Signature"]
    uri = v4.canonical_uri(path, service == "s3")
    for payload in _payloads(headers, body, presigned, service):
        canonical, _ = v4.canonical_request(method, uri, v4.canonical_query(query), signed, payload)
        to_sign = v4.string_to_sign(stamp, v4.scope(date, region, service), canonical)
        expected = v4.signature(keys[key], date, region, service, to_sign)
        if hmac.compare_digest(expected, got["Signature"]):
            verdict.valid = True
            return verdict
        if not verdict.canonical_request:  # show the first (the likeliest) reading
            verdict.canonical_request, verdict.string_to_sign = canonical, to_sign
    verdict.error = (
        "the signature does not match: check the secret key and compare the "
        "canonical request below with the one your client signed"
    )
    return verdict


def _payloads(
    headers: Sequence[tuple[str, str]], body: bytes, presigned: bool, service: str
) -> list[str]:
    """The payload hashes the signer may have used.  A presigned URL cannot
    say whether its (non-S3) signer hashed the body or signed UNSIGNED-PAYLOAD."""
    given = _header_values(headers, "x-amz-content-sha256")
    if given:
        return given[:1]
    if presigned:
        if service == "s3":
            return [v4.UNSIGNED_PAYLOAD]
        return [v4.sha256_hex(body), v4.UNSIGNED_PAYLOAD]
    return [v4.sha256_hex(body)]


def _time_problem(when: dt.datetime, now: dt.datetime, expires: str | None) -> str:
    if expires is not None:
        if not expires.isdigit():
            return f"X-Amz-Expires {expires!r} is not a number of seconds"
        end = when + dt.timedelta(seconds=int(expires))
        if now > end:
            return f"the presigned URL expired at {end:%Y-%m-%dT%H:%M:%SZ} (server time {now:%Y-%m-%dT%H:%M:%SZ})"
        if when - now > MAX_SKEW:
            return _skew(when, now)
        return ""
    if abs(now - when) > MAX_SKEW:
        return _skew(when, now)
    return ""


def _skew(when: dt.datetime, now: dt.datetime) -> str:
    minutes = abs(now - when).total_seconds() / 60
    return (
        f"clock skew: the request was signed at {when:%Y-%m-%dT%H:%M:%SZ}, "
        f"{minutes:.0f} min from the server's time {now:%Y-%m-%dT%H:%M:%SZ} "
        f"(at most {MAX_SKEW.seconds // 60} min allowed); check the client's clock"
    )

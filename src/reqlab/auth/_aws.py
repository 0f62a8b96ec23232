"""``AWSSigV4``: sign a :class:`Request` with AWS Signature Version 4.

Two modes, as botocore has them: the ``Authorization`` header (the default)
and a presigned URL (``expires=`` seconds; the signature travels in the
query).  The request that goes out carries its path and query re-encoded
the AWS way (``%20`` for a space, ``~`` bare, ``%2F`` kept inside a
segment), so the bytes on the wire are exactly the bytes that were signed;
a server re-deriving the canonical request from what it received agrees.

Host, the ``X-Amz-*`` headers and every header the user wrote (except the
hop-by-hop ones) are signed.  Headers the client adds later (Content-Length,
Cookie, Accept-Encoding, a form's Content-Type) are not: the signature lists
the headers it covers, so the server checks just those.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Generator
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from reqlab.auth import _sigv4 as v4
from reqlab.body import body_bytes, new_boundary
from reqlab.errors import InvalidRequest
from reqlab.model import BytesBody, Header, MultipartBody, Request

Clock = Callable[[], dt.datetime]
_DROP = ("authorization", "x-amz-date")


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _read(path: str) -> bytes:
    return Path(path).read_bytes()


def aws_url(url: str) -> str:
    """``url`` with its path and query encoded as AWS signs them."""
    parts = urlsplit(url)
    path = "/".join(quote(unquote(seg), safe="-_.~") for seg in (parts.path or "/").split("/"))
    query = v4.encode_query(v4.split_query(parts.query))
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return f"{parts.scheme}://{netloc}{path}" + (f"?{query}" if query else "")


class AWSSigV4:
    """AWS Signature Version 4 for ``auth=``.

    >>> auth = AWSSigV4("AKID", "SECRET", "us-east-1", "execute-api")
    >>> # client.get(url, auth=auth)  -> Authorization: AWS4-HMAC-SHA256 Credential=...

    ``session_token`` adds ``X-Amz-Security-Token``; ``unsigned_payload``
    signs ``UNSIGNED-PAYLOAD`` instead of the body's hash; ``expires`` (in
    seconds) presigns the URL instead of adding headers.  ``clock`` is for
    tests and for signing as of another time.
    """

    def __init__(
        self,
        access_key: str,
        secret_key: str,
        region: str,
        service: str,
        session_token: str | None = None,
        unsigned_payload: bool = False,
        *,
        expires: int | None = None,
        clock: Clock | None = None,
        read_file: Callable[[str], bytes] = _read,
    ) -> None:
        self.access_key = access_key
        self.secret_key = secret_key
        self.region = region
        self.service = service
        self.session_token = session_token
        self.unsigned_payload = unsigned_payload
        self.expires = expires
        self.clock = clock or _utcnow
        self.read_file = read_file

    def __repr__(self) -> str:
        token = ", session_token=***" if self.session_token else ""
        return (
            f"AWSSigV4(access_key={self.access_key!r}, secret_key=***, "
            f"region={self.region!r}, service={self.service!r}{token})"
        )

    @property
    def s3(self) -> bool:
        return self.service == "s3"

    def auth_flow(self, request: Request) -> Generator[Request, Any, Request]:
        """The client's hook: no side requests, just the signed request."""
        if self.expires is not None:
            return self.presign(request, self.expires)
        return self.sign(request)
        yield  # a generator, like every auth flow

    # -- the two modes
    def sign(self, request: Request) -> Request:
        """``request`` with the X-Amz-* headers and ``Authorization`` added."""
        request, now = self._prepared(request), self.clock()
        stamp = now.strftime(v4.TIMESTAMP_FORMAT)
        drop = (*_DROP, "x-amz-security-token") if self.session_token else _DROP
        headers = [h for h in request.headers if h[0].lower() not in drop]
        if request.has_header("date"):  # botocore keeps a Date header instead of X-Amz-Date
            # email.utils imports socket: loaded here, so the formats that
            # read --aws-sigv4 stay free of I/O modules (tests/workspace/test_layers.py)
            from email.utils import formatdate

            epoch = calendar.timegm(now.utctimetuple())
            headers = [h for h in headers if h[0].lower() != "date"] + [("Date", formatdate(epoch))]
        else:
            headers.append(("X-Amz-Date", stamp))
        if self.session_token:
            headers.append(("X-Amz-Security-Token", self.session_token))
        payload = self._payload(request)
        if self.s3 or self.unsigned_payload:
            headers = [h for h in headers if h[0].lower() != "x-amz-content-sha256"]
            headers.append(("X-Amz-Content-SHA256", payload))
        signed = self._signable(request, headers)
        sig, names = self._signature(
            request, stamp, v4.split_query(request.split_url.query), signed, payload
        )
        credential = f"{self.access_key}/{v4.scope(stamp[:8], self.region, self.service)}"
        value = f"{v4.ALGORITHM} Credential={credential}, SignedHeaders={names}, Signature={sig}"
        return replace(request, headers=(*headers, ("Authorization", value)), auth=None)

    def presign(self, request: Request, expires: int = 3600) -> Request:
        """``request`` with the signature in its query (a presigned URL)."""
        request, now = self._prepared(request), self.clock()
        stamp = now.strftime(v4.TIMESTAMP_FORMAT)
        headers = [h for h in request.headers if h[0].lower() != "authorization"]
        signed = self._signable(request, headers)
        _, names = v4.canonical_headers(signed)
        params = [
            ("X-Amz-Algorithm", v4.ALGORITHM),
            (
                "X-Amz-Credential",
                f"{self.access_key}/{v4.scope(stamp[:8], self.region, self.service)}",
            ),
            ("X-Amz-Date", stamp),
            ("X-Amz-Expires", str(expires)),
            ("X-Amz-SignedHeaders", names),
        ]
        if self.session_token:
            params.append(("X-Amz-Security-Token", self.session_token))
        own = v4.split_query(request.split_url.query)
        payload = v4.UNSIGNED_PAYLOAD if self.s3 else self._payload(request)
        sig, _ = self._signature(request, stamp, own + params, signed, payload)
        query = "&".join(q for q in (v4.encode_query(own), v4.encode_query(params)) if q)
        base = request.url.split("?", 1)[0]
        url = f"{base}?{query}&X-Amz-Signature={sig}"
        return replace(request, url=url, headers=tuple(headers), auth=None)

    # -- shared steps
    def _prepared(self, request: Request) -> Request:
        body = request.body
        if isinstance(body, MultipartBody) and body.boundary is None:
            body = replace(body, boundary=new_boundary())  # the hash must match what is sent
        return replace(request, url=aws_url(request.url), body=body)

    def _payload(self, request: Request) -> str:
        if self.unsigned_payload:
            return v4.UNSIGNED_PAYLOAD
        given = request.header("x-amz-content-sha256")
        if given and not self.s3:
            return given  # botocore signs a hash the caller computed
        body = request.body
        if isinstance(body, BytesBody) and body.data is None:
            return v4.sha256_hex(self.read_file(body.path or ""))
        return v4.sha256_hex(body_bytes(body, read_file=self.read_file))

    @staticmethod
    def _signable(request: Request, headers: list[Header]) -> list[Header]:
        signed = v4.signable(headers)
        if not any(n.lower() == "host" for n, _ in signed):
            signed.append(("host", request.split_url.netloc))
        return signed

    def _signature(
        self,
        request: Request,
        stamp: str,
        query: list[tuple[str, str]],
        headers: list[Header],
        payload: str,
    ) -> tuple[str, str]:
        uri = v4.canonical_uri(request.split_url.path or "/", self.s3)
        canonical, names = v4.canonical_request(
            request.method, uri, v4.canonical_query(query), headers, payload
        )
        scope = v4.scope(stamp[:8], self.region, self.service)
        to_sign = v4.string_to_sign(stamp, scope, canonical)
        return v4.signature(self.secret_key, stamp[:8], self.region, self.service, to_sign), names


def from_curl(spec: str, user: str | None, url: str) -> AWSSigV4:
    """curl's ``--aws-sigv4 "aws:amz[:REGION[:SERVICE]]"`` with ``-u KEY:SECRET``.

    As curl does, a missing region or service is read from a host named
    ``SERVICE.REGION.amazonaws.com``.
    """
    where = "option --aws-sigv4"
    parts = spec.split(":")
    if parts[0].lower() != "aws" or len(parts) > 4:
        raise InvalidRequest(
            where, f"{spec!r}: only the 'aws:amz:REGION:SERVICE' form is supported"
        )
    region, service = (parts[2:] + ["", ""])[:2]
    host = (urlsplit(url).hostname or "").split(".")
    if (not region or not service) and host[-2:] == ["amazonaws", "com"] and len(host) >= 4:
        service, region = service or host[-4], region or host[-3]
    if not region or not service:
        raise InvalidRequest(
            where, f"{spec!r}: give the region and service (aws:amz:REGION:SERVICE)"
        )
    key, colon, secret = (user or "").partition(":")
    if not key or not colon:
        raise InvalidRequest(where, "needs -u ACCESS_KEY:SECRET_KEY")
    return AWSSigV4(key, secret, region, service)

"""AWSSigV4 against botocore's own signer, byte for byte, on a table of requests.

Both sign the same request at the same fixed instant; the Authorization
header (headers mode) or the whole query (presigned mode) must be equal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import parse_qsl, urlsplit

import pytest

botocore_auth = pytest.importorskip("botocore.auth")
from botocore.awsrequest import AWSRequest, HTTPHeaders  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402

from reqlab.auth import AWSSigV4  # noqa: E402
from reqlab.auth._aws import aws_url  # noqa: E402
from reqlab.model import BytesBody, Request, TextBody  # noqa: E402

NOW = dt.datetime(2026, 12, 5, 20, 30, 15, tzinfo=dt.UTC)
KEY, SECRET = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ=="


@dataclass
class Case:
    name: str
    url: str
    method: str = "GET"
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    service: str = "execute-api"
    region: str = "us-east-1"
    token: str | None = None
    unsigned: bool = False
    expires: int | None = None


H = "https://example.amazonaws.com"
CASES = [
    Case("plain get", f"{H}/"),
    Case("empty path", "https://example.amazonaws.com"),
    Case("path", f"{H}/prod/items/42"),
    Case("trailing slash", f"{H}/prod/items/"),
    Case("space in path", f"{H}/my%20file.txt"),
    Case("unicode path", f"{H}/caf%C3%A9/%E2%82%AC"),
    Case("raw unicode path", f"{H}/café/日本"),
    Case("reserved chars", f"{H}/a:b/c@d/e!f/g$h/i'j(k)*l,m;n=o+p"),
    Case("encoded slash", f"{H}/a%2Fb/c"),
    Case("dot segments", f"{H}/a/./b/../c//d"),
    Case("tilde", f"{H}/~user/x"),
    Case("query sorted", f"{H}/?b=2&a=1&c=3"),
    Case("repeated query keys", f"{H}/?k=2&k=1&k=10&a=z"),
    Case("empty query values", f"{H}/?empty=&flag&x=1"),
    Case("query with spaces and unicode", f"{H}/?q=hello%20world&n=%C3%A9t%C3%A9&p=a%2Bb"),
    Case("query reserved", f"{H}/?redirect=https%3A%2F%2Fx.org%2F%3Fa%3Db&t=~._-"),
    Case("headers extra whitespace", f"{H}/", headers=[("X-Custom", "  a   b  c  ")]),
    Case("multi-valued header", f"{H}/", headers=[("X-Multi", "one"), ("x-multi", "two")]),
    Case("mixed case header", f"{H}/", headers=[("Content-TYPE", "application/json")]),
    Case("user agent not signed", f"{H}/", headers=[("User-Agent", "reqlab"), ("X-A", "1")]),
    Case("explicit host", f"{H}/", headers=[("Host", "example.amazonaws.com")]),
    Case("port in host", "http://127.0.0.1:8081/aws/verify"),
    Case(
        "post json body", f"{H}/items", "POST", [("Content-Type", "application/json")], b'{"a":1}'
    ),
    Case("put binary body", f"{H}/blob", "PUT", [], bytes(range(256))),
    Case("delete", f"{H}/items/1", "DELETE"),
    Case("patch body", f"{H}/items/1", "PATCH", [], b"patch me"),
    Case("session token", f"{H}/", token=TOKEN),
    Case("date header kept", f"{H}/", headers=[("Date", "Mon, 01 Jan 2001 00:00:00 GMT")]),
    Case(
        "other region/service",
        "https://sqs.eu-west-3.amazonaws.com/?Action=ListQueues",
        service="sqs",
        region="eu-west-3",
    ),
    Case("unsigned payload non-s3", f"{H}/up", "PUT", [], b"data", unsigned=True),
    Case("s3 get", "https://bucket.s3.amazonaws.com/key", service="s3"),
    Case(
        "s3 no double encoding", "https://bucket.s3.amazonaws.com/my%20key/caf%C3%A9", service="s3"
    ),
    Case("s3 dot segments kept", "https://bucket.s3.amazonaws.com/a/./b//c", service="s3"),
    Case("s3 put body", "https://bucket.s3.amazonaws.com/k", "PUT", [], b"hello", service="s3"),
    Case(
        "s3 unsigned payload",
        "https://bucket.s3.amazonaws.com/k",
        "PUT",
        [],
        b"x",
        service="s3",
        unsigned=True,
    ),
    Case(
        "s3 list query",
        "https://bucket.s3.amazonaws.com/?list-type=2&prefix=a%20b&acl",
        service="s3",
        token=TOKEN,
    ),
    Case("presign", f"{H}/prod/x", expires=3600),
    Case("presign query", f"{H}/p?z=1&a=%C3%A9", expires=60),
    Case("presign token", f"{H}/", token=TOKEN, expires=900),
    Case(
        "presign s3",
        "https://bucket.s3.amazonaws.com/photos/caf%C3%A9.jpg",
        service="s3",
        expires=604800,
    ),
    Case(
        "presign s3 with header",
        "https://bucket.s3.amazonaws.com/k",
        service="s3",
        headers=[("X-Amz-Meta-A", " b  c ")],
        expires=300,
    ),
    Case("presign put", f"{H}/x", "PUT", [("X-Amz-Meta-K", "v")], expires=10),
]


def botocore_sign(case: Case, monkeypatch: pytest.MonkeyPatch) -> AWSRequest:
    monkeypatch.setattr(botocore_auth, "get_current_datetime", lambda: NOW.replace(tzinfo=None))
    headers = HTTPHeaders()
    for name, value in case.headers:
        headers.add_header(name, value)
    request = AWSRequest(method=case.method, url=aws_url(case.url), data=case.body)
    request.headers = headers
    if case.unsigned:
        request.context["payload_signing_enabled"] = False
        request.context["client_config"] = SimpleNamespace(s3={"payload_signing_enabled": False})
    creds = Credentials(KEY, SECRET, case.token)
    s3 = case.service == "s3"
    signer: botocore_auth.SigV4Auth
    if case.expires is not None:
        cls = botocore_auth.S3SigV4QueryAuth if s3 else botocore_auth.SigV4QueryAuth
        signer = cls(creds, case.service, case.region, expires=case.expires)
    else:
        cls = botocore_auth.S3SigV4Auth if s3 else botocore_auth.SigV4Auth
        signer = cls(creds, case.service, case.region)
    signer.add_auth(request)
    return request


def reqlab_sign(case: Case) -> Request:
    auth = AWSSigV4(
        KEY,
        SECRET,
        case.region,
        case.service,
        case.token,
        case.unsigned,
        expires=case.expires,
        clock=lambda: NOW,
    )
    body = BytesBody(case.body) if case.body else None
    request = Request(case.method, case.url, headers=tuple(case.headers), body=body)
    flow = auth.auth_flow(request)
    with pytest.raises(StopIteration) as stop:
        next(flow)
    signed: Request = stop.value.value
    return signed


def test_the_table_is_large_enough() -> None:
    assert len(CASES) >= 30
    assert {c.service == "s3" for c in CASES} == {True, False}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_same_signature_as_botocore(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    theirs = botocore_sign(case, monkeypatch)
    ours = reqlab_sign(case)
    if case.expires is not None:
        assert sorted(parse_qsl(urlsplit(ours.url).query, keep_blank_values=True)) == sorted(
            parse_qsl(urlsplit(theirs.url).query, keep_blank_values=True)
        )
        assert ours.header("authorization") is None
    else:
        assert ours.header("authorization") == theirs.headers["Authorization"]
        ours_headers = sorted((n.lower(), v) for n, v in ours.headers)
        theirs_headers = sorted((n.lower(), v) for n, v in theirs.headers.items())
        assert ours_headers == theirs_headers
    assert urlsplit(ours.url).path == urlsplit(theirs.url).path


def test_text_body_hashes_its_utf8_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    case = Case("text", f"{H}/t", "POST", [], "héllo".encode())
    theirs = botocore_sign(case, monkeypatch)
    auth = AWSSigV4(KEY, SECRET, "us-east-1", "execute-api", clock=lambda: NOW)
    ours = auth.sign(Request("POST", case.url, body=TextBody("héllo")))
    assert ours.header("authorization") == theirs.headers["Authorization"]


def test_repr_masks_the_secrets() -> None:
    auth = AWSSigV4(KEY, SECRET, "us-east-1", "s3", session_token=TOKEN)
    assert SECRET not in repr(auth) and TOKEN not in repr(auth)
    assert KEY in repr(auth)

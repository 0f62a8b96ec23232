"""AWSSigV4 end to end: reqlab's clients sign, reqlab echo verifies and says why not."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator

import httpx
import pytest

import reqlab
from reqlab.auth import AWSSigV4
from reqlab.echo.server import default_handler
from reqlab.echo.sigv4 import sigv4_handler
from reqlab.echo.testing import EchoHandle, start_echo_server

KEY, SECRET = "AKIDREQLAB", "s3cr3t/KEY+value"
TOKEN = "FwoGZXIvYXdzEJr//////////token"


@pytest.fixture(scope="module")
def aws_echo() -> Iterator[EchoHandle]:
    handler = sigv4_handler({KEY: SECRET}, default_handler())
    with start_echo_server(handler=handler) as handle:
        yield handle


def auth(**kw: object) -> AWSSigV4:
    return AWSSigV4(
        KEY, kw.pop("secret", SECRET), "eu-west-1", kw.pop("service", "execute-api"), **kw
    )  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "path",
    ["/aws/verify", "/aws/verify/café/a%20b?z=1&a=%C3%A9&a=0&flag", "/aws/verify/x:y/(1)!*"],
)
def test_signed_requests_verify(aws_echo: EchoHandle, path: str) -> None:
    with reqlab.Client(auth=auth()) as client:
        r = client.post(aws_echo.url + path, json={"n": 1}, headers={"X-Trace": "  a   b "})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["valid"] is True and body["service"] == "execute-api"
    assert "x-trace" in body["signed_headers"] and "x-amz-date" in body["signed_headers"]


def test_s3_session_token_and_unsigned_payload(aws_echo: EchoHandle) -> None:
    a = auth(service="s3", session_token=TOKEN, unsigned_payload=True)
    r = reqlab.put(aws_echo.url + "/aws/verify/bucket/my%20key", content=b"data", auth=a)
    assert r.status_code == 200, r.text
    sent = dict((n.lower(), v) for n, v in r.exchange.request_headers)
    assert sent["x-amz-security-token"] == TOKEN
    assert sent["x-amz-content-sha256"] == "UNSIGNED-PAYLOAD"


def test_presigned_url_verifies_and_expires(aws_echo: EchoHandle) -> None:
    r = reqlab.get(aws_echo.url + "/aws/verify/obj?v=1", auth=auth(service="s3", expires=60))
    assert r.status_code == 200, r.text
    assert "X-Amz-Signature=" in r.url and r.exchange.header("authorization") is None
    old = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=120)
    r = reqlab.get(aws_echo.url + "/aws/verify/obj", auth=auth(expires=60, clock=lambda: old))
    assert r.status_code == 403
    assert r.json()["error"].startswith("the presigned URL expired at ")


def test_async_client_signs_too(aws_echo: EchoHandle) -> None:
    async def go() -> int:
        async with reqlab.AsyncClient(auth=auth()) as client:
            r = await client.delete(aws_echo.url + "/aws/verify/item/7")
            return r.status_code

    assert asyncio.run(go()) == 200


def test_clock_skew_is_named(aws_echo: EchoHandle) -> None:
    skewed = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=20)
    r = reqlab.get(aws_echo.url + "/aws/verify", auth=auth(clock=lambda: skewed))
    assert r.status_code == 403
    error = r.json()["error"]
    assert error.startswith("clock skew: the request was signed at ")
    assert "20 min from the server's time" in error and "check the client's clock" in error


def test_wrong_secret_shows_the_canonical_request(aws_echo: EchoHandle) -> None:
    r = reqlab.get(aws_echo.url + "/aws/verify?a=1", auth=auth(secret="wrong"))
    assert r.status_code == 403
    body = r.json()
    assert body["error"].startswith("the signature does not match")
    assert body["canonical_request"].startswith("GET\n/aws/verify\na=1\n")
    assert "wrong" not in r.text and SECRET not in r.text


def test_unknown_key_and_unsigned(aws_echo: EchoHandle) -> None:
    other = AWSSigV4("AKIDOTHER", SECRET, "eu-west-1", "sqs")
    assert reqlab.get(aws_echo.url + "/aws/verify", auth=other).json()["error"] == (
        "unknown access key 'AKIDOTHER'"
    )
    r = reqlab.get(aws_echo.url + "/aws/verify")
    assert r.status_code == 403 and "no AWS4-HMAC-SHA256" in r.json()["error"]
    assert reqlab.get(aws_echo.url + "/get").status_code == 200  # other endpoints unchanged


def test_botocore_signed_request_verifies(aws_echo: EchoHandle) -> None:
    """A second implementation: the verifier accepts what botocore signs."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    url = aws_echo.url + "/aws/verify/some%20path?b=2&a=1"
    request = AWSRequest(method="POST", url=url, data=b"hello", headers={"X-Custom": "v"})
    SigV4Auth(Credentials(KEY, SECRET, TOKEN), "execute-api", "eu-west-1").add_auth(request)
    r = httpx.post(url, content=b"hello", headers=dict(request.headers.items()))
    assert r.status_code == 200, r.text

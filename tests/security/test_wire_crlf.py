"""Issue 15 item 2: CR LF injection through headers reqlab builds itself.

The payloads are the issue's: a multipart boundary ``zz\\r\\nX-Injected: 1``
and a digest user name holding CR LF.  Each is refused where the value is
made (the model), and, should one get past the model, at the one place the
header list is finalised (:func:`reqlab.body.prepare`): the echo server's
``/echo/raw`` shows what reached the wire.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from reqlab.body import prepare
from reqlab.client import Client
from reqlab.echo._types import EchoRequest, EchoResponse
from reqlab.echo.endpoints import handle
from reqlab.echo.testing import EchoHandle, start_echo_server
from reqlab.errors import InvalidRequest
from reqlab.model import DigestAuth, MultipartBody, MultipartField, MultipartFile, Request

BOUNDARY = "zz\r\nX-Injected: 1"
USERNAME = "user\r\nX-Injected: 1"


@pytest.fixture
def recorded() -> Iterator[tuple[EchoHandle, list[bytes]]]:
    """An echo server that also keeps the raw head of every request it got."""
    heads: list[bytes] = []

    async def recording(request: EchoRequest) -> EchoResponse:
        heads.append(request.raw_head or b"")
        return await handle(request)

    with start_echo_server(handler=recording) as echo:
        yield echo, heads


def _smuggle(obj: object, name: str, value: str) -> None:
    """Put a value past the model's own check, to prove the second gate holds."""
    object.__setattr__(obj, name, value)


def test_boundary_with_crlf_is_refused_by_the_model() -> None:
    with pytest.raises(InvalidRequest) as info:
        MultipartBody((MultipartField("a", "1"),), boundary=BOUNDARY)
    assert info.value.field == "body.boundary"


def test_boundary_past_the_model_never_reaches_the_wire(
    recorded: tuple[EchoHandle, list[bytes]],
) -> None:
    echo, heads = recorded
    body = MultipartBody((MultipartField("a", "1"),), boundary="ok")
    _smuggle(body, "boundary", BOUNDARY)
    request = Request("POST", echo.url + "/echo/raw", body=body)
    with Client() as client, pytest.raises(InvalidRequest, match="CR, LF or NUL"):
        client.send(request)
    with pytest.raises(InvalidRequest):
        prepare(Request("POST", echo.url, body=MultipartBody(())), boundary=BOUNDARY)
    assert heads == []


def test_a_good_boundary_is_sent_as_given(recorded: tuple[EchoHandle, list[bytes]]) -> None:
    echo, _ = recorded
    body = MultipartBody((MultipartField("a", "1"),), boundary="zz-1")
    with Client() as client:
        raw = client.send(Request("POST", echo.url + "/echo/raw", body=body)).content
    assert b"Content-Type: multipart/form-data; boundary=zz-1\r\n" in raw
    assert b"X-Injected" not in raw


def test_part_headers_cannot_be_injected(recorded: tuple[EchoHandle, list[bytes]]) -> None:
    echo, _ = recorded
    with pytest.raises(InvalidRequest):
        MultipartFile("f", "a.txt", "text/plain\r\nX-Injected: 1", data=b"x")
    body = MultipartBody((MultipartFile("f", 'a"\r\nX-Injected: 1.txt', data=b"x"),))
    with Client() as client:
        raw = client.send(Request("POST", echo.url + "/echo/raw", body=body)).content
    assert b'filename="a%22%0D%0AX-Injected: 1.txt"' in raw
    assert b"\r\nX-Injected" not in raw


def test_digest_username_with_crlf_is_refused_by_the_model() -> None:
    with pytest.raises(InvalidRequest) as info:
        DigestAuth(USERNAME, "pw")
    assert info.value.field == "auth.username"


def test_digest_answer_past_the_model_never_reaches_the_wire(
    recorded: tuple[EchoHandle, list[bytes]],
) -> None:
    echo, heads = recorded
    auth = DigestAuth("user", "pw")
    _smuggle(auth, "username", USERNAME)
    request = Request("GET", echo.url + "/digest-auth/auth/user/pw", auth=auth)
    with Client() as client, pytest.raises(InvalidRequest, match="Authorization"):
        client.send(request)
    # Only the first, unauthenticated request went out; the answer to the
    # challenge was stopped before a byte of it was written.
    assert len(heads) == 1
    assert b"Authorization" not in heads[0] and b"X-Injected" not in heads[0]


def test_digest_quotes_in_a_username_stay_inside_the_parameter(
    recorded: tuple[EchoHandle, list[bytes]],
) -> None:
    echo, heads = recorded
    auth = DigestAuth('us"er', "pw")
    with Client() as client:
        client.send(Request("GET", echo.url + "/digest-auth/auth/x/pw", auth=auth))
    assert b'username="us\\"er"' in heads[-1]


def test_cli_digest_username_with_crlf_is_one_line_exit_2(
    recorded: tuple[EchoHandle, list[bytes]],
) -> None:
    echo, heads = recorded
    proc = subprocess.run(
        [sys.executable, "-m", "reqlab", "send", "--digest", "-u", USERNAME + ":pw", echo.url],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "auth.username" in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr
    assert heads == []


def test_the_issue_payload_through_the_web_api_json_is_refused_by_name() -> None:
    """The workbench builds its Request from JSON; the boundary is refused there too."""
    from reqlab.web.serialize import request_from_json

    payload = {
        "method": "POST",
        "url": "http://127.0.0.1:1/echo/raw",
        "body": {"kind": "multipart", "boundary": BOUNDARY, "parts": [{"name": "a", "value": "1"}]},
    }
    with pytest.raises(InvalidRequest) as info:
        request_from_json(payload)
    assert info.value.field == "body.boundary"
    digest = {"method": "GET", "url": "http://127.0.0.1:1/", "auth": {"scheme": "digest"}}
    digest["auth"] = {"scheme": "digest", "username": USERNAME, "password": "pw"}
    with pytest.raises(InvalidRequest, match="auth.username"):
        request_from_json(digest)

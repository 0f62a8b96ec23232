"""Issue 15 item 10: one decoding rule for header bytes on every echo endpoint
(UTF-8 when the bytes are UTF-8, else one character per byte), and cookie
values written as RFC 6265 allows (percent-encoded outside cookie-octet)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from reqlab.echo.testing import EchoHandle, RawConnection, start_echo_server


@pytest.fixture(scope="module")
def echo() -> Iterator[EchoHandle]:
    with start_echo_server() as handle:
        yield handle


def _get(echo: EchoHandle, path: str, headers: bytes) -> tuple[bytes, dict[str, object]]:
    with RawConnection("127.0.0.1", echo.port) as conn:
        conn.send(b"GET " + path.encode() + b" HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n")
        response = conn.read_response()
    json_answer = (response.header("content-type") or "").startswith("application/json")
    body = json.loads(response.body) if json_answer else {}
    return response.raw_head, body


# (the bytes on the wire, the text every endpoint must show)
CASES = [(b"Zo\xc3\xab", "Zo\u00eb"), (b"caf\xe9", "caf\u00e9")]


@pytest.mark.parametrize(("raw", "text"), CASES)
def test_every_endpoint_decodes_header_bytes_alike(echo: EchoHandle, raw: bytes, text: str) -> None:
    head = b"Authorization: Bearer " + raw + b"\r\nCookie: c=" + raw + b"\r\nUser-Agent: " + raw
    head += b"\r\nX-T: " + raw + b"\r\n"
    seen = {
        "/bearer": _get(echo, "/bearer", head)[1]["token"],
        "/cookies": _get(echo, "/cookies", head)[1]["cookies"]["c"],  # type: ignore[index]
        "/headers": _get(echo, "/headers", head)[1]["headers"]["X-T"],  # type: ignore[index]
        "/anything": _get(echo, "/anything", head)[1]["headers"]["X-T"],  # type: ignore[index]
        "/user-agent": _get(echo, "/user-agent", head)[1]["user-agent"],
        "/echo": dict(_get(echo, "/echo", head)[1]["headers"])["X-T"],  # type: ignore[call-overload]
    }
    assert seen == dict.fromkeys(seen, text)


@pytest.mark.parametrize(
    ("query", "cookie"),
    [
        ("c=%C3%A9", b"c=%C3%A9"),  # the UTF-8 the client sent, percent-encoded
        ("b=x%20y", b"b=x%20y"),  # a space is outside cookie-octet
        ("q=%22a%2Cb%5C", b"q=%22a%2Cb%5C"),  # quote, comma, backslash
        ("plain=oat", b"plain=oat"),
    ],
)
def test_set_cookie_values_are_rfc6265_cookie_octets(
    echo: EchoHandle, query: str, cookie: bytes
) -> None:
    raw_head, _ = _get(echo, "/cookies/set?" + query, b"")
    assert b"\r\nSet-Cookie: " + cookie + b"; Path=/\r\n" in raw_head

"""The seed page's persistent-connection table, as tests of the pure rules."""

import pytest

from reqlab.model import Options, Request
from reqlab.protocol.keepalive import (
    KeepAlive,
    connection_tokens,
    exchange_persists,
    format_keep_alive,
    h2_forbidden,
    lint,
    lint_response,
    message_persists,
    parse_keep_alive,
)


@pytest.mark.parametrize(
    "version, connection, persists",
    [
        ("HTTP/1.0", None, False),
        ("HTTP/1.0", "keep-alive", True),
        ("HTTP/1.0", "Keep-Alive", True),
        ("HTTP/1.0", "close", False),
        ("HTTP/1.0", "keep-alive, close", False),
        ("HTTP/1.1", None, True),
        ("HTTP/1.1", "keep-alive", True),
        ("HTTP/1.1", "CLOSE", False),
        ("HTTP/1.1", "Upgrade, close", False),
        ("HTTP/1.1", "upgrade", True),
        ("HTTP/2", None, True),
    ],
)
def test_message_persists(version, connection, persists):
    headers = [("Connection", connection)] if connection else []
    assert message_persists(version, headers) is persists


def test_tokens_across_several_connection_headers():
    headers = [("Connection", "keep-alive"), ("connection", " Close ,x")]
    assert connection_tokens(headers) == {"keep-alive", "close", "x"}
    assert not message_persists("HTTP/1.1", headers)


def test_exchange_needs_both_sides():
    ka = [("Connection", "keep-alive")]
    assert exchange_persists("HTTP/1.0", ka, "HTTP/1.1", ka)
    assert not exchange_persists("HTTP/1.0", ka, "HTTP/1.0", [])
    assert not exchange_persists("HTTP/1.1", [], "HTTP/1.1", [("Connection", "close")])


@pytest.mark.parametrize(
    "value, parsed",
    [
        ("timeout=5, max=100", KeepAlive(5, 100)),
        ("timeout=5", KeepAlive(5, None)),
        ("MAX=3,Timeout=15", KeepAlive(15, 3)),
        ('timeout="7"', KeepAlive(7, None)),
        ("", None),
        (None, None),
    ],
)
def test_parse_keep_alive(value, parsed):
    assert parse_keep_alive(value) == parsed


def test_format_keep_alive_round_trips():
    assert format_keep_alive(5, 100) == "timeout=5, max=100"
    assert parse_keep_alive(format_keep_alive(5, 99)) == KeepAlive(5, 99)


def test_h2_forbidden_headers():
    headers = [
        ("Connection", "keep-alive"),
        ("Keep-Alive", "timeout=5"),
        ("TE", "trailers"),
        ("te", "gzip"),
        ("Upgrade", "h2c"),
        ("Transfer-Encoding", "chunked"),
        ("Proxy-Connection", "x"),
        ("Accept", "*/*"),
    ]
    assert h2_forbidden(headers) == [
        "Connection",
        "Keep-Alive",
        "te",
        "Upgrade",
        "Transfer-Encoding",
        "Proxy-Connection",
    ]


def codes(req):
    return {w.code for w in lint(req)}


def test_lint_seed_requests():
    seed10 = Request(
        "GET",
        "http://h/echo",
        version="HTTP/1.0",
        headers=(("Connection", "keep-alive"), ("Keep-Alive", "timeout=5, max=100")),
    )
    assert "http10-no-keep-alive" not in codes(seed10)
    assert "keep-alive-advisory" in codes(seed10)
    seed11 = seed10.replace(version="HTTP/1.1")
    assert "redundant-keep-alive" in codes(seed11)
    h2 = seed10.replace(version="HTTP/2")
    warnings = lint(h2)
    assert [w.code for w in warnings] == ["h2-connection-headers"]
    assert "Safari" in warnings[0].message


def test_lint_http10_without_keep_alive():
    assert "http10-no-keep-alive" in codes(Request("GET", "http://h/", version="HTTP/1.0"))
    off = Request("GET", "http://h/", version="HTTP/1.0", options=Options(keep_alive=False))
    assert codes(off) == set()


def test_lint_clean_request_has_no_warnings():
    assert lint(Request("GET", "http://h/")) == []


def test_lint_response_h2_connection_headers():
    assert [w.code for w in lint_response("HTTP/2", [("connection", "keep-alive")])] == [
        "h2-response-connection-headers"
    ]
    assert lint_response("HTTP/2", [("content-type", "text/plain")]) == []


def test_protocol_core_imports_no_io():
    import ast
    import pathlib

    import reqlab.protocol as pkg

    for path in pathlib.Path(pkg.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert name.split(".")[0] not in {"socket", "ssl", "asyncio", "selectors"}, (
                    path.name,
                    name,
                )


def test_parse_keep_alive_tolerates_decimal_timeouts():
    assert parse_keep_alive("timeout=1.5, max=9") == KeepAlive(1.5, 9)
    assert parse_keep_alive("timeout=1.x") == KeepAlive(None, None, (("timeout", "1.x"),))

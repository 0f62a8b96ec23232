"""The pieces of ``reqlab send`` that need no server: rendering (items: tests/cli/test_send_items.py)."""

from __future__ import annotations

import io

from rich.console import Console

from reqlab.cli._render import BAR_WIDTH, pretty_body, show_exchange, waterfall
from reqlab.client import ConnectionInfo, Exchange, KeepAliveInfo, Timings


def _exchange(**timings: float) -> Exchange:
    return Exchange(
        method="GET",
        url="http://a/",
        version="HTTP/1.1",
        request_headers=[("Host", "a")],
        request_raw=b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        request_body=b"",
        added=("Host",),
        status=200,
        reason="OK",
        response_version="HTTP/1.1",
        response_headers=[("Content-Type", "application/json")],
        body=b'{"a":[1]}',
        connection=ConnectionInfo(3, True, "l:1", "r:2", requests=4),
        timings=Timings(**timings),
        keep_alive=KeepAliveInfo(True, 5, 99),
    )


def test_waterfall_is_proportional():
    line = waterfall(_exchange(connect=10, wait=30, receive=0.01, total=40)).plain
    bars = line[:BAR_WIDTH]
    assert bars.count("█") == BAR_WIDTH  # connect + wait + a sliver of receive fill the bar
    assert "connect 10.00" in line and "wait 30.00" in line and "= 40.00 ms" in line


def test_show_exchange_text():
    out = io.StringIO()
    show_exchange(Console(file=out, width=200), _exchange(wait=1, total=2), verbose=True)
    text = out.getvalue()
    assert "GET / HTTP/1.1\nHost: a" in text and "added by reqlab: Host" in text
    assert "connection #3 reused (request 4 on it)" in text
    assert "keep-alive: persistent, timeout=5, max=99" in text
    assert '"a": [\n    1\n  ]' in text


def test_pretty_body_kinds():
    assert pretty_body(b'{"a":1}', "application/json; charset=utf-8") == ('{\n  "a": 1\n}', "json")
    xml, lexer = pretty_body(b"<a><b>1</b></a>", "application/xml")
    assert lexer == "xml" and "  <b>1</b>" in xml
    assert pretty_body(b"\xff\xfe\x00", "application/octet-stream")[0].startswith(
        "[binary body, 3 bytes"
    )
    assert pretty_body(b"<p>hi</p>", "text/html") == ("<p>hi</p>", "html")

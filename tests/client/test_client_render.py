"""The pieces of ``reqlab send`` that need no server: items and rendering."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from reqlab.cli._items import normalise_url, parse_items, split_item
from reqlab.cli._render import BAR_WIDTH, pretty_body, show_exchange, waterfall
from reqlab.client import ConnectionInfo, Exchange, KeepAliveInfo, Timings
from reqlab.errors import InvalidRequest


@pytest.mark.parametrize(
    "item,expected",
    [
        ("X-A:1", ("X-A", ":", "1")),
        ("q==a=b", ("q", "==", "a=b")),
        ("n:=3", ("n", ":=", "3")),
        ("f=@x.txt", ("f", "=@", "x.txt")),
        ("j:=@x.json", ("j", ":=@", "x.json")),
        ("up@x.bin", ("up", "@", "x.bin")),
        ("url=http://x:1/", ("url", "=", "http://x:1/")),
        ("a\\:b=c", ("a:b", "=", "c")),
    ],
)
def test_split_item(item, expected):
    assert split_item(item) == expected


def test_parse_items_and_errors(tmp_path):
    items = parse_items(["H:v", "p==1", "s=t", "n:=[1]"])
    assert items.headers == [("H", "v")] and items.params == [("p", "1")]
    assert items.data == [("s", "t"), ("n", [1])]
    with pytest.raises(InvalidRequest, match="not valid JSON"):
        parse_items(["n:=nope"])
    with pytest.raises(InvalidRequest, match="expected Header:value"):
        parse_items(["plain"])


def test_normalise_url():
    assert normalise_url(":8081/echo") == "http://localhost:8081/echo"
    assert normalise_url(":8081") == "http://localhost:8081/"
    assert normalise_url("example.org/x") == "http://example.org/x"
    assert normalise_url("https://a/") == "https://a/"


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

"""The assertion engine: Hurl's typing rules, predicates, filters, queries
(over recorded exchanges), and reqlab's wire queries on real connections."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reqlab.client import ConnectionInfo, Exchange, KeepAliveInfo, TLSInfo
from reqlab.echo.testing import EchoHandle, start_echo_server
from reqlab.formats.hurl import parse
from reqlab.runner import _filters, _predicates, run
from reqlab.runner._evaluate import check
from reqlab.runner._queries import Context, run_query
from reqlab.runner._values import NONE, Nodeset, describe, from_text


def exchange(body: bytes = b"", headers: list[tuple[str, str]] | None = None) -> Exchange:
    return Exchange(
        method="GET",
        url="http://127.0.0.1/x",
        version="HTTP/1.1",
        request_headers=[],
        request_raw=None,
        request_body=b"",
        added=(),
        status=200,
        reason="OK",
        response_version="HTTP/1.1",
        response_headers=headers or [],
        body=body,
        connection=ConnectionInfo(
            7, True, "127.0.0.1:5000", "127.0.0.1:80", TLSInfo("TLSv1.3", "X", "h2")
        ),
        keep_alive=KeepAliveInfo(True, 5, 99),
    )


@pytest.mark.parametrize(
    ("name", "actual", "expected", "holds"),
    [
        ("==", 2, 2.0, True),  # integers and floats compare by value
        ("==", "2", 2, False),  # other types never equal across types
        ("==", True, 1, False),
        ("==", None, None, True),
        ("!=", "a", "b", True),
        (">", 3, 2.5, True),
        ("<", "apple", "banana", True),
        ("startsWith", b"\x01\x02", b"\x01", True),
        ("contains", [1, 2], 2, True),
        ("includes", ["a"], "b", False),
        ("matches", "abc123", r"\d+$", True),
    ],
)
def test_predicates_follow_hurl_typing(name: str, actual: Any, expected: Any, holds: bool) -> None:
    assert _predicates.check(name, False, actual, expected)[0] is holds
    assert _predicates.check(name, True, actual, expected)[0] is (not holds)


def test_unary_predicates_and_no_value() -> None:
    assert _predicates.check("isInteger", False, 1, None)[0]
    assert not _predicates.check("isInteger", False, True, None)[0]
    assert _predicates.check("isFloat", False, 1.0, None)[0]
    assert _predicates.check("isEmpty", False, Nodeset(()), None)[0]
    assert _predicates.check("isIsoDate", False, "2023-01-23T18:25:43.511Z", None)[0]
    assert _predicates.check("exists", True, NONE, None)[0]  # "not exists" on no value
    assert not _predicates.check("==", False, NONE, 1)[0]


def test_type_errors_are_errors_not_verdicts() -> None:
    with pytest.raises(Exception, match="cannot compare"):
        _predicates.check(">", False, "a", 1)


@pytest.mark.parametrize(
    ("name", "value", "args", "out"),
    [
        ("count", [1, 2, 3], [], 3),
        ("nth", ["a", "b"], [-1], "b"),
        ("split", "a,b", [","], ["a", "b"]),
        ("replace", "a.b", [".", "-"], "a-b"),
        ("replaceRegex", "a1b22", [r"\d+", "#"], "a#b#"),
        ("regex", "Hello Bob!", ["Hello (.*)!"], "Bob"),
        ("toInt", "12", [], 12),
        ("toFloat", "1.5", [], 1.5),
        ("urlEncode", "a b/c?", [], "a%20b/c%3F"),
        ("urlDecode", "a%20b", [], "a b"),
        ("base64Decode", "aGk=", [], b"hi"),
        ("base64Encode", b"hi", [], "aGk="),
        ("htmlEscape", "<a>", [], "&lt;a&gt;"),
        ("htmlUnescape", "&#62;", [], ">"),
        ("jsonpath", '{"a": [1]}', ["$.a[0]"], 1),
        ("first", [1, 2], [], 1),
        ("last", [1, 2], [], 2),
        ("toHex", b"\x01", [], "01"),
        ("urlQueryParam", "http://h/?a=1&b=2", ["b"], "2"),
    ],
)
def test_filters(name: str, value: Any, args: list[Any], out: Any) -> None:
    assert _filters.apply(name, value, args) == out


def test_filter_on_no_value_is_an_error() -> None:
    with pytest.raises(Exception, match="no value"):
        _filters.apply("count", NONE, [])


@pytest.mark.parametrize(
    ("body", "ctype"),
    [
        (b'{"a": [1, 2.5, "\\u00e9", null, true]}', "application/json"),
        (b'{"n": NaN, "i": Infinity}', "application/json"),  # orjson refuses these
        (b'{"big": 123456789012345678901234567890}', "application/json"),  # beyond 64 bits
        (b"[9223372036854775807, -9223372036854775808, 18446744073709551616]", "application/json"),
        (b"[1.7976931348623157e308, 5e-324, 0.1000000000000000055511151231257827]", "text/plain"),
        (b"[1e400, -0, -0.0, 1E5]", "application/json"),
        (b'{"s": "\\ud800"}', "application/json"),  # a lone surrogate
        (b'{"k": 1, "k": 2}', "application/json; charset=UTF-8"),  # the last one wins
        ('{"s": "\u00e9"}'.encode("latin-1"), "application/json; charset=latin-1"),
    ],
)
def test_json_bodies_read_as_the_standard_library_reads_them(body: bytes, ctype: str) -> None:
    """Exact integers beyond 64 bits, NaN, surrogates, repeated keys, the
    declared charset: a faster parser must not change any of these."""
    import json

    ctx = Context(exchange(body, [("Content-Type", ctype)]), [], {})
    expected = json.loads(body.decode(ctype.partition("charset=")[2] or "utf-8"))
    assert json.dumps(ctx.json()) == json.dumps(expected)  # NaN == NaN as text


@pytest.mark.parametrize("body", [b"{", b"\xef\xbb\xbf{}", b"\xff{}", b""])
def test_a_body_that_is_not_json_is_an_error(body: bytes) -> None:
    from reqlab.runner._values import EvalError

    ctx = Context(exchange(body, [("Content-Type", "application/json")]), [], {})
    with pytest.raises(EvalError, match="not valid"):
        ctx.json()


def test_queries_over_a_recorded_exchange() -> None:
    ex = exchange(
        b'{"a": [1, 2], "s": "x"}',
        [
            ("Content-Type", "application/json"),
            ("Set-Cookie", "sid=abc; Path=/; HttpOnly"),
            ("X-M", "1"),
            ("X-M", "2"),
        ],
    )
    ctx = Context(ex, [], {"v": 1})
    assert run_query("jsonpath", "$.a", ctx) == [1, 2]
    assert run_query("jsonpath", "$.nothing", ctx) is NONE
    assert run_query("header", "x-m", ctx) == ["1", "2"]
    assert run_query("cookie", "sid", ctx) == "abc"
    assert run_query("cookie", "sid[HttpOnly]", ctx) is True
    assert run_query("variable", "v", ctx) == 1
    assert run_query("version", None, ctx) == "1.1"
    assert run_query("connection reused", None, ctx) is True
    assert run_query("connection id", None, ctx) == 7
    assert run_query("keep-alive timeout", None, ctx) == 5
    assert run_query("tls alpn", None, ctx) == "h2"


def test_assert_outcome_shows_actual_and_expected_as_hurl() -> None:
    hurl = parse('GET http://h\nHTTP 200\n[Asserts]\njsonpath "$.s" == 1\n', "t.hurl")
    response = hurl.entries[0].response
    assert response is not None
    ctx = Context(exchange(b'{"s": "x"}'), [], {})
    outcome = check(response.asserts[0], ctx, Path("."))
    assert not outcome.ok
    assert (outcome.actual, outcome.expected) == ("string <x>", "integer <1>")
    assert describe(b"\x00\xff") == "bytes <00ff>"


def test_variables_from_text_are_typed() -> None:
    assert [from_text(t) for t in ("1", "1.5", "true", "null", "x", "1.2.3")] == [
        1,
        1.5,
        True,
        None,
        "x",
        "1.2.3",
    ]


def test_wire_queries_on_real_connections(echo: EchoHandle, tmp_path: Path) -> None:
    """The extension no other runner has: the second entry reuses the
    connection, the keep-alive terms are the server's."""
    path = tmp_path / "wire.hurl"
    path.write_text(
        "GET {{base}}/echo\nHTTP 200\n[Asserts]\nconnection reused == false\n"
        "connection id == 1\ntiming connect >= 0\ntiming total < 5000\n"
        "GET {{base}}/echo\nHTTP 200\n[Asserts]\nconnection reused == true\n"
        "connection id == 1\ntiming connect == 0\ntiming dns == 0\n"
        "keep-alive persistent == true\nkeep-alive timeout == 5\n"
    )
    result = run(str(path), variables={"base": echo.url})
    f = result.files[0]
    assert f.ok, [a for e in f.entries for a in e.failed_asserts]
    assert (f.requests, f.reused, f.connections) == (2, 1, 1)


def test_tls_and_certificate_queries(tmp_path: Path) -> None:
    with start_echo_server(tls=True) as server:
        assert server.tls_url is not None
        path = tmp_path / "tls.hurl"
        path.write_text(
            "GET {{base}}/echo\n[Options]\ninsecure: true\nHTTP 200\n[Asserts]\n"
            'tls version startsWith "TLSv1"\ntls cipher exists\n'
            'certificate "Expire-Date" daysAfterNow > 0\n'
        )
        result = run(str(path), variables={"base": server.tls_url})
    f = result.files[0]
    assert f.ok, [(a.text, a.actual, a.error) for e in f.entries for a in e.asserts]


def test_certificate_names_print_as_openssl_one_line() -> None:
    from reqlab.runner._queries import openssl_name

    assert openssl_name("CN=host,O=Acme\\, Inc.,C=FR") == "C = FR, O = Acme, Inc., CN = host"
    assert openssl_name("countryName=FR, commonName=host") == "C = FR, CN = host"


def test_bad_option_values_are_runtime_errors_at_their_position(
    echo: EchoHandle, tmp_path: Path
) -> None:
    path = tmp_path / "opt.hurl"
    path.write_text("GET {{base}}/echo\n[Options]\nretry: {{n}}\nHTTP 200\n")
    result = run(str(path), variables={"base": echo.url, "n": "often"})
    entry = result.files[0].entries[0]
    assert (entry.error, entry.error_pos) == ("option retry: invalid value", "3:1")
    assert result.exit_code == 3


def test_paths_directories_and_globs(tmp_path: Path) -> None:
    from reqlab.runner._sources import SourceError, expand

    (tmp_path / "a").mkdir()
    for name in ("a/2.hurl", "a/1.hurl", "b.hurl", "c.txt"):
        (tmp_path / name).write_text("")
    assert expand([str(tmp_path / "a")]) == [str(tmp_path / "a/1.hurl"), str(tmp_path / "a/2.hurl")]
    assert expand([str(tmp_path / "*.hurl")]) == [str(tmp_path / "b.hurl")]
    with pytest.raises(SourceError, match="no such file"):
        expand([str(tmp_path / "missing.hurl")])

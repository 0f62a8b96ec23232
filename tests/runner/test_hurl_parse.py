"""The Hurl parser: structure, positions, and errors with file:line:col."""

from __future__ import annotations

import pytest

from reqlab.formats.hurl import HurlSyntaxError, ast, parse

SAMPLE = """\
# a comment
GET http://127.0.0.1:{{port}}/echo  # trailing comment
Accept: application/json
X-Hash: a\\#b
[Query]
q: {{term}}
[Options]
location: true
retry-interval: 2s
variable: n=12

HTTP 200
Content-Type: application/json
[Captures]
id: jsonpath "$.id" toInt redact
[Asserts]
jsonpath "$.items" count >= 2
header "X-Tag" not startsWith "b"
body matches /a\\/b\\d+/
bytes == hex,0102;
jsonpath "$.x" == null

POST http://x/y
{"a": {{v}}, "b": [1, 2]}
HTTP *
```
hello {{name}}
```
"""


def test_entries_sections_and_positions() -> None:
    hurl = parse(SAMPLE, "s.hurl")
    first, second = hurl.entries
    req = first.request
    assert (req.method, req.url.source()) == ("GET", "http://127.0.0.1:{{port}}/echo")
    assert [(h.key.source(), h.value.source()) for h in req.headers] == [
        ("Accept", "application/json"),
        ("X-Hash", "a#b"),
    ]
    assert req.query[0].value.parts[0] == ast.Expr("term", ast.Pos(6, 4))
    assert [(o.name, o.value, o.key) for o in req.options] == [
        ("location", True, ""),
        ("retry-interval", 2000, ""),
        ("variable", 12, "n"),
    ]
    resp = first.response
    assert resp is not None and resp.status == 200
    capture = resp.captures[0]
    assert (capture.name, capture.query.kind, capture.redact) == ("id", "jsonpath", True)
    assert [f.name for f in capture.filters] == ["toInt"]
    implicit, *asserts = resp.asserts
    assert implicit.implicit and implicit.query.arg is not None
    assert [a.predicate.name for a in asserts] == [">=", "startsWith", "matches", "==", "=="]
    assert asserts[1].predicate.negated
    assert asserts[2].predicate.value == "a/b\\d+"
    assert asserts[3].predicate.value == ast.HexLit(b"\x01\x02")
    assert isinstance(asserts[4].predicate.value, ast.Null)
    assert asserts[0].pos == ast.Pos(17, 1)
    body = second.request.body
    assert body is not None and isinstance(body.body, ast.JsonBody)
    assert second.response is not None and second.response.status is None
    text = second.response.body
    assert text is not None and isinstance(text.body, ast.TextBody)
    assert text.body.text.source() == "hello {{name}}\n"


def test_section_aliases_multipart_basic_auth_cookies() -> None:
    hurl = parse(
        "POST http://h/p\n[Form]\na: 1\n[Multipart]\nf: file,data.bin; image/png\nt: x\n"
        "[Cookies]\nc: v\n[BasicAuth]\nbob: secret\n",
        "m.hurl",
    )
    req = hurl.entries[0].request
    assert req.form[0].key.source() == "a"
    part = req.multipart[0]
    assert isinstance(part, ast.FilePart) and part.content_type == "image/png"
    assert part.path.source() == "data.bin"
    assert req.cookies[0].value.source() == "v"
    assert req.basic_auth is not None and req.basic_auth.value.source() == "secret"


def test_bodies() -> None:
    hurl = parse(
        "PUT http://h\n<?xml version='1.0'?>\n<a><b/>x</a>\n"
        "PUT http://h\nbase64,aGk=;\nPUT http://h\n`one line`\nPUT http://h\nfile,x.json;\n"
        "PUT http://h\n[1, 2]\n",
        "b.hurl",
    )
    bodies = [e.request.body.body for e in hurl.entries if e.request.body]
    assert isinstance(bodies[0], ast.XmlBody) and bodies[0].text.endswith("</a>")
    assert bodies[1] == ast.BytesBody(b"hi")
    assert isinstance(bodies[2], ast.TextBody) and bodies[2].text.source() == "one line"
    assert isinstance(bodies[3], ast.FileBody)
    assert isinstance(bodies[4], ast.JsonBody)


def test_wire_queries_are_an_extension() -> None:
    hurl = parse("GET http://h\nHTTP 200\n[Asserts]\nconnection reused == true\ntiming wait < 50\n")
    resp = hurl.entries[0].response
    assert resp is not None
    assert [a.query.kind for a in resp.asserts] == ["connection reused", "timing wait"]


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("GET http://h\nHTTP 200\n[Asserts]\nstatus === 200\n", "4:8", "unknown predicate"),
        ('GET http://h\nHTTP 200\n[Asserts]\nheadr "x" == 1\n', "4:1", "unknown query"),
        ("GET http://h\n[Nope]\n", "2:", "unknown section [Nope]"),
        ("get http://h\n", "1:1", "expected a method"),
        ("GET http://h\nHTTP 20x\n", "2:6", "status code"),
        ('GET http://h\nHTTP 200\n[Asserts]\nbody == "abc\n', "4:9", "unterminated"),
        ('POST http://h\n{"a": 1,}\n', "2:1", "invalid JSON body"),
    ],
)
def test_errors_name_file_line_and_column(text: str, where: str, message: str) -> None:
    with pytest.raises(HurlSyntaxError) as info:
        parse(text, "bad.hurl")
    assert str(info.value).startswith(f"bad.hurl:{where}")
    assert message in str(info.value)


def test_unsupported_constructs_are_reported_not_skipped() -> None:
    with pytest.raises(HurlSyntaxError) as info:
        parse("GET http://h\n[Options]\nunix-socket: /run/api.sock\n", "u.hurl")
    assert info.value.unsupported
    assert str(info.value) == "u.hurl:3:1: option 'unix-socket' (not supported by reqlab)"
    with pytest.raises(HurlSyntaxError) as info:
        parse("GET http://h\n[Options]\nlimit-rate: 100\n", "g.hurl")
    assert "3:1" in str(info.value) and "limit-rate" in str(info.value)


def test_graphql_bodies() -> None:
    body = parse('POST http://h\n```graphql\n{ a }\nvariables {"n": 1}\n```\n', "g.hurl")
    spec = body.entries[0].request.body
    assert spec is not None and isinstance(spec.body, ast.GraphQLBody)
    assert spec.body.query.parts == ("{ a }\n",) and spec.body.variables is not None

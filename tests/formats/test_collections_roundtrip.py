"""Round trips on drawn collections: import(export(c)) keeps every request's
method, URL, headers in order, body, auth and name, and the variables."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from reqlab.formats.collections import read_collection_text, write_collection_text
from reqlab.formats.httpfile import Collection, RequestTemplate, TemplateHeader, TextChunk
from reqlab.formats.httpfile.convert import split_auth

_word = st.text(string.ascii_letters + string.digits, min_size=1, max_size=8)
_value = st.text(string.ascii_letters + string.digits + " -_.,;=/", max_size=16).map(str.strip)
_line = st.text(
    string.ascii_letters + string.digits + ' {}":,[]-_', min_size=1, max_size=20
).filter(lambda s: s.strip() == s and not s.startswith(("<", ">", "#", "/")))


@st.composite
def templates(draw: st.DrawFn) -> RequestTemplate:
    headers = [(f"X-{draw(_word)}", draw(_value)) for _ in range(draw(st.integers(0, 3)))]
    auth = draw(
        st.sampled_from([None, "Basic {{user}} {{password}}", "Bearer {{token}}", "Basic ada pw"])
    )
    if auth:
        headers.append(("Authorization", auth))
    method = draw(st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE"]))
    body = ()
    if method != "GET" and draw(st.booleans()):
        headers.append(("Content-Type", "text/plain"))
        body = (TextChunk("\n".join(draw(st.lists(_line, min_size=1, max_size=3))), 0),)
    host = draw(st.sampled_from(["{{host}}", "http://api.example.test"]))
    return RequestTemplate(
        method=method,
        url=f"{host}/{draw(_word)}?q={draw(_word)}",
        headers=tuple(TemplateHeader(n, v, 0) for n, v in headers),
        body=body,
        title=draw(_word),
    )


@st.composite
def collections(draw: st.DrawFn) -> Collection:
    folders = st.sampled_from([(), ("users",), ("users", "admin"), ("orders",)])
    items = draw(st.lists(st.tuples(folders, templates()), min_size=1, max_size=5))
    variables = draw(st.dictionaries(_word, _value, max_size=3))
    return Collection("drawn", items=items, variables=list(variables.items()))


def _essence(c: Collection, folders: bool = True) -> list[object]:
    out = []
    for folder, t in c.items:
        headers, auth = split_auth(t)
        row = (t.method, t.url, headers, t.body_text() or None, auth, t.label)
        out.append((folder, *row) if folders else row)
    return out


def _by_folder(c: Collection) -> dict[tuple[str, ...], list[object]]:
    """Requests per folder, in order (a Postman folder holds its requests
    together, so only the order within a folder is the user's)."""
    out: dict[tuple[str, ...], list[object]] = {}
    for folder, *row in _essence(c):  # type: ignore[misc]
        out.setdefault(folder, []).append(tuple(row))
    return out


@given(collections())
def test_postman(c: Collection) -> None:
    again = read_collection_text(write_collection_text(c, "postman"), "postman")
    assert _by_folder(again) == _by_folder(c)
    assert again.variables == c.variables


@given(collections())
def test_http_file(c: Collection) -> None:
    again = read_collection_text(write_collection_text(c, "http"), "http")
    assert _essence(again, folders=False) == _essence(c, folders=False)
    assert again.variables == c.variables


@given(collections())
def test_har(c: Collection) -> None:
    again = read_collection_text(write_collection_text(c, "har"), "har")
    assert _essence(again) == _essence(c)

"""The .http reader: the IDE clients' dialect, lossless writing, errors with line and column."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reqlab.formats.httpfile import (
    FileChunk,
    HttpFileError,
    RequestTemplate,
    TemplateHeader,
    TextChunk,
    Variable,
    parse,
    render_request,
    with_request,
)

# Files as people write them for JetBrains' client and VS Code's REST Client.
REAL_WORLD = {
    "rest-client-readme": (
        "@hostname = api.example.com\n@port = 8080\n@host = {{hostname}}:{{port}}\n"
        "@contentType = application/json\n\n"
        "###\n# @name login\nPOST https://{{host}}/api/login HTTP/1.1\n"
        "Content-Type: {{contentType}}\n\n"
        '{\n    "name": "foo",\n    "password": "bar"\n}\n\n'
        "###\n@authToken = {{login.response.headers.X-AuthToken}}\n\n"
        "# @name createComment\nPOST https://{{host}}/comments HTTP/1.1\n"
        "Authorization: {{authToken}}\nContent-Type: application/json\n\n"
        '{"content": "fake content"}\n'
    ),
    "jetbrains-query-continuation": (
        "### Search\nGET http://example.com:8080\n    /api\n    /html\n    /get\n"
        "    ?id=123\n    &value=content\n\n###\n"
        "// A comment\nhttp://example.com/a/\n"
    ),
    "jetbrains-multipart": (
        "POST https://httpbin.org/post\n"
        "Content-Type: multipart/form-data; boundary=WebAppBoundary\n\n"
        "--WebAppBoundary\n"
        'Content-Disposition: form-data; name="element-name"\n'
        "Content-Type: text/plain\n\nName\n"
        "--WebAppBoundary\n"
        'Content-Disposition: form-data; name="data"; filename="data.json"\n'
        "Content-Type: application/json\n\n"
        "< ./request-form-data.json\n--WebAppBoundary--\n"
    ),
    "handlers-and-refs": (
        "GET https://httpbin.org/status/200\n\n"
        '> {%\n    client.test("ok", function() {\n'
        "        client.assert(response.status === 200);\n    });\n%}\n"
        "> ./scripts/check.js\n\n<> 2024-01-01T000000.200.json\n"
    ),
    "crlf-and-settings": (
        "### slow one\r\n# @reqlab.timeout 2.5s\r\n# @reqlab.http-version HTTP/1.0\r\n"
        "# @no-redirect\r\nGET http://127.0.0.1/slow\r\nAccept: */*\r\n"
    ),
    "body-from-file": "POST http://x/upload\nContent-Type: application/json\n\n< ./input.json\n",
    "no-trailing-newline": "GET http://x/a\n###\nGET http://x/b",
    "empty": "",
    "only-comments": "# nothing here yet\n// still nothing\n",
}


@pytest.mark.parametrize("name", sorted(REAL_WORLD))
def test_real_world_files_write_back_unchanged(name: str) -> None:
    text = REAL_WORLD[name]
    assert parse(text, f"{name}.http").text() == text


def test_rest_client_readme_file() -> None:
    file = parse(REAL_WORLD["rest-client-readme"])
    login, comment = file.requests
    assert (login.name, login.method, login.version) == ("login", "POST", "HTTP/1.1")
    assert login.url == "https://{{host}}/api/login"
    assert login.headers == (TemplateHeader("Content-Type", "{{contentType}}", 9, 15),)
    assert login.body == (TextChunk('{\n    "name": "foo",\n    "password": "bar"\n}', 11),)
    assert comment.variables == (
        Variable("authToken", "{{login.response.headers.X-AuthToken}}", 17),
    )
    assert [v.name for v in file.variables] == [
        "hostname",
        "port",
        "host",
        "contentType",
        "authToken",
    ]


def test_query_continuation_lines_and_bare_url() -> None:
    search, bare = parse(REAL_WORLD["jetbrains-query-continuation"]).requests
    assert search.title == "Search"
    assert search.url == "http://example.com:8080/api/html/get?id=123&value=content"
    assert search.url_lines == (3, 4, 5, 6, 7)
    assert (bare.method, bare.url, bare.comments) == (
        "GET",
        "http://example.com/a/",
        ("// A comment",),
    )


def test_multipart_parts_keep_their_blank_lines_and_files() -> None:
    (request,) = parse(REAL_WORLD["jetbrains-multipart"]).requests
    first, file, last = request.body
    assert isinstance(first, TextChunk) and first.text.endswith(
        '"data.json"\nContent-Type: application/json\n'
    )
    assert file == FileChunk("./request-form-data.json", 13)
    assert last == TextChunk("--WebAppBoundary--", 14)


def test_handlers_and_response_references_are_kept_not_body() -> None:
    (request,) = parse(REAL_WORLD["handlers-and-refs"]).requests
    assert request.body == ()
    assert [h.kind for h in request.handlers] == ["inline", "file"]
    assert "client.assert" in request.handlers[0].text
    assert request.response_refs == ("2024-01-01T000000.200.json",)


def test_reqlab_settings_and_other_tags() -> None:
    (request,) = parse(REAL_WORLD["crlf-and-settings"]).requests
    assert request.options == (("timeout", "2.5s"), ("http-version", "HTTP/1.0"))
    assert request.tags == (("no-redirect", ""),)
    assert request.headers[0].value == "*/*"


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("GET http://x\nnot a header\n", 2, 1, "header line"),
        ("###\n\nGET http://x\n\nbody\n> {%\nno end\n", 6, 1, "closing '%}'"),
        ("GET http://x\n\n> ./a.js\nstray text\n", 4, 1, "after a handler"),
        ("GET\n", 1, 4, "a URL after the method"),
        ("get some thing\n", 1, 1, "request line"),
    ],
)
def test_errors_name_path_line_and_column(text: str, line: int, column: int, words: str) -> None:
    with pytest.raises(HttpFileError) as caught:
        parse(text, "api/x.http")
    error = caught.value
    assert (error.path, error.line, error.column) == ("api/x.http", line, column)
    assert str(error).startswith(f"api/x.http:{line}:{column}: ") and words in str(error)


def test_replacing_one_request_leaves_the_others_byte_for_byte() -> None:
    text = "@a = 1\n\n### one\n#  odd   spacing kept\nGET  http://x/1\n\n### two\nGET http://x/2\n"
    file = parse(text)
    edited = with_request(file, 1, file.requests[1].replace(url="http://x/2b"))
    assert edited.text().startswith(text[: text.index("### two")])
    assert edited.requests[1].url == "http://x/2b"


# ------------------------------------------------------------- properties

_word = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=8)
_value = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\x85"),
    max_size=20,
).map(str.strip)
_body_line = _value.filter(lambda s: not s.startswith(("<", ">", "###")))


@st.composite
def templates(draw: st.DrawFn) -> RequestTemplate:
    headers = tuple(
        TemplateHeader(draw(_word), draw(_value), 0, 0) for _ in range(draw(st.integers(0, 3)))
    )
    body_lines = draw(st.lists(_body_line, max_size=4))
    while body_lines and not body_lines[-1]:
        body_lines.pop()
    while body_lines and not body_lines[0]:
        body_lines.pop(0)
    body: tuple[TextChunk | FileChunk, ...] = (
        (TextChunk("\n".join(body_lines), 0),) if body_lines else ()
    )
    if draw(st.booleans()):
        body += (FileChunk("./" + draw(_word) + ".json", 0, draw(st.booleans())),)
    return RequestTemplate(
        method=draw(st.sampled_from(["GET", "POST", "PUT", "DELETE", "PROPFIND"])),
        url="http://{{host}}/" + draw(_word) + draw(st.sampled_from(["", "?a={{a}}&b=2"])),
        version=draw(st.sampled_from([None, "HTTP/1.1", "HTTP/2"])),
        headers=headers,
        body=body,
        name=draw(st.none() | _word),
        title=draw(st.none() | _word),
        options=tuple(draw(st.lists(st.tuples(_word, _word), max_size=2))),
        comments=tuple(draw(st.lists(_word.map(lambda w: "# " + w), max_size=2))),
    )


def _positionless(t: RequestTemplate) -> RequestTemplate:
    return t.replace(
        headers=tuple(TemplateHeader(h.name, h.value, 0, 0) for h in t.headers),
        body=tuple(
            TextChunk(c.text, 0) if isinstance(c, TextChunk) else FileChunk(c.path, 0, c.substitute)
            for c in t.body
        ),
        line=0,
        column=1,
    )


@given(st.lists(templates(), min_size=1, max_size=4))
def test_rendered_templates_read_back_the_same(drawn: list[RequestTemplate]) -> None:
    text = "".join(render_request(t) for t in drawn)
    read = parse(text).requests
    assert [_positionless(t) for t in read] == drawn


@given(
    st.lists(
        st.one_of(
            templates().map(render_request),
            _value.map(lambda v: f"# {v}\n"),
            st.tuples(_word, _value).map(lambda p: f"@{p[0]} = {p[1]}\n"),
            st.sampled_from(["\n", "\r\n", "   \n", "### \n", "// c\n"]),
            _body_line.map(lambda v: v + "\n"),
        ),
        max_size=8,
    ),
    st.booleans(),
)
def test_reading_then_writing_changes_nothing(pieces: list[str], crlf: bool) -> None:
    text = "".join(pieces)
    if crlf:
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    try:
        file = parse(text)
    except HttpFileError:
        return  # a line that is no header after a request line: refused, not rewritten
    assert file.text() == text

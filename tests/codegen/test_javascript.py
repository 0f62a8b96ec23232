"""javascript-fetch, javascript-xhr, javascript-jquery: what the browser
owns (forbidden headers, cookies, the version) is left out with a warning;
bodies never gain a Content-Type; uploads come from named file inputs."""

from __future__ import annotations

import re

import pytest
from tests.codegen._scripting import evaluate, evaluate_bytes

from reqlab.body import auth_header
from reqlab.codegen import generate
from reqlab.codegen._js import BrowserSource, js
from reqlab.model import (
    BasicAuth,
    BytesBody,
    FormBody,
    JsonBody,
    MultipartBody,
    MultipartField,
    MultipartFile,
    Request,
    TextBody,
)

URL = "http://127.0.0.1:8081/echo"
BROWSER = ("javascript-fetch", "javascript-xhr", "javascript-jquery")
# The runner's contract (tests/fidelity/runners/javascript.py): inputs named in the header.
INPUT = re.compile(r'^//\s+<input type="file" id="(file\d+)">\s+\((.*)\)$', re.M)


def warned(snippet, name: str) -> bool:  # type: ignore[no-untyped-def]
    return any(name.lower() in w.lower() for w in snippet.warnings)


@pytest.mark.parametrize("target", BROWSER)
def test_forbidden_headers_left_out_with_reasons(target: str) -> None:
    request = Request(
        "GET",
        URL,
        headers=(
            ("Cookie", "a=1"),
            ("Connection", "keep-alive"),
            ("Keep-Alive", "timeout=5"),
            ("Host", "example.test"),
            ("Sec-Fetch-Mode", "no-cors"),
            ("X-Kept", "yes"),
        ),
    )
    snippet = generate(request, target)
    for name in ("Cookie", "Connection", "Keep-Alive", "Host", "Sec-Fetch-Mode"):
        assert f'"{name}"' not in snippet.code
        assert warned(snippet, name), name
    assert '"X-Kept"' in snippet.code
    cookie = next(w for w in snippet.warnings if "Cookie" in w)
    assert 'credentials: "include"' in cookie


@pytest.mark.parametrize("target", BROWSER)
def test_version_and_duplicates_are_the_browsers(target: str) -> None:
    request = Request("GET", URL, headers=(("X-Dup", "a"), ("X-Dup", "b")), version="HTTP/1.0")
    snippet = generate(request, target)
    assert warned(snippet, "HTTP/1.0")
    assert warned(snippet, "X-Dup")
    if target == "javascript-jquery":  # one value per name in jQuery: joined up front
        assert '"X-Dup": "a, b",' in snippet.code
    else:  # both set; the browser joins them
        assert snippet.code.count('"X-Dup"') == 2


@pytest.mark.parametrize("target", BROWSER)
def test_body_without_type_never_a_bare_string(target: str) -> None:
    code = generate(Request("POST", URL, body=TextBody("words")), target).code
    assert 'new Blob(["words"])' in code
    code = generate(Request("POST", URL, body=BytesBody(data=b"\x00\xff")), target).code
    assert 'Uint8Array.from(atob("AP8="), (c) => c.charCodeAt(0))' in code


@pytest.mark.parametrize("target", BROWSER)
def test_get_never_carries_a_body(target: str) -> None:
    snippet = generate(Request("GET", URL, body=TextBody("x")), target)
    assert '"x"' not in snippet.code and warned(snippet, "body")


def test_json_is_the_exact_text_with_its_type() -> None:
    value = {"b": 1.0, "2": "ü", "q": '"\\'}
    request = Request("POST", URL, body=JsonBody(value))
    code = generate(request, "javascript-fetch", style="exact").code
    assert js('{"b":1.0,"2":"ü","q":"\\"\\\\"}') in code  # JSON.stringify would reorder "2"
    assert '"Content-Type": "application/json",' in code
    # the idiomatic style: JSON.stringify (same value, its own key order and spelling)
    idiomatic = generate(request, "javascript-fetch").code
    assert 'JSON.stringify({\n  "b": 1.0,\n  "2": "ü",' in idiomatic


@pytest.mark.parametrize("target", BROWSER)
def test_uploads_come_from_named_file_inputs(target: str) -> None:
    body = MultipartBody(
        (
            MultipartField("title", "t"),
            MultipartFile("photo", "me.png", "image/png", path="photo.png"),
            MultipartFile("doc", "notes.txt", None, path="notes.txt"),
            MultipartFile("again", "me2.png", "image/png", path="photo.png"),
        )
    )
    code = generate(Request("POST", URL, body=body), target).code
    assert INPUT.findall(code) == [("file1", "photo.png"), ("file2", "notes.txt")]
    assert 'const file1 = document.getElementById("file1").files[0];' in code
    assert 'form.append("photo", new Blob([file1], { type: "image/png" }), "me.png");' in code
    assert '{ type: "application/octet-stream" }), "notes.txt");' in code
    assert "boundary" not in code.lower()


def test_raw_file_body_is_an_untyped_blob() -> None:
    code = generate(Request("PUT", URL, body=BytesBody(path="payload.bin")), "javascript-xhr").code
    assert INPUT.findall(code) == [("file1", "payload.bin")]
    assert "xhr.send(new Blob([file1]));" in code


def test_xhr_keeps_a_charset_exactly() -> None:
    request = Request(
        "POST", URL, headers=(("Content-Type", "text/plain; charset=utf-8"),), body=TextBody("é")
    )
    # XHR would rewrite utf-8 to UTF-8 in a string body's Content-Type
    assert 'xhr.send(new Blob(["é"]));' in generate(request, "javascript-xhr").code
    assert 'body: "é",' in generate(request, "javascript-fetch").code


def test_jquery_options() -> None:
    plain = generate(Request("POST", URL, body=TextBody("x")), "javascript-jquery").code
    assert "contentType: false," in plain and "processData: false," in plain
    typed = generate(Request("POST", URL, body=JsonBody([1])), "javascript-jquery").code
    assert 'contentType: "application/json",' in typed and "processData" not in typed
    dup = generate(
        Request("GET", URL, headers=(("X-A", "1"), ("X-A", "2"))), "javascript-jquery"
    ).code
    assert '"X-A": "1, 2",' in dup  # jQuery keeps one value per name: joined, as XHR would


def test_basic_auth_header_evaluates_like_reqlab(tmp_path) -> None:
    source = BrowserSource()
    requests = [
        Request("GET", URL, auth=BasicAuth("al!ce", "p@ss:w0rd $HOME \"q\" 'x'")),
        Request("GET", URL, auth=BasicAuth("ünï", "😀")),  # btoa takes Latin-1 only
    ]
    exprs = []
    for request in requests:
        snippet = generate(request, "javascript-fetch")
        name, expr = source.auth(_plan_of(request))  # type: ignore[misc]
        assert expr in snippet.code and name == "Authorization"
        exprs.append(expr)
    assert evaluate("node", exprs, tmp_path) == [auth_header(r) for r in requests]


def test_inline_bytes_decode_in_a_js_engine(tmp_path) -> None:
    data = bytes(range(256))
    expr = f"Buffer.from({BrowserSource().bytes(data)})"
    assert evaluate_bytes("node", [expr], tmp_path) == [data]


def _plan_of(request: Request):  # type: ignore[no-untyped-def]
    from reqlab.codegen._plan import plan

    return plan(request, target="javascript-fetch")


def test_non_ascii_header_values_go_as_utf8_bytes(tmp_path) -> None:
    value = "Zürich 😀"
    expr = BrowserSource().header_value(value)  # TextEncoder exists in Node too
    got = evaluate_bytes("node", [f'Buffer.from({expr}, "latin1")'], tmp_path)
    assert got == [value.encode()]


def test_idiomatic_browser_fetch_and_xhr_follow_mdn() -> None:
    request = Request("POST", URL + "?q=a%20b&next=https://x.test/", body=JsonBody({"n": 1.5}))
    fetch = generate(request, "javascript-fetch").code
    assert 'const body = JSON.stringify({\n  "n": 1.5\n});' in fetch
    assert (
        'const params = new URLSearchParams({\n  "q": "a b",\n  "next": "https://x.test/",' in fetch
    )
    assert "await fetch(`http://127.0.0.1:8081/echo?${params}`, {" in fetch
    assert "signal: AbortSignal.timeout(30000)," in fetch and "if (!response.ok) {" in fetch
    xhr = generate(request, "javascript-xhr").code
    assert 'xhr.open("POST", `http://127.0.0.1:8081/echo?${params}`);' in xhr
    assert "xhr.timeout = 30000;" in xhr and "xhr.status < 200 || xhr.status >= 300" in xhr
    assert "xhr.send(body);" in xhr
    form = Request("POST", URL, body=FormBody([("a", "1 2")]))
    assert (
        'const body = new URLSearchParams({\n  "a": "1 2",\n});'
        in generate(form, "javascript-xhr").code
    )
    exact = generate(request, "javascript-fetch", style="exact").code
    assert "URLSearchParams" not in exact and "response.ok" not in exact


def test_idiomatic_jquery_passes_data_objects() -> None:
    get = generate(Request("GET", URL + "?q=a%20b&p=2"), "javascript-jquery").code
    assert 'const params = {\n  "q": "a b",\n  "p": "2",\n};' in get
    assert 'url: "http://127.0.0.1:8081/echo",\n  data: params,' in get
    assert "contentType" not in get and "timeout: 30000," in get
    assert "console.error(xhr.status, error);" in get
    form = generate(Request("POST", URL, body=FormBody([("a", "1 2")])), "javascript-jquery").code
    assert "data: form," in form and "processData" not in form  # jQuery encodes the object
    assert 'contentType: "application/x-www-form-urlencoded",' in form  # no "; charset=UTF-8"
    json = generate(Request("POST", URL, body=JsonBody({"a": 1})), "javascript-jquery").code
    assert 'const payload = JSON.stringify({\n  "a": 1\n});' in json
    assert 'contentType: "application/json",' in json

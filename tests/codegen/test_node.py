"""node-fetch, node-axios, node-http: structure, warnings, and escaping
checked by evaluating the generated literals with the real Node."""

from __future__ import annotations

import pytest
from tests.codegen._scripting import NASTY, evaluate, evaluate_bytes

from reqlab.codegen import generate, get_target
from reqlab.codegen._js import NodeSource, js
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
NODE = ("node-fetch", "node-axios", "node-http")


@pytest.mark.parametrize("target", NODE)
def test_es_module_never_require(target: str) -> None:
    assert get_target(target).filename.endswith(".mjs")
    code = generate(Request("POST", URL, body=JsonBody({"a": 1})), target).code
    assert "require(" not in code
    assert "await" in code
    assert code.count("console.log(") == 2  # status, then body


def test_literals_survive_node(tmp_path) -> None:
    assert evaluate("node", [js(s) for s in NASTY], tmp_path) == NASTY


def test_inline_bytes_decode_in_node(tmp_path) -> None:
    data = bytes(range(256)) + b"\r\n\x00"
    assert evaluate_bytes("node", [NodeSource().bytes(data)], tmp_path) == [data]


@pytest.mark.parametrize("target", NODE)
def test_nasty_text_body_is_one_literal(target: str, tmp_path) -> None:
    text = NASTY[3] + NASTY[4]
    code = generate(
        Request("POST", URL, headers=(("Content-Type", "text/plain"),), body=TextBody(text)),
        target,
    ).code
    assert js(text) in code


def test_fetch_leaves_out_what_undici_refuses() -> None:
    request = Request(
        "GET",
        URL,
        headers=(("Keep-Alive", "timeout=5"), ("Expect", "100-continue"), ("X-A", "1")),
    )
    snippet = generate(request, "node-fetch")
    assert "Keep-Alive" not in snippet.code and "Expect" not in snippet.code
    for name in ("Keep-Alive", "Expect"):
        assert any(name in w for w in snippet.warnings), name
    assert '"X-A": "1"' in snippet.code


def test_fetch_warns_that_duplicates_are_joined() -> None:
    request = Request("GET", URL, headers=(("X-Dup", "a"), ("X-Dup", "b")))
    snippet = generate(request, "node-fetch")
    assert '["X-Dup", "a"],' in snippet.code and '["X-Dup", "b"],' in snippet.code
    assert any(w.startswith("X-Dup:") for w in snippet.warnings)


def test_fetch_body_without_type_is_bytes() -> None:
    code = generate(Request("POST", URL, body=TextBody("words")), "node-fetch").code
    assert 'body: Buffer.from("words"),' in code  # a string would gain text/plain


def test_axios_never_invents_a_content_type() -> None:
    for request in (Request("POST", URL), Request("POST", URL, body=TextBody("x"))):
        assert '"Content-Type": null,' in generate(request, "node-axios").code
    assert "null" not in generate(Request("GET", URL), "node-axios").code


def test_axios_repeats_headers_as_arrays_and_uses_auth_option() -> None:
    request = Request(
        "GET",
        URL,
        headers=(("X-Dup", "a"), ("X-Other", "b"), ("x-dup", "c")),
        auth=BasicAuth("u", "p"),
    )
    snippet = generate(request, "node-axios", style="exact")
    assert '"X-Dup": ["a", "c"],' in snippet.code
    assert 'auth: { username: "u", password: "p" },' in snippet.code
    assert "keepAlive: true" in snippet.code
    assert any("x-dup" in w.lower() for w in snippet.warnings)


def test_http_keeps_every_line_with_the_array_form() -> None:
    request = Request(
        "POST",
        URL + "?q=é#frag",
        headers=(("X-Dup", "a"), ("x-dup", "b")),
        body=TextBody("hi"),
    )
    code = generate(request, "node-http").code
    assert '"Host", "127.0.0.1:8081",' in code
    assert '"X-Dup", "a",' in code and '"x-dup", "b",' in code
    assert '"Content-Length", Buffer.byteLength(body),' in code
    assert 'path: "/echo?q=%C3%A9",' in code  # fragment never sent, UTF-8 encoded
    assert "new http.Agent({ keepAlive: true })" in code and "agent.destroy();" in code


def test_http_object_form_and_framing_for_every_method() -> None:
    code = generate(Request("DELETE", URL, body=JsonBody({"a": 1})), "node-http").code
    assert '"Content-Type": "application/json",' in code
    # Node frames only POST/PUT/PATCH bodies on its own
    assert '"Content-Length": Buffer.byteLength(body),' in code


def test_http2_uses_the_http2_module() -> None:
    request = Request("GET", URL, headers=(("Connection", "keep-alive"),), version="HTTP/2")
    snippet = generate(request, "node-http")
    assert 'import http2 from "node:http2";' in snippet.code
    assert '":method": "GET",' in snippet.code
    assert "Connection" not in snippet.code
    assert any("HTTP/2" in w for w in snippet.warnings)


def test_http10_downgrade_still_closes_the_connection() -> None:
    snippet = generate(Request("GET", URL, version="HTTP/1.0"), "node-http")
    assert '"Connection": "close",' in snippet.code
    assert any("HTTP/1.0" in w for w in snippet.warnings)


def test_multipart_reads_files_at_run_time() -> None:
    body = MultipartBody(
        (
            MultipartField("title", "t"),
            MultipartFile("photo", "photo.png", "image/png", path="dir/photo.png"),
            MultipartFile("raw", "raw.bin", None, data=b"\x00\x01"),
        )
    )
    for target in NODE:
        code = generate(Request("POST", URL, body=body), target).code
        assert 'import { readFile } from "node:fs/promises";' in code
        assert 'await readFile("dir/photo.png")' in code
        assert '{ type: "image/png" }), "photo.png");' in code
        assert '{ type: "application/octet-stream" }), "raw.bin");' in code
        assert "boundary" not in code.lower()
    assert "new Response(form)" in generate(Request("POST", URL, body=body), "node-http").code


def test_binary_file_body_is_read_not_pasted() -> None:
    request = Request("PUT", URL, body=BytesBody(path="payload.bin"))
    for target in NODE:
        assert 'await readFile("payload.bin")' in generate(request, target).code


def test_non_ascii_header_values_go_as_utf8_bytes(tmp_path) -> None:
    # Header values are byte strings to Node (one character = one byte).
    value = "Zürich 😀"
    expr = NodeSource().header_value(value)
    got = evaluate_bytes("node", [f'Buffer.from({expr}, "latin1")'], tmp_path)
    assert got == [value.encode()]
    assert NodeSource().header_value("ascii") == '"ascii"'


def test_skipping_certificate_checks() -> None:
    from reqlab.model import Options

    request = Request("GET", "https://127.0.0.1:8443/echo", options=Options(verify=False))
    fetch = generate(request, "node-fetch")
    assert 'process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";' in fetch.code
    assert any("process-wide" in w for w in fetch.warnings)
    for target in ("node-axios", "node-http"):
        code = generate(request, target, style="exact").code
        assert "new https.Agent({ keepAlive: true, rejectUnauthorized: false })" in code
    assert "process.env" not in generate(Request("GET", URL), "node-fetch").code


def test_idiomatic_axios_is_the_readme_call() -> None:
    request = Request("POST", URL + "?page=2&q=x", body=JsonBody({"a": 1}))
    code = generate(request, "node-axios").code
    assert 'await axios.post("http://127.0.0.1:8081/echo", body, {' in code
    assert 'params: {\n    "page": "2",\n    "q": "x",\n  },' in code
    assert "Content-Type" not in code  # axios types an object body itself
    for noise in ("maxRedirects", "responseType", "validateStatus", "Agent"):
        assert noise not in code
    assert "timeout: 30000" in code
    # repeated names stay in the URL: a plain object would regroup them
    repeated = generate(Request("GET", URL + "?t=1&t=2"), "node-axios").code
    assert "params" not in repeated and "?t=1&t=2" in repeated


def test_idiomatic_node_http_is_the_documented_request_call() -> None:
    request = Request("POST", URL + "?page=2&t=1&t=2", body=JsonBody({"big": 1.5e-7, "n": [1]}))
    code = generate(request, "node-http").code
    assert 'const body = JSON.stringify({\n  "big": 1.5e-07,' in code
    assert 'new URLSearchParams([\n  ["page", "2"],\n  ["t", "1"],\n  ["t", "2"],\n]);' in code
    assert "path: `/echo?${query}`," in code and "timeout: 30000," in code
    assert '"Content-Length": Buffer.byteLength(body),' in code
    assert "if (response.statusCode >= 400) {" in code and "Agent" not in code
    form = generate(Request("POST", URL, body=FormBody([("a", "1 2")])), "node-http").code
    assert 'const body = new URLSearchParams({\n  "a": "1 2",\n}).toString();' in form
    # integers past 2**53 would change value in JavaScript: the exact JSON text then
    big = generate(Request("POST", URL, body=JsonBody({"n": 2**60})), "node-http").code
    assert "JSON.stringify" not in big and str(2**60) in big
    # a repeated header name needs the raw array form: the exact code
    dup = Request("GET", URL, headers=[("X-A", "1"), ("X-A", "2")])
    assert generate(dup, "node-http").code == generate(dup, "node-http", style="exact").code

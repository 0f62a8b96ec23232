"""The Python targets: every snippet compiles, and the choices that make them
send exactly the request (the fidelity tests prove the wire; these pin the
idioms and the warnings, fast)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from fidelity.fixtures import FIXTURES
from reqlab.body import json_text
from reqlab.codegen import generate
from reqlab.codegen._wire import grouped_fields, wire_url
from reqlab.model import (
    BasicAuth,
    JsonBody,
    MultipartBody,
    MultipartFile,
    Options,
    Request,
    TextBody,
)

PYTHON = [
    "python-requests",
    "python-httpx",
    "python-aiohttp",
    "python-http-client",
    "python-urllib3",
]
URL = "http://127.0.0.1:8081/echo"


@pytest.mark.parametrize("target", PYTHON)
def test_every_fixture_compiles(target) -> None:
    for fixture in FIXTURES.values():
        code = generate(fixture.build(URL.rsplit("/", 1)[0]), target).code
        compile(code, f"{target}:{fixture.id}", "exec")


@pytest.mark.parametrize("target", PYTHON)
def test_json_is_sent_as_reqlabs_exact_text(target, tmp_path) -> None:
    value = {"z": [1, 2.5, None], "a": 'ü " \\ \n', "sep": "\u2028"}
    code = generate(Request("POST", URL, body=JsonBody(value)), target, style="exact").code
    assert "json=" not in code  # the libraries' json= adds spaces
    assert 'separators=(",", ":")' in code
    # The payload literal plus the dumps call really give json_text.
    start = code.index("payload = ")
    end = code.index("\n\n", start)
    namespace: dict = {}
    exec("import json\n" + _dedent(code[start:end]), namespace)  # noqa: S102 - our output
    text = json.dumps(namespace["payload"], ensure_ascii=False, separators=(",", ":"))
    assert text == json_text(value)


def _dedent(block: str) -> str:
    import textwrap

    return textwrap.dedent(block)


@pytest.mark.parametrize("target", PYTHON)
def test_files_are_read_at_run_time(target) -> None:
    body = MultipartBody((MultipartFile("f", "a.png", "image/png", path="a.png"),))
    code = generate(Request("POST", URL, body=body), target).code
    assert '"a.png"' in code and ("open(" in code or "read_bytes()" in code)
    assert not re.search(r"boundary=[\w-]{6,}", code)  # never a boundary fixed in the code


def test_duplicate_headers_keep_separate_lines() -> None:
    headers = (("X-A", "1"), ("X-B", "2"), ("x-a", "3"))
    req = Request("GET", URL, headers=headers)
    assert "HTTPHeaderDict" in generate(req, "python-requests").code
    assert "HTTPHeaderDict" in generate(req, "python-urllib3").code
    assert '("x-a", "3")' in generate(req, "python-httpx").code
    assert 'conn.putheader("x-a", "3")' in generate(req, "python-http-client").code
    # aiohttp merges repeats spelled differently: the snippet spells them alike.
    assert '("X-A", "3")' in generate(req, "python-aiohttp").code


def test_keep_alive_uses_the_persistent_construct() -> None:
    reuse = Request("GET", URL)
    once = Request("GET", URL, options=Options(keep_alive=False))
    assert "requests.Session()" in generate(reuse, "python-requests", style="exact").code
    assert "requests.Session()" not in generate(once, "python-requests", style="exact").code
    assert "httpx.Client()" in generate(reuse, "python-httpx", style="exact").code
    assert "httpx.get(" in generate(once, "python-httpx", style="exact").code
    # idiomatic: one call, no client, for either
    assert "httpx.get(url, timeout=30)" in generate(reuse, "python-httpx").code
    assert "force_close=True" in generate(once, "python-aiohttp").code


def test_http10_where_the_library_can() -> None:
    seed = FIXTURES["seed_http10_keepalive"].build("http://127.0.0.1:8081")
    client = generate(seed, "python-http-client")
    assert 'conn._http_vsn_str = "HTTP/1.0"' in client.code
    assert 'conn.putheader("Connection", "keep-alive")' in client.code
    assert not client.warnings
    assert "HttpVersion10" in generate(seed, "python-aiohttp").code
    for target in ("python-requests", "python-urllib3"):
        snippet = generate(seed, target)
        assert 'HTTPConnection._http_vsn_str = "HTTP/1.0"' in snippet.code
        assert not snippet.warnings
    assert any("HTTP/1.0" in w for w in generate(seed, "python-httpx").warnings)


def test_http10_without_keep_alive_closes_when_sent_as_11() -> None:
    req = Request("GET", URL, version="HTTP/1.0")
    assert '"Connection": "close"' in generate(req, "python-httpx").code


def test_requests_drops_its_default_keep_alive_on_a_closing_http10_request() -> None:
    closing = generate(Request("GET", URL, version="HTTP/1.0"), "python-requests").code
    assert '"Connection": None' in closing
    seed = FIXTURES["seed_http10_keepalive"].build("http://127.0.0.1:8081")
    assert '"Connection": None' not in generate(seed, "python-requests").code


def test_http2() -> None:
    req = FIXTURES["http2_connection_headers"].build("http://127.0.0.1:8081")
    httpx_code = generate(req, "python-httpx")
    assert "httpx.Client(http1=False, http2=True)" in httpx_code.code
    assert "Keep-Alive" not in httpx_code.code and '"Connection"' not in httpx_code.code
    assert any("HTTP/2" in w for w in httpx_code.warnings)  # the dropped headers
    assert any("HTTP/2 cannot be chosen" in w for w in generate(req, "python-requests").warnings)


def test_no_content_type_invented() -> None:
    req = Request("POST", URL, body=TextBody("x"))
    assert 'skip_auto_headers=["Content-Type"]' in generate(req, "python-aiohttp").code
    assert "Content-Type" not in generate(req, "python-requests").code
    empty = generate(Request("POST", URL), "python-aiohttp").code
    assert 'skip_auto_headers=["Content-Type"]' in empty


def test_basic_auth_helper_only_when_bytes_agree() -> None:
    ascii_req = Request("GET", URL, auth=BasicAuth("u", "p"))
    assert 'auth=("u", "p")' in generate(ascii_req, "python-requests").code
    # requests encodes credentials as latin-1; reqlab sends UTF-8.
    utf8 = generate(Request("GET", URL, auth=BasicAuth("ü", "p")), "python-requests").code
    assert "auth=(" not in utf8 and "Authorization" in utf8


def test_wire_url_encodes_only_what_must_be() -> None:
    assert wire_url("http://h/a%2Fb?q=a+b&c=%20&d=é#frag") == "http://h/a%2Fb?q=a+b&c=%20&d=%C3%A9"
    assert wire_url("http://h/?p=100%&x={y}") == "http://h/?p=100%25&x=%7By%7D"


def test_grouped_fields_only_when_order_survives() -> None:
    assert grouped_fields([("a", "1"), ("a", "2"), ("b", "3")]) == {"a": ["1", "2"], "b": "3"}
    assert grouped_fields([("a", "1"), ("b", "2"), ("a", "3")]) is None


def test_snippet_runs_as_printed(tmp_path) -> None:
    """One end-to-end run outside the harness: the printed code, a fresh
    interpreter, a real echo server."""
    from reqlab.echo.testing import start_echo_server

    with start_echo_server() as echo:
        req = Request("PUT", echo.url + "/echo?x=1", headers=(("X-A", "1"),), body=TextBody("hé"))
        (tmp_path / "main.py").write_text(generate(req, "python-http-client").code)
        done = subprocess.run(
            [sys.executable, "main.py"], cwd=tmp_path, capture_output=True, text=True, timeout=60
        )
    assert done.returncode == 0, done.stderr
    status, body = done.stdout.split("\n", 1)
    assert status == "200 OK"
    echoed = json.loads(body)
    assert echoed["method"] == "PUT" and echoed["body"] == "hé"
    assert ["X-A", "1"] in echoed["headers"]


def test_host_equal_to_the_url_is_left_to_the_library() -> None:
    same = Request("GET", URL, headers=(("Host", "127.0.0.1:8081"),))
    other = Request("GET", URL, headers=(("Host", "api.test"),))
    for target in PYTHON:
        assert '"Host"' not in generate(same, target).code
        assert (
            '"Host"' in generate(other, target).code
            and '"api.test"' in generate(other, target).code
        )


def test_idiomatic_requests_is_what_a_python_developer_writes() -> None:
    request = Request(
        "POST", URL + "?page=2&tag=a&tag=b", body=JsonBody({"name": "Zoë"}), auth=None
    )
    code = generate(request, "python-requests").code
    assert "json=payload" in code and "json.dumps" not in code
    assert 'params = {\n    "page": "2",\n    "tag": ["a", "b"],\n}' in code
    assert "timeout=30" in code and "response.raise_for_status()" in code
    assert "Session" not in code and "allow_redirects" not in code
    # a query whose pairs would not say the same (a '+') stays in the URL
    plus = generate(Request("GET", URL + "?q=a+b"), "python-requests").code
    assert "params" not in plus and "?q=a+b" in plus


@pytest.mark.parametrize("target", ["python-requests", "python-httpx", "python-aiohttp"])
def test_idiomatic_json_null_is_still_sent(target) -> None:
    # json=None would send no body at all (found by a drawn request)
    code = generate(Request("DELETE", URL, body=JsonBody(None)), target).code
    assert "json=payload" not in code and "json.dumps(payload" in code


def test_idiomatic_aiohttp_is_the_client_quickstart() -> None:
    request = Request("POST", URL + "?page=2&tag=a&tag=b", body=JsonBody({"name": "Zoë"}))
    code = generate(request, "python-aiohttp").code
    assert "json=payload" in code and "json.dumps" not in code
    assert (
        'params = [\n        ("page", "2"),\n        ("tag", "a"),\n        ("tag", "b"),' in code
    )
    assert "timeout = aiohttp.ClientTimeout(total=30)" in code
    assert "aiohttp.ClientSession(timeout=timeout) as session" in code
    assert "response.raise_for_status()" in code
    assert "yarl" not in code and "allow_redirects" not in code  # a plain URL, aiohttp's default
    exact = generate(request, "python-aiohttp", style="exact").code
    assert "yarl.URL(" in exact and "allow_redirects=False" in exact
    # escapes in the path: yarl must not re-quote them
    escaped = generate(
        Request("GET", "http://127.0.0.1:8081/a%2Fb/caf%C3%A9?x=1"), "python-aiohttp"
    )
    assert 'yarl.URL("http://127.0.0.1:8081/a%2Fb/caf%C3%A9", encoded=True)' in escaped.code
    assert 'params = {\n        "x": "1",\n    }' in escaped.code


def test_idiomatic_urllib3_uses_fields_json_and_a_status_check() -> None:
    get = generate(Request("GET", URL + "?t=1&t=2&q=a%20b"), "python-urllib3").code
    assert 'fields = [\n    ("t", "1"),\n    ("t", "2"),\n    ("q", "a b"),\n]' in get  # no doseq
    assert 'urllib3.request("GET", url, fields=fields, timeout=30.0)' in get
    assert "if response.status >= 400:" in get and "redirect=False" not in get
    post = generate(Request("POST", URL, body=JsonBody({"a": 1})), "python-urllib3").code
    assert "json=payload" in post and '"Content-Type"' not in post
    exact = generate(Request("POST", URL, body=JsonBody({"a": 1})), "python-urllib3", style="exact")
    assert "json.dumps" in exact.code and "redirect=False" in exact.code

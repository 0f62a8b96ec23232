"""go-nethttp: structure, warnings, and Go string literals evaluated by Go."""

from __future__ import annotations

import re

import pytest
from tests.codegen._compiled import NASTY, evaluate

from reqlab.codegen import generate
from reqlab.codegen._escape import go_str
from reqlab.model import (
    FormBody,
    JsonBody,
    MultipartBody,
    MultipartFile,
    Options,
    Request,
    TextBody,
)

URL = "http://127.0.0.1:8081/echo"


def test_go_literals_evaluate_to_the_exact_text(tmp_path):
    assert evaluate("go", [go_str(s) for s in NASTY], tmp_path) == [s.encode() for s in NASTY]


def test_headers_keep_case_and_duplicates_through_the_map():
    req = Request("GET", URL, headers=(("x-id", "1"), ("X-Dup", "a"), ("x-dup", "b")))
    code = generate(req, "go-nethttp", style="exact").code
    assert 'req.Header["x-id"] = []string{"1"}' in code
    assert 'req.Header["X-Dup"] = []string{"a", "b"}' in code  # one key: order kept
    assert "Header.Set(" not in code and "Header.Add(" not in code


def test_http10_is_warned_and_the_connection_still_closes():
    snippet = generate(Request("GET", URL, version="HTTP/1.0"), "go-nethttp")
    assert any("HTTP/1.0" in w for w in snippet.warnings)
    assert "req.Close = true" in snippet.code


def test_client_is_reused_and_adds_no_compression_or_redirects():
    code = generate(Request("POST", URL, body=TextBody("x")), "go-nethttp", style="exact").code
    assert "DisableCompression: true" in code
    assert "http.ErrUseLastResponse" in code
    assert code.count("&http.Client{") == 1


def test_form_is_sent_as_exact_text_and_multipart_reads_the_file():
    form = generate(Request("POST", URL, body=FormBody((("b", "2"), ("a", "1 2")))), "go-nethttp")
    assert 'strings.NewReader("b=2&a=1+2")' in form.code
    assert '"application/x-www-form-urlencoded"' in form.code
    upload = MultipartBody((MultipartFile("f", "a.png", "image/png", path="a.png"),))
    code = generate(Request("POST", URL, body=upload), "go-nethttp").code
    assert 'os.Open("a.png")' in code and "form.FormDataContentType()" in code


def test_h2c_uses_http_protocols():
    code = generate(Request("GET", URL, version="HTTP/2"), "go-nethttp").code
    assert "SetUnencryptedHTTP2(true)" in code


def test_every_fixture_is_gofmt_clean(tmp_path):
    import shutil
    import subprocess

    from fidelity.fixtures import FIXTURES
    from reqlab.model import Options

    gofmt = shutil.which("gofmt")
    if gofmt is None:
        pytest.skip("gofmt not installed")
    requests = [fx.build(URL) for fx in FIXTURES.values()]
    opts = Options(
        follow_redirects=True,
        max_redirects=3,
        timeout=2.5,
        connect_timeout=1,
        verify=False,
        compressed=True,
        keep_alive=False,
    )
    requests.append(Request("GET", "https://x.test/", options=opts))
    for i, req in enumerate(requests):
        for style in ("exact", "idiomatic"):
            code = generate(req, "go-nethttp", style=style).code
            (tmp_path / f"c{i}_{style}.go").write_text(code)
    done = subprocess.run([gofmt, "-l", str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout == "", done.stdout + done.stderr


def test_keep_alive_off_is_declared():
    from reqlab.model import Options

    snippet = generate(Request("GET", URL, options=Options(keep_alive=False)), "go-nethttp")
    assert re.search(r"DisableKeepAlives: +true", snippet.code)
    assert any("Connection: close" in w for w in snippet.warnings)


def test_idiomatic_go_is_what_a_go_developer_writes():
    req = Request(
        "POST", URL, headers=(("x-id", "1"), ("X-Dup", "a"), ("x-dup", "b")), body=JsonBody([1])
    )
    code = generate(req, "go-nethttp").code
    assert "context.WithTimeout(context.Background(), 30*time.Second)" in code
    assert "http.NewRequestWithContext(ctx, http.MethodPost" in code
    assert "payload := `[1]`" in code  # a raw string literal
    assert 'req.Header.Set("x-id", "1")' in code and 'req.Header.Add("x-dup", "b")' in code
    assert "DisableCompression" not in code and "ErrUseLastResponse" not in code
    assert "http.DefaultClient.Do(req)" in code and "resp.StatusCode" in code
    # a request that needs a configured transport gets the exact style's client
    off = generate(Request("GET", URL, options=Options(keep_alive=False)), "go-nethttp").code
    assert "DisableKeepAlives" in off

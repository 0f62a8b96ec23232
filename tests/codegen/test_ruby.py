"""ruby-nethttp: the idioms chosen, the exact-header writer (proven against
a real echo server) and escaping checked with the real Ruby."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from tests.codegen._scripting import NASTY, evaluate

from reqlab.codegen import generate
from reqlab.codegen._escape import ruby_str
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


def test_literals_survive_ruby(tmp_path) -> None:
    assert evaluate("ruby", [ruby_str(s) for s in NASTY], tmp_path) == NASTY


def test_plain_headers_stay_plain() -> None:
    request = Request("GET", URL, headers=(("X-Api", "1"),))
    code = generate(request, "ruby-nethttp", style="exact").code
    assert "request['X-Api'] = '1'" in code
    assert "each_capitalized" not in code
    assert "Net::HTTP.start('127.0.0.1', 8081) do |http|" in code


def test_case_or_duplicates_use_the_exact_writer() -> None:
    for headers in ((("x-lower", "1"),), (("X-A", "1"), ("X-A", "2"))):
        code = generate(Request("GET", URL, headers=headers), "ruby-nethttp", style="exact").code
        assert "def request.each_capitalized" in code
        for name, value in headers:
            assert f"[{ruby_str(name)}, {ruby_str(value)}]," in code


def test_no_invented_form_content_type() -> None:
    for request in (Request("POST", URL, body=TextBody("x")), Request("POST", URL)):
        code = generate(request, "ruby-nethttp").code
        assert "def request.supply_default_content_type; end" in code
    typed = Request("POST", URL, headers=(("Content-Type", "text/csv"),), body=TextBody("a"))
    assert "supply_default_content_type" not in generate(typed, "ruby-nethttp").code


def test_methods() -> None:
    assert (
        "Net::HTTP::Propfind.new('/echo')"
        in generate(Request("PROPFIND", URL), "ruby-nethttp", style="exact").code
    )
    purge = generate(Request("PURGE", URL), "ruby-nethttp", style="exact").code
    assert "Net::HTTPGenericRequest.new('PURGE', false, true, '/echo')" in purge
    head = generate(Request("head", URL), "ruby-nethttp", style="exact").code
    assert "Net::HTTPGenericRequest.new('head', false, false, '/echo')" in head
    # the idiomatic style builds each from the URI
    assert "Net::HTTP::Propfind.new(uri)" in generate(Request("PROPFIND", URL), "ruby-nethttp").code
    purge = generate(Request("PURGE", URL), "ruby-nethttp").code
    assert "Net::HTTPGenericRequest.new('PURGE', false, true, uri)" in purge


def test_bodies_and_uploads() -> None:
    inline = generate(Request("PUT", URL, body=BytesBody(data=b"\x00\xff")), "ruby-nethttp")
    assert "Base64.strict_decode64('AP8=')" in inline.code and "require 'base64'" in inline.code
    from_file = generate(Request("PUT", URL, body=BytesBody(path="p.bin")), "ruby-nethttp")
    assert "request.body = File.binread('p.bin')" in from_file.code
    body = MultipartBody(
        (MultipartField("t", "v"), MultipartFile("f", "a b.png", "image/png", path="x.png"))
    )
    code = generate(Request("POST", URL, body=body), "ruby-nethttp").code
    assert (
        "['f', File.open('x.png', 'rb'), { filename: 'a b.png', content_type: 'image/png' }]"
        in code
    )
    assert "'multipart/form-data'" in code


def test_versions_and_auth() -> None:
    snippet = generate(
        Request("GET", URL, version="HTTP/1.0", auth=BasicAuth("u", "#{p}")), "ruby-nethttp"
    )
    assert not snippet.warnings
    assert "http.instance_variable_set(:@curr_http_version, '1.0')" in snippet.code
    assert "close" not in snippet.code  # HTTP/1.0 closes by itself
    assert "request.basic_auth('u', '#{p}')" in snippet.code
    h2 = generate(Request("GET", URL, version="HTTP/2"), "ruby-nethttp")
    assert any("HTTP/2" in w for w in h2.warnings)


@pytest.mark.skipif(shutil.which("ruby") is None, reason="ruby not installed")
def test_exact_writer_sends_case_order_and_duplicates(echo_server, tmp_path) -> None:
    headers = (("x-lower", "1"), ("X-Dup", "a #{x}"), ("X-Other", "$o"), ("x-dup", "b"))
    request = Request("POST", echo_server.url + "/echo", headers=headers, body=TextBody("hi"))
    path = tmp_path / "snippet.rb"
    path.write_text(generate(request, "ruby-nethttp").code)
    done = subprocess.run(["ruby", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    status, _, body = done.stdout.partition("\n")
    assert status == "200"
    echoed = json.loads(body)
    sent = [tuple(h) for h in echoed["headers"]]
    assert [h for h in sent if h[0].lower() in ("x-lower", "x-dup", "x-other")] == list(headers)
    assert not any(n.lower() == "content-type" for n, _ in sent)
    assert echoed["body"] == "hi"


def test_idiomatic_ruby_follows_the_net_http_docs() -> None:
    request = Request(
        "POST",
        URL + "?q=a%20b&t=1",
        headers=(("x-id", "7"),),
        body=JsonBody({"n": [1.5e-7, 2**70], "s": "#{x}"}),
    )
    code = generate(request, "ruby-nethttp").code
    assert "uri = URI('http://127.0.0.1:8081/echo')" in code
    assert "uri.query = URI.encode_www_form([\n  ['q', 'a b'],\n  ['t', '1'],\n])" in code
    assert "request = Net::HTTP::Post.new(uri)" in code and "request['x-id'] = '7'" in code
    assert "each_capitalized" not in code  # Net::HTTP's capitalized names are fine here
    assert f"'n' => [1.5e-07, {2**70}]," in code and "'s' => '#{x}'," in code
    assert "request.body = JSON.generate({" in code and "require 'json'" in code
    assert "Net::HTTP.start(uri.hostname, uri.port, open_timeout: 30, read_timeout: 30)" in code
    assert "response.value # raises unless the response is a 2xx" in code
    form = generate(Request("POST", URL, body=FormBody([("a", "1 2")])), "ruby-nethttp").code
    assert "request.set_form_data([\n  ['a', '1 2'],\n])" in form
    assert "request['Content-Type']" not in form  # set_form_data sets the form type itself
    typed = Request("POST", URL, headers=(("Content-Type", "text/x-form"),), body=FormBody([]))
    code = generate(typed, "ruby-nethttp").code
    assert code.index("set_form_data") < code.index("request['Content-Type'] = 'text/x-form'")
    # a repeated name would be joined by Net::HTTP: the exact writer
    dup = Request("GET", URL, headers=(("X-A", "1"), ("X-A", "2")))
    assert generate(dup, "ruby-nethttp").code == generate(dup, "ruby-nethttp", style="exact").code

"""csharp-httpclient: structure, warnings, and C# literals evaluated by mcs/mono."""

from __future__ import annotations

from tests.codegen._compiled import NASTY, evaluate

from reqlab.codegen import generate
from reqlab.codegen._escape import csharp_str
from reqlab.codegen.csharp import dotnet_rewrite
from reqlab.model import FormBody, Request, TextBody

URL = "http://127.0.0.1:8081/echo"


def test_csharp_literals_evaluate_to_the_exact_text(tmp_path):
    got = evaluate("csharp", [csharp_str(s) for s in NASTY], tmp_path)
    assert got == [s.encode() for s in NASTY]


def test_classic_main_without_async_or_top_level_statements():
    code = generate(Request("GET", URL), "csharp-httpclient", style="exact").code
    assert "static void Main()" in code and "async" not in code
    assert ".GetAwaiter().GetResult()" in code
    assert "static readonly HttpClient Client" in code


def test_body_content_type_is_exact_not_stringcontent():
    req = Request("POST", URL, headers=(("Content-Type", "text/plain"),), body=TextBody("x"))
    code = generate(req, "csharp-httpclient", style="exact").code
    assert 'new ByteArrayContent(Encoding.UTF8.GetBytes("x"))' in code
    assert 'content.Headers.TryAddWithoutValidation("Content-Type", "text/plain")' in code
    assert "StringContent" not in code


def test_limits_are_warned():
    req = Request("GET", URL, headers=(("X-D", "1"), ("X-D", "2"), ("X-U", "é")), version="HTTP/2")
    warnings = " ".join(generate(req, "csharp-httpclient").warnings)
    assert "X-D" in warnings and "comma-joined" in warnings
    assert "X-U" in warnings and "ASCII" in warnings
    assert "HTTP/2" in warnings


def test_http10_is_honoured():
    code = generate(Request("GET", URL, version="HTTP/1.0"), "csharp-httpclient").code
    assert "request.Version = HttpVersion.Version10;" in code


def test_dotnet_rewrite_predicts_the_reformatted_values():
    assert dotnet_rewrite("Accept", "a/b;q=0.9,*/*") == "a/b; q=0.9, */*"
    assert dotnet_rewrite("X-Other", "a;b") == "a;b"


def test_idiomatic_csharp_awaits_and_uses_the_content_types_made_for_it():
    req = Request("POST", URL, headers=(("Content-Type", "text/plain"),), body=TextBody("x"))
    code = generate(req, "csharp-httpclient").code
    assert "static async Task RunAsync()" in code and "await Client.SendAsync(request)" in code
    assert "response.EnsureSuccessStatusCode();" in code
    assert 'new StringContent("x")' in code and "ByteArrayContent" not in code
    # no "; charset=utf-8": the type is set as the request names it
    assert 'MediaTypeHeaderValue.Parse("text/plain")' in code
    assert "Timeout = TimeSpan.FromSeconds(30)" in code and "AllowAutoRedirect" not in code
    form = generate(Request("POST", URL, body=FormBody((("a", "1"),))), "csharp-httpclient")
    assert 'new KeyValuePair<string, string>("a", "1")' in form.code

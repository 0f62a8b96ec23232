"""java-httpclient, java-okhttp, kotlin-okhttp: structure, warnings, and the
Java/Kotlin literals evaluated by javac and the Kotlin compiler."""

from __future__ import annotations

import pytest
from tests.codegen._compiled import NASTY, evaluate

from reqlab.codegen import generate
from reqlab.codegen._escape import java_str, kotlin_str
from reqlab.model import JsonBody, Request, TextBody

URL = "http://127.0.0.1:8081/echo"


def test_java_literals_survive_the_unicode_escape_prelexing(tmp_path):
    texts = [*NASTY, "\\u000a", "\\\\u0022", "\u000a", "é\\u"]
    assert evaluate("java", [java_str(s) for s in texts], tmp_path) == [s.encode() for s in texts]


@pytest.mark.slow
def test_kotlin_literals_escape_templates(tmp_path):
    texts = [*NASTY, "${x}", "$x", "\\$"]
    assert evaluate("kotlin", [kotlin_str(s) for s in texts], tmp_path) == [
        s.encode() for s in texts
    ]


def test_httpclient_allows_the_restricted_headers_it_needs():
    req = Request("GET", URL, headers=(("Host", "example.test"),))
    code = generate(req, "java-httpclient").code
    assert 'System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");' in code
    assert code.index("setProperty") < code.index("HttpClient.newBuilder()")


def test_httpclient_drops_a_redundant_keep_alive_with_a_warning():
    req = Request("GET", URL, headers=(("Connection", "keep-alive"),))
    snippet = generate(req, "java-httpclient")
    assert "Connection" not in snippet.code.split("HttpRequest request")[1]
    assert any("Connection" in w for w in snippet.warnings)


def test_okhttp_uses_bytes_so_no_charset_is_appended():
    req = Request("POST", URL, body=JsonBody({"a": 1}))
    java = generate(req, "java-okhttp").code
    assert '.getBytes(StandardCharsets.UTF_8), MediaType.get("application/json"))' in java
    kotlin = generate(req, "kotlin-okhttp").code
    assert '.toByteArray().toRequestBody("application/json".toMediaType())' in kotlin


def test_okhttp_refuses_a_get_body_with_a_warning():
    snippet = generate(Request("GET", URL, body=TextBody("x")), "java-okhttp")
    assert any("refuses a body on GET" in w for w in snippet.warnings)
    assert ".get()" in snippet.code


def test_kotlin_dollar_is_escaped_and_java_main_shape():
    code = generate(Request("GET", URL, headers=(("X", "$HOME"),)), "kotlin-okhttp").code
    assert '"\\$HOME"' in code and "fun main()" in code
    java = generate(Request("GET", URL), "java-httpclient").code
    assert "public class Main" in java
    assert "public static void main(String[] args) throws Exception" in java


def test_httpclient_drops_non_ascii_values_it_would_mangle():
    snippet = generate(Request("GET", URL, headers=(("X-City", "Zürich"),)), "java-httpclient")
    assert "X-City" not in snippet.code
    assert any("X-City" in w and "ASCII" in w for w in snippet.warnings)


def test_okhttp_multipart_of_fields_only_imports_request_body():
    from reqlab.model import MultipartBody, MultipartField

    req = Request("POST", URL, body=MultipartBody((MultipartField("a", "b"),)))
    assert "import okhttp3.RequestBody;" in generate(req, "java-okhttp").code


def test_idiomatic_java_httpclient_encodes_checks_and_times_out() -> None:
    from reqlab.model import FormBody

    request = Request("POST", URL + "?q=a%20b&t=1", body=JsonBody({"s": 'a"""b\\u0041"'}))
    code = generate(request, "java-httpclient").code
    assert 'String query = String.join("&",' in code
    assert '"q=" + URLEncoder.encode("a b", StandardCharsets.UTF_8),' in code
    assert 'URI.create("http://127.0.0.1:8081/echo?" + query)' in code
    # a text block: backslashes doubled (no \\u escape), """ escaped
    assert (
        'String json = """\n        {\n          "s": "a\\\\"\\\\"\\\\"b\\\\\\\\u0041\\\\""\n'
        in code
    )
    assert ".timeout(Duration.ofSeconds(30))" in code
    assert "if (response.statusCode() >= 400) {" in code
    assert ".version(HttpClient.Version.HTTP_1_1)" in code  # else the JDK tries h2c first
    form = generate(Request("PUT", URL, body=FormBody([("a b", "1")])), "java-httpclient").code
    assert 'String form = "a+b=" + URLEncoder.encode("1", StandardCharsets.UTF_8);' in form
    exact = generate(request, "java-httpclient", style="exact").code
    assert "URLEncoder" not in exact and "statusCode() >= 400" not in exact


def test_idiomatic_okhttp_follows_the_recipes() -> None:
    from reqlab.model import FormBody

    request = Request("POST", URL + "?q=a%20b", body=JsonBody({"a": 1}))
    java = generate(request, "java-okhttp").code
    assert 'HttpUrl url = HttpUrl.get("http://127.0.0.1:8081/echo").newBuilder()' in java
    assert '.addQueryParameter("q", "a b")' in java and ".url(url)" in java
    assert (
        'RequestBody.create("""\n                {\n                  "a": 1\n                }""".'
        in java
    )
    assert ".callTimeout(Duration.ofSeconds(30))" in java and "followRedirects" not in java
    assert 'throw new IOException("Unexpected code " + response);' in java
    kotlin = generate(request, "kotlin-okhttp").code
    assert '"http://127.0.0.1:8081/echo".toHttpUrl().newBuilder()' in kotlin
    assert (
        '""".trimIndent().toByteArray().toRequestBody("application/json".toMediaType())' in kotlin
    )
    assert 'if (!response.isSuccessful) throw IOException("Unexpected code $response")' in kotlin
    form = generate(Request("POST", URL, body=FormBody([("a", "1 2")])), "java-okhttp").code
    assert 'new FormBody.Builder()\n                .add("a", "1 2")' in form
    assert "MediaType" not in form  # FormBody says its type itself
    # a '$' cannot be in a Kotlin raw string: the exact text then
    dollar = generate(Request("POST", URL, body=JsonBody({"p": "$x"})), "kotlin-okhttp").code
    assert "trimIndent" not in dollar and '\\"\\$x\\"' in dollar

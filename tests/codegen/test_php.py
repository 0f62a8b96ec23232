"""php-curl and php-guzzle: structure, the curl defaults they switch off,
and escaping checked by evaluating the literals with the real PHP."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from tests.codegen._scripting import NASTY, evaluate

from reqlab.codegen import generate
from reqlab.codegen._escape import php_str
from reqlab.model import (
    BasicAuth,
    BearerAuth,
    BytesBody,
    DigestAuth,
    FormBody,
    JsonBody,
    MultipartBody,
    MultipartField,
    MultipartFile,
    Request,
    TextBody,
)

URL = "http://127.0.0.1:8081/echo"
PHP = ("php-curl", "php-guzzle")


def test_literals_survive_php(tmp_path) -> None:
    assert evaluate("php", [php_str(s) for s in NASTY], tmp_path) == NASTY


@pytest.mark.parametrize("target", PHP)
def test_nasty_values_are_single_literals(target: str) -> None:
    text = "$HOME ${x} {$y} \\ ' \" `id`"
    code = generate(
        Request("POST", URL, headers=(("X-Q", text),), body=TextBody(text)), target
    ).code
    assert php_str(text) in code
    assert '"$HOME' not in code  # never inside double quotes, where $ interpolates


def test_curl_switches_off_what_curl_adds() -> None:
    code = generate(Request("POST", URL, body=TextBody("x")), "php-curl", style="exact").code
    assert "'Content-Type:', // none: curl would add a form Content-Type" in code
    assert "'Expect:', // no Expect: 100-continue from curl" in code
    # idiomatic: curl asks for 100-continue only past 1 KiB, so a small body needs no guard
    small = generate(Request("POST", URL, body=TextBody("x")), "php-curl").code
    assert "'Content-Type:', // none" in small and "'Expect:'" not in small
    large = generate(Request("POST", URL, body=TextBody("x" * 2000)), "php-curl").code
    assert "'Expect:', // no Expect: 100-continue from curl" in large
    empty = generate(Request("POST", URL), "php-curl").code
    assert "CURLOPT_POSTFIELDS => ''," in empty and "'Content-Type:'" in empty
    typed = generate(
        Request("POST", URL, headers=(("Content-Type", "text/csv"),), body=TextBody("a")),
        "php-curl",
    ).code
    assert "'Content-Type:'" not in typed and "'Content-Type: text/csv'," in typed


def test_curl_headers_in_order_with_duplicates_and_empty_values() -> None:
    request = Request("GET", URL, headers=(("X-Dup", "a"), ("X-Empty", ""), ("x-dup", "b")))
    code = generate(request, "php-curl").code
    assert "'X-Dup: a',\n        'X-Empty;',\n        'x-dup: b'," in code


@pytest.mark.parametrize(
    ("version", "constant"),
    [
        ("HTTP/1.0", "CURL_HTTP_VERSION_1_0"),
        ("HTTP/1.1", "CURL_HTTP_VERSION_1_1"),
        ("HTTP/2", "CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE"),
    ],
)
def test_curl_versions(version: str, constant: str) -> None:
    snippet = generate(Request("GET", URL, version=version), "php-curl")  # type: ignore[arg-type]
    assert f"CURLOPT_HTTP_VERSION => {constant}," in snippet.code
    assert not snippet.warnings


def test_curl_auth_kinds() -> None:
    basic = generate(Request("GET", URL, auth=BasicAuth("a:b", "p")), "php-curl").code
    assert "CURLOPT_USERNAME => 'a:b'," in basic  # USERPWD would split at the colon
    digest = generate(Request("GET", URL, auth=DigestAuth("u", "p")), "php-curl")
    assert "CURLAUTH_DIGEST" in digest.code and not digest.warnings
    bearer = generate(Request("GET", URL, auth=BearerAuth("t0k")), "php-curl").code
    assert "CURLOPT_XOAUTH2_BEARER => 't0k'," in bearer


def test_uploads() -> None:
    body = MultipartBody(
        (
            MultipartField("title", "t"),
            MultipartFile("photo", "me.png", "image/png", path="photo.png"),
            MultipartFile("raw", "raw.bin", None, data=b"\x00"),
        )
    )
    curl = generate(Request("POST", URL, body=body), "php-curl").code
    assert "'photo' => new CURLFile('photo.png', 'image/png', 'me.png')," in curl
    assert (
        "new CURLStringFile(base64_decode('AA=='), 'raw.bin', 'application/octet-stream')" in curl
    )
    guzzle = generate(Request("POST", URL, body=body), "php-guzzle").code
    assert "'contents' => fopen('photo.png', 'r')," in guzzle
    assert "boundary" not in guzzle


def test_curl_repeated_field_names_are_encoded_by_the_snippet() -> None:
    body = MultipartBody((MultipartField("tag", "a"), MultipartField("tag", "b")))
    snippet = generate(Request("POST", URL, body=body), "php-curl")
    assert "random_bytes(12)" in snippet.code
    assert any("repeat" in w for w in snippet.warnings)


def test_binary_file_read_at_run_time() -> None:
    request = Request("PUT", URL, body=BytesBody(path="payload.bin"))
    assert (
        "CURLOPT_POSTFIELDS => file_get_contents('payload.bin'),"
        in generate(request, "php-curl").code
    )
    assert "'body' => fopen('payload.bin', 'r')," in generate(request, "php-guzzle").code


def test_guzzle_headers_arrays_and_options() -> None:
    request = Request(
        "GET",
        URL,
        headers=(("X-Dup", "a"), ("X-Other", "o"), ("X-Dup", "b")),
        auth=BearerAuth("t"),
        version="HTTP/1.0",
    )
    code = generate(request, "php-guzzle").code
    assert "'X-Dup' => ['a', 'b']," in code
    assert "'Authorization' => 'Bearer t'," in code
    assert "'version' => '1.0'," in code
    assert "'http_errors' => false," not in code  # idiomatic: Guzzle throws on 4xx/5xx
    assert "'http_errors' => false," in generate(request, "php-guzzle", style="exact").code
    assert "require '/usr/share/php/GuzzleHttp/autoload.php';" in code


def test_idiomatic_guzzle_uses_its_request_options() -> None:
    request = Request(
        "POST", URL + "?q=a%20b&p=2", body=JsonBody({"a": [1.5e-7], "0": {}, "n": None})
    )
    code = generate(request, "php-guzzle").code
    assert "$client = new Client(['timeout' => 30]);" in code
    assert "$response = $client->post('http://127.0.0.1:8081/echo', [" in code
    assert "'query' => [\n        'q' => 'a b',\n        'p' => '2',\n    ]," in code
    assert "'json' => [\n        'a' => [1.5e-07],\n        '0' => new \\stdClass(),\n" in code
    assert "'Content-Type'" not in code and "'allow_redirects'" not in code
    form = generate(Request("PUT", URL, body=FormBody([("a", "1 2")])), "php-guzzle").code
    assert "$client->put(" in form and "'form_params' => [\n        'a' => '1 2',\n" in form
    # a repeated name cannot be a PHP array key: the query stays in the URL
    repeated = generate(Request("GET", URL + "?t=1&t=2"), "php-guzzle").code
    assert "'query'" not in repeated and "echo?t=1&t=2'" in repeated
    # Guzzle's json option reads null as "no body": the exact text then
    null = generate(Request("POST", URL, body=JsonBody(None)), "php-guzzle").code
    assert "'json'" not in null and "'body' => 'null'" in null


def test_idiomatic_curl_builds_the_query_and_the_json() -> None:
    request = Request("POST", URL + "?q=a%20b", body=JsonBody({"0": 1, "1": 2}))
    code = generate(request, "php-curl").code
    assert "$query = http_build_query([\n    'q' => 'a b',\n], '', '&', PHP_QUERY_RFC3986);" in code
    assert "$ch = curl_init('http://127.0.0.1:8081/echo?' . $query);" in code
    assert "$payload = (object) [\n    '0' => 1,\n    '1' => 2,\n];" in code  # else a list
    assert (
        "CURLOPT_POSTFIELDS => json_encode($payload, JSON_UNESCAPED_SLASHES"
        " | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR)," in code
    )
    assert "CURLOPT_TIMEOUT => 30," in code and "CURLOPT_FAILONERROR => true," in code
    big = generate(Request("POST", URL, body=JsonBody([2**64])), "php-curl").code
    assert "json_encode" not in big and str(2**64) in big  # past PHP_INT_MAX: the exact text


@pytest.mark.parametrize("target", PHP)
def test_snippets_parse(target: str, tmp_path: Path) -> None:
    if not Path("/usr/bin/php").exists():
        pytest.skip("php not installed")
    request = Request("POST", URL, headers=(("X-A", "$x"),), body=TextBody("line\n$y"))
    path = tmp_path / "snippet.php"
    path.write_text(generate(request, target).code)
    done = subprocess.run(["php", "-l", str(path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_guzzle_quotes_part_names_as_browsers_do() -> None:
    body = MultipartBody((MultipartFile("f", 'a "b"\\.txt', "text/plain", data=b"x"),))
    code = generate(Request("POST", URL, body=body), "php-guzzle").code
    assert "'filename' => 'a %22b%22\\\\\\\\.txt'," in code  # backslash doubled, in PHP too

"""rust-reqwest: structure, warnings, and Rust literals evaluated by rustc."""

from __future__ import annotations

import pytest
from tests.codegen._compiled import NASTY, evaluate

from reqlab.codegen import generate
from reqlab.codegen._escape import rust_str
from reqlab.model import BasicAuth, BytesBody, JsonBody, Request

URL = "http://127.0.0.1:8081/echo"


def test_rust_literals_evaluate_to_the_exact_text(tmp_path):
    assert evaluate("rust", [rust_str(s) for s in NASTY], tmp_path) == [s.encode() for s in NASTY]


def test_versions_are_honoured():
    assert (
        ".version(Version::HTTP_10)"
        in generate(Request("GET", URL, version="HTTP/1.0"), "rust-reqwest").code
    )
    assert (
        ".http2_prior_knowledge()"
        in generate(Request("GET", URL, version="HTTP/2"), "rust-reqwest").code
    )


def test_json_body_is_the_exact_text_with_its_type():
    request = Request("POST", URL, body=JsonBody({"a": "é"}))
    code = generate(request, "rust-reqwest", style="exact").code
    assert '.body("{\\"a\\":\\"é\\"}")' in code
    assert '.header("Content-Type", "application/json")' in code


def test_inline_bytes_are_an_exact_byte_literal_and_auth_uses_the_builder():
    req = Request("PUT", URL, body=BytesBody(data=b'\x00\xff"\\'), auth=BasicAuth("u", "p"))
    code = generate(req, "rust-reqwest").code
    assert '.body(b"\\x00\\xff\\"\\\\".to_vec())' in code
    assert '.basic_auth("u", Some("p"))' in code


def test_redirects_off_and_one_client():
    code = generate(Request("GET", URL), "rust-reqwest", style="exact").code
    assert "redirect::Policy::none()" in code and code.count("Client::builder()") == 1
    # idiomatic: reqwest's own policy (it follows up to ten)
    assert "redirect" not in generate(Request("GET", URL), "rust-reqwest").code


def test_every_fixture_is_rustfmt_clean(tmp_path):
    import shutil
    import subprocess

    from fidelity.fixtures import FIXTURES
    from reqlab.model import Options

    rustfmt = shutil.which("rustfmt")
    if rustfmt is None:
        pytest.skip("rustfmt not installed")
    requests = [fx.build(URL) for fx in FIXTURES.values()]
    opts = Options(
        follow_redirects=True,
        max_redirects=3,
        timeout=2.5,
        connect_timeout=1,
        verify=False,
        keep_alive=False,
    )
    requests.append(Request("GET", "https://x.test/", options=opts, version="HTTP/2"))
    files = []
    for i, req in enumerate(requests):
        for style in ("idiomatic", "exact"):
            files.append(tmp_path / f"c{i}_{style}.rs")
            files[-1].write_text(generate(req, "rust-reqwest", style=style).code)
    done = subprocess.run(
        [rustfmt, "--edition", "2021", "--check", *map(str, files)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr


def test_an_explicit_authorization_header_wins_over_auth():
    req = Request("GET", URL, headers=(("Authorization", "Token t"),), auth=BasicAuth("u", "p"))
    for target in ("rust-reqwest", "go-nethttp", "csharp-httpclient", "java-okhttp"):
        code = generate(req, target).code
        assert "Token t" in code
        assert "basic" not in code.lower().replace("basicauth", ""), target


def test_idiomatic_reqwest_uses_its_helpers():
    from reqlab.model import FormBody

    request = Request("POST", URL + "?q=a%20b", body=JsonBody({"n": [1.5e-7, 2**63], "s": "é"}))
    code = generate(request, "rust-reqwest").code
    assert '.query(&[("q", "a b")])' in code and "use serde_json::json;" in code
    assert '.json(&json!({\n            "n": [1.5e-07, 9223372036854775808],' in code
    assert '"Content-Type"' not in code  # .json() sets it
    assert ".timeout(Duration::from_secs(30))" in code
    assert ".send()?\n        .error_for_status()?;" in code
    form = generate(Request("POST", URL, body=FormBody([("a", "1 2")])), "rust-reqwest").code
    assert '.form(&[("a", "1 2")])' in form and '"Content-Type"' not in form
    # past u64 serde_json's json! cannot write the number: the exact text
    big = generate(Request("POST", URL, body=JsonBody([2**64])), "rust-reqwest").code
    assert "json!" not in big and f'.body("[{2**64}]")' in big

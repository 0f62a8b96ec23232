"""The shell targets: scripts parse (bash -n), quote everything, build
multipart bodies at run time, and warn about what the tool cannot do."""

from __future__ import annotations

import subprocess

import pytest

from fidelity.fixtures import FILES, FIXTURES
from reqlab.codegen import generate
from reqlab.codegen._escape import powershell_str
from reqlab.model import (
    BytesBody,
    FormBody,
    JsonBody,
    MultipartBody,
    MultipartField,
    MultipartFile,
    Options,
    Request,
    TextBody,
)

SHELL = ["shell-curl", "shell-wget", "shell-httpie", "curl"]
URL = "http://127.0.0.1:8081/echo"
BASE = "http://127.0.0.1:8081"


@pytest.mark.parametrize("target", SHELL)
def test_every_fixture_parses_in_bash(target, tmp_path) -> None:
    for fixture in FIXTURES.values():
        for style in ("idiomatic", "exact"):
            path = tmp_path / f"{fixture.id}-{style}.sh"
            # The curl format embeds a body it cannot reference, as `reqlab gen` does.
            request = fixture.build(BASE)
            code = generate(request, target, read_file=FILES.__getitem__, style=style).code
            path.write_text(code, encoding="utf-8")
            done = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True)
            assert done.returncode == 0, f"{fixture.id} ({style}): {done.stderr}"


def test_idiomatic_curl_is_what_a_curl_user_types() -> None:
    get = Request("GET", URL + "?q=a%20b&tag=%C3%A9&tag=2", options=Options(timeout=5))
    code = generate(get, "shell-curl").code
    assert code == (
        "curl http://127.0.0.1:8081/echo \\\n"
        "  -G \\\n"
        "  --data-urlencode 'q=a b' \\\n"
        "  --data-urlencode 'tag=é' \\\n"
        "  --data-urlencode tag=2 \\\n"
        "  --fail-with-body \\\n"
        "  --max-time 5\n"
    )
    assert "?q=a%20b" in generate(get, "shell-curl", style="exact").code
    form = Request("POST", URL, body=FormBody([("a b", "1+2"), ("c", "&")]))
    code = generate(form, "shell-curl").code
    assert "--data-urlencode a%20b=1+2" in code and "--data-urlencode 'c=&'" in code
    assert "-X POST" not in code and "-i" not in code.split() and "--max-time 30" in code
    typed = Request(
        "POST", URL, headers=[("Content-Type", "application/json")], body=JsonBody({"a": 1})
    )
    code = generate(typed, "shell-curl").code
    assert "--json '{\"a\":1}'" in code and "Content-Type" not in code and "Accept" not in code
    # an empty field name would lose its '=' in --data-urlencode: the raw form stays
    empty = generate(Request("POST", URL, body=FormBody([("", "x")])), "shell-curl").code
    assert "--data-raw =x" in empty and "--data-urlencode" not in empty
    # a query next to a body stays in the URL (-G would turn the body into a query)
    both = generate(Request("POST", URL + "?x=1", body=JsonBody([1])), "shell-curl").code
    assert "echo?x=1" in both and "-G" not in both


def test_nasty_text_reaches_the_tool_intact(tmp_path) -> None:
    """Replace the tool by a recorder of its argv: every word arrives as written."""
    text = "quote \" ' $HOME `id` #{x} %d \\n\nline\ttab ü 😀"
    value = text.replace("\n", " ")  # header values cannot hold line breaks
    req = Request("POST", URL, headers=(("X-Q", value),), body=TextBody(text))
    for target, tool in (("shell-wget", "wget"), ("shell-httpie", "http"), ("shell-curl", "curl")):
        script = generate(req, target).code
        fake = f'{tool}() {{ printf "%s\\0" "$@"; }}\n'
        path = tmp_path / f"{tool}.sh"
        path.write_text(fake + script.replace("#!/usr/bin/env bash\n", ""), encoding="utf-8")
        done = subprocess.run(["bash", str(path)], capture_output=True, check=True)
        words = done.stdout.decode().split("\0")
        assert any(value in w for w in words if "X-Q" in w), (target, words)
        assert any(w.endswith(text) for w in words if "X-Q" not in w), (target, words)


def test_curl_speaks_h2c_with_prior_knowledge() -> None:
    code = generate(FIXTURES["http2_post"].build(BASE), "shell-curl").code
    assert "--http2-prior-knowledge" in code and "--http2 " not in code
    seed = generate(FIXTURES["seed_http10_keepalive"].build(BASE), "shell-curl").code
    assert "--http1.0" in seed and "Connection: keep-alive" in seed


def test_multipart_body_built_at_run_time() -> None:
    body = MultipartBody(
        (MultipartField("t", "v"), MultipartFile("f", "renamed.bin", "image/png", path="x.bin"))
    )
    req = Request("POST", URL, body=body)
    for target in ("shell-wget", "shell-httpie"):
        code = generate(req, target).code
        assert "cat x.bin" in code  # the file's bytes, read when the script runs
        assert 'boundary="----reqlab$(date +%s)$RANDOM$RANDOM"' in code
        assert "boundary=$boundary" in code
    # HTTPie uploads a file under its own name natively; the script is only needed to rename.
    same = MultipartBody((MultipartFile("f", "x.bin", "image/png", path="x.bin"),))
    code = generate(Request("POST", URL, body=same), "shell-httpie").code
    assert "--multipart" in code and "'f@x.bin;type=image/png'" in code


def test_inline_bytes_go_through_base64() -> None:
    req = Request("PUT", URL, body=BytesBody(data=b"\x00\xff\r\n"))
    for target in ("shell-wget", "shell-httpie"):
        code = generate(req, target).code
        assert "base64 -d" in code and "AP8NCg==" in code


def test_tool_limits_are_warned() -> None:
    dup = Request("GET", URL, headers=(("X-A", "1"), ("X-A", "2")))
    assert any("X-A" in w for w in generate(dup, "shell-wget").warnings)
    assert not generate(dup, "shell-httpie").warnings
    untyped = Request("POST", URL, body=TextBody("x"))
    assert any("Content-Type" in w for w in generate(untyped, "shell-wget").warnings)
    assert "  Content-Type:\n" in generate(untyped, "shell-httpie").code
    for target in ("shell-wget", "shell-httpie"):
        warnings = generate(FIXTURES["seed_http10_keepalive"].build(BASE), target).warnings
        assert any("HTTP/1.0" in w for w in warnings)


def test_powershell_spells_what_it_can() -> None:
    code = generate(FIXTURES["custom_method_body"].build(BASE), "powershell-invokewebrequest")
    assert "CustomMethod" in code.code and "'PROPFIND'" in code.code
    seed = generate(FIXTURES["seed_http10_keepalive"].build(BASE), "powershell-invokewebrequest")
    assert "HttpVersion          = '1.0'" in seed.code
    dup = generate(FIXTURES["header_duplicates"].build(BASE), "powershell-invokewebrequest")
    assert any("comma-joined" in w for w in dup.warnings)
    assert powershell_str("it's") == "'it''s'"


def test_large_bodies_go_through_a_file_not_an_argument() -> None:
    """One argument may hold at most 128 KiB; curl waits for 100 Continue over 1 MiB."""
    big = Request(
        "PUT", URL, headers=(("Content-Type", "text/plain"),), body=TextBody("ab\n" * 400_000)
    )
    for target in ("shell-curl", "shell-wget", "shell-httpie"):
        code = generate(big, target).code
        assert 'base64 -d > "$body"' in code
        assert max(len(line) for line in code.splitlines() if "base64" not in line) < 200
    assert "-H 'Expect:'" in generate(big, "shell-curl").code
    small = Request("PUT", URL, body=TextBody("ab"))
    assert "Expect" not in generate(small, "shell-curl").code

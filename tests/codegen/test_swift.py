"""swift-urlsession: structure, warnings, and that every snippet parses
(no Swift toolchain here: tree-sitter's Swift grammar is the check)."""

from __future__ import annotations

from tests.codegen._compiled import NASTY
from tests.fidelity.runners.swift import parse_swift

from reqlab.codegen import generate
from reqlab.codegen._escape import swift_str
from reqlab.model import MultipartBody, MultipartField, Request

URL = "http://127.0.0.1:8081/echo"


def test_nasty_literals_parse_and_defuse_interpolation(tmp_path):
    path = tmp_path / "main.swift"
    path.write_text("let items = [\n" + "".join(f"    {swift_str(s)},\n" for s in NASTY) + "]\n")
    assert parse_swift(path).returncode == 0
    assert swift_str("\\(x)") == '"\\\\(x)"'


def test_parse_check_catches_broken_code(tmp_path):
    path = tmp_path / "bad.swift"
    path.write_text('let x = "unterminated\nprint(x)\n')
    assert parse_swift(path).returncode == 1


def test_limits_are_warned():
    req = Request(
        "GET", URL, headers=(("X-D", "1"), ("X-D", "2"), ("Host", "h")), version="HTTP/1.0"
    )
    warnings = " ".join(generate(req, "swift-urlsession").warnings)
    assert "X-D" in warnings and "Host" in warnings and "HTTP/1.0" in warnings


def test_multipart_boundary_is_made_at_run_time(tmp_path):
    req = Request("POST", URL, body=MultipartBody((MultipartField("a", "b"),)))
    code = generate(req, "swift-urlsession").code
    assert "UUID().uuidString" in code and "boundary=\\(boundary)" in code
    path = tmp_path / "main.swift"
    path.write_text(code)
    assert parse_swift(path).returncode == 0

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


def test_idiomatic_swift_awaits_urlsession_and_checks_the_status() -> None:
    from reqlab.model import JsonBody

    request = Request("POST", URL + "?q=a%20b&p=2", body=JsonBody({"n": [1, None], "o": {}}))
    code = generate(request, "swift-urlsession").code
    assert 'var components = URLComponents(string: "http://127.0.0.1:8081/echo")!' in code
    assert 'URLQueryItem(name: "q", value: "a b"),' in code
    assert "request.timeoutInterval = 30.0" in code
    assert '"n": [1, NSNull()] as [Any],' in code and '"o": [:] as [String: Any],' in code
    assert "try JSONSerialization.data(withJSONObject: payload)" in code
    assert "let (data, response) = try await URLSession.shared.data(for: request)" in code
    assert "(200..<300).contains(http.statusCode)" in code
    # a '+' would reach the server literally through URLComponents: the URL as written
    plus = generate(Request("GET", URL + "?q=a%2Bb"), "swift-urlsession").code
    assert "URLComponents" not in plus and "echo?q=a%2Bb" in plus
    scalar = generate(Request("POST", URL, body=JsonBody("s")), "swift-urlsession").code
    assert "options: .fragmentsAllowed" in scalar

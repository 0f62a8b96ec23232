"""The harness must catch the faults other generators are known for.

Each test sends a deliberately wrong request to the recording echo server
(raw bytes over a socket, or a real snippet run with python) and checks
that the comparison reports exactly that fault - so a passing matrix
cannot be vacuous.
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator

import pytest

from fidelity.compare import Received, compare, wire_target
from fidelity.fixtures import FILES, FIXTURES
from fidelity.harness import Case, run_commands
from fidelity.parsing import parse_form, parse_multipart
from fidelity.server import RecordingEchoServer, split_key

pytestmark = pytest.mark.xdist_group("fidelity-harness")


@pytest.fixture(scope="module")
def server() -> Iterator[RecordingEchoServer]:
    s = RecordingEchoServer()
    yield s
    s.close()


def send_raw(server: RecordingEchoServer, key: int, head: str, body: bytes = b"") -> Received:
    """Send ``head`` (request line and headers, ``{T}`` = the case prefix) and ``body``."""
    port = int(server.url.rsplit(":", 1)[1])
    head = head.replace("{T}", f"/_c/{key}").replace("\n", "\r\n") + "\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head.encode("utf-8") + body)
        sock.shutdown(socket.SHUT_WR)
        while sock.recv(65536):
            pass
    (received,) = server.recorder.take(str(key))
    return received


def model(name: str, server: RecordingEchoServer, key: int):
    return FIXTURES[name].build(server.base_url(key))


def judge(name, server, key, head, body=b"", warnings=()):
    received = send_raw(server, key, head, body)
    return compare(
        model(name, server, key), received, read_file=lambda p: FILES[p], warnings=warnings
    )


def test_exact_request_is_exact(server):
    head = "GET {T}/echo HTTP/1.1\nHost: x\nX-Dup: first\nX-Other: between\nX-Dup: second\nx-dup: third, with comma"
    verdict = judge("header_duplicates", server, 1, head)
    assert verdict.status == "exact", verdict.explain()


def test_collapsed_duplicate_headers_fail(server):
    head = (
        "GET {T}/echo HTTP/1.1\nHost: x\nX-Dup: first, second, third, with comma\nX-Other: between"
    )
    verdict = judge("header_duplicates", server, 2, head)
    assert verdict.status == "fail"
    assert [d.kind for d in verdict.differences] == ["header"]
    assert "X-Dup" in verdict.explain()


def test_double_encoded_query_fails(server):
    head = "GET {T}/echo?city=Z%25C3%25BCrich&emoji=%F0%9F%98%80&ja=%E6%97%A5 HTTP/1.1\nHost: x"
    verdict = judge("query_unicode", server, 3, head)
    assert [d.kind for d in verdict.differences] == ["target"]


def test_regrouped_query_fails(server):
    head = "GET {T}/echo?tag=b&tag=a&tag=b&x=1&empty=&flag HTTP/1.1\nHost: x"
    assert judge("query_repeats", server, 4, head).status == "fail"


def test_raw_unicode_and_encoded_forms_agree():
    assert wire_target("/echo?name=café") == wire_target("/echo?name=caf%c3%a9")
    assert wire_target("/a%2Fb") != wire_target("/a/b")


def test_invented_content_type_on_empty_post_fails(server):
    head = "POST {T}/echo HTTP/1.1\nHost: x\nContent-Type: application/x-www-form-urlencoded\nContent-Length: 0"
    verdict = judge("empty_post", server, 5, head)
    assert [d.key for d in verdict.differences] == ["Content-Type"]


def test_charset_appended_to_content_type_fails(server):
    body = b'{"data":{"type":"photos","id":"1"}}'
    head = f"POST {{T}}/echo HTTP/1.1\nHost: x\nContent-Type: application/vnd.api+json; charset=utf-8\nContent-Length: {len(body)}"
    verdict = judge("json_custom_type", server, 6, head, body)
    assert [d.key for d in verdict.differences] == ["Content-Type"]


def test_json_with_other_spacing_fails(server):
    body = b'{"data": {"type": "photos", "id": "1"}}'
    head = f"POST {{T}}/echo HTTP/1.1\nHost: x\nContent-Type: application/vnd.api+json\nContent-Length: {len(body)}"
    assert [d.kind for d in judge("json_custom_type", server, 7, head, body).differences] == [
        "body"
    ]


def test_body_on_get_fails(server):
    head = "GET {T}/echo HTTP/1.1\nHost: x\nContent-Length: 2"
    assert [d.kind for d in judge("get_short", server, 8, head, b"{}").differences] == ["body"]


def test_reencoded_cookie_fails(server):
    head = "GET {T}/echo HTTP/1.1\nHost: x\nCookie: session=abc%253D%253D; theme=dark; pref=%22a%20b%22; path=/x/y"
    assert [d.key for d in judge("cookies", server, 9, head).differences] == ["Cookie"]


def multipart(parts: list[tuple[str, str | None, str | None, bytes]], boundary: str) -> bytes:
    out = b""
    for name, filename, ctype, data in parts:
        disp = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out += f"--{boundary}\r\nContent-Disposition: {disp}\r\n".encode()
        out += (f"Content-Type: {ctype}\r\n" if ctype else "").encode() + b"\r\n" + data + b"\r\n"
    return out + f"--{boundary}--\r\n".encode()


def _multipart_file_parts(photo: bytes) -> list:
    from fidelity.fixtures import NASTY, UNICODE

    return [
        ("title", None, None, ("Holiday " + UNICODE).encode()),
        ("photo", "photo.png", "image/png", photo),
        ("quote", None, "text/plain; charset=utf-8", NASTY.encode()),
    ]


@pytest.mark.parametrize(
    "photo, status",
    [(FILES["photo.png"], "exact"), (b"", "fail"), (b"open('photo.png', 'rb')", "fail")],
    ids=["real-file", "empty-file", "file-as-text"],
)
def test_multipart_file_content_is_checked(server, photo, status):
    body = multipart(_multipart_file_parts(photo), "xyzBOUNDARY")
    head = f"POST {{T}}/echo HTTP/1.1\nHost: x\nContent-Type: multipart/form-data; boundary=xyzBOUNDARY\nContent-Length: {len(body)}"
    key = {"exact": 10, "fail": 11}[status] + len(photo) % 7 * 10
    verdict = judge("multipart_file", server, key, head, body)
    assert verdict.status == status, verdict.explain()


def test_multipart_boundary_must_match_header(server):
    body = multipart(_multipart_file_parts(FILES["photo.png"]), "realBOUNDARY")
    head = f"POST {{T}}/echo HTTP/1.1\nHost: x\nContent-Type: multipart/form-data; boundary=otherBOUNDARY\nContent-Length: {len(body)}"
    assert judge("multipart_file", server, 90, head, body).status == "fail"


def test_form_plus_left_literal_fails(server):
    # "k&=+%" must arrive as k%26%3D%2B%25; a literal '+' decodes as a space.
    fields = FIXTURES["form_special"].build("http://h").body.fields
    from urllib.parse import quote_plus

    wrong = "&".join(f"{quote_plus(n, safe='+')}={quote_plus(v, safe='+')}" for n, v in fields)
    head = f"POST {{T}}/echo HTTP/1.1\nHost: x\nContent-Type: application/x-www-form-urlencoded\nContent-Length: {len(wrong.encode())}"
    assert judge("form_special", server, 91, head, wrong.encode()).status == "fail"


def test_version_difference_counts_only_when_declared(server):
    head = "GET {T}/echo HTTP/1.1\nHost: x\nConnection: keep-alive\nKeep-Alive: timeout=5, max=100"
    assert judge("seed_http10_keepalive", server, 92, head).status == "fail"
    warned = ["this library speaks HTTP/1.1; the request's HTTP/1.0 cannot be chosen"]
    verdict = judge("seed_http10_keepalive", server, 93, head, warnings=warned)
    assert verdict.status == "warned"


def test_http10_without_keep_alive_fails_the_seed(server):
    head = "GET {T}/echo HTTP/1.0\nHost: x\nKeep-Alive: timeout=5, max=100"
    verdict = judge("seed_http10_keepalive", server, 94, head)
    assert [d.kind for d in verdict.differences] == ["connection"]


def test_head_is_recorded_by_the_server(server):
    head = "HEAD {T}/echo HTTP/1.1\nHost: x\nX-Check: head"
    assert judge("head", server, 95, head).status == "exact"
    assert split_key("/_c/12/echo?x") == ("12", "/echo?x")


def test_parsers_are_strict():
    with pytest.raises(ValueError):
        parse_form(b"a=1&b")
    with pytest.raises(ValueError):
        parse_multipart(b"--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx", "b")


def test_a_real_snippet_that_collapses_duplicates_is_caught(server, tmp_path):
    """requests with a plain dict, the way most generators write it."""
    url = model("header_duplicates", server, 96).url
    code = (
        "import requests\n"
        f"r = requests.get({url!r}, headers={{'X-Dup': 'first, second, third, with comma',"
        " 'X-Other': 'between'})\nprint(r.status_code)\n"
    )
    (tmp_path / "main.py").write_text(code)
    case = Case("t:f", "python-requests", "header_duplicates", code, tmp_path, "main.py", 96)
    result = run_commands([(case, [sys.executable, "main.py"])])[case.id]
    assert result.returncode == 0, result.tail()
    (received,) = server.recorder.take("96")
    verdict = compare(model("header_duplicates", server, 96), received, read_file=FILES.get)
    assert verdict.status == "fail" and "X-Dup" in verdict.explain()


def test_header_text_must_arrive_as_utf8(server):
    from reqlab.model import Request

    port = int(server.url.rsplit(":", 1)[1])
    want = Request("GET", f"{server.url}/_c/97/echo", headers=(("X-Name", "Zoë"),))
    for key, raw, status in ((97, "Zoë".encode(), "exact"), (98, "Zoë".encode("latin-1"), "fail")):
        head = f"GET /_c/{key}/echo HTTP/1.1\r\nHost: x\r\nX-Name: ".encode() + raw + b"\r\n\r\n"
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(head)
            sock.shutdown(socket.SHUT_WR)
            while sock.recv(65536):
                pass
        (received,) = server.recorder.take(str(key))
        verdict = compare(
            want.replace(url=f"{server.url}/_c/{key}/echo"), received, read_file=FILES.get
        )
        assert verdict.status == status, verdict.explain()


def test_no_reuse_may_announce_close(server):
    from reqlab.model import Options, Request

    head = "GET {T}/echo HTTP/1.1\nHost: x\nConnection: close"
    received = send_raw(server, 99, head)
    url = server.base_url(99) + "/echo"
    assert compare(Request("GET", url), received, read_file=FILES.get).status == "fail"
    once = Request("GET", url, options=Options(keep_alive=False))
    assert compare(once, received, read_file=FILES.get).status == "exact"


def test_a_body_left_out_counts_only_when_declared(server):
    from reqlab.model import Request, TextBody

    url = server.base_url(100) + "/echo"
    want = Request("GET", url, headers=(("Content-Type", "text/plain"),), body=TextBody("x"))
    received = send_raw(server, 100, "GET {T}/echo HTTP/1.1\nHost: x")
    assert compare(want, received, read_file=FILES.get).status == "fail"
    warned = ["fetch cannot send a body with GET; the body is left out"]
    assert compare(want, received, read_file=FILES.get, warnings=warned).status == "warned"
    # A body that arrived mangled is never excused by a warning.
    mangled = send_raw(
        server,
        101,
        "GET {T}/echo HTTP/1.1\nHost: x\nContent-Type: text/plain\nContent-Length: 1",
        b"y",
    )
    want = want.replace(url=server.base_url(101) + "/echo")
    verdict = compare(want, mangled, read_file=FILES.get, warnings=warned)
    assert [d.kind for d in verdict.undeclared] == ["body"]


def test_every_target_has_a_runner_and_no_runner_is_stray():
    """A target without a runner would only ever be "not executed"."""
    from fidelity.runners import discover
    from reqlab.codegen import targets

    ids = {t.id for t in targets()}
    runners = discover()
    assert ids - set(runners) == set(), "targets without a runner"
    assert set(runners) - ids == set(), "runners for unknown targets"
    assert len(FIXTURES) >= 30


def test_case_identifiers_are_safe_names(tmp_path):
    case = Case(
        "python-requests:get_short", "python-requests", "get_short", "", tmp_path, "m.py", 1
    )
    assert case.ident == "python_requests_get_short" and case.path == tmp_path / "m.py"


# ---------------------------------------------------- the semantic comparison
def judge_semantic(name, server, key, head, body=b"", warnings=()):
    received = send_raw(server, key, head, body)
    return compare(
        model(name, server, key),
        received,
        read_file=lambda p: FILES[p],
        warnings=warnings,
        semantic=True,
    )


def test_semantic_accepts_respaced_json_but_not_other_values(server):
    same = b'{"data": {"id": "1", "type": "photos"}}'
    other = b'{"data": {"id": 1, "type": "photos"}}'
    head = (
        "POST {T}/echo HTTP/1.1\nHost: x\nContent-Type: application/vnd.api+json\nContent-Length: "
    )
    assert judge_semantic("json_custom_type", server, 200, head + "39", same).status == "exact"
    assert judge("json_custom_type", server, 201, head + "39", same).status == "fail"
    verdict = judge_semantic("json_custom_type", server, 202, head + "37", other)
    assert [d.kind for d in verdict.differences] == ["body"]


def test_semantic_query_is_compared_by_pairs(server):
    # params= helpers write ';' '/' ':' '@' '?' escaped: the same pairs
    same = "GET {T}/echo?next=https%3A%2F%2Fx.test%2F%3Fa%3D1%26b%3D2&eq=a%3Db&amp=%26&semi=a%3Bb&slash=a%2Fb&q=%3Fx&at=%40&pct=100%25&colon=a%3Ab HTTP/1.1\nHost: x"
    assert judge_semantic("query_reserved", server, 203, same).status == "exact"
    assert judge("query_reserved", server, 204, same).status == "fail"
    swapped = "GET {T}/echo?eq=a%3Db&next=https%3A%2F%2Fx.test%2F%3Fa%3D1%26b%3D2&amp=%26&semi=a%3Bb&slash=a%2Fb&q=%3Fx&at=%40&pct=100%25&colon=a%3Ab HTTP/1.1\nHost: x"
    assert [d.kind for d in judge_semantic("query_reserved", server, 205, swapped).differences] == [
        "target"
    ]
    # the path is never compared by meaning: %2F is not /
    head = "GET {T}/echo/caf%C3%A9/a/b/x%20y/100%25?k=v HTTP/1.1\nHost: x"
    assert judge_semantic("percent_path", server, 206, head).status == "fail"


def test_formdata_line_breaks_are_declarable_and_nothing_else_is(server):
    fields = [("lf", "a\nb"), ("cr", "a\rb"), ("crlf", "a\r\nb"), ("mixed", "x\r\ny\nz\r")]
    normalised = multipart(
        [
            (
                n,
                None,
                None,
                v.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n").encode(),
            )
            for n, v in fields
        ],
        "B0",
    )
    head = f"POST {{T}}/echo HTTP/1.1\nHost: x\nContent-Type: multipart/form-data; boundary=B0\nContent-Length: {len(normalised)}"
    undeclared = judge_semantic("multipart_line_breaks", server, 207, head, normalised)
    assert undeclared.status == "fail" and len(undeclared.differences) == 3  # lf, cr, mixed
    warning = ("FormData sends line breaks in multipart text fields as CR LF",)
    assert (
        judge_semantic("multipart_line_breaks", server, 208, head, normalised, warning).status
        == "warned"
    )
    lost = multipart([(n, None, None, v.replace("\r", "").encode()) for n, v in fields], "B0")
    head = head.rsplit(":", 1)[0] + f": {len(lost)}"
    assert (
        judge_semantic("multipart_line_breaks", server, 209, head, lost, warning).status == "fail"
    )


def test_rfc2047_filenames_are_declarable_only_when_they_decode_to_the_name():
    from fidelity.compare import rfc2047

    assert rfc2047("=?utf-8?B?w7xuw68udHh0?=") == "ünï.txt"
    assert rfc2047("plain.txt") is None

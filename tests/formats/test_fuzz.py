"""Whatever text comes in, a reader returns a request or raises FormatError:
never another exception (which `reqlab gen` would show as a traceback)."""

from __future__ import annotations

import contextlib
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reqlab.errors import FormatError
from reqlab.formats import read

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

CURL_WORDS = st.sampled_from(
    [
        "curl", "-X", "POST", "-H", "'A: b'", "-d", "a=1", "--json", "{}", "-F", "f=@x",
        "-F", "'g=<y;type=t'", "-u", "u:p", "-b", "c=1", "-G", "-I", "-L", "-k", "-m", "3",
        "--max-redirs", "-1", "http://h/", "https://h.test/p?q=1", "$'\\x00'", '"$X"', "\\",
        "\n", "|", "^", '^"', "'", '"', "--data-urlencode", "n@f", "=v", "-T", "-", "--url",
        "--http2", "-0", "@-", "printf", "'%s\\000'", "--data-binary", "@file", "-XGET", "-sSL",
        "--no-location", "--frobnicate", "-r", "0-1", "-A", "ua", "-e", ";auto", "\u201c",
    ]
)  # fmt: skip


def _read_or_format_error(text: str | bytes, fmt: str | None = None) -> None:
    with contextlib.suppress(FormatError):
        read(text, fmt, read_file=lambda p: b"file " + p.encode("utf-8", "surrogateescape"))


@SETTINGS
@given(st.lists(CURL_WORDS | st.text(max_size=6), max_size=14))
def test_curl_reader_never_crashes(words):
    _read_or_format_error("curl " + " ".join(words), "curl")


@SETTINGS
@given(st.text(max_size=80))
def test_any_text_is_read_or_refused(text):
    _read_or_format_error(text)


@SETTINGS
@given(
    st.sampled_from(["GET", "POST", "G@T", "", "PURGE"]),
    st.sampled_from(["/", "/a?b", "http://h/x", "*", "h:80", ""]),
    st.sampled_from(["HTTP/1.1", "HTTP/1.0", "HTTP/2", "HTTP/3", "HTTP/x", ""]),
    st.lists(st.binary(max_size=20), max_size=5),
    st.binary(max_size=20),
)
def test_raw_reader_never_crashes(method, target, version, lines, body):
    head = f"{method} {target} {version}".encode()
    message = b"\r\n".join([head, *lines]) + b"\r\n\r\n" + body
    _read_or_format_error(message, "http")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(
        st.sampled_from(
            ["log", "entries", "request", "method", "url", "headers", "name", "value",
             "postData", "text", "params", "mimeType", "fileName", "_reqlab", "body", "auth",
             "scheme", "options", "httpVersion", "queryString", "cookies", "encoding",
             "_path", "_file", "timeout"]
        ),
        inner,
        max_size=5,
    ),
    max_leaves=20,
)  # fmt: skip


@SETTINGS
@given(json_values)
def test_har_reader_never_crashes(doc):
    _read_or_format_error(json.dumps(doc), "har")


@SETTINGS
@given(
    st.sampled_from(["GET", "POST", 1, None]),
    st.sampled_from(["http://h/", "h/", 5, "http://h/a b"]),
    st.sampled_from([None, "text", "bytes", "json", "form", "multipart", 3]),
    st.sampled_from([None, {"scheme": "basic", "username": "u"}, {"scheme": "x"}, []]),
    st.sampled_from([None, {"timeout": -1}, {"nope": 1}, {"max_redirects": "a"}, "x"]),
    json_values,
)
def test_har_request_fields_of_any_type(method, url, kind, auth, options, post):
    request = {"method": method, "url": url, "postData": post}
    ext = {"body": kind, "auth": auth, "options": options}
    request["_reqlab"] = {k: v for k, v in ext.items() if v is not None}
    _read_or_format_error(json.dumps(request), "har")

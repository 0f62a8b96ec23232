"""The requests every code-generation target must send exactly.

Each fixture is a function of the echo base URL (``http://127.0.0.1:PORT/_c/N``
during a run, ``http://127.0.0.1:8081`` for golden files) returning a
:class:`Request`.  Files a request uploads are written by the harness into the
case's working directory (:data:`FILES`) and named by relative path, so a
snippet really reads them from disk at run time.

They cover the faults other generators are known for: collapsed duplicate
headers, regrouped query keys, re-encoded cookies, strings broken by
quotes/``$``/backticks/``#{}``/``%d``/newlines, empty multipart files,
invented Content-Types, bodies on GET, and the seed page's HTTP/1.0
keep-alive request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reqlab.model import (
    BasicAuth,
    BearerAuth,
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

# Every byte value, CR LF and NUL included: any text mangling shows.
ALL_BYTES = bytes(range(256))
# A small but real PNG header followed by every byte value.
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + ALL_BYTES * 2
FILES: dict[str, bytes] = {
    "photo.png": PNG,
    "notes.txt": 'line one\r\nline "two" $HOME `x` #{y} %d\nüñï 😀\n'.encode(),
    "payload.bin": ALL_BYTES * 4 + b"\r\n\r\n--not-a-boundary\r\n",
}

NASTY = "quote \" apostrophe ' backslash \\ dollar $HOME ${x} backtick `id` #{x} %d %s {{x}} \\n"
UNICODE = "Zürich ünïcödé 日本 😀"


@dataclass(frozen=True)
class Fixture:
    id: str
    build: Callable[[str], Request]
    about: str


FIXTURES: dict[str, Fixture] = {}


def fixture(about: str) -> Callable[[Callable[[str], Request]], Callable[[str], Request]]:
    def register(build: Callable[[str], Request]) -> Callable[[str], Request]:
        fid = build.__name__
        FIXTURES[fid] = Fixture(fid, build, about)
        return build

    return register


@fixture("the shortest request")
def get_short(base: str) -> Request:
    return Request("GET", f"{base}/echo")


@fixture("repeated keys, a key without '=', an empty value, in their order")
def query_repeats(base: str) -> Request:
    return Request("GET", f"{base}/echo?tag=b&tag=a&x=1&tag=b&empty=&flag")


@fixture("spaces written as + and %20, a literal plus as %2B")
def query_spaces(base: str) -> Request:
    return Request("GET", f"{base}/echo?q=hello+world&r=a%20b&plus=%2B1&tilde=~x")


@fixture("percent-encoded UTF-8 in the query (must not be encoded twice)")
def query_unicode(base: str) -> Request:
    return Request("GET", f"{base}/echo?city=Z%C3%BCrich&emoji=%F0%9F%98%80&ja=%E6%97%A5")


@fixture("raw non-ASCII typed into the URL (sent as UTF-8 percent-encoding)")
def query_unicode_raw(base: str) -> Request:
    return Request("GET", f"{base}/echo?name=café&ja=日本&e=😀")


@fixture("reserved characters, encoded and raw, a literal percent")
def query_reserved(base: str) -> Request:
    return Request(
        "GET",
        f"{base}/echo?next=https%3A%2F%2Fx.test%2F%3Fa%3D1%26b%3D2&eq=a%3Db&amp=%26"
        "&semi=a;b&slash=a/b&q=?x&at=@&pct=100%25&colon=a:b",
    )


@fixture("a fragment is never sent")
def query_fragment(base: str) -> Request:
    return Request("GET", f"{base}/echo?a=1#section-2")


@fixture("header name case kept, values exact, order kept")
def header_case_order(base: str) -> Request:
    return Request(
        "GET",
        f"{base}/echo",
        headers=(
            ("x-request-id", "abc-123"),
            ("X-MiXeD-CaSe", "MiXeD  Value"),
            ("ACCEPT-LANGUAGE", "de-CH, en;q=0.5"),
            ("X-Quotes", "say \"hi\" 'there' $HOME `x` #{y} %d \\n"),
        ),
    )


@fixture("duplicate headers stay separate lines, in order")
def header_duplicates(base: str) -> Request:
    return Request(
        "GET",
        f"{base}/echo",
        headers=(
            ("X-Dup", "first"),
            ("X-Other", "between"),
            ("X-Dup", "second"),
            ("x-dup", "third, with comma"),
        ),
    )


@fixture("a header whose value is empty")
def header_empty_value(base: str) -> Request:
    return Request("GET", f"{base}/echo", headers=(("X-Empty", ""), ("X-After", "1")))


@fixture("User-Agent, Accept and Accept-Encoding set by the user replace the library's")
def header_overrides(base: str) -> Request:
    return Request(
        "GET",
        f"{base}/echo",
        headers=(
            ("User-Agent", "reqlab-fidelity/1.0 (+tests)"),
            ("Accept", "application/xml;q=0.9, */*;q=0.1"),
            ("Accept-Encoding", "identity"),
        ),
    )


@fixture("a very long header value")
def header_long(base: str) -> Request:
    value = "".join(f"{i:04d}-abcdefghij;" for i in range(400))  # 6000 characters
    return Request("GET", f"{base}/echo", headers=(("X-Long", value),))


@fixture("cookies as one Cookie header, exactly as written (no re-encoding)")
def cookies(base: str) -> Request:
    return Request(
        "GET",
        f"{base}/echo",
        headers=(("Cookie", 'session=abc%3D%3D; theme=dark; pref="a b"; path=/x/y'),),
    )


@fixture("nested JSON: unicode, quotes, backslashes, newlines, key order")
def json_nested(base: str) -> Request:
    value = {
        "z": 1,
        "a": [1, 2.5, -3e-7, True, False, None],
        "text": NASTY + "\n\ttab\r\nline",
        "unicode": UNICODE,
        "nested": {"empty": {}, "list": [], "html": "</script><b>&amp;</b>", "nul": "a\u0000b"},
        "sep": "\u2028\u2029",
    }
    return Request("POST", f"{base}/echo", body=JsonBody(value))


@fixture("JSON with the user's own Content-Type")
def json_custom_type(base: str) -> Request:
    return Request(
        "POST",
        f"{base}/echo",
        headers=(("Content-Type", "application/vnd.api+json"),),
        body=JsonBody({"data": {"type": "photos", "id": "1"}}),
    )


@fixture("urlencoded form: & = + % and non-ASCII, repeats, empty value")
def form_special(base: str) -> Request:
    return Request(
        "POST",
        f"{base}/echo",
        body=FormBody(
            (
                ("a", "1"),
                ("k&=+%", "v&=+% x"),
                ("tag", "one"),
                ("tag", "two"),
                ("name", UNICODE),
                ("empty", ""),
                ("nasty", NASTY),
            )
        ),
    )


@fixture("multipart: text fields and a binary file read from disk")
def multipart_file(base: str) -> Request:
    return Request(
        "POST",
        f"{base}/echo",
        body=MultipartBody(
            (
                MultipartField("title", "Holiday " + UNICODE),
                MultipartFile("photo", "photo.png", "image/png", path="photo.png"),
                MultipartField("quote", NASTY),
            )
        ),
    )


@fixture("multipart: two files, one renamed, and a repeated field")
def multipart_files(base: str) -> Request:
    return Request(
        "PUT",
        f"{base}/echo",
        headers=(("X-Upload", "2"),),
        body=MultipartBody(
            (
                MultipartField("tag", "a"),
                MultipartFile("doc", "report 2026.txt", "text/plain", path="notes.txt"),
                MultipartFile(
                    "blob", "payload.bin", "application/octet-stream", path="payload.bin"
                ),
                MultipartField("tag", "b"),
            )
        ),
    )


@fixture("raw binary body read from a file")
def binary_file(base: str) -> Request:
    return Request(
        "POST",
        f"{base}/echo",
        headers=(("Content-Type", "application/octet-stream"),),
        body=BytesBody(path="payload.bin"),
    )


@fixture("raw binary body given inline (every byte value)")
def binary_inline(base: str) -> Request:
    return Request(
        "PUT",
        f"{base}/echo",
        headers=(("Content-Type", "application/x-custom-binary"),),
        body=BytesBody(data=ALL_BYTES + b"\r\n\x00"),
    )


@fixture("text with quotes, $, backticks, #{}, %d, newlines and emoji")
def text_nasty(base: str) -> Request:
    return Request(
        "POST",
        f"{base}/echo",
        headers=(("Content-Type", "text/plain; charset=utf-8"),),
        body=TextBody(NASTY + "\nsecond line\r\n\ttabbed " + UNICODE + " '; rm -rf / #"),
    )


@fixture("a text body without any Content-Type")
def text_no_type(base: str) -> Request:
    return Request("POST", f"{base}/echo", body=TextBody("plain words, no type"))


@fixture("a custom method without a body")
def custom_method(base: str) -> Request:
    return Request("PURGE", f"{base}/echo", headers=(("X-Purge-Key", "all"),))


@fixture("a custom method with an XML body")
def custom_method_body(base: str) -> Request:
    return Request(
        "PROPFIND",
        f"{base}/echo",
        headers=(("Depth", "1"), ("Content-Type", 'application/xml; charset="utf-8"')),
        body=TextBody(
            '<?xml version="1.0"?>\n<d:propfind xmlns:d="DAV:"><d:allprop/></d:propfind>'
        ),
    )


@fixture("PUT with JSON (a top-level array)")
def put_json(base: str) -> Request:
    return Request("PUT", f"{base}/echo", body=JsonBody([1, "ü", {"a": None}, '"\\']))


@fixture("PATCH with a JSON merge patch given as text")
def patch_text(base: str) -> Request:
    return Request(
        "PATCH",
        f"{base}/echo",
        headers=(("Content-Type", "application/merge-patch+json"),),
        body=TextBody('{"title": null, "tags": ["a"]}'),
    )


@fixture("DELETE with a JSON body")
def delete_body(base: str) -> Request:
    return Request("DELETE", f"{base}/echo/items/42", body=JsonBody({"reason": "duplicate"}))


@fixture("HEAD (nothing to echo: compared from the server's record)")
def head(base: str) -> Request:
    return Request("HEAD", f"{base}/echo", headers=(("X-Check", "head"),))


@fixture("OPTIONS with preflight-style headers")
def options(base: str) -> Request:
    return Request(
        "OPTIONS",
        f"{base}/echo",
        headers=(
            ("Access-Control-Request-Method", "PUT"),
            ("Access-Control-Request-Headers", "x-token"),
        ),
    )


@fixture("basic auth with special characters in the credentials")
def basic_auth(base: str) -> Request:
    return Request("GET", f"{base}/echo", auth=BasicAuth("al!ce", "p@ss:w0rd $HOME \"q\" 'x'"))


@fixture("bearer token")
def bearer_auth(base: str) -> Request:
    token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc-_~+/="
    return Request("GET", f"{base}/echo", auth=BearerAuth(token))


@fixture("POST without a body (no invented Content-Type)")
def empty_post(base: str) -> Request:
    return Request("POST", f"{base}/echo")


@fixture("percent-encoded path: UTF-8, an encoded slash, space and percent")
def percent_path(base: str) -> Request:
    return Request("GET", f"{base}/echo/caf%C3%A9/a%2Fb/x%20y/100%25?k=v")


@fixture("the seed: GET /echo HTTP/1.0 with Connection: keep-alive and Keep-Alive")
def seed_http10_keepalive(base: str) -> Request:
    return Request(
        "GET",
        f"{base}/echo",
        headers=(("Connection", "keep-alive"), ("Keep-Alive", "timeout=5, max=100")),
        version="HTTP/1.0",
    )


@fixture("the seed page's literal HTTP/1.1 request")
def seed_http11_keepalive(base: str) -> Request:
    return Request(
        "GET",
        f"{base}/echo",
        headers=(("Connection", "keep-alive"), ("Keep-Alive", "timeout=5, max=100")),
        version="HTTP/1.1",
    )


@fixture("HTTP/1.0 POST (no chunked framing, connection closes)")
def http10_post(base: str) -> Request:
    return Request("POST", f"{base}/echo", body=JsonBody({"v": "1.0"}), version="HTTP/1.0")


@fixture("keep-alive off: Connection: close, no connection reuse")
def keepalive_off(base: str) -> Request:
    return Request(
        "GET",
        f"{base}/echo",
        headers=(("Connection", "close"),),
        options=Options(keep_alive=False),
    )


@fixture("HTTP/2 (h2c) with connection headers, which HTTP/2 forbids")
def http2_connection_headers(base: str) -> Request:
    return Request(
        "GET",
        f"{base}/echo?h2=1",
        headers=(
            ("Connection", "keep-alive"),
            ("Keep-Alive", "timeout=5"),
            ("X-Trace", "h2"),
        ),
        version="HTTP/2",
    )


@fixture("HTTP/2 (h2c) POST with a JSON body")
def http2_post(base: str) -> Request:
    return Request("POST", f"{base}/echo", body=JsonBody({"h2": True}), version="HTTP/2")


@fixture("JSON whose top level is a string with quotes")
def json_scalar(base: str) -> Request:
    return Request("POST", f"{base}/echo", body=JsonBody('just a string "q" \\ ü'))


@fixture("multipart with text fields only (still multipart, not urlencoded)")
def multipart_fields_only(base: str) -> Request:
    return Request(
        "POST",
        f"{base}/echo",
        body=MultipartBody((MultipartField("a", "1"), MultipartField("b", 'ü "x" ' + NASTY))),
    )


@fixture("multipart text fields holding a bare LF, a bare CR, CR LF and all three")
def multipart_line_breaks(base: str) -> Request:
    fields = (("lf", "a\nb"), ("cr", "a\rb"), ("crlf", "a\r\nb"), ("mixed", "x\r\ny\nz\r"))
    return Request(
        "POST",
        f"{base}/echo",
        body=MultipartBody(tuple(MultipartField(n, v) for n, v in fields)),
    )


@fixture("form whose repeated name is not consecutive (no regrouping)")
def form_interleaved(base: str) -> Request:
    return Request("POST", f"{base}/echo", body=FormBody((("a", "1"), ("b", "2"), ("a", "3"))))


@fixture("a header value with non-ASCII text (sent as UTF-8)")
def header_non_ascii(base: str) -> Request:
    return Request("GET", f"{base}/echo", headers=(("X-Name", "Zoë 日本"),))


@fixture("GET with a body (legal, unusual: sent only when modelled)")
def get_with_body(base: str) -> Request:
    return Request(
        "GET",
        f"{base}/echo",
        headers=(("Content-Type", "text/plain"),),
        body=TextBody("a body on GET"),
    )


@fixture("POST with an empty text body and a Content-Type")
def empty_text_body(base: str) -> Request:
    return Request(
        "POST", f"{base}/echo", headers=(("Content-Type", "text/plain"),), body=TextBody("")
    )


@fixture("timeouts and redirect following set (no effect on the request itself)")
def options_set(base: str) -> Request:
    return Request(
        "GET",
        f"{base}/echo",
        options=Options(timeout=10, connect_timeout=3, follow_redirects=True, max_redirects=5),
    )


@fixture("multipart whose file content is inline bytes (no file on disk)")
def multipart_inline_file(base: str) -> Request:
    return Request(
        "POST",
        f"{base}/echo",
        body=MultipartBody(
            (
                MultipartField("note", "inline"),
                MultipartFile("blob", "data.bin", "application/x-thing", data=ALL_BYTES),
            )
        ),
    )


@fixture("credentials typed into the URL (sent as basic auth, never left in the URL)")
def url_credentials(base: str) -> Request:
    return Request("GET", base.replace("://", "://al%21ce:s%40cret%20x@", 1) + "/echo?a=1")


@fixture("multipart mixing a file on disk and inline file contents")
def multipart_mixed_files(base: str) -> Request:
    return Request(
        "POST",
        f"{base}/echo",
        body=MultipartBody(
            (
                MultipartFile("disk", "photo.png", "image/png", path="photo.png"),
                MultipartFile("inline", "data.bin", "application/octet-stream", data=ALL_BYTES),
            )
        ),
    )


@fixture("urlencoded form with distinct names (what a dict, a JS object or a PHP array carries)")
def form_plain(base: str) -> Request:
    fields = (("q", "a b&c=d+e%"), ("name", UNICODE), ("empty", ""), ("nasty", NASTY))
    return Request("POST", f"{base}/echo", body=FormBody(fields))


# Requests drawn at random when REQLAB_FIDELITY_UNSEEN asks for them (see
# unseen.py); imported last because unseen.py builds on the names above.
from fidelity.unseen import from_environment  # noqa: E402

FIXTURES.update(from_environment())

"""Requests nobody wrote by hand: drawn at random, to check the generators on
requests they were not tuned for (issue 5's "on requests you have not seen").

``REQLAB_FIDELITY_UNSEEN=N`` adds N such requests to the fixtures, drawn from
``REQLAB_FIDELITY_SEED`` (an integer; ``scripts/test`` fixes one so a landing
never depends on the draw, ``benchmarks/codegen_unseen.py`` draws fresh seeds).
The seed must be set before pytest starts: every xdist worker draws the same
requests from it.

The space is what people compose in a workbench, weighted towards the usual:
mostly GET and POST, some PUT/PATCH/DELETE/HEAD/OPTIONS and custom methods;
paths and queries with spaces, reserved characters, percent-escapes, raw
non-ASCII and repeated keys; header names in odd case, duplicates, values
with quotes, ``$``, backticks, ``#{}``, ``%d`` and non-ASCII text; every kind
of body (JSON, text, urlencoded, multipart with files from disk or inline and
text fields holding CR, LF or CR LF, binary); basic and bearer auth; and now and then an explicit HTTP version or
keep-alive switched off.  The weights are ours: they are printed in the
matrix with the seed.
"""

from __future__ import annotations

import os
import random
import string
from typing import Any

from fidelity.fixtures import ALL_BYTES, FILES, Fixture
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

# Path segments as typed into a URL bar: raw non-ASCII, escapes, sub-delims.
WORDS = [
    "items",
    "v2",
    "café",
    "x%20y",
    "a+b",
    "日本",
    "100%25",
    "~user",
    "q=1",
    "semi;colon",
    "a%2Fb",
]
TEXTS = [
    "plain",
    "two words",
    'quote " inside',
    "apostrophe ' inside",
    "back\\slash",
    "$HOME and ${x}",
    "`id` backticks",
    "#{ruby} {{tmpl}}",
    "%d %s %%",
    "Zürich ünïcödé",
    "日本語",
    "emoji 😀",
    "a=b&c=d",
    "comma, separated",
    "<tag attr='v'>",
    "tab\there",
]
# Well-known headers get values of their own syntax (a typed header with a
# nonsense value is not a request anyone sends); custom ones get anything.
KNOWN_HEADERS = {
    "Accept": ["application/json", "text/html, application/xml;q=0.9, */*;q=0.8", "*/*"],
    "Accept-Language": ["en-US,en;q=0.9", "de-CH"],
    "Cache-Control": ["no-cache", "max-age=0"],
    "If-None-Match": ['"etag-123"', 'W/"weak"'],
    "User-Agent": ["reqlab-test/1.0", "Mozilla/5.0 (X11; Linux x86_64)"],
    "Referer": ["https://example.com/x?y=1"],
    "X-Forwarded-For": ["192.0.2.1, 198.51.100.7"],
    "Authorization": ["Token abc123"],
}
CUSTOM_HEADERS = ["X-Custom", "x-lower", "X-UPPER", "X-Request-Id", "X-Api-Key"]
CUSTOM_VALUES = [
    "1",
    "value with spaces",
    "$HOME `id` #{x} %d",
    "a, b; c=d",
    "'single' \"double\"",
    "back\\slash",
    "",
]
CUSTOM_METHODS = ["PURGE", "REPORT", "MKCOL", "LINK"]
METHODS = (
    ["GET"] * 6
    + ["POST"] * 6
    + ["PUT", "PATCH", "DELETE"] * 2
    + ["HEAD", "OPTIONS"]
    + CUSTOM_METHODS
)


def _text(rng: random.Random, *, ascii_only: bool = False) -> str:
    pool = [t for t in TEXTS if t.isascii()] if ascii_only else TEXTS
    return " ".join(rng.sample(pool, rng.randint(1, 2)))


def _name(rng: random.Random) -> str:
    base = "".join(rng.choices(string.ascii_lowercase, k=rng.randint(1, 6)))
    return rng.choice([base, base + "_id", base + "[]", base + ".x", "ü" + base])


def _query_value(rng: random.Random) -> str:
    return rng.choice(
        ["1", "", "two words", "a%20b", "a+b", "%2B1", "café", "日本", "x%26y", "/p/q", "a,b"]
    )


def _url(rng: random.Random, base: str) -> str:
    path = "/echo" + "".join("/" + rng.choice(WORDS) for _ in range(rng.randint(0, 2)))
    pairs = []
    for _ in range(rng.choice([0, 0, 1, 2, 3, 4])):
        name = rng.choice(["tag", "q", "page", _name(rng)])
        value = _query_value(rng)
        pairs.append(name if rng.random() < 0.05 else f"{name}={value}")
    query = "&".join(pairs).replace(" ", rng.choice(["+", "%20"]))
    return base + path + (f"?{query}" if query else "")


def _headers(rng: random.Random) -> list[tuple[str, str]]:
    headers: list[tuple[str, str]] = []
    for _ in range(rng.choice([0, 1, 1, 2, 3, 4])):
        if rng.random() < 0.5:
            name = rng.choice(sorted(KNOWN_HEADERS))
            if all(n != name for n, _ in headers):  # these appear once
                headers.append((name, rng.choice(KNOWN_HEADERS[name])))
        else:
            value = rng.choice(CUSTOM_VALUES + ["Zoë", "日本"])  # non-ASCII: sent as UTF-8
            headers.append((rng.choice(CUSTOM_HEADERS), value))
    if headers and rng.random() < 0.15:  # a duplicate line of a custom header
        headers.append(("X-Dup", "first"))
        headers.append(("X-Dup", "second"))
    if rng.random() < 0.1:
        headers.append(("Cookie", rng.choice(["a=1; b=2", 'sid=abc%3D%3D; pref="x y"'])))
    return headers


def _json(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.choice(
        ["obj", "obj", "list", "str", "num", "bool", "null"]
        if depth < 2
        else ["str", "num", "bool", "null"]
    )
    if kind == "obj":
        return {_text(rng): _json(rng, depth + 1) for _ in range(rng.randint(0, 3))}
    if kind == "list":
        return [_json(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if kind == "str":
        return _text(rng)
    if kind == "num":
        return rng.choice([0, -1, 42, 3.5, 10**12])
    return {"bool": rng.random() < 0.5, "null": None}[kind]


def _multipart(rng: random.Random) -> MultipartBody:
    parts: list[MultipartField | MultipartFile] = []
    for _ in range(rng.randint(1, 3)):
        roll = rng.random()
        name = rng.choice(["file", "field", "note", "upload", _name(rng)])
        if roll < 0.4:
            value = _text(rng)
            if rng.random() < 0.3:  # line breaks: FormData would send them as CR LF
                value = rng.choice(["\r", "\n", "\r\n"]).join([value, _text(rng)])
            parts.append(MultipartField(name, value))
        elif roll < 0.8:
            path = rng.choice(sorted(FILES))
            filename = rng.choice([path, "renamed.dat", "ünï.txt"])
            ctype = rng.choice(["application/octet-stream", "image/png", "text/plain"])
            parts.append(MultipartFile(name, filename, ctype, path=path))
        else:
            data = rng.choice([ALL_BYTES, b"", _text(rng).encode()])
            parts.append(MultipartFile(name, "inline.bin", "application/octet-stream", data=data))
    return MultipartBody(tuple(parts))


def _body(rng: random.Random, headers: list[tuple[str, str]]):  # noqa: ANN202
    kind = rng.choice(["json", "json", "text", "form", "form", "multipart", "binary", "none"])
    if kind == "json":
        return JsonBody(_json(rng))
    if kind == "text":
        if rng.random() < 0.7:
            headers.append(("Content-Type", rng.choice(["text/plain", "application/xml"])))
        return TextBody("\n".join(_text(rng) for _ in range(rng.randint(1, 3))))
    if kind == "form":
        fields = [(_name(rng), _text(rng)) for _ in range(rng.randint(1, 4))]
        if rng.random() < 0.3:
            fields.append((fields[0][0], "again"))
        return FormBody(tuple(fields))
    if kind == "multipart":
        return _multipart(rng)
    if kind == "binary":
        headers.append(("Content-Type", "application/octet-stream"))
        if rng.random() < 0.5:
            return BytesBody(path=rng.choice(sorted(FILES)))
        return BytesBody(data=bytes(rng.randrange(256) for _ in range(rng.randint(1, 64))))
    return None


def draw(rng: random.Random, base: str) -> Request:
    """One random request against ``base`` (the echo server's case URL)."""
    method = rng.choice(METHODS)
    headers = _headers(rng)
    body = None
    if method in ("POST", "PUT", "PATCH") or (method in CUSTOM_METHODS and rng.random() < 0.3):
        body = _body(rng, headers)
    elif method == "DELETE" and rng.random() < 0.3:
        body = JsonBody(_json(rng))
    roll = rng.random()
    auth = None
    if roll < 0.12:
        auth = BasicAuth(_text(rng, ascii_only=True).replace(":", ""), _text(rng, ascii_only=True))
    elif roll < 0.24:
        auth = BearerAuth("tok-" + "".join(rng.choices(string.ascii_letters + "-._~+/", k=24)))
    version = rng.choices([None, "HTTP/1.1", "HTTP/1.0", "HTTP/2"], [85, 5, 5, 5])[0]
    if version == "HTTP/1.0" and rng.random() < 0.5:
        headers.append(("Connection", "keep-alive"))
    options = Options(
        keep_alive=rng.random() < 0.85,
        timeout=rng.choice([None, None, 30]),
        follow_redirects=rng.random() < 0.2,
    )
    return Request(
        method,
        _url(rng, base),
        headers=tuple(headers),
        body=body,
        auth=auth,
        version=version,
        options=options,
    )


def unseen_fixtures(seed: int, count: int) -> dict[str, Fixture]:
    """``count`` fixtures drawn from ``seed``; each rebuilds the same request
    for any base URL (the draw depends on the seed and index only)."""
    fixtures = {}
    for index in range(count):
        fid = f"unseen_{seed}_{index + 1:02d}"

        def build(base: str, _index: int = index) -> Request:
            return draw(random.Random(f"{seed}:{_index}"), base)

        sample = build("http://127.0.0.1:8081")
        about = f"drawn: {sample.method} {sample.url.split('8081', 1)[1][:60]}"
        fixtures[fid] = Fixture(fid, build, about)
    return fixtures


def from_environment() -> dict[str, Fixture]:
    count = int(os.environ.get("REQLAB_FIDELITY_UNSEEN") or 0)
    if count <= 0:
        return {}
    return unseen_fixtures(int(os.environ.get("REQLAB_FIDELITY_SEED") or 1), count)

"""Hypothesis strategies for whole requests, shared by the round-trip tests."""

from __future__ import annotations

import string

from hypothesis import strategies as st

from reqlab.model import (
    MAX_REDIRECTS_CEILING,
    BasicAuth,
    BearerAuth,
    BytesBody,
    DigestAuth,
    FormBody,
    JsonBody,
    MultipartBody,
    MultipartField,
    MultipartFile,
    Options,
    Request,
    TextBody,
)

TCHARS = string.ascii_letters + string.digits + "!#$%&'*+-.^_`|~"

# Text without surrogates or control characters other than tab/CR/LF.
any_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
)
# A header value: no CR/LF/NUL, no leading or trailing whitespace (HTTP trims it).
header_values = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x7f"), max_size=30
).map(lambda v: v.strip(" \t\u00a0\u2000\u3000"))
header_values = header_values.filter(lambda v: v == v.strip())

tokens = st.text(st.sampled_from(TCHARS), min_size=1, max_size=12)
methods = (
    st.sampled_from(
        [
            "GET",
            "POST",
            "PUT",
            "PATCH",
            "DELETE",
            "HEAD",
            "OPTIONS",
            "PURGE",
            "M-SEARCH",
            "propfind",
        ]
    )
    | tokens
)

COMMON = ["Accept", "accept", "User-Agent", "X-Request-Id", "Cookie", "Content-Type",
          "Connection", "Keep-Alive", "Authorization", "X-Dup", "x-dup", "Cache-Control"]  # fmt: skip


def header_names(exclude: tuple[str, ...] = ()) -> st.SearchStrategy[str]:
    names = st.sampled_from(COMMON) | tokens
    return names.filter(lambda n: n.lower() not in exclude)


_path_chars = st.characters(
    blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"), blacklist_characters="#?\\\x7f"
)
_query_chars = st.characters(
    blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"), blacklist_characters="#&=\\\x7f"
)


@st.composite
def urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["http", "https"]))
    host = draw(
        st.sampled_from(
            ["example.test", "127.0.0.1", "[::1]", "api.example.test:8443", "Example.TEST:80"]
        )
    )
    segments = draw(st.lists(st.text(_path_chars, max_size=8).map(lambda s: s.replace("/", "")),
                             max_size=3))  # fmt: skip
    url = f"{scheme}://{host}/" + "/".join(segments)
    pairs = draw(
        st.lists(
            st.tuples(st.text(_query_chars, max_size=5), st.text(_query_chars, max_size=5)),
            max_size=4,
        )  # fmt: skip
    )
    if pairs:
        url += "?" + "&".join(f"{k}={v}" for k, v in pairs + pairs[:1])  # a repeat
    return url


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | any_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(any_text, inner, max_size=3),
    max_leaves=8,
)

part_names = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters='"='),
    min_size=1,
    max_size=8,
)


def _names_a_file(path: str) -> bool:
    """A path a test can create as a file: no empty, '.' or '..' segment
    (``files//`` or ``files/..`` would name a directory)."""
    return all(segment not in ("", ".", "..") for segment in path.split("/"))


file_paths = (
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12)
    .filter(_names_a_file)
    .map(lambda p: "files/" + p)
)
content_types = st.none() | st.sampled_from(["text/plain", "image/png", "application/x; a=b"])


@st.composite
def parts(draw: st.DrawFn, inline_files: bool = True):  # noqa: ANN201
    name = draw(part_names)
    kind = draw(st.sampled_from(["field", "path", "data"] if inline_files else ["field", "path"]))
    if kind == "field":
        return MultipartField(name, draw(any_text))
    filename = draw(st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=10))
    if kind == "path":
        path = draw(file_paths)
        filename = draw(st.sampled_from([filename, path.rsplit("/", 1)[-1]]))
        return MultipartFile(name, filename, draw(content_types), path=path)
    return MultipartFile(name, filename, draw(content_types), data=draw(st.binary(max_size=20)))


def bodies(inline_files: bool = True, fixed_boundary: bool = True):  # noqa: ANN201
    boundary = st.none() | (st.just("b0und4ry") if fixed_boundary else st.nothing())
    fields = st.lists(st.tuples(any_text.filter(bool), any_text), min_size=1, max_size=4)
    return st.one_of(
        st.none(),
        st.builds(TextBody, any_text),
        st.builds(lambda d: BytesBody(data=d), st.binary(max_size=30)),
        st.builds(lambda p: BytesBody(path=p), file_paths),
        st.builds(JsonBody, json_values),
        st.builds(lambda f: FormBody(tuple(f)), fields),
        st.builds(
            lambda ps, b: MultipartBody(tuple(ps), boundary=b),
            st.lists(parts(inline_files), min_size=1, max_size=3),
            boundary,
        ),
    )


_secret = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=10)
auths = st.one_of(
    st.none(),
    st.builds(BasicAuth, _secret.filter(lambda u: ":" not in u), _secret),
    st.builds(BearerAuth, _secret.map(str.strip)),
    st.builds(DigestAuth, _secret.filter(lambda u: ":" not in u), _secret),
)

seconds = st.none() | st.floats(0.001, 600, allow_nan=False) | st.integers(1, 600)
options = st.builds(
    Options,
    timeout=seconds,
    connect_timeout=seconds,
    follow_redirects=st.booleans(),
    max_redirects=st.integers(0, MAX_REDIRECTS_CEILING),
    verify=st.booleans(),
    keep_alive=st.booleans(),
    compressed=st.booleans(),
)


@st.composite
def requests(
    draw: st.DrawFn,
    exclude_headers: tuple[str, ...] = (),
    inline_files: bool = True,
    fixed_boundary: bool = True,
) -> Request:
    headers = draw(st.lists(st.tuples(header_names(exclude_headers), header_values), max_size=5))
    return Request(
        method=draw(methods),
        url=draw(urls()),
        headers=tuple(headers),
        body=draw(bodies(inline_files, fixed_boundary)),
        auth=draw(auths),
        version=draw(st.sampled_from([None, "HTTP/1.0", "HTTP/1.1", "HTTP/2"])),
        options=draw(options),
    )


def fake_files(path: str) -> bytes:
    """A read_file for tests: every file holds bytes derived from its name."""
    return b"contents of " + path.encode("utf-8", "surrogatepass")

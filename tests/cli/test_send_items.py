"""HTTPie's request-item language, read by reqlab.formats.httpie_items (pure)."""

from __future__ import annotations

import pytest

from reqlab.errors import InvalidRequest
from reqlab.formats.httpie_items import expand_url, has_data_items, parse_items, split_item
from reqlab.formats.httpie_json import build


@pytest.mark.parametrize(
    "text,expected",
    [
        ("X-A:1", ("X-A", ":", "1")),
        ("X-A;", ("X-A", ";", "")),
        ("X-A:", ("X-A", ":", "")),
        ("X:@f", ("X", ":@", "f")),
        ("q==a=b", ("q", "==", "a=b")),
        ("q==@f", ("q", "==@", "f")),
        ("n:=3", ("n", ":=", "3")),
        ("f=@x.txt", ("f", "=@", "x.txt")),
        ("j:=@x.json", ("j", ":=@", "x.json")),
        ("up@x.bin;type=a/b", ("up", "@", "x.bin;type=a/b")),
        ("url=http://x:1/", ("url", "=", "http://x:1/")),
        ("a\\:b=c", ("a:b", "=", "c")),
        ("a\\=b=c", ("a=b", "=", "c")),
        ("a=b\\=c", ("a", "=", "b=c")),
        ("a\\@b@f", ("a@b", "@", "f")),
        ("a\\[b\\]=1", ("a\\[b\\]", "=", "1")),  # kept for the nested-JSON reader
        ("a\\\\=1", ("a\\\\", "=", "1")),
        ("=v", ("", "=", "v")),
    ],
)
def test_split_item(text, expected):
    item = split_item(text)
    assert (item.key, item.sep, item.value) == expected


def test_not_an_item():
    with pytest.raises(InvalidRequest, match="not a request item"):
        split_item("plain")


@pytest.mark.parametrize(
    "pairs,expected",
    [
        ([("a[b][0]", "x")], {"a": {"b": ["x"]}}),
        ([("a[]", 1), ("a[]", 2)], {"a": [1, 2]}),
        ([("a[2]", "x")], {"a": [None, None, "x"]}),
        ([("[]", 1), ("[]", "2")], [1, "2"]),
        ([("[1]", "x")], [None, "x"]),
        ([("a\\[b\\]", 1)], {"a[b]": 1}),
        ([("a[\\1]", "x")], {"a": {"1": "x"}}),
        ([("1", "x")], {"1": "x"}),
        ([("", "x")], {"": "x"}),
        ([("a", "1"), ("a", "2")], {"a": "2"}),
        ([("a[b]", 1), ("a[c][]", 2)], {"a": {"b": 1, "c": [2]}}),
        ([("a\\\\", 1)], {"a\\": 1}),
    ],
)
def test_nested_json(pairs, expected):
    assert build(pairs) == expected


@pytest.mark.parametrize(
    "pairs,words",
    [
        ([("a", 1), ("a[b]", 2)], "cannot use a key step on the value 1"),
        ([("a[]", 1), ("a[b]", 2)], "needs an object"),
        ([("a", 1), ("[]", 2)], "needs an array"),
        ([("a[b]c", 1)], "expected '['"),
        ([("a[b", 1)], "expected ']' at the end"),
        ([("a[-1]", 1)], "negative"),
    ],
)
def test_nested_json_errors(pairs, words):
    with pytest.raises(InvalidRequest, match=words.replace("[", "\\[")):
        build(pairs)


def test_parse_items_json_mode(tmp_path):
    (tmp_path / "v.txt").write_text("text\n")
    (tmp_path / "v.json").write_text('{"k": [1]}')
    files = {str(tmp_path / n): (tmp_path / n).read_bytes() for n in ("v.txt", "v.json")}
    items = parse_items(
        [
            "H:v",
            "E;",
            "p==1",
            "s=t",
            "n:=[1]",
            f"t=@{tmp_path}/v.txt",
            f"j:=@{tmp_path}/v.json",
            f"Q==@{tmp_path}/v.txt",
        ],
        read_file=files.__getitem__,
    )
    assert items.headers == [("H", "v"), ("E", "")]
    assert items.params == [("p", "1"), ("Q", "text")]
    assert items.json == {"s": "t", "n": [1], "t": "text\n", "j": {"k": [1]}}


def test_headers_remove_and_replace():
    assert parse_items(["X:1", "X:2"]).headers == [("X", "1"), ("X", "2")]
    assert parse_items(["X:1", "x:"]).headers == [("x", None)]
    assert parse_items(["X:", "X:3"]).headers == [("X", "3")]
    assert parse_items(["X: "]).headers == [("X", "")]  # a space: empty, not removed
    with pytest.raises(InvalidRequest, match="empty header"):
        parse_items(["X;v"])
    with pytest.raises(InvalidRequest, match="header name is empty"):
        parse_items([":v"])


def test_form_mode_groups_repeats_and_refuses_complex_json():
    items = parse_items(["a=1", "b=2", "a=3", "n:=3", "t:=true"], "form")
    assert items.fields == [("a", "1"), ("a", "3"), ("b", "2"), ("n", "3"), ("t", "True")]
    with pytest.raises(InvalidRequest, match="cannot be a form field"):
        parse_items(["o:={}"], "form")


def test_uploads_and_body_file():
    items = parse_items(["a=1", "f@x.bin;type=a/b", "g@y"], "multipart")
    assert [(u.field, u.path, u.mime) for u in items.uploads] == [
        ("f", "x.bin", "a/b"),
        ("g", "y", None),
    ]
    assert [n for n, _ in items.parts] == ["a", "f", "g"]
    assert parse_items(["@body.json"]).body_file == "body.json"
    assert (
        has_data_items(["a=1"]) and has_data_items(["f@x"]) and not has_data_items(["H:1", "q==1"])
    )


def test_bad_json_and_unreadable_file():
    with pytest.raises(InvalidRequest, match="not valid JSON"):
        parse_items(["n:={bad"])
    with pytest.raises(InvalidRequest, match="cannot read"):
        parse_items(["a=@/no/such"])


@pytest.mark.parametrize(
    "url,expected",
    [
        (":8081/echo", "http://localhost:8081/echo"),
        (":8081", "http://localhost:8081"),
        (":/x", "http://localhost/x"),
        (":", "http://localhost"),
        ("example.org/x", "http://example.org/x"),
        ("https://a/", "https://a/"),
        ("://pie.dev/get", "http://pie.dev/get"),
        ("localhost:3000", "http://localhost:3000"),
    ],
)
def test_expand_url(url, expected):
    assert expand_url(url) == expected
    assert expand_url(":1/x", "https") == "https://localhost:1/x"


def test_a_resolver_can_name_the_base_request():
    """Workspaces will resolve 'file.http#name' through RESOLVERS; items then add to it."""
    from reqlab.cli import _send_build
    from reqlab.model import Request

    def resolver(target: str) -> Request | None:
        if target != "saved#login":
            return None
        return Request("PUT", "http://127.0.0.1:9/login", headers=(("X-Saved", "1"),))

    _send_build.RESOLVERS.append(resolver)
    try:
        built = _send_build.build(
            _send_build.SendArgs(args=("saved#login", "q==2"), ignore_stdin=True)
        )
        plain = _send_build.build(_send_build.SendArgs(args=(":9/x",), ignore_stdin=True))
    finally:
        _send_build.RESOLVERS.remove(resolver)
    assert built.request.method == "PUT"
    assert built.request.url == "http://127.0.0.1:9/login?q=2"
    assert built.request.headers == (("X-Saved", "1"),)
    assert plain.request.url == "http://localhost:9/x"


# ---- HTTPie's own parser as the oracle, on generated items (in process)

hypothesis = pytest.importorskip("hypothesis")
httpie_argtypes = pytest.importorskip("httpie.cli.argtypes")
httpie_constants = pytest.importorskip("httpie.cli.constants")
httpie_nested = pytest.importorskip("httpie.cli.nested_json")

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

ITEM_TEXT = st.text(alphabet="ab1:;=@\\[]", max_size=12)


@given(ITEM_TEXT)
def test_split_item_agrees_with_httpie(text):
    theirs_parse = httpie_argtypes.KeyValueArgType(*httpie_constants.SEPARATOR_GROUP_ALL_ITEMS)
    try:
        theirs = theirs_parse(text)
    except Exception:
        with pytest.raises(InvalidRequest):
            split_item(text)
        return
    ours = split_item(text)
    assert (ours.key, ours.sep, ours.value) == (theirs.key, theirs.sep, theirs.value)


@given(st.lists(st.tuples(st.text(alphabet="ab1[]\\", max_size=8), st.integers(0, 3)), max_size=4))
def test_nested_json_agrees_with_httpie(pairs):
    try:
        theirs = httpie_nested.interpret_nested_json(pairs)
        theirs = httpie_nested.unwrap_top_level_list_if_needed(theirs)
    except httpie_nested.NestedJSONSyntaxError:
        with pytest.raises(InvalidRequest):
            build(pairs)
        return
    except IndexError:  # HTTPie crashes on a trailing backslash; reqlab reads it as text
        assert pairs and any(key.endswith("\\") for key, _ in pairs)
        return
    assert build(pairs) == theirs


HEADER_ITEMS = st.lists(
    st.tuples(
        st.sampled_from(["X", "x", "Y"]),
        st.sampled_from([":", ";"]),
        st.sampled_from(["", "1", " 2"]),
    ),
    max_size=6,
)


@given(HEADER_ITEMS)
def test_header_items_agree_with_httpie(parts):
    from httpie.cli.requestitems import RequestItems

    texts = [f"{n}{sep}{v if sep == ':' else ''}" for n, sep, v in parts]
    kv = httpie_argtypes.KeyValueArgType(*httpie_constants.SEPARATOR_GROUP_ALL_ITEMS)
    theirs = RequestItems.from_args([kv(t) for t in texts]).headers
    expected = [(n.lower(), v.strip() if v is not None else None) for n, v in theirs.items()]
    ours = [(n.lower(), v) for n, v in parse_items(texts).headers]
    assert sorted(ours, key=str) == sorted(expected, key=str)

import pytest

from reqlab.errors import InvalidRequest
from reqlab.model import (
    BasicAuth,
    BearerAuth,
    BytesBody,
    MultipartBody,
    MultipartFile,
    Options,
    Request,
)


def test_headers_keep_case_order_and_duplicates():
    req = Request(
        "GET", "http://example.test/a", headers=(("X-B", "1"), ("x-a", "2"), ("X-B", "3"))
    )
    assert req.headers == (("X-B", "1"), ("x-a", "2"), ("X-B", "3"))
    assert req.header("x-b") == "1"
    assert req.header_values("X-b") == ["1", "3"]


@pytest.mark.parametrize("method", ["GET", "PURGE", "M-SEARCH", "propfind"])
def test_custom_methods_are_tokens(method):
    assert Request(method, "http://h/").method == method


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"method": "GE T"}, "method"),
        ({"method": ""}, "method"),
        ({"url": "example.com/path"}, "url"),
        ({"url": "http:///path"}, "url"),
        ({"url": "ftp://host/"}, "url"),
        ({"url": "http://host/a b"}, "url"),
        ({"headers": (("X-A", "ok\r\nX-Injected: 1"),)}, "headers['X-A']"),
        ({"headers": (("Bad Name", "v"),)}, "headers['Bad Name']"),
        ({"headers": (("X:Y", "v"),)}, "headers['X:Y']"),
        ({"version": "HTTP/4"}, "version"),
    ],
)
def test_invalid_values_name_the_field(kwargs, field):
    with pytest.raises(InvalidRequest) as info:
        Request(**{"url": "http://h/", **kwargs})
    assert info.value.field == field
    assert field in str(info.value)


def test_options_validated():
    with pytest.raises(InvalidRequest, match="options.timeout"):
        Options(timeout=-1)
    with pytest.raises(InvalidRequest, match="options.max_redirects"):
        Options(max_redirects=-2)


def test_credentials_kept_out_of_repr():
    req = Request("GET", "http://h/", auth=BasicAuth("alice", "s3cret"))
    assert "s3cret" not in repr(req)
    assert "tok123" not in repr(BearerAuth("tok123"))


def test_url_pieces():
    req = Request("GET", "https://user:pw@Example.test:8443/p/a?x=1&x=2&y=%20z")
    assert req.scheme == "https"
    assert req.host == "example.test"
    assert req.port == 8443
    assert req.origin == "https://Example.test:8443"
    assert req.target == "/p/a?x=1&x=2&y=%20z"
    assert req.query == [("x", "1"), ("x", "2"), ("y", " z")]


def test_credentials_in_the_url_become_basic_auth_and_leave_the_url():
    req = Request("GET", "http://us%40er:p%3Ass@127.0.0.1:8081/echo?x=1")
    assert req.url == "http://127.0.0.1:8081/echo?x=1"
    assert req.auth == BasicAuth("us@er", "p:ss")
    assert "p:ss" not in repr(req)
    assert Request("GET", "http://user@h/").auth == BasicAuth("user", "")
    # auth given explicitly wins, as curl's -u does over the URL's
    given = Request("GET", "http://u:p@h/", auth=BearerAuth("t"))
    assert (given.url, given.auth) == ("http://h/", BearerAuth("t"))


def test_a_url_checked_once_is_judged_the_same_every_time():
    # Request remembers URLs it found valid: the same text must give the
    # same answer (credentials moved out, a bad URL refused) on every use.
    for _ in range(3):
        req = Request("GET", "http://u:p@127.0.0.1:8081/same")
        assert (req.url, req.auth) == ("http://127.0.0.1:8081/same", BasicAuth("u", "p"))
        assert Request("GET", "http://127.0.0.1:8081/same").auth is None
        with pytest.raises(InvalidRequest, match="Port out of range"):
            Request("GET", "http://127.0.0.1:99999/")
        with pytest.raises(InvalidRequest, match="scheme"):
            Request("GET", "ftp://127.0.0.1/")
    with pytest.raises(InvalidRequest, match="url"):
        Request("GET", 123)  # type: ignore[arg-type]
    with pytest.raises(InvalidRequest, match="method"):
        Request("G ET", "http://127.0.0.1/")


def test_body_needs_one_source():
    with pytest.raises(InvalidRequest):
        BytesBody()
    with pytest.raises(InvalidRequest):
        MultipartBody((MultipartFile("f", "a.txt"),))

"""APIKey in a header or the query, against reqlab echo."""

from __future__ import annotations

import pytest

import reqlab
from reqlab.auth import APIKey
from reqlab.errors import InvalidRequest


def test_header_key_replaces_a_same_named_header(echo_url: str) -> None:
    auth = APIKey("X-API-Key", "k-123")
    r = reqlab.get(echo_url + "/echo", auth=auth, headers={"x-api-key": "old"})
    sent = [(n, v) for n, v in r.exchange.request_headers if n.lower() == "x-api-key"]
    assert sent == [("X-API-Key", "k-123")]
    assert (
        r.json()["headers"][-1] == ["X-API-Key", "k-123"]
        or ["X-API-Key", "k-123"] in r.json()["headers"]
    )


def test_query_key_is_encoded_and_not_duplicated(echo_url: str) -> None:
    auth = APIKey("api key", "a&b=c", location="query")
    with reqlab.Client(auth=auth) as client:
        r = client.get(echo_url + "/get?x=1&api%20key=stale#top")
    assert r.json()["args"] == {"x": "1", "api key": "a&b=c"}
    assert r.url.endswith("/get?x=1&api%20key=a%26b%3Dc#top")


def test_key_is_masked_and_checked() -> None:
    assert "k-123" not in repr(APIKey("X-API-Key", "k-123"))
    with pytest.raises(InvalidRequest, match="location"):
        APIKey("k", "v", location="cookie")  # type: ignore[arg-type]
    with pytest.raises(InvalidRequest):
        APIKey("X-Key", "bad\r\nvalue")

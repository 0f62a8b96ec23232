"""The API an httpx user expects: arguments, params, cookies, hooks, transports."""

from __future__ import annotations

import asyncio
import inspect

import pytest

import reqlab
from reqlab.echo.testing import start_echo_server


@pytest.fixture(scope="module")
def echo():
    with start_echo_server() as server:
        yield server


def _query(client: reqlab.Client, url: str, params: object) -> str:
    return client.build_request("GET", url, params=params).url.partition("?")[2]


def test_params_take_lists_pairs_and_primitives_as_httpx_does():
    client = reqlab.Client()
    assert _query(client, "http://h/p", {"tag": ["a", "b"]}) == "tag=a&tag=b"
    assert _query(client, "http://h/p", [("a", 1), ("a", 2.5)]) == "a=1&a=2.5"
    assert _query(client, "http://h/p", {"on": True, "off": False, "none": None}) == (
        "on=true&off=false&none="
    )
    assert _query(client, "http://h/p?z=0", {"a": "x y"}) == "z=0&a=x+y"


def test_params_refuse_a_value_that_is_no_primitive():
    with pytest.raises(reqlab.InvalidRequest, match=r"params\['bad'\]"):
        reqlab.Client().build_request("GET", "http://h/", params={"bad": {"x": 1}})


def test_unknown_keyword_names_the_class():
    with pytest.raises(TypeError, match=r"Client\.__init__\(\) got an unexpected keyword"):
        reqlab.Client(proxies="http://p")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"^AsyncClient\.__init__"):
        reqlab.AsyncClient(nope=1)  # type: ignore[call-arg]


def test_base_url_headers_params_and_cookies_of_the_client(echo):
    with reqlab.Client(
        base_url=echo.url + "/anything",
        headers={"X-Client": "1", "X-Over": "client"},
        params={"k": "v"},
        cookies={"session": "abc"},
    ) as client:
        r = client.get("items", params={"n": 2}, headers={"X-Over": "request"})
    body = r.json()
    assert body["url"].endswith("/anything/items?k=v&n=2")
    assert body["headers"]["X-Client"] == "1"
    assert body["headers"]["X-Over"] == "request"
    assert body["headers"]["Cookie"] == "session=abc"


def test_response_and_client_cookies(echo):
    with reqlab.Client() as client:
        r = client.get(echo.url + "/cookies/set", params={"flavour": "oat"})
        assert r.cookies == {"flavour": "oat"}
        assert client.cookies["flavour"] == "oat"


def test_content_data_json_files(echo, tmp_path):
    with reqlab.Client(base_url=echo.url) as client:
        assert client.post("/post", content="text body").json()["data"] == "text body"
        form = client.post("/post", data={"a": ["1", "2"]}).json()["form"]
        assert form == {"a": ["1", "2"]}
        assert client.post("/post", json={"n": 3}).json()["json"] == {"n": 3}
        upload = client.post(
            "/post", data={"f": "x"}, files={"doc": ("a.txt", b"hello", "text/plain")}
        ).json()
        assert upload["files"] == {"doc": "hello"} and upload["form"] == {"f": "x"}


def test_mock_transport_runs_the_session_logic():
    seen: list[str] = []

    def handler(request: reqlab.Request) -> reqlab.Response:
        seen.append(request.url)
        if request.url.endswith("/old"):
            return reqlab.Response(302, headers={"Location": "/new"})
        return reqlab.Response(200, headers={"Content-Type": "text/plain"}, content=b"moved")

    hooks: list[int] = []
    with reqlab.Client(
        transport=reqlab.MockTransport(handler),
        follow_redirects=True,
        event_hooks={"response": [lambda r: hooks.append(r.status_code)]},
    ) as client:
        r = client.get("http://example.test/old")
    assert seen == ["http://example.test/old", "http://example.test/new"]
    assert (r.status_code, r.text, hooks) == (200, "moved", [200])
    assert r.history[0].status == 302
    assert "nothing was sent" in r.exchange.warnings[0]


def test_async_mock_transport_and_async_handler():
    async def handler(request: reqlab.Request) -> reqlab.Response:
        return reqlab.Response(201, content=request.method)

    async def main() -> reqlab.Response:
        async with reqlab.AsyncClient(transport=reqlab.MockTransport(handler)) as client:
            return await client.post("http://example.test/", json={"a": 1})

    r = asyncio.run(main())
    assert (r.status_code, r.text, r.reason_phrase) == (201, "POST", "Created")


def test_module_level_functions(echo):
    r = reqlab.get(echo.url + "/get", params={"q": ["1", "2"]})
    assert r.json()["args"] == {"q": ["1", "2"]}
    assert reqlab.post(echo.url + "/post", json=[1]).json()["json"] == [1]


def test_module_level_functions_take_the_version(echo):
    r = reqlab.get(echo.url + "/echo", version="HTTP/1.0")
    assert r.exchange.version == "HTTP/1.0" and r.json()["http_version"] == "HTTP/1.0"
    r = reqlab.post(echo.url + "/echo", content=b"x", version="HTTP/2")
    assert r.json()["http_version"] == "HTTP/2"  # h2c by prior knowledge


METHODS = ["request", "get", "head", "options", "delete", "post", "put", "patch", "stream"]
CLIENT_WIDE = ["verify", "cert", "proxy", "trust_env"]  # the module functions' own client


def _params(function: object) -> list[tuple[str, object, object]]:
    signature = inspect.signature(function)  # type: ignore[arg-type]
    return [
        (p.name, p.kind, p.annotation) for p in signature.parameters.values() if p.name != "self"
    ]


@pytest.mark.parametrize("name", METHODS)
def test_sync_async_and_module_functions_take_the_same_arguments(name: str) -> None:
    """The per-method signatures are written out in each class (for editors
    and type checkers); this keeps them from drifting apart."""
    sync = _params(getattr(reqlab.Client, name))
    assert _params(getattr(reqlab.AsyncClient, name)) == sync
    if name == "stream":
        return  # no module-level stream(): it needs a client to own the connection
    module = [p for p in _params(getattr(reqlab, name)) if p[0] not in CLIENT_WIDE]
    assert [n for n, _, _ in module] == [n for n, _, _ in sync]


def test_http1_http2_flags_choose_the_version():
    assert reqlab.Client(http2=False).http_version == "HTTP/1.1"
    assert reqlab.Client(http1=False).http_version == "HTTP/2"
    assert reqlab.Client().http_version is None
    with pytest.raises(reqlab.InvalidRequest):
        reqlab.Client(http1=False, http2=False)


def test_client_cookies_is_a_live_view(echo):
    with reqlab.Client() as client:
        client.cookies["added"] = "1"
        client.get(echo.url + "/cookies/set", params={"server": "2"})
        assert dict(client.cookies) == {"server": "2", "added": "1"}
        sent = client.get(echo.url + "/cookies").json()["cookies"]
        assert sent == {"added": "1", "server": "2"}
        del client.cookies["server"]
        assert client.get(echo.url + "/cookies").json()["cookies"] == {"added": "1"}

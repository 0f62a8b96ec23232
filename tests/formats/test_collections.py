"""Collection converters on real files the tools and packages ship
(tests/fixtures/collections/README.md), and round trips import -> export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reqlab.errors import FormatError
from reqlab.formats.collections import (
    detect_collection,
    read_collection_text,
    write_collection_text,
)
from reqlab.formats.httpfile import Collection, RequestTemplate, parse, render_request
from reqlab.formats.httpfile.authspec import AuthSpec, parse_auth_line
from reqlab.formats.httpfile.convert import split_auth
from reqlab.formats.postman import read_postman_environment

FIXTURES = Path(__file__).parent.parent / "fixtures" / "collections"


def _read(rel: str) -> Collection:
    text = (FIXTURES / rel).read_text("utf-8")
    return read_collection_text(text, detect_collection(text, rel))


def _essence(template: RequestTemplate) -> tuple[object, ...]:
    """What a round trip must keep: method, URL, headers in order, body, auth, variables."""
    headers, auth = split_auth(template)
    return (
        template.method,
        template.url,
        headers,
        template.body_text(),
        auth,
        [(v.name, v.value) for v in template.variables],
        template.label,
    )


def test_postman_v21_folders_auth_and_bodies() -> None:
    c = _read("postman/complex-v2_1-input.json")
    assert c.name == "Complex Test Collection"
    folders = [folder for folder, _ in c.items]
    assert folders[:2] == [("First Folder",), ("First Folder",)]
    upload = c.items[0][1]
    assert [type(chunk).__name__ for chunk in upload.body] == [
        "TextChunk",
        "FileChunk",
        "TextChunk",
    ]
    assert upload.body[1].path == "/home/user/test.txt"  # type: ignore[union-attr]
    form = c.items[1][1]
    assert form.body_text() == "foo=bar"
    assert c.warnings == ["body mode 'unknown' is not converted"]


@pytest.mark.parametrize(
    ("rel", "header"),
    [
        ("postman/basic-auth-v2_0-input.json", "Basic basic-username basic-password"),
        ("postman/basic-auth-v2_1-input.json", "Basic basic-username basic-password"),
        ("postman/bearer-token-v2_1-input.json", "Bearer bearer-token-value"),
        ("postman/digest-auth-v2_1-input.json", "Digest guest guest"),
    ],
)
def test_postman_auth_of_both_versions(rel: str, header: str) -> None:
    (_, template), *_ = _read(rel).items
    assert template.header("Authorization") == header


def test_postman_environment() -> None:
    name, values, secrets = read_postman_environment(
        (FIXTURES / "postman/environment-basic-input.json").read_text()
    )
    assert (name, values, secrets) == ("Production Env", {"foo": "production"}, {})


def test_postman_scripts_are_kept_as_comments_and_counted() -> None:
    doc = {
        "info": {"name": "s"},
        "item": [
            {
                "name": "login",
                "event": [
                    {"listen": "test", "script": {"exec": ["pm.test('ok', () => {});"]}},
                    {"listen": "prerequest", "script": {"exec": ["// set up", "let a = 1;"]}},
                ],
                "request": {"method": "GET", "url": "https://x/"},
            }
        ],
    }
    c = read_collection_text(json.dumps(doc), "postman")
    assert c.warnings == ["2 Postman script(s) not run: request scripts are kept as comments"]
    ((_, template),) = c.items
    text = render_request(template)
    assert "# postman test: pm.test('ok', () => {});" in text
    back = json.loads(write_collection_text(c, "postman"))["item"][0]["event"]
    assert back == [
        {
            "listen": "test",
            "script": {"type": "text/javascript", "exec": ["pm.test('ok', () => {});"]},
        },
        {
            "listen": "prerequest",
            "script": {"type": "text/javascript", "exec": ["// set up", "let a = 1;"]},
        },
    ]


@pytest.mark.parametrize(
    "rel",
    sorted(p.relative_to(FIXTURES).as_posix() for p in (FIXTURES / "postman").glob("*v2_*")),
)
def test_postman_round_trip_keeps_every_request(rel: str) -> None:
    first = _read(rel)
    again = read_collection_text(write_collection_text(first, "postman"), "postman")
    assert [(f, _essence(t)) for f, t in again.items] == [(f, _essence(t)) for f, t in first.items]
    assert again.variables == first.variables


def _operations(rel: str) -> list[tuple[str, str]]:
    import yaml

    doc = yaml.safe_load((FIXTURES / rel).read_text("utf-8"))
    methods = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
    return [(m.upper(), p) for p, item in doc["paths"].items() for m in methods if m in item]


@pytest.mark.parametrize(
    ("rel", "env"),
    [
        ("openapi/petstore-3.0.json", {"default": {"baseUrl": "http://petstore.swagger.io/v2"}}),
        (
            "openapi/petstore-swagger-2.0.json",
            {"http": {"baseUrl": "http://petstore.swagger.io/v2"}},
        ),
        ("openapi/petstore-simple-3.1.yaml", None),
        ("openapi/petstore-expanded-swagger-2.0.yaml", None),
    ],
)
def test_openapi_one_request_per_operation(rel: str, env: object) -> None:
    c = _read(rel)
    expected = _operations(rel)
    assert len(expected) >= 2
    assert [(t.method, t.url.split("?")[0]) for _, t in c.items] == [
        (m, "{{baseUrl}}" + p.replace("{", "{{").replace("}", "}}")) for m, p in expected
    ]
    if env is not None:
        assert c.environments == env
    for _, template in c.items:
        assert template.url.startswith("{{baseUrl}}/")
        assert parse(render_request(template)).requests[0].url == template.url


def test_openapi_examples_become_bodies_and_path_parameters_variables() -> None:
    c = _read("openapi/petstore-3.0.json")
    by_name = {t.name: t for _, t in c.items}
    add = by_name["addPet"]
    assert json.loads(add.body_text() or "")["name"] == "doggie"
    assert add.header("Content-Type") == "application/json"
    assert add.header("Authorization") == "Bearer {{token}}"
    get = by_name["getPetById"]
    assert get.url == "{{baseUrl}}/pet/{{petId}}"
    assert [v.name for v in get.variables] == ["petId"]
    assert get.header("api_key") == "{{api_key}}"
    assert by_name["findPetsByStatus"].variables[0].value == "available"


def test_har_every_entry_and_round_trip() -> None:
    for rel in ["har/deep-input.json", "har/minimal-input.json", "har/shallow-input.json"]:
        first = _read(rel)
        again = read_collection_text(write_collection_text(first, "har"), "har")
        assert [(f, _essence(t)) for f, t in again.items] == [
            (f, _essence(t)) for f, t in first.items
        ]
    three = {
        "log": {
            "entries": [{"request": {"method": "GET", "url": f"http://x/{i}"}} for i in range(3)]
        }
    }
    c = read_collection_text(json.dumps(three), "har")
    assert [t.url for _, t in c.items] == ["http://x/0", "http://x/1", "http://x/2"]


def test_insomnia_v4_exports() -> None:
    c = _read("insomnia/export-v4-folder-environment.json")
    ((folder, template),) = c.items
    assert folder == ("Test Folder",)
    assert template.url == "{{base_url}}/users?testing=hi%20123&testing%202=hi%20456"
    assert template.header("Authorization") == "Basic {{api_key}}:"
    assert c.variables == [("base_url", "https://insomnia.rest/api/v1"), ("api_key", "live_123")]
    envs = _read("insomnia/export-v4-environments.json")
    assert envs.environments == {
        "OpenAPI env": {"base_path": "/filemanagement", "host": "localhost:8080", "scheme": "https"}
    }
    assert len(_read("insomnia/export-v4-complex.json").items) == 6
    assert _read("insomnia/basic-input.yaml").items == []


def test_bruno_request_file() -> None:
    c = _read("bruno/request.bru")
    ((_, template),) = c.items
    assert (template.title, template.method) == ("Send Bulk SMS", "GET")
    assert template.url == "https://api.textlocal.in/send/{{id}}"
    assert template.header("Authorization") == "Bearer 123"
    assert template.body_text() == '{\n  "hello": "world"\n}'
    assert c.warnings == ["2 Bruno script(s) kept as comments, not run"]


def test_curl_commands_and_raw_http() -> None:
    c = _read("curl/multi-data-input.sh")
    ((_, template),) = c.items
    assert template.body_text() == "foo=bar&baz=qux"
    two = read_collection_text("curl http://a/1\ncurl -H 'X: 1' http://a/2\n", "curl")
    assert [t.url for _, t in two.items] == ["http://a/1", "http://a/2"]
    again = read_collection_text(write_collection_text(two, "curl"), "curl")
    assert [_essence(t)[:4] for _, t in again.items] == [_essence(t)[:4] for _, t in two.items]
    raw = read_collection_text("POST /x HTTP/1.1\r\nHost: h\r\n\r\nhi", "raw")
    assert raw.items[0][1].url == "http://h/x"


def test_http_export_round_trip() -> None:
    first = _read("postman/complex-v2_1-input.json")
    again = read_collection_text(write_collection_text(first, "http"), "http")
    assert [_essence(t) for _, t in again.items] == [_essence(t) for _, t in first.items]


def test_unknown_input_is_one_clear_line() -> None:
    with pytest.raises(FormatError, match="a Postman collection or environment, OpenAPI"):
        detect_collection("hello", "notes.txt")
    with pytest.raises(FormatError, match="openapi at line 2, column 1: valid YAML"):
        read_collection_text("openapi: [\n", "openapi")


def test_bruno_directory_with_folders_and_environments(tmp_path: Path) -> None:
    from reqlab.workspace.imports import read_source

    root = tmp_path / "bru"
    (root / "users").mkdir(parents=True)
    (root / "environments").mkdir()
    (root / "bruno.json").write_text('{"version": "1", "name": "Shop API", "type": "collection"}')
    (root / "users" / "sms.bru").write_text((FIXTURES / "bruno/request.bru").read_text())
    (root / "login.bru").write_text(
        "meta {\n  name: Login\n  type: http\n  seq: 1\n}\n\npost {\n  url: {{host}}/login\n"
        "  body: formUrlEncoded\n  auth: basic\n}\n\nauth:basic {\n  username: ada\n"
        "  password: {{password}}\n}\n\nbody:form-urlencoded {\n  a: 1\n  ~b: 2\n}\n"
    )
    (root / "environments" / "dev.bru").write_text(
        "vars {\n  host: http://localhost:3000\n  ~unused: x\n}\nvars:secret [\n  password\n]\n"
    )
    c = read_source(root)
    assert c.name == "Shop API"
    assert [(f, t.title) for f, t in c.items] == [((), "Login"), (("users",), "Send Bulk SMS")]
    login = c.items[0][1]
    assert login.header("Authorization") == "Basic ada {{password}}"
    assert login.body_text() == "a=1"
    assert c.environments == {"dev": {"host": "http://localhost:3000"}}
    assert c.secrets == {"dev": {"password": ""}}


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ('{"info": {}, "item": ["not an item"]}', "postman"),
        (
            '{"info": {}, "item": [{"name": "x", "request": {"header": 5, "url": "http://x/"}}]}',
            "postman",
        ),
        ('{"openapi": "3.0.0", "paths": {"/a": {"get": {"parameters": [7]}}}}', "openapi"),
        ('{"_type": "export", "resources": [{"_type": "request", "headers": [1]}]}', "insomnia"),
    ],
)
def test_a_misshapen_document_is_one_line(text: str, fmt: str) -> None:
    with pytest.raises(FormatError) as caught:
        read_collection_text(text, fmt)
    assert f"a well-formed {fmt} document" in str(caught.value) and "\n" not in str(caught.value)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "item",
                    "request",
                    "url",
                    "header",
                    "body",
                    "mode",
                    "raw",
                    "auth",
                    "type",
                    "paths",
                    "get",
                    "parameters",
                    "resources",
                    "_type",
                    "name",
                    "key",
                    "value",
                    "log",
                    "entries",
                    "method",
                    "headers",
                    "params",
                    "basic",
                    "$ref",
                ]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@given(_json, st.sampled_from(["postman", "openapi", "insomnia", "har"]))
def test_any_json_gives_a_collection_or_a_format_error(doc: object, fmt: str) -> None:
    wrapper = {
        "postman": {"info": {"name": "x"}, "item": doc},
        "openapi": {"openapi": "3.0.0", "paths": doc},
        "insomnia": {"_type": "export", "resources": doc},
        "har": {"log": {"entries": doc}},
    }[fmt]
    try:
        collection = read_collection_text(json.dumps(wrapper), fmt)
    except FormatError as exc:  # refused: one line, naming the format
        assert "\n" not in str(exc) and str(exc).startswith(fmt)
    else:
        assert all(isinstance(t, RequestTemplate) for _, t in collection.items)


def _postman_auth(auth: dict[str, object]) -> Collection:
    doc = {
        "info": {"name": "a"},
        "auth": auth,
        "item": [{"name": "call", "request": {"method": "GET", "url": "https://x/"}}],
    }
    return read_collection_text(json.dumps(doc), "postman")


def _auth_line(c: Collection) -> AuthSpec:
    """The imported request's auth line, as the workspace reads it back."""
    ((_, template),) = c.items
    (again,) = parse(render_request(template), "imported.http").requests
    ((name, value),) = again.options
    assert name == "auth"
    return parse_auth_line(value, "imported.http", 2)


def _kv_list(**params: str) -> list[dict[str, str]]:
    return [{"key": k, "value": v, "type": "string"} for k, v in params.items()]


AUTH_LINES = pytest.mark.parametrize(
    ("auth", "kind", "fields"),
    [
        (
            {
                "type": "apikey",
                "apikey": _kv_list(key="api_key", value="{{key}}", **{"in": "query"}),
            },
            "apikey",
            (("name", "api_key"), ("value", "{{key}}"), ("in", "query")),
        ),
        (
            {
                "type": "awsv4",
                "awsv4": _kv_list(
                    accessKey="{{ak}}",
                    secretKey="{{sk}}",
                    region="eu-west-1",
                    service="execute-api",
                    sessionToken="{{st}}",
                ),
            },
            "aws-sigv4",
            (
                ("access-key", "{{ak}}"),
                ("secret-key", "{{sk}}"),
                ("region", "eu-west-1"),
                ("service", "execute-api"),
                ("session-token", "{{st}}"),
            ),
        ),
        (
            {  # v2.0's object form, secret sent in the body
                "type": "oauth2",
                "oauth2": {
                    "grant_type": "client_credentials",
                    "accessTokenUrl": "{{idp}}/token",
                    "clientId": "svc",
                    "clientSecret": "{{secret}}",
                    "scope": "read write",
                    "client_authentication": "body",
                },
            },
            "oauth2",
            (
                ("grant", "client-credentials"),
                ("token-url", "{{idp}}/token"),
                ("client-id", "svc"),
                ("client-secret", "{{secret}}"),
                ("scope", "read write"),
                ("client-auth", "post"),
            ),
        ),
        (
            {
                "type": "oauth2",
                "oauth2": _kv_list(
                    grant_type="client_credentials",
                    accessTokenUrl="https://id/token",
                    clientId="svc",
                    client_authentication="header",
                ),
            },
            "oauth2",
            (
                ("grant", "client-credentials"),
                ("token-url", "https://id/token"),
                ("client-id", "svc"),
                ("client-auth", "basic"),
            ),
        ),
    ],
)


@AUTH_LINES
def test_postman_auth_becomes_an_auth_line_that_parses_back(
    auth: dict[str, object], kind: str, fields: tuple[tuple[str, str], ...]
) -> None:
    c = _postman_auth(auth)
    assert c.warnings == []  # every secret was a {{variable}} already
    spec = _auth_line(c)
    assert (spec.kind, spec.fields, spec.warnings) == (kind, fields, ())


@AUTH_LINES
def test_auth_lines_export_to_postman_and_import_back_the_same(
    auth: dict[str, object], kind: str, fields: tuple[tuple[str, str], ...]
) -> None:
    """Export writes an auth line as the Postman auth it came from (nothing
    the user wrote is dropped), so importing the export gives the same line."""
    exported = json.loads(write_collection_text(_postman_auth(auth), "postman"))
    (item,) = exported["item"]
    assert item["request"]["auth"]["type"] == auth["type"]
    again = read_collection_text(json.dumps(exported), "postman")
    spec = _auth_line(again)
    assert (spec.kind, spec.fields) == (kind, fields)


def test_auth_lines_postman_cannot_say_stay_in_the_description_with_a_warning() -> None:
    text = (
        "### call\n# @reqlab.auth oauth2 grant=device-code token-url=https://id/t"
        " device-url=https://id/d client-id=cli\nGET https://x/\n\n"
        "### basic\n# @reqlab.auth basic username=ann password={{pw}}\nGET https://x/b\n"
    )
    c = read_collection_text(text, "http")
    exported = json.loads(write_collection_text(c, "postman"))
    call, basic = exported["item"]
    assert "auth" not in call["request"]
    assert call["request"]["description"].endswith(
        "@reqlab.auth oauth2 grant=device-code token-url=https://id/t"
        " device-url=https://id/d client-id=cli"
    )
    assert c.warnings == [
        "call: @reqlab.auth (OAuth 2.0 device-code) has no Postman form;"
        " it is in the request's description"
    ]
    assert basic["request"]["auth"] == {
        "type": "basic",
        "basic": [
            {"key": "username", "value": "ann", "type": "string"},
            {"key": "password", "value": "{{pw}}", "type": "string"},
        ],
    }


def test_postman_literal_secret_is_kept_and_the_import_warns_naming_the_request() -> None:
    c = _postman_auth(
        {
            "type": "awsv4",
            "awsv4": _kv_list(
                accessKey="AKIA", secretKey="s3cr3t", region="us-east-1", service="s3"
            ),
        }
    )
    assert c.warnings == [
        "call: secret-key written in clear on its @reqlab.auth line;"
        " put it in http-client.private.env.json and write {{name}} on the line"
    ]
    assert _auth_line(c).get("secret-key") == "s3cr3t"


@pytest.mark.parametrize("grant", ["authorization_code", "implicit", "password_credentials"])
def test_postman_oauth2_other_grants_are_warned_by_name(grant: str) -> None:
    c = _postman_auth(
        {"type": "oauth2", "oauth2": _kv_list(grant_type=grant, accessTokenUrl="https://id/t")}
    )
    assert c.warnings == [
        f"call: oauth2 auth with the {grant} grant is not converted"
        " (only client_credentials is); add its @reqlab.auth line by hand"
    ]
    ((_, template),) = c.items
    assert template.options == ()


def test_postman_awsv4_without_a_region_is_warned_not_written() -> None:
    c = _postman_auth({"type": "awsv4", "awsv4": _kv_list(accessKey="{{a}}", secretKey="{{s}}")})
    assert c.warnings == ["call: awsv4 auth is not converted: aws-sigv4 needs region, service"]
    assert c.items[0][1].options == ()


def test_postman_apikey_in_header_stays_a_header() -> None:
    c = _postman_auth({"type": "apikey", "apikey": _kv_list(key="X-Key", value="{{k}}")})
    ((_, template),) = c.items
    assert (template.header("X-Key"), template.options) == ("{{k}}", ())

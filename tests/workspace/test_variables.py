"""Variables: precedence, dynamic values, .env and process variables, secrets masked."""

from __future__ import annotations

import re

import pytest

from reqlab.formats.httpfile import HttpFileError, parse
from reqlab.formats.httpfile.envfiles import parse_dotenv, parse_env_json
from reqlab.formats.httpfile.resolve import resolve_template
from reqlab.formats.httpfile.variables import Layer, Scope, mask
from reqlab.formats.response_query import RecordedResponse
from reqlab.model import BasicAuth, BytesBody, TextBody


def _scope(**layers: dict[str, str]) -> Scope:
    order = ["cli", "file", "private", "env", "shared"]
    return Scope(
        [Layer(n, layers[n], secret=n == "private") for n in order if n in layers],
        dotenv={"DB_PASS": "from-dotenv"},
        process_env={"HOME_DIR": "/home/ada"},
    )


def _one(text: str) -> object:
    (template,) = parse(text, "t.http").requests
    return template


def test_precedence_cli_then_file_then_private_then_env_then_shared() -> None:
    names = ["cli", "file", "private", "env", "shared"]
    for top in range(5):
        layers = {n: {"x": n} for n in names[top:]}
        assert _scope(**layers).expand("{{x}}") == names[top]


def test_variables_everywhere_and_values_that_refer_to_others() -> None:
    template = _one(
        "POST {{base}}/items?q={{q}} HTTP/1.1\nX-Id: {{ id }}\n\n"
        '{"q": "{{q}}", "path": "{{$processEnv HOME_DIR}}"}\n'
    )
    scope = _scope(file={"base": "http://{{host}}:8080", "q": "a b", "id": "7"}, env={"host": "h"})
    request = resolve_template(template, scope, path="t.http").request  # type: ignore[arg-type]
    assert request.url == "http://h:8080/items?q=a%20b"
    assert request.header("X-Id") == "7"
    assert request.body == TextBody('{"q": "a b", "path": "/home/ada"}')


def test_dynamic_values() -> None:
    scope = _scope()
    assert re.fullmatch(r"[0-9a-f-]{36}", scope.expand("{{$uuid}}"))
    assert re.fullmatch(r"[0-9a-f-]{36}", scope.expand("{{$random.uuid}}"))
    assert scope.expand("{{$timestamp}}").isdigit()
    assert scope.expand("{{$isoTimestamp}}").endswith("Z")
    for _ in range(20):
        assert 3 <= int(scope.expand("{{$randomInt 3 5}}")) < 5
        assert 1 <= int(scope.expand("{{$random.integer(1, 4)}}")) < 4
    assert len(scope.expand("{{$random.alphabetic(12)}}")) == 12
    assert scope.expand("{{$dotenv DB_PASS}}") == "from-dotenv"


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("GET http://x/{{missing}}\n", 1, 14, "unknown variable 'missing'"),
        ("GET http://x/\nA: 1\nB: x{{nope}}\n", 3, 5, "'nope'"),
        ("POST http://x/\n\nline one\n  {{gone}}\n", 4, 3, "'gone'"),
        ("GET http://x/{{$dotenv NOPE}}\n", 1, 14, "not set in the .env file"),
        ("GET http://x/{{$nosuch}}\n", 1, 14, "unknown dynamic variable"),
        ("GET http://x/{{login.response.body.$.t}}\n", 1, 14, "has no response yet"),
        ("@a = {{b}}\n@b = {{a}}\nGET http://x/{{a}}\n", 3, 14, "refers to itself"),
    ],
)
def test_an_unknown_variable_names_itself_and_where_it_is_used(
    text: str, line: int, column: int, words: str
) -> None:
    file = parse(text, "api/t.http")
    scope = _scope(file={v.name: v.value for v in file.variables})
    with pytest.raises(HttpFileError) as caught:
        resolve_template(file.requests[0], scope, path="api/t.http")
    assert str(caught.value).startswith(f"api/t.http:{line}:{column}: ")
    assert words in str(caught.value)


def test_chained_response_values() -> None:
    scope = _scope()
    scope.responses = {
        "login": RecordedResponse(
            201, (("Location", "/users/7"),), b'{"token": "t0k", "ids": [4, 5], "n": null}'
        )
    }
    assert scope.expand("{{login.response.body.$.token}}") == "t0k"
    assert scope.expand("{{login.response.body.$.ids[1]}}") == "5"
    assert scope.expand("{{login.response.body.$.ids}}") == "[4,5]"
    assert scope.expand("{{login.response.headers.location}}") == "/users/7"
    assert scope.expand("{{login.response.status}}") == "201"
    with pytest.raises(LookupError, match="selects nothing"):
        scope.expand("{{login.response.body.$.missing}}")


def test_private_values_are_masked_wherever_they_land() -> None:
    template = _one(
        "POST http://{{host}}/login?key={{apikey}}\nAuthorization: Basic ada {{pw}}\n"
        'X-Key: {{apikey}}\n\n{"pw": "{{pw}}"}\n'
    )
    scope = _scope(private={"pw": "hunter2", "apikey": "k-123"}, env={"host": "h"})
    resolved = resolve_template(template, scope, path="t.http")  # type: ignore[arg-type]
    assert resolved.request.auth == BasicAuth("ada", "hunter2")
    assert resolved.secrets == {"hunter2": "pw", "k-123": "apikey"}
    shown = resolved.masked()
    assert "hunter2" not in repr(shown) + str(shown.body) + str(shown.auth.password)  # type: ignore[union-attr]
    assert "k-123" not in shown.url + repr(shown.headers)
    named = resolved.masked("names")
    assert named.url == "http://h/login?key={{apikey}}"
    assert mask("a k-123 b", resolved.secrets) == "a •••• b"


def test_reqlab_settings_become_version_and_options() -> None:
    template = _one(
        "# @reqlab.http-version 1.0\n# @reqlab.keep-alive false\n# @reqlab.timeout 500ms\n"
        "# @reqlab.follow-redirects true\nGET http://x/\n"
    )
    request = resolve_template(template, _scope()).request  # type: ignore[arg-type]
    assert request.version == "HTTP/1.0"
    assert (request.options.keep_alive, request.options.timeout) == (False, 0.5)
    assert request.options.follow_redirects is True
    with pytest.raises(HttpFileError, match="unknown setting @reqlab.colour"):
        resolve_template(_one("# @reqlab.colour red\nGET http://x/\n"), _scope())  # type: ignore[arg-type]


def test_body_files_stay_paths_or_are_joined() -> None:
    whole = _one("POST http://x/\n\n< ./in.json\n")
    request = resolve_template(whole, _scope(), base_dir="/ws/api").request  # type: ignore[arg-type]
    assert request.body == BytesBody(path="/ws/api/in.json")
    mixed = _one(
        "POST http://x/\nContent-Type: multipart/form-data; boundary=B\n\n--B\n"
        'Content-Disposition: form-data; name="f"; filename="a.txt"\n\n< ./a.txt\n--B--\n'
    )
    files = {"/ws/a.txt": b"file {{x}}"}
    request = resolve_template(
        mixed,
        _scope(),
        base_dir="/ws",
        read_file=files.__getitem__,  # type: ignore[arg-type]
    ).request
    assert request.body == TextBody(
        '--B\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\n\r\nfile {{x}}\r\n--B--'
    )


def test_env_files() -> None:
    envs = parse_env_json(
        '{"$shared": {"v": 1, "on": true}, "dev": {"h": "x", "o": {"a": 1}}}', "e.json"
    )
    assert envs == {"$shared": {"v": "1", "on": "true"}, "dev": {"h": "x"}}
    with pytest.raises(HttpFileError, match=r"^e\.json:2:2: invalid JSON"):
        parse_env_json('{"dev": {}\n}}', "e.json")
    assert parse_dotenv("# c\nA=1\nexport B = 'two words'\nC=\"x\\ny\"\nD=v # note\n") == {
        "A": "1",
        "B": "two words",
        "C": "x\ny",
        "D": "v",
    }

"""Real-world curl commands (browsers' Copy as cURL for bash and cmd, API docs
snippets, tool exports), each read into the whole request curl would send."""

from __future__ import annotations

import pytest

from reqlab.formats import detect, read
from reqlab.model import (
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

FORM = ("Content-Type", "application/x-www-form-urlencoded")
FILES = {
    "data.json": b'{"a":1}\n',
    "headers.txt": b"X-One: 1\r\nX-Two: 2\n",
    "note.txt": b"from a file\n",
}


def read_file(path: str) -> bytes:
    if path not in FILES:
        raise FileNotFoundError(2, "No such file or directory", path)
    return FILES[path]


def R(method: str, url: str, *headers: tuple[str, str], **kw) -> Request:  # noqa: N802
    options = {k: kw.pop(k) for k in list(kw) if k in Options.__dataclass_fields__}
    return Request(method, url, headers=headers, options=Options(**options), **kw)


def follow(n: int = 50) -> dict:
    return {"follow_redirects": True, "max_redirects": n}


CHROME_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/118.0.0.0 Safari/537.36"
)

# (id, command, expected request, substrings expected among the warnings)
CASES: list[tuple[str, str, Request, list[str]]] = [
    (
        "chrome-bash-get",
        r"""curl 'https://www.example.com/api/items?page=2' \
  -H 'accept: application/json, text/plain, */*' \
  -H 'accept-language: en-US,en;q=0.9' \
  -H 'cookie: session=abc123; theme=dark' \
  -H 'referer: https://www.example.com/items' \
  -H 'sec-ch-ua: "Chromium";v="118", "Google Chrome";v="118", "Not=A?Brand";v="99"' \
  -H 'sec-fetch-mode: cors' \
  -H 'user-agent: """
        + CHROME_UA
        + r"""' \
  --compressed""",
        R(
            "GET",
            "https://www.example.com/api/items?page=2",
            ("accept", "application/json, text/plain, */*"),
            ("accept-language", "en-US,en;q=0.9"),
            ("cookie", "session=abc123; theme=dark"),
            ("referer", "https://www.example.com/items"),
            ("sec-ch-ua", '"Chromium";v="118", "Google Chrome";v="118", "Not=A?Brand";v="99"'),
            ("sec-fetch-mode", "cors"),
            ("user-agent", CHROME_UA),
            compressed=True,
        ),
        [],
    ),
    (
        "chrome-bash-graphql-ansi-c",
        r"""curl 'https://api.example.com/graphql' \
  -H 'content-type: application/json' \
  -b 'sid=1; lang=en' \
  --data-raw $'{"query":"query { viewer { login } }","variables":{"note":"it\'s"}}' \
  --compressed""",
        R(
            "POST",
            "https://api.example.com/graphql",
            ("Cookie", "sid=1; lang=en"),
            ("content-type", "application/json"),
            body=JsonBody({"query": "query { viewer { login } }", "variables": {"note": "it's"}}),
            compressed=True,
        ),
        [],
    ),
    (
        "chrome-cmd-graphql",
        """curl "https://api.example.com/graphql" ^
  -H "accept: */*" ^
  -H "content-type: application/json" ^
  --data-raw ^"^{^\\^"query^\\^":^\\^"^{ viewer ^}^\\^"^}^" ^
  --compressed""",
        R(
            "POST",
            "https://api.example.com/graphql",
            ("accept", "*/*"),
            ("content-type", "application/json"),
            body=JsonBody({"query": "{ viewer }"}),
            compressed=True,
        ),
        [],
    ),
    (
        "chrome-cmd-newline-and-percent",
        'curl "https://example.com/notes" ^\n  -H ^"x-pct: 100^%^" ^\n'
        '  --data-raw ^"line1^\n\nline2^"',
        R(
            "POST",
            "https://example.com/notes",
            ("x-pct", "100%"),
            FORM,
            body=TextBody("line1\nline2"),
        ),
        [],
    ),
    (
        "chrome-cmd-sec-ch-ua",
        'curl "https://example.com/" ^\n  -H ^"sec-ch-ua: ^\\^"Chromium^\\^";v=^\\^"118^\\^"^" ^\n'
        '  -H "accept-language: en-US,en;q=0.9"',
        R(
            "GET",
            "https://example.com/",
            ("sec-ch-ua", '"Chromium";v="118"'),
            ("accept-language", "en-US,en;q=0.9"),
        ),
        [],
    ),
    (
        "firefox-bash-get",
        "curl 'https://example.com/search?q=test' -H 'User-Agent: Mozilla/5.0 (X11; Linux "
        "x86_64; rv:109.0) Gecko/20100101 Firefox/118.0' -H 'Accept: text/html,application/"
        "xhtml+xml' -H 'Accept-Language: en-US,en;q=0.5' -H 'Accept-Encoding: gzip, deflate, br'"
        " -H 'Connection: keep-alive' -H 'Upgrade-Insecure-Requests: 1'",
        R(
            "GET",
            "https://example.com/search?q=test",
            (
                "User-Agent",
                "Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/118.0",
            ),
            ("Accept", "text/html,application/xhtml+xml"),
            ("Accept-Language", "en-US,en;q=0.5"),
            ("Accept-Encoding", "gzip, deflate, br"),
            ("Connection", "keep-alive"),
            ("Upgrade-Insecure-Requests", "1"),
        ),
        [],
    ),
    (
        "firefox-bash-login-form",
        "curl 'https://example.com/login' -X POST -H 'Content-Type: application/x-www-form-"
        "urlencoded' -H 'Origin: https://example.com' --data-raw 'user=alice&pass=s3cr%21t'",
        R(
            "POST",
            "https://example.com/login",
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Origin", "https://example.com"),
            body=FormBody((("user", "alice"), ("pass", "s3cr!t"))),
        ),
        [],
    ),
    (
        "firefox-windows-curl-exe",
        'curl.exe "https://example.com/api" ^\n  -X POST ^\n'
        '  -H "Content-Type: application/json" ^\n  --data-raw ^"^{^\\^"a^\\^":1^}^"',
        R(
            "POST",
            "https://example.com/api",
            ("Content-Type", "application/json"),
            body=JsonBody({"a": 1}),
        ),
        [],
    ),
    (
        "github-docs-get",
        """curl -L \\
  -H "Accept: application/vnd.github+json" \\
  -H "Authorization: Bearer <YOUR-TOKEN>" \\
  -H "X-GitHub-Api-Version: 2022-11-28" \\
  https://api.github.com/repos/OWNER/REPO/issues""",
        R(
            "GET",
            "https://api.github.com/repos/OWNER/REPO/issues",
            ("Accept", "application/vnd.github+json"),
            ("Authorization", "Bearer <YOUR-TOKEN>"),
            ("X-GitHub-Api-Version", "2022-11-28"),
            **follow(),
        ),
        [],
    ),
    (
        "github-docs-post-json-without-type",
        """curl -L \\
  -X POST \\
  -H "Accept: application/vnd.github+json" \\
  -H "Authorization: Bearer <YOUR-TOKEN>" \\
  https://api.github.com/repos/OWNER/REPO/issues \\
  -d '{"title":"Found a bug","body":"I'\\''m having a problem with this.","labels":["bug"]}'""",
        R(
            "POST",
            "https://api.github.com/repos/OWNER/REPO/issues",
            ("Accept", "application/vnd.github+json"),
            ("Authorization", "Bearer <YOUR-TOKEN>"),
            FORM,
            body=TextBody(
                '{"title":"Found a bug","body":"I\'m having a problem with this.","labels":["bug"]}'
            ),
            **follow(),
        ),
        [],
    ),
    (
        "stripe-create-customer",
        """curl https://api.stripe.com/v1/customers \\
  -u sk_test_4eC39HqLyjWDarjtT1zdp7dc: \\
  -d name="Jenny Rosen" \\
  --data-urlencode email="jenny.rosen@example.com\"""",
        R(
            "POST",
            "https://api.stripe.com/v1/customers",
            FORM,
            body=TextBody("name=Jenny Rosen&email=jenny.rosen%40example.com"),
            auth=BasicAuth("sk_test_4eC39HqLyjWDarjtT1zdp7dc", ""),
        ),
        [],
    ),
    (
        "stripe-list-with-G",
        "curl -G https://api.stripe.com/v1/customers \\\n  -u sk_test_x: \\\n  -d limit=3",
        R("GET", "https://api.stripe.com/v1/customers?limit=3", auth=BasicAuth("sk_test_x", "")),
        [],
    ),
    (
        "stripe-brackets",
        "curl https://api.stripe.com/v1/payment_intents -u sk_test_x: -d amount=2000 "
        '-d currency=usd -d "automatic_payment_methods[enabled]"=true',
        R(
            "POST",
            "https://api.stripe.com/v1/payment_intents",
            FORM,
            body=TextBody("amount=2000&currency=usd&automatic_payment_methods[enabled]=true"),
            auth=BasicAuth("sk_test_x", ""),
        ),
        [],
    ),
    (
        "slack-webhook",
        "curl -X POST -H 'Content-type: application/json' --data '{\"text\":\"Hello, World!\"}' "
        "https://hooks.slack.com/services/T000/B000/XXXX",
        R(
            "POST",
            "https://hooks.slack.com/services/T000/B000/XXXX",
            ("Content-type", "application/json"),
            body=JsonBody({"text": "Hello, World!"}),
        ),
        [],
    ),
    (
        "slack-bearer-charset",
        'curl -H "Authorization: Bearer xoxb-1234" -H "Content-type: application/json; '
        'charset=utf-8" -d \'{"channel":"C123","text":"hi"}\' https://slack.com/api/chat.postMessage',
        R(
            "POST",
            "https://slack.com/api/chat.postMessage",
            ("Authorization", "Bearer xoxb-1234"),
            ("Content-type", "application/json; charset=utf-8"),
            body=JsonBody({"channel": "C123", "text": "hi"}),
        ),
        [],
    ),
    (
        "slack-files-upload",
        'curl -F file=@dramacat.gif -F "initial_comment=Shakes the cat" '
        '-F channels=C024BE91L,D032AC32T -H "Authorization: Bearer xoxb-xxxx" '
        "https://slack.com/api/files.upload",
        R(
            "POST",
            "https://slack.com/api/files.upload",
            ("Authorization", "Bearer xoxb-xxxx"),
            body=MultipartBody(
                (
                    MultipartFile("file", "dramacat.gif", None, path="dramacat.gif"),
                    MultipartField("initial_comment", "Shakes the cat"),
                    MultipartField("channels", "C024BE91L,D032AC32T"),
                )
            ),
        ),
        [],
    ),
    (
        "openai-chat-env-var",
        """curl https://api.openai.com/v1/chat/completions \\
  -H "Content-Type: application/json" \\
  -H "Authorization: Bearer $OPENAI_API_KEY" \\
  -d '{
    "model": "gpt-4o",
    "messages": [{"role": "user", "content": "Hello!"}]
  }'""",
        R(
            "POST",
            "https://api.openai.com/v1/chat/completions",
            ("Content-Type", "application/json"),
            ("Authorization", "Bearer $OPENAI_API_KEY"),
            body=TextBody(
                '{\n    "model": "gpt-4o",\n    "messages": [{"role": "user", "content": '
                '"Hello!"}]\n  }'
            ),
        ),
        ["$OPENAI_API_KEY is kept as written"],
    ),
    (
        "openai-transcription-multipart",
        """curl https://api.openai.com/v1/audio/transcriptions \\
  -H "Authorization: Bearer $OPENAI_API_KEY" \\
  -H "Content-Type: multipart/form-data" \\
  -F file="@/path/to/file/audio.mp3" \\
  -F model="whisper-1\"""",
        R(
            "POST",
            "https://api.openai.com/v1/audio/transcriptions",
            ("Authorization", "Bearer $OPENAI_API_KEY"),
            ("Content-Type", "multipart/form-data"),
            body=MultipartBody(
                (
                    MultipartFile("file", "audio.mp3", None, path="/path/to/file/audio.mp3"),
                    MultipartField("model", "whisper-1"),
                )
            ),
        ),
        ["$OPENAI_API_KEY"],
    ),
    (
        "json-option",
        'curl https://api.example.com/v1/messages --json \'{"model":"m","max_tokens":10}\' '
        "-H 'x-api-key: k'",
        R(
            "POST",
            "https://api.example.com/v1/messages",
            ("x-api-key", "k"),
            ("Accept", "application/json"),
            body=JsonBody({"model": "m", "max_tokens": 10}),
        ),
        [],
    ),
    (
        "json-option-pretty-text",
        "curl --json '{ \"a\": 1 }' http://127.0.0.1:8080/",
        R(
            "POST",
            "http://127.0.0.1:8080/",
            ("Content-Type", "application/json"),
            ("Accept", "application/json"),
            body=TextBody('{ "a": 1 }'),
        ),
        [],
    ),
    (
        "httpbin-swagger",
        'curl -X GET "https://httpbin.org/get" -H "accept: application/json"',
        R("GET", "https://httpbin.org/get", ("accept", "application/json")),
        [],
    ),
    ("head", "curl -I https://example.com", R("HEAD", "https://example.com"), []),
    (
        "combined-short-flags",
        "curl -sSL https://get.example.sh",
        R("GET", "https://get.example.sh", **follow()),
        [],
    ),
    (
        "elasticsearch-attached-values",
        'curl -XPOST localhost:9200/index/_search -d\'{"query":{"match_all":{}}}\' '
        "-H'Content-Type: application/json'",
        R(
            "POST",
            "http://localhost:9200/index/_search",
            ("Content-Type", "application/json"),
            body=JsonBody({"query": {"match_all": {}}}),
        ),
        [],
    ),
    (
        "digest",
        "curl -u admin:secret --digest http://127.0.0.1:8080/protected",
        R("GET", "http://127.0.0.1:8080/protected", auth=DigestAuth("admin", "secret")),
        [],
    ),
    (
        "tls-timeouts-compressed",
        "curl -k --compressed -m 10 --connect-timeout 2.5 https://self-signed.example/",
        R(
            "GET",
            "https://self-signed.example/",
            verify=False,
            compressed=True,
            timeout=10.0,
            connect_timeout=2.5,
        ),
        [],
    ),
    (
        "http2",
        "curl --http2 https://nghttp2.org/",
        R("GET", "https://nghttp2.org/", version="HTTP/2"),
        [],
    ),
    (
        "http1.0-short",
        "curl -0 http://example.com/",
        R("GET", "http://example.com/", version="HTTP/1.0"),
        [],
    ),
    (
        "cookies-agent-referer-in-curl-order",
        "curl -H 'X-A: 1' -b 'a=1' -b 'b=2' -A 'MyAgent/1.0' -e 'https://ref.example/;auto' "
        "http://example.com/",
        R(
            "GET",
            "http://example.com/",
            ("User-Agent", "MyAgent/1.0"),
            ("Referer", "https://ref.example/"),
            ("Cookie", "a=1;b=2"),
            ("X-A", "1"),
        ),
        [],
    ),
    (
        "custom-header-overrides-agent",
        "curl -A agent1 -H 'user-agent: agent2' http://example.com/",
        R("GET", "http://example.com/", ("user-agent", "agent2")),
        [],
    ),
    (
        "cookie-file",
        "curl -b cookies.txt http://example.com/",
        R("GET", "http://example.com/"),
        ["cookie file"],
    ),
    (
        "data-binary-file-kept-as-path",
        "curl --data-binary @payload.bin -H 'Content-Type: application/octet-stream' "
        "http://example.com/upload",
        R(
            "POST",
            "http://example.com/upload",
            ("Content-Type", "application/octet-stream"),
            body=BytesBody(path="payload.bin"),
        ),
        [],
    ),
    (
        "data-at-file-read-and-stripped",
        'curl -d @data.json -H "Content-Type: application/json" http://x.example/',
        R(
            "POST",
            "http://x.example/",
            ("Content-Type", "application/json"),
            body=JsonBody({"a": 1}),
        ),
        [],
    ),
    (
        "upload-file",
        "curl -T report.pdf https://files.example.com/upload/",
        R("PUT", "https://files.example.com/upload/report.pdf", body=BytesBody(path="report.pdf")),
        [],
    ),
    (
        "url-and-request-long-options",
        "curl --url https://example.com/x --request DELETE",
        R("DELETE", "https://example.com/x"),
        [],
    ),
    (
        "empty-and-removed-headers",
        "curl -H 'X-Empty;' -H 'Accept:' http://example.com/",
        R("GET", "http://example.com/", ("X-Empty", "")),
        [],
    ),
    (
        "form-file-with-type-and-filename",
        "curl -F 'avatar=@me.png;type=image/png;filename=face.png' -F 'name=Bob' https://x.example/p",
        R(
            "POST",
            "https://x.example/p",
            body=MultipartBody(
                (
                    MultipartFile("avatar", "face.png", "image/png", path="me.png"),
                    MultipartField("name", "Bob"),
                )
            ),
        ),
        [],
    ),
    (
        "form-string-and-file-content",
        "curl --form-string 'note=@not-a-file' -F 'body=<note.txt' https://x.example/",
        R(
            "POST",
            "https://x.example/",
            body=MultipartBody(
                (MultipartField("note", "@not-a-file"), MultipartField("body", "from a file\n"))
            ),
        ),
        [],
    ),
    (
        "purge",
        "curl -X PURGE http://cache.example/page",
        R("PURGE", "http://cache.example/page"),
        [],
    ),
    (
        "get-with-urlencode",
        "curl 'http://example.com/a?x=1' -G --data-urlencode 'q=hello world' -d 'b=2'",
        R("GET", "http://example.com/a?x=1&q=hello+world&b=2"),
        [],
    ),
    (
        "oauth2-bearer",
        "curl --oauth2-bearer tok123 https://api.example.com/me",
        R("GET", "https://api.example.com/me", auth=BearerAuth("tok123")),
        [],
    ),
    ("shell-prompt", "$ curl https://example.com/", R("GET", "https://example.com/"), []),
    (
        "proxy-warns",
        "curl -x http://proxy:3128 https://example.com/",
        R("GET", "https://example.com/"),
        ["-x is not supported"],
    ),
    (
        "max-redirs",
        "curl --max-redirs 3 -L http://example.com/",
        R("GET", "http://example.com/", **follow(3)),
        [],
    ),
    (
        "ansi-c-binary",
        r"curl http://x.example/ --data-binary $'\xff\xfe'",
        R("POST", "http://x.example/", FORM, body=BytesBody(data=b"\xff\xfe")),
        [],
    ),
    (
        "ansi-c-nul-ends-the-argument-as-in-bash",
        r"curl http://x.example/ --data-binary $'ab\x00cd'",
        R("POST", "http://x.example/", FORM, body=TextBody("ab")),
        [],
    ),
    (
        "printf-pipe-on-stdin",
        r"printf 'a\000b' | curl http://x.example/ -H 'Content-Type: application/octet-stream' "
        "--data-binary @-",
        R(
            "POST",
            "http://x.example/",
            ("Content-Type", "application/octet-stream"),
            body=TextBody("a\x00b"),
        ),
        [],
    ),
    (
        "several-d-become-form-fields",
        "curl -d 'a=1' -d 'b=2' http://x.example/",
        R("POST", "http://x.example/", body=FormBody((("a", "1"), ("b", "2")))),
        [],
    ),
    (
        "data-urlencode-field",
        "curl --data-urlencode 'msg=a&b c' http://x.example/",
        R("POST", "http://x.example/", body=FormBody((("msg", "a&b c"),))),
        [],
    ),
    (
        "headers-from-file",
        "curl -H @headers.txt http://x.example/",
        R("GET", "http://x.example/", ("X-One", "1"), ("X-Two", "2")),
        [],
    ),
    (
        "insomnia-export",
        "curl --request POST \\\n  --url 'https://api.example.com/v1/things?x=1' \\\n"
        "  --header 'Content-Type: application/json' \\\n  --data '{\"a\": 1}'",
        R(
            "POST",
            "https://api.example.com/v1/things?x=1",
            ("Content-Type", "application/json"),
            body=TextBody('{"a": 1}'),
        ),
        [],
    ),
    (
        "postman-urlencoded",
        "curl --location 'https://api.example.com/v1/login' \\\n"
        "--header 'Content-Type: application/x-www-form-urlencoded' \\\n"
        "--data-urlencode 'username=alice' \\\n--data-urlencode 'password=p@ss'",
        R(
            "POST",
            "https://api.example.com/v1/login",
            ("Content-Type", "application/x-www-form-urlencoded"),
            body=FormBody((("username", "alice"), ("password", "p@ss"))),
            **follow(),
        ),
        [],
    ),
    (
        "postman-multipart-quoted",
        "curl --location 'https://x.example/upload' \\\n"
        "--form 'file=@\"/C:/Users/me/Desktop/a b.txt\"' \\\n--form 'desc=\"hello; world\"'",
        R(
            "POST",
            "https://x.example/upload",
            body=MultipartBody(
                (
                    MultipartFile("file", "a b.txt", None, path="/C:/Users/me/Desktop/a b.txt"),
                    MultipartField("desc", "hello; world"),
                )
            ),
            **follow(),
        ),
        [],
    ),
    (
        "cmd-single-line-without-carets",
        'curl "http://x.example/" -H "A: b" --compressed',
        R("GET", "http://x.example/", ("A", "b"), compressed=True),
        [],
    ),
    (
        "pipe-and-redirect-ignored",
        "curl -s https://api.example.com/items 2>/dev/null | jq '.items[]'",
        R("GET", "https://api.example.com/items"),
        ["ignored what follows"],
    ),
    (
        "unknown-option-warns",
        "curl --frobnicate https://example.com/",
        R("GET", "https://example.com/"),
        ["unknown option --frobnicate"],
    ),
    (
        "smart-quotes-from-a-blog-post",
        "curl -H \u201cAccept: text/html\u201d http://x.example/",
        R("GET", "http://x.example/", ("Accept", "text/html")),
        ["typographic quotes"],
    ),
    (
        "stray-space-after-continuation",
        "curl http://x.example/ \\ \n  -H 'A: 1' \\\n  --http2-prior-knowledge",
        R("GET", "http://x.example/", ("A", "1"), version="HTTP/2"),
        [],
    ),
    (
        "lines-without-backslashes",
        "curl -X POST\n  https://x.example/items\n  -H 'A: 1'\n  -d a=1\n",
        R("POST", "https://x.example/items", ("A", "1"), body=FormBody((("a", "1"),))),
        [],
    ),
    (
        "chrome-bash-bang-and-control-escapes",
        r"""curl 'https://api.example.com/notes' \
  -H 'content-type: application/json' \
  --data-raw $'{"msg":"hi\u0021","tab":"a\u0009b"}'""",
        R(
            "POST",
            "https://api.example.com/notes",
            ("content-type", "application/json"),
            body=TextBody('{"msg":"hi!","tab":"a\tb"}'),
        ),
        [],
    ),
    (
        "range",
        "curl -r 0-99 http://example.com/big",
        R("GET", "http://example.com/big", ("Range", "bytes=0-99")),
        [],
    ),
]


@pytest.mark.parametrize(
    "command, expected, warned", [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_real_world_command(command: str, expected: Request, warned: list[str]) -> None:
    assert detect(command) == "curl"
    parsed = read(command, read_file=read_file)
    assert parsed.request == expected
    for text in warned:
        assert any(text in w for w in parsed.warnings), parsed.warnings
    if not warned:
        assert parsed.warnings == []


def test_there_are_at_least_forty_cases() -> None:
    assert len(CASES) >= 40

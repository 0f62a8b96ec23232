"""curl command syntax: shell quoting (bash and cmd), option forms, errors,
and the writer's command shape."""

from __future__ import annotations

import pytest

from reqlab.errors import FormatError
from reqlab.formats import read, write
from reqlab.formats._shell import bash_words, cmd_words
from reqlab.formats.curl_write import bash_quote
from reqlab.model import (
    BasicAuth,
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


def words(text: str) -> list[str]:
    return [w.text for w in bash_words(text)[0] if not w.op]


@pytest.mark.parametrize(
    "text, expected",
    [
        (r"a 'b c' \"d\"", ["a", "b c", '"d"']),
        (r'"a\"b\$c\\d\e"', ['a"b$c\\d\\e']),
        (r"$'a\tb\x41\101\u00e9\'\n'", ["a\tbAA\u00e9'\n"]),
        (r"$'\cA\e'", ["\x01\x1b"]),
        ("one \\\r\n  two \\\n three", ["one", "two", "three"]),
        ("a#b # a comment\n", ["a#b"]),
        ("x''y \"\"", ["xy", ""]),
        ("a\\ b", ["a b"]),
    ],
)
def test_bash_words(text, expected):
    assert words(text) == expected


def test_ansi_c_bytes_that_are_not_utf8_survive():
    (word,) = words(r"$'\xff\xfe'")
    assert word.encode("utf-8", "surrogateescape") == b"\xff\xfe"


@pytest.mark.parametrize(
    "text, expected",
    [
        ('"a\\"b" c', ['a"b', "c"]),
        ('"a\\\\"', ["a\\"]),  # two backslashes before a quote: one
        ("a^\n  b", ["a", "b"]),
        ('^"x^&y^"', ["x&y"]),
        ('"a""b"', ['a"b']),
        ('^"a^\n\nb^"', ["a\nb"]),
    ],
)
def test_cmd_words(text, expected):
    assert [w.text for w in cmd_words(text)[0] if not w.op] == expected


@pytest.mark.parametrize(
    "text",
    ["plain", "a b", "it's", "tab\there", "nl\nthere", "caf\u00e9", "", '$HOME `x` \\ "q"'],
)
def test_bash_quote_round_trips(text):
    assert words(bash_quote(text)) == [text]


def test_option_forms_are_equivalent():
    expected = read("curl -X POST -H 'A: 1' -d x=1 http://h/").request
    for command in [
        "curl -XPOST -H'A: 1' -dx=1 http://h/",
        "curl --request=POST --header='A: 1' --data=x=1 http://h/",
        "curl http://h/ --request POST --header 'A: 1' --data x=1",
    ]:
        assert read(command).request == expected


def test_combined_short_flags_with_a_value_at_the_end():
    request = read("curl -sSLkm 5 http://h/").request
    assert request.options == Options(
        follow_redirects=True, max_redirects=50, verify=False, timeout=5.0
    )


def test_no_prefix_turns_a_flag_off():
    assert read("curl -L --no-location http://h/").request.options.follow_redirects is False


def test_get_with_head_and_data_is_refused_like_curl():
    with pytest.raises(FormatError, match="no request body with -I"):
        read("curl -I -d a=1 http://h/")


@pytest.mark.parametrize(
    "text, position, expected",
    [
        ("curl http://x/ -H 'a: b", "line 1, column 19", "a closing ' for the quote"),
        ('curl http://x/ \\\n  -H "a: b', "line 2, column 6", 'a closing " for the quote'),
        ("curl http://x/ -d $'abc", "line 1, column 19", "a closing '"),
        ('curl "http://x/" ^\n  -H "a: b', "line 2, column 6", 'a closing "'),
        ("curl -H 'a: b'", "end of command", "a URL"),
        ("curl http://x/ -H", "option -H", "an argument after it"),
        ("curl -X 'GE T' http://x/", "option -X", "a method token"),
        ("curl -H $'X-A: a\\r\\nX-B: b' http://x/", "option -H ['X-A']", "must not contain CR"),
        ("curl -H 'Bad Name: v' http://x/", "option -H ['Bad Name']", "must be a token"),
        ("wget http://x/", "line 1, column 1", "a command starting with 'curl'"),
        ("curl -d a=1 -F b=2 http://x/", "option -F", "either -d/--data or -F"),
        ("curl ftp://x/file", "URL 'ftp://x/file'", "needs an http:// or https:// scheme"),
        ("curl -m soon http://x/", "option -m", "a number of seconds"),
        ("curl -F novalue http://x/", "option -F", "name=content"),
    ],
)
def test_errors_name_the_position_and_what_was_expected(text, position, expected):
    with pytest.raises(FormatError) as info:
        read(text, "curl")
    assert info.value.fmt == "curl"
    assert info.value.position == position
    assert expected in info.value.expected


def test_writer_shape_one_option_a_line():
    request = Request(
        "PUT",
        "https://api.example.test/v1/items/7?x=1",
        headers=(("Accept", "application/json"), ("X-Empty", "")),
        body=JsonBody({"name": "it's"}),
        auth=BasicAuth("alice", "s3cret"),
        version="HTTP/1.1",
        options=Options(
            follow_redirects=True, max_redirects=5, verify=False, timeout=30, compressed=True
        ),
    )
    assert write(request, "curl") == (
        "curl 'https://api.example.test/v1/items/7?x=1' \\\n"
        "  -X PUT \\\n"
        "  --http1.1 \\\n"
        "  -H 'Accept: application/json' \\\n"
        "  -H 'X-Empty;' \\\n"
        "  -u alice:s3cret \\\n"
        '  --json $\'{"name":"it\\\'s"}\' \\\n'
        "  -L \\\n"
        "  --max-redirs 5 \\\n"
        "  -k \\\n"
        "  -m 30 \\\n"
        "  --compressed\n"
    )


def test_writer_files_and_forms():
    request = Request(
        "POST",
        "http://h/upload",
        body=MultipartBody(
            (
                MultipartField("title", "a; b"),
                MultipartFile("doc", "report.pdf", "application/pdf", path="out/report.pdf"),
                MultipartFile("pic", "face.png", None, path="me;1.png"),
            )
        ),
    )
    assert write(request, "curl") == (
        "curl http://h/upload \\\n"
        "  --form-string 'title=a; b' \\\n"
        "  -F 'doc=@out/report.pdf;type=application/pdf' \\\n"
        '  -F \'pic=@"me;1.png";filename="face.png"\'\n'
    )
    assert read(write(request, "curl")).request == request


def test_writer_text_without_content_type_stops_curls_default():
    request = Request("POST", "http://h/", body=TextBody("hello"))
    text = write(request, "curl")
    assert "--data-binary hello" in text and "-H Content-Type:" in text
    assert read(text).request == request


def test_writer_file_body_and_form_fields():
    assert "--data-binary @big.bin" in write(
        Request("POST", "http://h/", body=BytesBody(path="big.bin")), "curl"
    )
    form = Request("POST", "http://h/", body=FormBody((("q", "a b&c"),)))
    assert "--data-raw q=a+b%26c" in write(form, "curl")


def test_writer_inline_multipart_file_falls_back_to_encoded_bytes():
    from reqlab.formats import write_with_warnings

    request = Request(
        "POST",
        "http://h/",
        body=MultipartBody((MultipartFile("f", "a.txt", "text/plain", data=b"hi"),)),
    )
    written = write_with_warnings(request, "curl")
    assert "curl -F can only read files" in written.warnings[0]
    back = read(written.text).request
    assert back.header("content-type").startswith("multipart/form-data; boundary=----reqlab")
    assert b'filename="a.txt"' in back.body.text.encode()


@pytest.mark.parametrize(
    "text, fmt",
    [
        ("curl http://h/", "curl"),
        ("  $ curl http://h/", "curl"),
        ("/usr/bin/curl http://h/", "curl"),
        ('curl.exe "http://h/" ^\n -H "a: b"', "curl"),
        ("printf 'a\\000' | curl http://h/ --data-binary @-", "curl"),
        ("GET /echo HTTP/1.0\n", "http"),
        ("G@T / HTTP/1.1\n", "http"),  # detected, then refused with its position
        ('{"log": {}}', "har"),
        ("\ufeff[]", "har"),
    ],
)
def test_detect(text, fmt):
    from reqlab.formats import detect

    assert detect(text) == fmt


@pytest.mark.parametrize("text", ["wget http://h/", "GET /echo\n", "hello", "curly http://h/"])
def test_detect_refuses_what_is_none_of_the_formats(text):
    from reqlab.formats import detect

    with pytest.raises(FormatError, match="a HAR document"):
        detect(text)

"""The format targets through the code-generation API: the same writers as
`reqlab gen`, and a body named by path embedded only when ``read_file`` is
given (generation does no I/O of its own)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from reqlab.codegen import generate
from reqlab.errors import FormatError
from reqlab.model import BytesBody, MultipartBody, MultipartFile, Request

FILE_BODY = Request("POST", "http://127.0.0.1:8081/up", body=BytesBody(path="blob.bin"))


def test_http_without_read_file_refuses_a_body_it_cannot_see() -> None:
    with pytest.raises(FormatError, match="blob.bin"):
        generate(FILE_BODY, "http")


def test_http_embeds_the_file_that_read_file_gives() -> None:
    read: list[str] = []

    def read_file(path: str) -> bytes:
        read.append(path)
        return b"\x00bytes\xff"

    code = generate(FILE_BODY, "http", read_file=read_file).code
    assert read == ["blob.bin"]
    # Bytes that are not UTF-8 are carried as surrogate escapes, written back as they were.
    assert code.endswith("Content-Length: 7\r\n\r\n\x00bytes\udcff")


def test_code_targets_ignore_read_file_and_read_at_run_time() -> None:
    request = Request(
        "POST",
        "http://127.0.0.1:8081/up",
        body=MultipartBody((MultipartFile("f", "a.png", "image/png", path="a.png"),)),
    )
    code = generate(request, "python-requests", read_file=lambda p: pytest.fail(p)).code
    assert 'open("a.png", "rb")' in code


def test_the_api_and_reqlab_gen_write_the_same_message(tmp_path) -> None:
    (tmp_path / "blob.bin").write_bytes(b"payload")
    curl = "curl http://127.0.0.1:8081/up --data-binary @blob.bin -H 'Content-Type: x/y'\n"
    done = subprocess.run(
        [sys.executable, "-m", "reqlab", "gen", "http", "-"],
        input=curl.encode(),
        capture_output=True,
        cwd=tmp_path,
        check=True,
    )
    request = Request(
        "POST",
        "http://127.0.0.1:8081/up",
        headers=(("Content-Type", "x/y"),),
        body=BytesBody(path="blob.bin"),
    )
    api = generate(request, "http", read_file=lambda p: (tmp_path / p).read_bytes()).code
    assert done.stdout.decode().replace("\r\n", "\n").strip() == api.replace("\r\n", "\n").strip()

"""Bruno collections: ``.bru`` request files in folders, ``environments/*.bru``.

A ``.bru`` file is a list of blocks, ``name {`` ... ``}`` at the start of
a line: dictionaries (``key: value`` lines, ``~key`` disabled) or text
(bodies, scripts, docs) indented by two spaces.  The method block
(``get {url, body, auth}``) says which ``body:*`` and ``auth:*`` block is
used.  ``:id`` path parameters become ``{{id}}`` with the ``params:path``
value as a request variable.  Scripts and tests are kept as comments and
counted "not run"; a secret environment variable (whose value Bruno keeps
out of the file) becomes an empty entry of the private environment.
"""

from __future__ import annotations

import contextlib
import json
import re

from reqlab.body import form_text
from reqlab.errors import FormatError
from reqlab.formats.httpfile import (
    BodyChunk,
    Collection,
    FileChunk,
    RequestTemplate,
    TemplateHeader,
    TextChunk,
    Variable,
)
from reqlab.formats.httpfile.convert import basic_value, multipart_chunks
from reqlab.model import MultipartBody, MultipartField

_BLOCK = re.compile(r"^([\w:-]+)\s*([{\[])\s*$")
_METHODS = ("get", "post", "put", "delete", "patch", "options", "head", "connect", "trace")
_TEXT_BLOCKS = (
    "body:json",
    "body:text",
    "body:xml",
    "body:sparql",
    "body:graphql",
    "body:graphql:vars",
    "script:pre-request",
    "script:post-response",
    "tests",
    "docs",
)
_PATH_PARAM = re.compile(r"(?<=/):([A-Za-z_]\w*)")


def parse_bru(text: str, path: str = "<bru>") -> dict[str, list[str]]:
    """Block name -> its lines (text blocks dedented by two spaces)."""
    blocks: dict[str, list[str]] = {}
    current: str | None = None
    closer = "}"
    for number, line in enumerate(text.splitlines(), 1):
        if current is None:
            if not line.strip():
                continue
            m = _BLOCK.match(line.rstrip())
            if m is None:
                raise FormatError(
                    "bruno", f"{path}:{number}:1", f"a block 'name {{', got {line.strip()!r}"
                )
            current, closer = m.group(1), "}" if m.group(2) == "{" else "]"
            blocks[current] = []
        elif line.rstrip() == closer:
            current = None
        else:
            blocks[current].append(line[2:] if line.startswith("  ") else line)
    if current is not None:
        raise FormatError("bruno", path, f"block {current!r} is not closed")
    return blocks


def _key(text: str) -> str:
    if text.startswith('"'):
        return json.loads(text)  # type: ignore[no-any-return]
    return text


def pairs(lines: list[str]) -> list[tuple[str, str, bool]]:
    """(key, value, enabled) of a dictionary block."""
    out = []
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        enabled = not stripped.startswith("~")
        stripped = stripped.lstrip("~")
        m = re.match(r'^("(?:[^"\\]|\\.)*"|[^:]+?)\s*:\s?(.*)$', stripped)
        if m is not None:
            out.append((_key(m.group(1)), m.group(2).strip(), enabled))
    return out


def _enabled(blocks: dict[str, list[str]], name: str) -> list[tuple[str, str]]:
    return [(k, v) for k, v, on in pairs(blocks.get(name, [])) if on]


def _body(
    mode: str, blocks: dict[str, list[str]], headers: list[tuple[str, str]]
) -> list[BodyChunk]:
    has_type = any(n.lower() == "content-type" for n, _ in headers)

    def typed(kind: str) -> None:
        if not has_type:
            headers.append(("Content-Type", kind))

    if mode in ("json", "text", "xml", "sparql"):
        text = "\n".join(blocks.get(f"body:{mode}", [])).strip("\n")
        kinds = {
            "json": "application/json",
            "xml": "application/xml",
            "sparql": "application/sparql-query",
            "text": "text/plain",
        }
        typed(kinds[mode])
        return [TextChunk(text, 0)] if text else []
    if mode == "formUrlEncoded":
        typed("application/x-www-form-urlencoded")
        return [TextChunk(form_text(_enabled(blocks, "body:form-urlencoded")), 0)]
    if mode == "multipartForm":
        parts = [MultipartField(k, v) for k, v in _enabled(blocks, "body:multipart-form")]
        chunks, boundary = multipart_chunks(MultipartBody(tuple(parts)))
        typed(f"multipart/form-data; boundary={boundary}")
        return chunks
    if mode == "graphql":
        typed("application/json")
        query = "\n".join(blocks.get("body:graphql", []))
        try:
            variables = json.loads("\n".join(blocks.get("body:graphql:vars", [])) or "{}")
        except ValueError:
            variables = {}
        return [TextChunk(json.dumps({"query": query, "variables": variables}), 0)]
    if mode == "file":
        for _, value in _enabled(blocks, "body:file"):
            m = re.search(r"@file\(([^)]*)\)", value)
            if m:
                return [FileChunk(m.group(1), 0)]
    return []


def _auth(mode: str, blocks: dict[str, list[str]]) -> tuple[str, str] | None:
    values = dict(_enabled(blocks, f"auth:{mode}"))
    if mode in ("basic", "digest"):
        return (
            "Authorization",
            basic_value(mode.title(), values.get("username", ""), values.get("password", "")),
        )
    if mode == "bearer":
        return ("Authorization", f"Bearer {values.get('token', '')}")
    if mode == "apikey" and values.get("placement", "header") == "header":
        return (values.get("key", "X-API-Key"), values.get("value", ""))
    return None


def read_bru_request(text: str, path: str = "<bru>") -> tuple[RequestTemplate, int]:
    """One ``.bru`` request and how many scripts it holds (not run)."""
    blocks = parse_bru(text, path)
    method = next((m for m in _METHODS if m in blocks), None)
    if method is None:
        raise FormatError("bruno", path, "a method block (get {...}, post {...}, ...)")
    settings = dict((k, v) for k, v, _ in pairs(blocks[method]))
    meta = dict((k, v) for k, v, _ in pairs(blocks.get("meta", [])))
    headers = _enabled(blocks, "headers")
    variables = [Variable(k, v, 0) for k, v in _enabled(blocks, "params:path")]
    variables += [Variable(k, v, 0) for k, v in _enabled(blocks, "vars:pre-request")]
    url = _PATH_PARAM.sub(r"{{\1}}", settings.get("url", ""))
    chunks = _body(settings.get("body", "none"), blocks, headers)
    auth = _auth(settings.get("auth", "none"), blocks)
    if auth is not None and not any(n.lower() == auth[0].lower() for n, _ in headers):
        headers.append(auth)
    comments: list[str] = []
    scripts = 0
    for name in ("script:pre-request", "script:post-response", "tests"):
        if any(line.strip() for line in blocks.get(name, [])):
            scripts += 1
            comments += [f"# bruno {name}: {line}" for line in blocks[name]]
    template = RequestTemplate(
        method=method.upper(),
        url=url,
        headers=tuple(TemplateHeader(k, v, 0) for k, v in headers),
        body=tuple(chunks),
        title=meta.get("name") or None,
        variables=tuple(variables),
        comments=tuple(comments),
    )
    return template, scripts


def read_bru_file(text: str) -> Collection:
    template, scripts = read_bru_request(text)
    out = Collection("bruno", items=[((), template)])
    if scripts:
        out.warnings.append(f"{scripts} Bruno script(s) kept as comments, not run")
    return out


def _environment(text: str, path: str) -> tuple[dict[str, str], list[str]]:
    blocks = parse_bru(text, path)
    values = dict(_enabled(blocks, "vars"))
    secrets = [line.strip().rstrip(",") for line in blocks.get("vars:secret", []) if line.strip()]
    return values, secrets


def read_bruno(files: dict[str, str], name: str = "bruno") -> Collection:
    """A Bruno collection from its files (relative path -> text)."""
    out = Collection(name)
    if "bruno.json" in files:
        with contextlib.suppress(ValueError):  # a broken bruno.json only loses the name
            out.name = str(json.loads(files["bruno.json"]).get("name") or name)
    scripts = 0
    requests: list[tuple[int, str, RequestTemplate]] = []
    for rel, text in sorted(files.items()):
        if not rel.endswith(".bru") or rel.rsplit("/", 1)[-1] in ("collection.bru", "folder.bru"):
            continue
        if rel.startswith("environments/"):
            env = rel.removeprefix("environments/").removesuffix(".bru")
            values, secret_names = _environment(text, rel)
            out.environments[env] = {k: v for k, v in values.items() if k not in secret_names}
            if secret_names:
                out.secrets[env] = {k: values.get(k, "") for k in secret_names}
                out.warnings.append(
                    f"environment {env!r}: secret(s) {', '.join(secret_names)} have no value in the files; set them in http-client.private.env.json"
                )
            continue
        template, count = read_bru_request(text, rel)
        scripts += count
        seq = re.search(r"^\s*seq:\s*(\d+)", text, re.M)
        requests.append((int(seq.group(1)) if seq else 0, rel, template))
    for _, rel, template in sorted(
        requests, key=lambda r: (r[1].rsplit("/", 1)[0] if "/" in r[1] else "", r[0], r[1])
    ):
        folder = tuple(rel.split("/")[:-1])
        out.items.append((folder, template))
    if scripts:
        out.warnings.append(f"{scripts} Bruno script(s) kept as comments, not run")
    return out

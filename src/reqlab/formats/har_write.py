"""Writing a request as HAR 1.2: a request object, an entry, or a log.

The output imports into browsers' devtools and API tools: headers as given
(plus Authorization for basic/bearer auth, which other tools need to see),
``queryString`` and ``cookies`` filled in from the URL and Cookie header,
``postData`` with ``mimeType`` and ``text`` (or ``params`` for forms and
multipart).  What HAR has no field for goes into ``_reqlab`` (see
:mod:`reqlab.formats.har`).
"""

from __future__ import annotations

import base64
import json
from dataclasses import asdict, fields
from typing import Any
from urllib.parse import parse_qsl

from reqlab.body import auth_header, default_content_type, json_text
from reqlab.formats._common import Written
from reqlab.formats.har import EXTENSION
from reqlab.model import (
    BasicAuth,
    BearerAuth,
    Body,
    BytesBody,
    FlowAuth,
    FormBody,
    JsonBody,
    MultipartBody,
    MultipartFile,
    Options,
    Request,
    TextBody,
)

EPOCH = "1970-01-01T00:00:00.000Z"


def _pairs(items: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"name": n, "value": v} for n, v in items]


def _cookies(request: Request) -> list[dict[str, str]]:
    out = []
    for value in request.header_values("cookie"):
        for pair in value.split(";"):
            name, eq, val = pair.strip().partition("=")
            if eq:
                out.append({"name": name, "value": val})
    return out


def _text_or_base64(data: bytes) -> dict[str, str]:
    try:
        return {"text": data.decode("utf-8")}
    except UnicodeDecodeError:
        return {"text": base64.b64encode(data).decode(), "encoding": "base64"}


def _post_data(request: Request, body: Body) -> dict[str, Any]:
    if isinstance(body, MultipartBody):
        default = "multipart/form-data" + (f"; boundary={body.boundary}" if body.boundary else "")
    else:
        default = default_content_type(body) or ""
    mime = request.header("content-type") or default
    post: dict[str, Any] = {"mimeType": mime}
    if isinstance(body, TextBody):
        post["text"] = body.text
    elif isinstance(body, BytesBody):
        if body.path is not None:
            post.update(text="", _file=body.path)
        else:
            post.update(_text_or_base64(body.data or b""))
    elif isinstance(body, JsonBody):
        post["text"] = json_text(body.value)
    elif isinstance(body, FormBody):
        post["params"] = _pairs(list(body.fields))
    else:
        post["params"] = [_part(p) for p in body.parts]
        if body.boundary:
            post["_boundary"] = body.boundary
    return post


def _part(part: Any) -> dict[str, Any]:
    if not isinstance(part, MultipartFile):
        return {"name": part.name, "value": part.value}
    out: dict[str, Any] = {"name": part.name, "fileName": part.filename}
    if part.content_type is not None:
        out["contentType"] = part.content_type
    if part.path is not None:
        out["_path"] = part.path
    else:
        text = _text_or_base64(part.data or b"")
        out["value"] = text["text"]
        if "encoding" in text:
            out["_encoding"] = "base64"
    return out


def _extension(request: Request, auth_added: bool) -> dict[str, Any]:
    ext: dict[str, Any] = {}
    if request.body is not None:
        ext["body"] = request.body.kind
    if request.auth is not None and not isinstance(request.auth, FlowAuth):  # no secrets out
        auth = {k: v for k, v in asdict(request.auth).items()}
        ext["auth"] = {**auth, "added": True} if auth_added else auth
    if request.version is None:
        ext["httpVersion"] = None
    defaults = Options()
    changed = {
        f.name: getattr(request.options, f.name)
        for f in fields(Options)
        if getattr(request.options, f.name) != getattr(defaults, f.name)
    }
    if changed:
        ext["options"] = changed
    return ext


def har_request(request: Request) -> dict[str, Any]:
    """The HAR ``request`` object for ``request``."""
    headers = list(request.headers)
    added = isinstance(request.auth, BasicAuth | BearerAuth) and not request.has_header(
        "authorization"
    )
    if added:
        headers.append(("Authorization", auth_header(request) or ""))
    out: dict[str, Any] = {
        "method": request.method,
        "url": request.url,
        "httpVersion": request.version or "HTTP/1.1",
        "cookies": _cookies(request),
        "headers": _pairs(headers),
        "queryString": _pairs(parse_qsl(request.split_url.query, keep_blank_values=True)),
        "headersSize": -1,
        "bodySize": -1,
    }
    if request.body is not None:
        out["postData"] = _post_data(request, request.body)
    ext = _extension(request, added)
    if ext:
        out[EXTENSION] = ext
    return out


def har_entry(request: Request, started: str = EPOCH) -> dict[str, Any]:
    """A HAR ``entry`` whose response is empty (the request was not sent)."""
    return {
        "startedDateTime": started,
        "time": 0,
        "request": har_request(request),
        "response": {
            "status": 0,
            "statusText": "",
            "httpVersion": "",
            "cookies": [],
            "headers": [],
            "content": {"size": 0, "mimeType": ""},
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": -1,
        },
        "cache": {},
        "timings": {"send": 0, "wait": 0, "receive": 0},
    }


def har_log(requests: list[Request], started: str = EPOCH) -> dict[str, Any]:
    from reqlab import __version__

    return {
        "log": {
            "version": "1.2",
            "creator": {"name": "reqlab", "version": __version__},
            "entries": [har_entry(r, started) for r in requests],
        }
    }


def write_har(request: Request) -> Written:
    """A whole HAR log with one entry, as indented JSON text."""
    warnings = []
    if isinstance(request.body, BytesBody) and request.body.path is not None:
        warnings.append(f"the body file {request.body.path!r} is referenced, not embedded")
    text = json.dumps(har_log([request]), indent=2, ensure_ascii=False) + "\n"
    return Written(text, warnings)

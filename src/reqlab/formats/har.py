"""Reading HAR 1.2: a ``request`` object, an ``entry``, or a whole ``log``.

Reads what browsers' devtools (Chrome, Firefox) and API tools (Postman,
Insomnia) export.  A body given as ``postData.text`` is kept exactly as
text; ``params`` alone become form fields or multipart parts.  HTTP/2
pseudo-headers (``:authority`` ...) are dropped with a warning; the
``cookies`` array becomes a Cookie header only when there is none.

reqlab's own HAR carries what HAR cannot say (body kind, auth, options) in a
``_reqlab`` object on the request - HAR 1.2 allows custom fields that start
with an underscore - so model -> HAR -> model is the identity.  The writer
lives in :mod:`reqlab.formats.har_write`.
"""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import quote_plus

from reqlab.errors import FormatError
from reqlab.formats._common import Parsed, build, text_or_bytes
from reqlab.model import (
    BasicAuth,
    BearerAuth,
    Body,
    BytesBody,
    DigestAuth,
    FormBody,
    JsonBody,
    MultipartBody,
    MultipartField,
    MultipartFile,
    Options,
    Part,
    TextBody,
)

FMT = "har"
EXTENSION = "_reqlab"

# HAR httpVersion as browsers write it -> the model's version.
_VERSIONS = {
    "http/1.0": "HTTP/1.0",
    "http/1.1": "HTTP/1.1",
    "http/2": "HTTP/2",
    "http/2.0": "HTTP/2",
    "h2": "HTTP/2",
    "h2c": "HTTP/2",
}


def version_of(text: str, warnings: list[str]) -> str | None:
    key = text.strip().lower()
    if key in _VERSIONS:
        return _VERSIONS[key]
    if key and key != "unknown":
        warnings.append(f"httpVersion {text!r} is not supported; the client will choose")
    return None


def _get(obj: Any, key: str, path: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
    """``obj[key]`` checked to be of ``kind``; FormatError naming ``path.key``."""
    if not isinstance(obj, dict):
        raise FormatError(FMT, path, "a JSON object")
    if key not in obj:
        if default is ...:
            raise FormatError(FMT, f"{path}.{key}", "a value (the field is missing)")
        return default
    value = obj[key]
    if not isinstance(value, kind):
        names = " or ".join(t.__name__ for t in (kind if isinstance(kind, tuple) else (kind,)))
        expected = names.replace("str", "a string").replace("list", "an array")
        raise FormatError(FMT, f"{path}.{key}", expected.replace("dict", "an object"))
    return value


def _pairs(obj: dict[str, Any], key: str, path: str) -> list[tuple[str, str, str]]:
    """A list of {name, value} objects as (path, name, value)."""
    out = []
    for i, item in enumerate(_get(obj, key, path, list, [])):
        where = f"{path}.{key}[{i}]"
        out.append(
            (where, _get(item, "name", where, str), str(_get(item, "value", where, object, "")))
        )
    return out


def locate(doc: Any, index: int | None) -> tuple[dict[str, Any], str]:
    """The request object inside a log, an entry or a bare request."""
    if isinstance(doc, dict) and "log" in doc:
        entries = _get(_get(doc, "log", "", dict), "entries", "log", list)
        i = 0 if index is None else index
        if not -len(entries) <= i < len(entries):
            raise FormatError(
                FMT, "log.entries", f"an entry at index {i} (the log has {len(entries)})"
            )
        path = f"log.entries[{i}]"
        return _get(entries[i], "request", path, dict), f"{path}.request"
    if isinstance(doc, dict) and "request" in doc:
        return _get(doc, "request", "entry", dict), "request"
    if isinstance(doc, dict) and "method" in doc and "url" in doc:
        return doc, "request"
    if isinstance(doc, dict) and "info" in doc and "item" in doc:
        raise FormatError(
            FMT,
            "top level",
            "a HAR log, an entry, or a request object (this is a Postman collection: "
            "export the request with Copy as cURL or as HAR instead)",
        )
    raise FormatError(FMT, "top level", "a HAR log, an entry, or a request object")


def _headers(
    req: dict[str, Any], path: str, ext: dict[str, Any], warnings: list[str]
) -> list[tuple[str, str]]:
    headers, dropped = [], []
    for _, name, value in _pairs(req, "headers", path):
        if name.startswith(":"):
            dropped.append(name)
            continue
        headers.append((name, value))
    if dropped:
        warnings.append(f"dropped HTTP/2 pseudo-headers {', '.join(dropped)} (the URL holds them)")
    auth = ext.get("auth") or {}
    if auth.get("added") and headers and headers[-1][0].lower() == "authorization":
        headers.pop()  # written from the auth below, not by the user
    if not any(n.lower() == "cookie" for n, _ in headers):
        cookies = [f"{n}={v}" for _, n, v in _pairs(req, "cookies", path)]
        if cookies:
            headers.append(("Cookie", "; ".join(cookies)))
    return headers


def _url(req: dict[str, Any], path: str) -> str:
    url: str = _get(req, "url", path, str)
    query = _pairs(req, "queryString", path)
    if query and "?" not in url:
        url += "?" + "&".join(f"{quote_plus(n)}={quote_plus(v)}" for _, n, v in query)
    return url


def _decode(text: str, encoding: str | None, where: str) -> bytes:
    if encoding == "base64":
        try:
            return base64.b64decode(text, validate=True)
        except ValueError:
            raise FormatError(FMT, where, "base64 text (encoding is base64)") from None
    return text.encode()


def _part(item: dict[str, Any], where: str, warnings: list[str]) -> Part:
    name = _get(item, "name", where, str)
    if "fileName" not in item:
        return MultipartField(name, str(_get(item, "value", where, object, "")))
    filename = _get(item, "fileName", where, str)
    ctype = _get(item, "contentType", where, str, None) or None
    if "_path" in item:
        return MultipartFile(name, filename, ctype, path=_get(item, "_path", where, str))
    if "value" in item:
        data = _decode(_get(item, "value", where, str), item.get("_encoding"), where)
        return MultipartFile(name, filename, ctype, data=data)
    # Insomnia names the file by its full path and gives no content.
    warnings.append(f"part {name!r}: file {filename!r} is read when the request is sent")
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return MultipartFile(name, base, ctype, path=filename)


def _body(req: dict[str, Any], path: str, kind: str | None, warnings: list[str]) -> Body | None:
    post = _get(req, "postData", path, dict, None)
    if post is None:
        return None
    where = f"{path}.postData"
    mime = _get(post, "mimeType", where, str, "")
    text = _get(post, "text", where, str, None)
    if "_file" in post:
        return BytesBody(path=_get(post, "_file", where, str))
    if kind == "json":
        try:
            return JsonBody(json.loads(text or ""))
        except ValueError:
            raise FormatError(FMT, f"{where}.text", "JSON text (the body kind is json)") from None
    params = _get(post, "params", where, list, [])
    if kind in ("form", "multipart") or (params and not text):
        if kind == "form" or (kind is None and "multipart/" not in mime.lower()):
            return FormBody(tuple((n, v) for _, n, v in _pairs(post, "params", where)))
        parts = [_part(p, f"{where}.params[{i}]", warnings) for i, p in enumerate(params)]
        return MultipartBody(tuple(parts), boundary=post.get("_boundary"))
    data = _decode(text or "", post.get("encoding"), f"{where}.text")
    if kind == "bytes":
        return BytesBody(data=data)
    if kind == "text":
        return TextBody(text or "")
    return text_or_bytes(data) if data else None


def _auth(ext: dict[str, Any], path: str) -> BasicAuth | BearerAuth | DigestAuth | None:
    auth = ext.get("auth")
    if not auth:
        return None
    where = f"{path}.{EXTENSION}.auth"
    scheme = _get(auth, "scheme", where, str)
    if scheme == "bearer":
        return BearerAuth(_get(auth, "token", where, str))
    if scheme in ("basic", "digest"):
        cls = BasicAuth if scheme == "basic" else DigestAuth
        return cls(_get(auth, "username", where, str), _get(auth, "password", where, str, ""))
    raise FormatError(FMT, f"{where}.scheme", "basic, bearer or digest")


def read_har(text: str | bytes, *, index: int | None = None) -> Parsed:
    """Read a HAR document (log, entry or request object)."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(
            FMT, f"line {exc.lineno}, column {exc.colno}", f"valid JSON ({exc.msg})"
        ) from None
    except UnicodeDecodeError:
        raise FormatError(FMT, "top level", "UTF-8 JSON text") from None
    req, path = locate(doc, index)
    ext = _get(req, EXTENSION, path, dict, {})
    warnings: list[str] = []
    method = _get(req, "method", path, str)
    if ext.get("httpVersion", "") is None:
        version = None
    else:
        version = version_of(_get(req, "httpVersion", path, str, ""), warnings)
    headers = _headers(req, path, ext, warnings)
    try:
        body = _body(req, path, ext.get("body"), warnings)
        auth = _auth(ext, path)
        options = Options(**_get(ext, "options", f"{path}.{EXTENSION}", dict, {}))
    except FormatError:
        raise
    except (TypeError, ValueError) as exc:
        raise FormatError(FMT, path, str(exc)) from None
    post = req.get("postData") or {}
    mime = post.get("mimeType") if isinstance(post, dict) else None
    if (
        mime
        and not ext
        and isinstance(body, TextBody | BytesBody)
        and not any(n.lower() == "content-type" for n, _ in headers)
    ):
        headers.append(("Content-Type", mime))
    request = build(
        FMT,
        path,
        method=method,
        url=_url(req, path),
        headers=tuple(headers),
        body=body,
        auth=auth,
        version=version,
        options=options,
    )
    return Parsed(request, warnings, FMT)

"""The API's JSON form of a :class:`reqlab.model.Request`, both ways.

Shape (every key optional except ``url``)::

    {"method": "POST", "url": "https://example.org/a?b=1",
     "headers": [["Accept", "*/*"], ...],            # order, case, repeats kept
     "body": null
           | {"kind": "text", "text": "..."}
           | {"kind": "json", "value": <any>}        # or "text": "<json source>"
           | {"kind": "form", "fields": [["a", "1"], ...]}
           | {"kind": "multipart", "parts": [{"name": "a", "value": "1"},
                 {"name": "f", "filename": "x.png", "content_type": "image/png",
                  "data_base64": "..."}], "boundary": null}
           | {"kind": "bytes", "data_base64": "..."},
     "auth": null | {"scheme": "basic"|"digest", "username": "", "password": ""}
                  | {"scheme": "bearer", "token": ""},
     "version": null | "HTTP/1.0" | "HTTP/1.1" | "HTTP/2",
     "options": {"timeout": 30, "follow_redirects": false, "verify": true,
                 "keep_alive": true, ...}}

Bodies that name a *file on disk* (a curl ``-d @file``) are shown but never
sent from the web: the server must not read its own files on a page's say.
Every refusal is an :class:`InvalidRequest` naming the field.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import fields as dc_fields
from typing import Any

from reqlab.errors import InvalidRequest
from reqlab.model import (
    MAX_REDIRECTS_CEILING,
    Auth,
    BasicAuth,
    BearerAuth,
    Body,
    BytesBody,
    DigestAuth,
    FlowAuth,
    FormBody,
    JsonBody,
    MultipartBody,
    MultipartField,
    MultipartFile,
    Options,
    Request,
    TextBody,
)
from reqlab.web import auth_json

_OPTION_NAMES = {f.name for f in dc_fields(Options)}


def _expect(value: Any, kind: type | tuple[type, ...], where: str, what: str) -> Any:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        raise InvalidRequest(where, f"must be {what}, got {json.dumps(value)[:60]}")
    return value


def _pairs(value: Any, where: str) -> tuple[tuple[str, str], ...]:
    """``[[name, value], ...]`` or ``[{"name":..., "value":...}, ...]``."""
    _expect(value, list, where, "a list of [name, value] pairs")
    out = []
    for i, item in enumerate(value):
        if isinstance(item, dict):
            item = [item.get("name"), item.get("value", "")]
        if not (isinstance(item, list | tuple) and len(item) == 2):
            raise InvalidRequest(f"{where}[{i}]", "must be a [name, value] pair")
        name, val = item
        if not isinstance(name, str) or not isinstance(val, str):
            raise InvalidRequest(f"{where}[{i}]", "name and value must be strings")
        out.append((name, val))
    return tuple(out)


def _b64(value: Any, where: str) -> bytes:
    _expect(value, str, where, "base64 text")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidRequest(where, "is not valid base64") from None


def _str(d: dict[str, Any], key: str, where: str, default: str = "") -> str:
    value = d.get(key, default)
    checked: str = _expect(value, str, f"{where}.{key}", "a string")
    return checked


def body_from_json(data: Any, where: str = "body") -> Body | None:
    if data is None:
        return None
    _expect(data, dict, where, "an object with a 'kind'")
    kind = data.get("kind")
    if kind in (None, "none"):
        return None
    if kind == "text":
        return TextBody(_str(data, "text", where))
    if kind == "json":
        if "value" in data:
            return JsonBody(data["value"])
        text = _str(data, "text", where)
        try:
            return JsonBody(json.loads(text, parse_constant=_not_a_number))
        except json.JSONDecodeError as exc:
            raise InvalidRequest(
                f"{where}.text",
                f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
            ) from None
        except (RecursionError, ValueError) as exc:
            why = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            raise InvalidRequest(f"{where}.text", f"is not valid JSON ({why})") from None
    if kind == "form":
        return FormBody(_pairs(data.get("fields", []), f"{where}.fields"))
    if kind == "bytes":
        if data.get("path"):
            raise InvalidRequest(
                f"{where}.path",
                "files on the server cannot be sent from the web; pick the file in the page",
            )
        return BytesBody(data=_b64(data.get("data_base64", ""), f"{where}.data_base64"))
    if kind == "multipart":
        parts: list[MultipartField | MultipartFile] = []
        raw_parts = _expect(data.get("parts", []), list, f"{where}.parts", "a list")
        for i, part in enumerate(raw_parts):
            at = f"{where}.parts[{i}]"
            _expect(part, dict, at, "an object")
            name = _str(part, "name", at)
            if "filename" in part:
                if part.get("path"):
                    raise InvalidRequest(
                        f"{at}.path",
                        "files on the server cannot be sent from the web; pick the file in the page",
                    )
                ctype = part.get("content_type")
                parts.append(
                    MultipartFile(
                        name=name,
                        filename=_str(part, "filename", at),
                        content_type=_expect(
                            ctype, (str, type(None)), f"{at}.content_type", "a string"
                        ),
                        data=_b64(part.get("data_base64", ""), f"{at}.data_base64"),
                    )
                )
            else:
                parts.append(MultipartField(name, _str(part, "value", at)))
        boundary = data.get("boundary")
        _expect(boundary, (str, type(None)), f"{where}.boundary", "a string")
        return MultipartBody(tuple(parts), boundary=boundary or None)
    raise InvalidRequest(
        f"{where}.kind", f"{kind!r} is not one of none, text, json, form, multipart, bytes"
    )


def auth_from_json(data: Any) -> Auth | FlowAuth | None:
    if data is None:
        return None
    _expect(data, dict, "auth", "an object with a 'scheme'")
    scheme = data.get("scheme")
    if scheme in (None, "none", "inherit"):
        return None
    if scheme in auth_json.SCHEMES:  # API key, AWS SigV4, OAuth 2.0 (web/auth_json.py)
        return auth_json.PageAuth(auth_json.spec_from_json(data))
    if scheme == "basic":
        return BasicAuth(_str(data, "username", "auth"), _str(data, "password", "auth"))
    if scheme == "digest":
        return DigestAuth(_str(data, "username", "auth"), _str(data, "password", "auth"))
    if scheme == "bearer":
        return BearerAuth(_str(data, "token", "auth"))
    raise InvalidRequest(
        "auth.scheme", f"{scheme!r} is not one of {', '.join(auth_json.PAGE_SCHEMES)}"
    )


def _not_a_number(word: str) -> Any:
    raise ValueError(f"{word} is not a JSON number")


# The numbers an API caller may give, and their bounds (inclusive; a
# timeout must also be above zero).  Checked here, at the edge, so nothing
# past it ever sees NaN, an infinity, a negative or an absurd value.
MAX_SECONDS = 24 * 3600.0
MAX_REDIRECTS = MAX_REDIRECTS_CEILING  # the client's own ceiling


def _seconds(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidRequest(where, f"must be a number of seconds, got {json.dumps(value)[:60]}")
    # Compared before any float(): a 400-digit integer overflows a float.
    if not (0 < value <= MAX_SECONDS) or not math.isfinite(value):
        raise InvalidRequest(where, f"must be above 0 and at most {MAX_SECONDS:g} seconds")
    return float(value)


def options_from_json(data: Any) -> Options:
    if data is None:
        return Options()
    _expect(data, dict, "options", "an object")
    unknown = set(data) - _OPTION_NAMES
    if unknown:
        raise InvalidRequest(f"options.{sorted(unknown)[0]}", "is not a known option")
    for key in ("follow_redirects", "verify", "keep_alive", "compressed"):
        if key in data:
            _expect(data[key], bool, f"options.{key}", "true or false")
    values = dict(data)
    for key in ("timeout", "connect_timeout", "total_timeout"):
        if values.get(key) is not None:
            values[key] = _seconds(values[key], f"options.{key}")
    if "max_redirects" in values:
        count = values["max_redirects"]
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_REDIRECTS:
            raise InvalidRequest(
                "options.max_redirects", f"must be a whole number from 0 to {MAX_REDIRECTS}"
            )
    return Options(**values)


def request_from_json(data: Any) -> Request:
    """Build a model request from the API's JSON, refusing bad fields by name."""
    _expect(data, dict, "request", "an object")
    known = {"method", "url", "headers", "body", "auth", "version", "options"}
    unknown = set(data) - known
    if unknown:
        raise InvalidRequest(sorted(unknown)[0], "is not a field of a request")
    url = data.get("url")
    if not isinstance(url, str) or not url.strip():
        raise InvalidRequest("url", "a URL is required")
    method = data.get("method") or "GET"
    _expect(method, str, "method", "a string")
    version = data.get("version") or None
    return Request(
        method=method.strip(),
        url=url.strip(),
        headers=_pairs(data.get("headers") or [], "headers"),
        body=body_from_json(data.get("body")),
        auth=auth_from_json(data.get("auth")),
        version=version,
        options=options_from_json(data.get("options")),
    )


def _b64s(data: bytes) -> str:
    return base64.b64encode(data).decode()


def body_to_json(body: Body | None) -> dict[str, Any] | None:
    if body is None:
        return None
    if isinstance(body, TextBody):
        return {"kind": "text", "text": body.text}
    if isinstance(body, JsonBody):
        return {"kind": "json", "value": body.value}
    if isinstance(body, FormBody):
        return {"kind": "form", "fields": [list(f) for f in body.fields]}
    if isinstance(body, BytesBody):
        if body.path is not None:
            return {"kind": "bytes", "path": body.path}
        return {"kind": "bytes", "data_base64": _b64s(body.data or b"")}
    if isinstance(body, MultipartBody):
        parts: list[dict[str, Any]] = []
        for p in body.parts:
            if isinstance(p, MultipartFile):
                part: dict[str, Any] = {
                    "name": p.name,
                    "filename": p.filename,
                    "content_type": p.content_type,
                }
                if p.path is not None:
                    part["path"] = p.path
                else:
                    part["data_base64"] = _b64s(p.data or b"")
                parts.append(part)
            else:
                parts.append({"name": p.name, "value": p.value})
        return {"kind": "multipart", "parts": parts, "boundary": body.boundary}
    raise TypeError(f"unknown body {body!r}")


def auth_to_json(auth: Auth | FlowAuth | None) -> dict[str, Any] | None:
    if isinstance(auth, auth_json.PageAuth):
        return auth.to_json()  # every field but the secrets
    if auth is None or isinstance(auth, FlowAuth):
        return None  # reqlab.auth objects hold secrets: never stored or shared
    if isinstance(auth, BearerAuth):
        return {"scheme": "bearer", "token": auth.token}
    return {"scheme": auth.scheme, "username": auth.username, "password": auth.password}


def request_to_json(request: Request) -> dict[str, Any]:
    options = {f: getattr(request.options, f) for f in sorted(_OPTION_NAMES)}
    return {
        "method": request.method,
        "url": request.url,
        "headers": [list(h) for h in request.headers],
        "body": body_to_json(request.body),
        "auth": auth_to_json(request.auth),
        "version": request.version,
        "options": options,
    }

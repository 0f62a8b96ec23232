"""Writing a collection as a Postman collection v2.1.

The inverse of :mod:`reqlab.formats.postman`: ``Authorization: Basic|Digest
user pass`` and ``Bearer token`` become Postman auth, the ``# postman
test: ...`` comments the reader kept become scripts again, a form body
becomes ``urlencoded`` and a multipart body ``formdata`` (file parts as
``src``), anything else ``raw`` (JSON marked as such).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from reqlab.body import form_text
from reqlab.formats.httpfile._model import Collection, FileChunk, HttpFileError, RequestTemplate
from reqlab.formats.httpfile.authspec import AuthSpec, parse_auth_line
from reqlab.formats.httpfile.convert import split_auth
from reqlab.formats.postman import _AWS, _OAUTH2, BOUNDARY, DISABLED, SCHEMA, SCRIPT


def _auth_object(auth: tuple[str, ...]) -> dict[str, Any]:
    kind = auth[0]
    if kind == "bearer":
        params = [{"key": "token", "value": auth[1], "type": "string"}]
    else:
        params = [
            {"key": "username", "value": auth[1], "type": "string"},
            {"key": "password", "value": auth[2], "type": "string"},
        ]
    return {"type": kind, kind: params}


def _params(pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [{"key": k, "value": v, "type": "string"} for k, v in pairs if v]


def _spec_object(spec: AuthSpec) -> dict[str, Any] | None:
    """A ``# @reqlab.auth`` line as Postman auth (the reader's mapping, reversed);
    None for what Postman cannot say (an environment's configuration by name,
    the device-code grant)."""
    if spec.kind in ("basic", "digest"):
        return _auth_object((spec.kind, spec.get("username"), spec.get("password")))
    if spec.kind == "bearer":
        return _auth_object(("bearer", spec.get("token")))
    if spec.kind in ("none", "inherit"):  # Postman's own words for them
        return {"type": "noauth" if spec.kind == "none" else "inherit"}
    if spec.kind == "apikey":
        pairs = [("key", spec.get("name")), ("value", spec.get("value"))]
        return {"type": "apikey", "apikey": _params([*pairs, ("in", spec.get("in", "header"))])}
    if spec.kind == "aws-sigv4":
        return {"type": "awsv4", "awsv4": _params([(p, spec.get(f)) for p, f in _AWS.items()])}
    if spec.kind != "oauth2" or spec.get("grant") not in (
        "client-credentials",
        "authorization-code",
    ):
        return None
    pairs = [(p, spec.get(f)) for p, f in _OAUTH2.items()]
    client_auth = {"basic": "header", "post": "body"}.get(spec.get("client-auth", "basic"), "")
    if spec.get("grant") == "client-credentials":
        pairs.append(("grant_type", "client_credentials"))
    else:  # reqlab always uses PKCE (RFC 7636) with this grant
        pairs += [("grant_type", "authorization_code_with_pkce"), ("authUrl", spec.get("auth-url"))]
        port = spec.get("redirect-port")
        redirect = f"http://127.0.0.1:{port}/callback" if port else ""
        pairs += [("challengeAlgorithm", "S256"), ("redirect_uri", redirect)]
    pairs.append(("client_authentication", client_auth))
    return {"type": "oauth2", "oauth2": _params(pairs)}


def _option_auth(template: RequestTemplate, warnings: list[str]) -> dict[str, Any] | None:
    """The request's ``# @reqlab.auth`` line as Postman auth, or a warning naming it."""
    text = dict(template.options).get("auth")
    if text is None:
        return None
    where = template.label or f"{template.method} {template.url}"
    try:
        spec = parse_auth_line(text, "", 0)
    except HttpFileError as exc:
        warnings.append(f"{where}: @reqlab.auth not exported: {exc.message}")
        return None
    said = _spec_object(spec)
    if said is None:
        what = f"the configuration {spec.ref!r}" if spec.kind == "use" else spec.describe()
        warnings.append(
            f"{where}: @reqlab.auth ({what.split(' (')[0]}) has no Postman form; "
            "it is in the request's description"
        )
    return said


def _multipart_fields(template: RequestTemplate, boundary: str) -> list[dict[str, Any]]:
    """A multipart body written as the importers write it, back to formdata."""
    fields: list[dict[str, Any]] = []
    pending: dict[str, Any] | None = None
    for chunk in template.body:
        if isinstance(chunk, FileChunk):
            if pending is not None:
                fields.append({**pending, "type": "file", "src": chunk.path})
                pending = None
            continue
        for section in chunk.text.split(f"--{boundary}"):
            head, _, value = section.strip("\n").partition("\n\n")
            if 'name="' not in head:
                continue
            name = head.split('name="', 1)[1].split('"', 1)[0]
            if "filename=" in head and not value:
                pending = {"key": name}
            else:
                fields.append({"key": name, "value": value, "type": "text"})
    return fields


def _body_object(
    template: RequestTemplate, headers: list[tuple[str, str]]
) -> dict[str, Any] | None:
    if not template.body:
        return None
    ctype = next((v for n, v in headers if n.lower() == "content-type"), "")
    if len(template.body) == 1 and isinstance(template.body[0], FileChunk):
        return {"mode": "file", "file": {"src": template.body[0].path}}
    if ctype.startswith("multipart/form-data") and "boundary=" in ctype:
        boundary = ctype.split("boundary=", 1)[1].strip('"')
        if boundary == BOUNDARY:  # Postman makes its own boundary
            headers.remove(next(h for h in headers if h[0].lower() == "content-type"))
        return {"mode": "formdata", "formdata": _multipart_fields(template, boundary)}
    text = template.body_text() or ""
    if ctype == "application/x-www-form-urlencoded" and "{{" not in text:
        fields = parse_qsl(text, keep_blank_values=True)
        if form_text(fields) == text:
            pairs = [{"key": k, "value": v, "type": "text"} for k, v in fields]
            return {"mode": "urlencoded", "urlencoded": pairs}
    body: dict[str, Any] = {"mode": "raw", "raw": text}
    if "json" in ctype:
        body["options"] = {"raw": {"language": "json"}}
    return body


def _item(template: RequestTemplate, warnings: list[str]) -> dict[str, Any]:
    headers, auth = split_auth(template)
    said = _option_auth(template, warnings)
    events: dict[str, list[str]] = {}
    header_list: list[dict[str, Any]] = []
    comments = []
    for comment in template.comments:
        text = comment.removeprefix("#").removeprefix(" ")
        if text.startswith(SCRIPT) and ": " in text:
            listen, _, line = text[len(SCRIPT) :].partition(": ")
            events.setdefault(listen, []).append(line)
        elif text.startswith(DISABLED) and ":" in text:
            name, _, value = text[len(DISABLED) :].partition(": ")
            header_list.append({"key": name, "value": value, "disabled": True})
        else:
            comments.append(text)
    body = _body_object(template, headers)
    header_list = [{"key": n, "value": v} for n, v in headers] + header_list
    request: dict[str, Any] = {
        "method": template.method,
        "header": header_list,
        "url": {"raw": template.url},
    }
    if body is not None:
        request["body"] = body
    if auth is not None:
        request["auth"] = _auth_object(auth)
    elif said is not None:
        request["auth"] = said
    elif "auth" in dict(template.options):  # no Postman form: kept where a reader sees it
        comments.append("@reqlab.auth " + dict(template.options)["auth"])
    if comments:
        request["description"] = "\n".join(comments)
    item: dict[str, Any] = {
        "name": template.label or f"{template.method} {template.url}",
        "request": request,
    }
    if events:
        item["event"] = [
            {"listen": k, "script": {"type": "text/javascript", "exec": v}}
            for k, v in events.items()
        ]
    return item


def write_postman(collection: Collection) -> str:
    root: list[dict[str, Any]] = []
    folders: dict[tuple[str, ...], list[dict[str, Any]]] = {(): root}
    for folder, template in collection.items:
        for depth in range(1, len(folder) + 1):
            key = folder[:depth]
            if key not in folders:
                node: dict[str, Any] = {"name": key[-1], "item": []}
                folders[key[:-1]].append(node)
                folders[key] = node["item"]
        folders[folder].append(_item(template, collection.warnings))
    doc: dict[str, Any] = {"info": {"name": collection.name, "schema": SCHEMA}, "item": root}
    if collection.variables:
        doc["variable"] = [{"key": k, "value": v} for k, v in collection.variables]
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"

"""Insomnia v4 exports (``__export_format: 4``, JSON or YAML) as collections.

Request groups become folders; the base environment (directly under the
workspace) becomes the shared variables, its sub-environments named
environments, and a group's own ``environment`` values are added to the
shared ones.  Insomnia's ``{{ _.name }}`` and ``{{ name }}`` become
``{{name}}``.  Authentication basic, digest and bearer become the
``Authorization`` header the IDE clients read; a disabled header or
parameter is kept as a comment.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from reqlab.body import form_text
from reqlab.errors import FormatError
from reqlab.formats.httpfile import (
    BodyChunk,
    Collection,
    FileChunk,
    RequestTemplate,
    TemplateHeader,
    TextChunk,
)
from reqlab.formats.httpfile.convert import basic_value, multipart_chunks
from reqlab.model import MultipartBody, MultipartField, MultipartFile

_VAR = re.compile(r"\{\{\s*(?:_\.)?([\w.-]+)\s*\}\}")


def _vars(text: Any) -> str:
    return _VAR.sub(r"{{\1}}", str(text))


def _load(text: str) -> Any:
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("{"):
        try:
            return json.loads(head)
        except json.JSONDecodeError as exc:
            raise FormatError(
                "insomnia", f"line {exc.lineno}, column {exc.colno}", "valid JSON"
            ) from None
    import yaml

    try:
        return yaml.safe_load(head)
    except yaml.YAMLError as exc:
        raise FormatError("insomnia", "", f"valid YAML ({exc})") from None


def _body(body: Any, headers: list[tuple[str, str]]) -> list[BodyChunk]:
    if not isinstance(body, dict):
        return []
    mime = str(body.get("mimeType") or "")
    params = [p for p in body.get("params") or [] if not p.get("disabled")]
    has_type = any(n.lower() == "content-type" for n, _ in headers)
    if mime == "multipart/form-data":
        parts = [
            MultipartFile(
                p["name"],
                str(p.get("fileName", "")).rsplit("/", 1)[-1] or "file",
                path=_vars(p.get("fileName", "")) or "file",
            )
            if p.get("type") == "file"
            else MultipartField(p["name"], _vars(p.get("value", "")))
            for p in params
        ]
        chunks, boundary = multipart_chunks(MultipartBody(tuple(parts)))
        if not has_type:
            headers.append(("Content-Type", f"multipart/form-data; boundary={boundary}"))
        return chunks
    if mime == "application/x-www-form-urlencoded":
        if not has_type:
            headers.append(("Content-Type", mime))
        return [TextChunk(form_text([(p["name"], _vars(p.get("value", ""))) for p in params]), 0)]
    if body.get("fileName"):
        return [FileChunk(str(body["fileName"]), 0)]
    text = body.get("text")
    if not text:
        return []
    if mime and not has_type:
        headers.append(
            ("Content-Type", "application/json" if mime == "application/graphql" else mime)
        )
    return [TextChunk(_vars(text), 0)]


def _auth(auth: Any) -> tuple[str, str] | None:
    if not isinstance(auth, dict) or auth.get("disabled"):
        return None
    kind = auth.get("type")
    if kind in ("basic", "digest") or (kind is None and "username" in auth):
        scheme = "Digest" if kind == "digest" else "Basic"
        user, password = _vars(auth.get("username", "")), _vars(auth.get("password", ""))
        return ("Authorization", basic_value(scheme, user, password))
    if kind == "bearer":
        prefix = auth.get("prefix") or "Bearer"
        return ("Authorization", f"{prefix} {_vars(auth.get('token', ''))}")
    return None


def _request(res: dict[str, Any], warnings: list[str]) -> RequestTemplate:
    headers = [
        (str(h["name"]), _vars(h.get("value", "")))
        for h in res.get("headers") or []
        if not h.get("disabled")
    ]
    comments = [
        f"# disabled header {h['name']}: {h.get('value', '')}"
        for h in res.get("headers") or []
        if h.get("disabled")
    ]
    url = _vars(res.get("url", ""))
    query = [
        (str(p["name"]), _vars(p.get("value", "")))
        for p in res.get("parameters") or []
        if not p.get("disabled")
    ]
    if query:
        url += ("&" if "?" in url else "?") + "&".join(
            f"{quote(n)}={quote(v, safe='{}')}" for n, v in query
        )
    chunks = _body(res.get("body"), headers)
    auth = _auth(res.get("authentication"))
    if auth is not None and not any(n.lower() == "authorization" for n, _ in headers):
        headers.append(auth)
    elif isinstance(res.get("authentication"), dict) and res["authentication"].get("type") not in (
        None,
        "basic",
        "digest",
        "bearer",
        "none",
    ):
        warnings.append(f"{res.get('name')}: {res['authentication']['type']} auth is not converted")
    return RequestTemplate(
        method=str(res.get("method", "GET")).upper(),
        url=url,
        headers=tuple(TemplateHeader(n, v, 0) for n, v in headers),
        body=tuple(chunks),
        title=str(res.get("name") or "") or None,
        comments=tuple(comments),
    )


def read_insomnia(text: str) -> Collection:
    doc = _load(text)
    if not isinstance(doc, dict) or not isinstance(doc.get("resources"), list):
        raise FormatError("insomnia", "top level", "an Insomnia export (with 'resources')")
    resources = [r for r in doc["resources"] if isinstance(r, dict)]
    by_id = {r.get("_id"): r for r in resources}
    workspace = next((r for r in resources if r.get("_type") == "workspace"), None)
    out = Collection(str(workspace.get("name")) if workspace else "Insomnia")

    def folder_of(res: dict[str, Any]) -> tuple[str, ...]:
        path: list[str] = []
        parent = by_id.get(res.get("parentId"))
        while parent is not None and parent.get("_type") == "request_group" and len(path) < 50:
            path.insert(0, str(parent.get("name", "folder")))
            parent = by_id.get(parent.get("parentId"))
        return tuple(path)

    shared: dict[str, str] = {}
    for res in resources:
        kind = res.get("_type")
        if kind == "request":
            out.items.append((folder_of(res), _request(res, out.warnings)))
        elif kind == "request_group":
            shared.update({k: _vars(v) for k, v in (res.get("environment") or {}).items()})
        elif kind == "environment":
            data = {
                k: _vars(v) if not isinstance(v, (dict, list)) else json.dumps(v)
                for k, v in (res.get("data") or {}).items()
            }
            parent = by_id.get(res.get("parentId"))
            if (
                parent is None
                or parent.get("_type") == "workspace"
                or res.get("parentId") == "__WORKSPACE_ID__"
            ):
                shared.update(data)  # the base environment
            else:
                out.environments[str(res.get("name") or "environment")] = data
    out.variables = list(shared.items())
    return out

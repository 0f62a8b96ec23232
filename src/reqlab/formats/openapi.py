"""OpenAPI 3.0/3.1 and Swagger 2.0 documents (JSON or YAML) as collections.

One request per operation, in a folder named after its first tag:

* the URL is ``{{baseUrl}}`` plus the path, with ``{id}`` as ``{{id}}``;
  path parameters and required (or exemplified) query parameters become
  ``@name = value`` variables of the request, from their example or default;
* ``servers`` (Swagger: ``schemes``/``host``/``basePath``) become
  environments, each defining ``baseUrl`` (server variables filled with
  their defaults);
* the body is the first media type's example, else one built from the
  schema (examples, defaults, enums, then a placeholder by type);
* security: API keys in headers, HTTP basic and bearer, and OAuth 2 / OpenID
  (as a bearer token) become headers using ``{{variables}}``.

Local ``$ref`` are followed (a cycle stops at the second visit).
"""

from __future__ import annotations

import json
import re
from typing import Any

from reqlab.errors import FormatError
from reqlab.formats.httpfile import Collection, RequestTemplate, TemplateHeader, TextChunk, Variable

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PATH_PARAM = re.compile(r"\{([^}]+)\}")


def load_document(text: str) -> Any:
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("{"):
        try:
            return json.loads(head)
        except json.JSONDecodeError as exc:
            raise FormatError(
                "openapi", f"line {exc.lineno}, column {exc.colno}", "valid JSON"
            ) from None
    import yaml

    try:
        return yaml.safe_load(head)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise FormatError(
            "openapi", where, f"valid YAML ({getattr(exc, 'problem', exc)})"
        ) from None


class _Doc:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.swagger = str(doc.get("swagger", "")).startswith("2")

    def deref(self, node: Any, seen: frozenset[str] = frozenset()) -> Any:
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if not ref.startswith("#/") or ref in seen:
                return {}
            seen = seen | {ref}
            target: Any = self.doc
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                target = target.get(part, {}) if isinstance(target, dict) else {}
            node = target
        return node

    def sample(self, schema: Any, depth: int = 0, seen: frozenset[str] = frozenset()) -> Any:
        """A value for ``schema``: its example, default or enum, else built."""
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        if ref in seen or depth > 8:
            return None
        schema = self.deref(schema)
        seen = seen | {ref} if ref else seen
        if not isinstance(schema, dict):
            return None
        for key in ("example", "default"):
            if key in schema:
                return schema[key]
        if schema.get("examples") and isinstance(schema["examples"], list):
            return schema["examples"][0]
        if schema.get("enum"):
            return schema["enum"][0]
        for combo in ("allOf", "oneOf", "anyOf"):
            if schema.get(combo):
                parts = [self.sample(s, depth + 1, seen) for s in schema[combo]]
                if combo == "allOf" and all(isinstance(p, dict) for p in parts):
                    return {k: v for p in parts for k, v in p.items()}
                return parts[0]
        kind = schema.get("type")
        kind = kind[0] if isinstance(kind, list) else kind
        if kind == "object" or "properties" in schema:
            props = schema.get("properties", {})
            return {k: self.sample(v, depth + 1, seen) for k, v in props.items()}
        if kind == "array":
            return [self.sample(schema.get("items", {}), depth + 1, seen)]
        return {"integer": 0, "number": 0, "boolean": False}.get(str(kind), "string")


def _example_of(param: dict[str, Any], doc: _Doc) -> str | None:
    for source in (param, doc.deref(param.get("schema", {}))):
        if not isinstance(source, dict):
            continue
        for key in ("example", "default"):
            if key in source:
                value = source[key]
                return value if isinstance(value, str) else json.dumps(value)
        if source.get("enum"):
            return str(source["enum"][0])
        items = source.get("items")
        if isinstance(items, dict):
            items = doc.deref(items)
            if "default" in items or items.get("enum"):
                return str(items.get("default", (items.get("enum") or [""])[0]))
    return None


def _servers(doc: _Doc) -> dict[str, dict[str, str]]:
    d = doc.doc
    if doc.swagger:
        if not d.get("host"):
            return {}
        schemes = d.get("schemes") or ["https"]
        return {
            s: {"baseUrl": f"{s}://{d['host']}{d.get('basePath', '')}".rstrip("/")} for s in schemes
        }
    envs: dict[str, dict[str, str]] = {}
    for i, server in enumerate(d.get("servers") or []):
        url = str(server.get("url", ""))
        for name, var in (server.get("variables") or {}).items():
            url = url.replace("{" + name + "}", str(var.get("default", "")))
        name = str(server.get("description") or ("default" if i == 0 else f"server{i + 1}"))
        envs[name] = {"baseUrl": url.rstrip("/")}
    return envs


def _security(op: dict[str, Any], doc: _Doc) -> list[tuple[str, str]]:
    requirements = op.get("security", doc.doc.get("security")) or []
    d = doc.doc
    schemes = (
        d.get("securityDefinitions")
        if doc.swagger
        else d.get("components", {}).get("securitySchemes")
    )
    headers: list[tuple[str, str]] = []
    for requirement in requirements[:1]:  # the first alternative is enough to send
        for name in requirement:
            scheme = doc.deref((schemes or {}).get(name, {}))
            kind, where = scheme.get("type"), scheme.get("in")
            var = re.sub(r"\W", "_", name)
            if kind == "apiKey" and where == "header":
                headers.append((scheme.get("name", name), f"{{{{{var}}}}}"))
            elif kind == "basic" or (
                kind == "http" and scheme.get("scheme", "").lower() == "basic"
            ):
                headers.append(("Authorization", "Basic {{username}} {{password}}"))
            elif kind in ("oauth2", "openIdConnect") or (
                kind == "http" and scheme.get("scheme", "").lower() == "bearer"
            ):
                headers.append(("Authorization", "Bearer {{token}}"))
    return headers


def _body(
    op: dict[str, Any], params: list[dict[str, Any]], doc: _Doc
) -> tuple[str | None, str | None]:
    """(content type, body text) of the operation's request body."""
    if doc.swagger:
        body = next((p for p in params if p.get("in") == "body"), None)
        form = [p for p in params if p.get("in") == "formData"]
        if body is not None:
            ctype = (op.get("consumes") or doc.doc.get("consumes") or ["application/json"])[0]
            return ctype, json.dumps(doc.sample(body.get("schema", {})), indent=2)
        if form:
            fields = "&".join(f"{p['name']}={_example_of(p, doc) or ''}" for p in form)
            return "application/x-www-form-urlencoded", fields
        return None, None
    request_body = doc.deref(op.get("requestBody"))
    content = (request_body or {}).get("content") or {}
    if not content:
        return None, None
    ctype, media = next(iter(content.items()))
    media = doc.deref(media) or {}
    if "example" in media:
        value = media["example"]
    elif media.get("examples"):
        value = doc.deref(next(iter(media["examples"].values()))).get("value")
    else:
        value = doc.sample(media.get("schema", {}))
    if isinstance(value, str):
        return ctype, value
    if "json" in ctype:
        return ctype, json.dumps(value, indent=2)
    if ctype == "application/x-www-form-urlencoded" and isinstance(value, dict):
        return ctype, "&".join(f"{k}={v}" for k, v in value.items())
    return ctype, json.dumps(value, indent=2)


def _operation(
    path: str, method: str, op: dict[str, Any], shared: list[Any], doc: _Doc
) -> RequestTemplate:
    params = [doc.deref(p) for p in [*shared, *(op.get("parameters") or [])]]
    variables: dict[str, str] = {}
    url = "{{baseUrl}}" + _PATH_PARAM.sub(lambda m: "{{" + m.group(1) + "}}", path)
    for p in params:
        if p.get("in") == "path":
            variables[p["name"]] = _example_of(p, doc) or ""
    query = []
    for p in params:
        if p.get("in") == "query" and (p.get("required") or _example_of(p, doc) is not None):
            query.append(f"{p['name']}={{{{{p['name']}}}}}")
            variables[p["name"]] = _example_of(p, doc) or ""
    if query:
        url += "?" + "&".join(query)
    headers = [(p["name"], _example_of(p, doc) or "") for p in params if p.get("in") == "header"]
    headers += _security(op, doc)
    ctype, body = _body(op, params, doc)
    if ctype:
        headers.append(("Content-Type", ctype))
    name = op.get("operationId")
    summary = op.get("summary")
    return RequestTemplate(
        method=method.upper(),
        url=url,
        headers=tuple(TemplateHeader(n, v, 0) for n, v in headers),
        body=(TextChunk(body, 0),) if body else (),
        name=name if name and re.fullmatch(r"[\w.-]+", name) else None,
        title=summary or name or f"{method.upper()} {path}",
        variables=tuple(Variable(k, v, 0) for k, v in variables.items()),
    )


def read_openapi(text: str) -> Collection:
    raw = load_document(text)
    if not isinstance(raw, dict) or not ("openapi" in raw or "swagger" in raw):
        raise FormatError("openapi", "top level", "an OpenAPI 3 or Swagger 2.0 document")
    doc = _Doc(raw)
    info = raw.get("info") or {}
    out = Collection(str(info.get("title") or "OpenAPI"))
    for path, item in (raw.get("paths") or {}).items():
        item = doc.deref(item)
        for method in METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                folder = (str(op["tags"][0]),) if op.get("tags") else ()
                out.items.append(
                    (folder, _operation(path, method, op, item.get("parameters") or [], doc))
                )
    out.environments = _servers(doc)
    if not out.environments:
        out.variables = [("baseUrl", "http://localhost")]
        out.warnings.append("the document names no server: baseUrl is http://localhost")
    return out

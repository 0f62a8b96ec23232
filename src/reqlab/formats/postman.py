"""Postman collections (v2.0 and v2.1) and Postman environments.

    read_postman(text)              -> Collection (folders, variables, auth, scripts as comments)
    read_postman_environment(text)  -> (name, values, secret values)
    write_postman(collection)       -> v2.1 collection text (in postman_write)

Folders become folder paths; collection variables the workspace's shared
variables; auth (on a request, or inherited from a folder or the
collection) the ``Authorization: Basic user pass`` / ``Bearer token`` header
the IDE clients read, or, for what no header can say (an API key in the
query, AWS Signature v4, OAuth 2 client credentials), a ``# @reqlab.auth``
line (docs/workspace.md, "Auth").  Pre-request and test scripts cannot run in reqlab:
they are kept as comments (``# postman prerequest: ...``) and counted in
the warnings; writing a collection turns those comments back into scripts.
"""

from __future__ import annotations

import json
from typing import Any

from reqlab.body import form_text, json_text
from reqlab.errors import FormatError
from reqlab.formats.httpfile._model import (
    BodyChunk,
    Collection,
    FileChunk,
    HttpFileError,
    RequestTemplate,
    TemplateHeader,
    TextChunk,
)
from reqlab.formats.httpfile.authspec import (
    SECRET_FIELDS,
    AuthSpec,
    check,
    is_reference,
    render_auth_line,
)
from reqlab.formats.httpfile.convert import basic_value

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
SCRIPT = "postman "  # comment prefix of a kept script line
DISABLED = "disabled header "
BOUNDARY = "----reqlabPostmanBoundary"


def _load(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(what, f"line {exc.lineno}, column {exc.colno}", "valid JSON") from None


def _kv(items: Any) -> dict[str, str]:
    """Postman's auth parameters: v2.1 [{key, value}], v2.0 {key: value}."""
    if isinstance(items, dict):
        return {str(k): str(v) for k, v in items.items()}
    return {str(i.get("key")): str(i.get("value", "")) for i in items or [] if isinstance(i, dict)}


def _auth(auth: Any, warnings: list[str], where: str) -> tuple[str, str] | AuthSpec | None:
    """The header (name, value) or the auth line that says ``auth``."""
    if not isinstance(auth, dict):
        return None
    kind = auth.get("type", "noauth")
    params = _kv(auth.get(kind))
    if kind in ("basic", "digest"):
        user, password = params.get("username", ""), params.get("password", "")
        return ("Authorization", basic_value(kind.title(), user, password))
    if kind == "bearer":
        return ("Authorization", f"Bearer {params.get('token', '')}")
    if kind == "apikey" and params.get("in", "header") == "header":
        return (params.get("key", "X-API-Key"), params.get("value", ""))
    if kind in ("apikey", "awsv4", "oauth2"):
        return _checked(_auth_spec(kind, params, warnings, where), kind, warnings, where)
    if kind not in ("noauth", "inherit"):
        warnings.append(f"{where}: {kind} auth is not converted; add its header by hand")
    return None


def _checked(spec: AuthSpec | None, kind: str, warnings: list[str], where: str) -> AuthSpec | None:
    """``spec`` if the workspace will accept its line, warning of a secret in clear."""
    if spec is None:
        return None
    try:
        check(spec, lambda message: HttpFileError("", 0, 1, message))
    except HttpFileError as exc:  # e.g. no region: a line the workspace would refuse
        warnings.append(f"{where}: {kind} auth is not converted: {exc.message}")
        return None
    clear = [k for k, v in spec.fields if k in SECRET_FIELDS and v and not is_reference(v)]
    if clear:  # sent as written, with a warning (docs/workspace.md, "Auth")
        warnings.append(
            f"{where}: {', '.join(clear)} written in clear on its @reqlab.auth line;"
            " put it in http-client.private.env.json and write {{name}} on the line"
        )
    return spec


# Postman's parameters -> the auth line's fields, per kind.
_AWS = {
    "accessKey": "access-key",
    "secretKey": "secret-key",
    "region": "region",
    "service": "service",
    "sessionToken": "session-token",
}
_OAUTH2 = {
    "accessTokenUrl": "token-url",
    "clientId": "client-id",
    "clientSecret": "client-secret",
    "scope": "scope",
}
_CLIENT_AUTH = {"header": "basic", "body": "post"}


def _auth_spec(
    kind: str, params: dict[str, str], warnings: list[str], where: str
) -> AuthSpec | None:
    if kind == "apikey":  # in the query (the header case is a header)
        fields = [("name", params.get("key", "")), ("value", params.get("value", ""))]
        return AuthSpec("apikey", (*fields, ("in", "query")))
    if kind == "awsv4":
        return AuthSpec("aws-sigv4", tuple((f, params.get(p, "")) for p, f in _AWS.items()))
    if kind != "oauth2":
        return None
    grant = params.get("grant_type", "authorization_code")  # Postman's default
    if grant != "client_credentials":
        warnings.append(
            f"{where}: oauth2 auth with the {grant} grant is not converted"
            " (only client_credentials is); add its @reqlab.auth line by hand"
        )
        return None
    fields = [("grant", "client-credentials")]
    fields += [(f, params.get(p, "")) for p, f in _OAUTH2.items()]
    fields.append(
        ("client-auth", _CLIENT_AUTH.get(params.get("client_authentication", ""), "basic"))
    )
    return AuthSpec("oauth2", tuple(fields))


def _url(url: Any) -> str:
    if isinstance(url, str):
        return url
    if not isinstance(url, dict):
        return ""
    if url.get("raw"):
        return str(url["raw"])
    host = url.get("host", "")
    host = ".".join(host) if isinstance(host, list) else str(host)
    path = url.get("path", "")
    path = "/".join(path) if isinstance(path, list) else str(path)
    query = "&".join(
        f"{q.get('key')}={q.get('value', '')}"
        for q in url.get("query", [])
        if not q.get("disabled")
    )
    protocol = f"{url['protocol']}://" if url.get("protocol") else ""
    return f"{protocol}{host}/{path}" + (f"?{query}" if query else "")


def _body(body: Any, headers: list[tuple[str, str]], warnings: list[str]) -> list[BodyChunk]:
    if not isinstance(body, dict):
        return []
    mode = body.get("mode")
    has_type = any(n.lower() == "content-type" for n, _ in headers)

    def typed(kind: str) -> None:
        if not has_type:
            headers.append(("Content-Type", kind))

    if mode == "raw":
        if body.get("raw") and body.get("options", {}).get("raw", {}).get("language") == "json":
            typed("application/json")
        return [TextChunk(body["raw"], 0)] if body.get("raw") else []
    if mode == "urlencoded":
        typed("application/x-www-form-urlencoded")
        fields = [
            (p["key"], p.get("value", "")) for p in body["urlencoded"] if not p.get("disabled")
        ]
        return [TextChunk(form_text(fields), 0)] if fields else []
    if mode == "formdata":
        typed(f"multipart/form-data; boundary={BOUNDARY}")
        return _multipart(body.get("formdata", []))
    if mode == "file" and isinstance(body.get("file"), dict) and body["file"].get("src"):
        return [FileChunk(body["file"]["src"], 0)]
    if mode == "graphql":
        typed("application/json")
        graphql = body.get("graphql") or {}
        variables = graphql.get("variables") or "{}"
        try:
            variables = json.loads(variables) if isinstance(variables, str) else variables
        except ValueError:
            variables = {}
        return [
            TextChunk(json_text({"query": graphql.get("query", ""), "variables": variables}), 0)
        ]
    if mode:
        warnings.append(f"body mode {mode!r} is not converted")
    return []


def _multipart(fields: list[Any]) -> list[BodyChunk]:
    chunks: list[BodyChunk] = []
    text: list[str] = []
    for field in fields:
        if field.get("disabled"):
            continue
        text.append(f"--{BOUNDARY}")
        if field.get("type") == "file":
            src = field.get("src") or ""
            src = src[0] if isinstance(src, list) and src else src
            name = str(src).rsplit("/", 1)[-1]
            text += [
                f'Content-Disposition: form-data; name="{field["key"]}"; filename="{name}"',
                "",
            ]
            chunks.append(TextChunk("\n".join(text), 0))
            chunks.append(FileChunk(str(src), 0))
            text = []
        else:
            text += [f'Content-Disposition: form-data; name="{field["key"]}"', ""]
            text.append(str(field.get("value", "")))
    text.append(f"--{BOUNDARY}--")
    return [*chunks, TextChunk("\n".join(text), 0)]


def _scripts(events: Any) -> list[str]:
    comments = []
    for event in _script_events(events):
        exec_ = event["script"]["exec"]
        lines = exec_.splitlines() if isinstance(exec_, str) else list(exec_)
        comments += [f"# {SCRIPT}{event.get('listen', 'test')}: {line}" for line in lines]
    return comments


def _request(
    item: dict[str, Any], auth: Any, scripts: list[str], warnings: list[str]
) -> RequestTemplate:
    req = item["request"]
    if isinstance(req, str):
        req = {"method": "GET", "url": req}
    headers = [(h["key"], str(h.get("value", ""))) for h in req.get("header", []) or []]
    disabled = [
        f"# {DISABLED}{n}: {v}"
        for (n, v), h in zip(headers, req.get("header") or [], strict=False)
        if h.get("disabled")
    ]
    headers = [
        hv for hv, h in zip(headers, req.get("header") or [], strict=False) if not h.get("disabled")
    ]
    chunks = _body(req.get("body"), headers, warnings)
    own = req.get("auth")
    said = _auth(
        own if own is not None and own.get("type") != "inherit" else auth,
        warnings,
        item.get("name", ""),
    )
    options: tuple[tuple[str, str], ...] = ()
    if isinstance(said, AuthSpec):
        options = (("auth", render_auth_line(said).removeprefix("# @reqlab.auth ")),)
    elif said and not any(n.lower() == said[0].lower() for n, _ in headers):
        headers.append(said)
    return RequestTemplate(
        method=str(req.get("method", "GET")).upper(),
        url=_url(req.get("url")),
        headers=tuple(TemplateHeader(n, v, 0) for n, v in headers),
        body=tuple(chunks),
        title=str(item.get("name", "")) or None,
        options=options,
        comments=tuple(disabled + scripts + _scripts(item.get("event"))),
    )


def _walk(items: Any, folder: tuple[str, ...], auth: Any, out: Collection) -> None:
    for item in items or []:
        if "item" in item:  # a folder: its auth and scripts apply to what it holds
            inner_auth = item.get("auth") or auth
            _walk(item["item"], (*folder, str(item.get("name", "folder"))), inner_auth, out)
        elif "request" in item:
            template = _request(item, auth, [], out.warnings)
            if template.url:
                out.items.append((folder, template))
            else:
                out.warnings.append(f"{item.get('name', 'a request')!r} has no URL: skipped")


def read_postman(text: str) -> Collection:
    doc = _load(text, "postman")
    if not isinstance(doc, dict) or "item" not in doc:
        raise FormatError("postman", "", "a Postman collection (an object with 'info' and 'item')")
    info = doc.get("info", {})
    out = Collection(str(info.get("name", "Postman collection")))
    _walk(doc["item"], (), doc.get("auth"), out)
    out.variables = [
        (str(v["key"]), str(v.get("value", ""))) for v in doc.get("variable", []) if "key" in v
    ]
    scripts = _count_scripts(doc)
    if scripts:
        out.warnings.append(
            f"{scripts} Postman script(s) not run: request scripts are kept as comments"
        )
    return out


def _count_scripts(node: Any) -> int:
    """Non-empty scripts anywhere in the collection (folders' and its own too)."""
    count = len(_script_events(node.get("event")))
    return count + sum(_count_scripts(item) for item in node.get("item", []) or [])


def _script_events(events: Any) -> list[Any]:
    found = []
    for event in events or []:
        exec_ = event.get("script", {}).get("exec", [])
        lines = exec_.splitlines() if isinstance(exec_, str) else list(exec_)
        if any(str(line).strip() for line in lines):
            found.append(event)
    return found


def read_postman_environment(text: str) -> tuple[str, dict[str, str], dict[str, str]]:
    """(name, values, secret values) of an exported Postman environment."""
    doc = _load(text, "postman environment")
    if not isinstance(doc, dict) or not isinstance(doc.get("values"), list):
        raise FormatError("postman environment", "", "an object with 'values'")
    values: dict[str, str] = {}
    secrets: dict[str, str] = {}
    for v in doc["values"]:
        if v.get("enabled", True) and "key" in v:
            target = secrets if v.get("type") == "secret" else values
            target[str(v["key"])] = str(v.get("value", ""))
    return str(doc.get("name") or "environment"), values, secrets


def read_postman_environment_collection(text: str) -> Collection:
    """An environment file alone: a collection with no requests."""
    name, values, secrets = read_postman_environment(text)
    collection = Collection(name, environments={name: values})
    if secrets:
        collection.secrets = {name: secrets}
    return collection

"""A workspace request between its ``.http`` template and the page's form.

The page edits a workspace request in the same form as any other (the API's
request JSON, see :mod:`serialize`), but with ``{{variables}}`` left in its
text.  ``form_of`` fills the form from a template; ``template_of`` puts the
form's method, URL, headers and body back into the template, keeping what
the form does not show (name, comments, ``# @reqlab`` settings, scripts).
``variables`` lists each ``{{...}}`` with what it resolves to, for the
page's highlighting and its check before a send.
"""

from __future__ import annotations

import json
import re
from typing import Any

from reqlab.formats.httpfile import (
    FileChunk,
    RequestTemplate,
    TemplateHeader,
    TextChunk,
    parse_block,
    render_request,
)
from reqlab.formats.httpfile.variables import Scope, UnresolvedVariable, pieces
from reqlab.web.auth_form import auth_of, auth_option, with_auth_option
from reqlab.web.errors import APIError

_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_CHAIN = re.compile(r"^([\w.-]+?)\.response\.")


def body_text(template: RequestTemplate) -> str:
    """The body as written, ``< ./file`` lines included."""
    lines = []
    for chunk in template.body:
        if isinstance(chunk, FileChunk):
            lines.append(f"<{'@' if chunk.substitute else ''} {chunk.path}")
        else:
            lines.append(chunk.text)
    return "\n".join(lines)


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def form_of(template: RequestTemplate) -> dict[str, Any]:
    """The page's form of ``template``: its text, ``{{variables}}`` and all."""
    text = body_text(template)
    body: dict[str, Any] | None = None
    if template.body:
        kind = "json" if "json" in (template.header("content-type") or "") else "text"
        body = {"kind": "json" if kind == "json" and _is_json(text) else "text", "text": text}
    return {
        "method": template.method,
        "url": template.url,
        "headers": [[h.name, h.value] for h in template.headers],
        "body": body,
        # an Authorization line stays a header, as it is in the file; the tab
        # shows the request's own "# @reqlab.auth" line, or "inherit"
        "auth": auth_of(template),
        "version": None,
        "options": {},
    }


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise APIError(422, f"{where}: must be text", field=where)
    if "\n" in value or "\r" in value:
        raise APIError(422, f"{where}: must be one line", field=where)
    return value


def _auth_header(auth: Any) -> list[TemplateHeader]:
    """The form's Auth tab as the Authorization line the IDE clients read."""
    if not isinstance(auth, dict) or not auth.get("scheme"):
        return []
    scheme = auth["scheme"]
    if scheme not in ("basic", "digest", "bearer"):
        return []  # a "# @reqlab.auth" line (web/auth_form.py)
    if scheme == "bearer":
        return [TemplateHeader("Authorization", f"Bearer {auth.get('token', '')}", 0)]
    if scheme in ("basic", "digest"):
        user, password = auth.get("username", ""), auth.get("password", "")
        return [TemplateHeader("Authorization", f"{scheme.title()} {user} {password}", 0)]
    raise APIError(422, f"auth.scheme: {scheme!r} is not basic, digest or bearer", field="auth")


def template_of(old: RequestTemplate, form: Any) -> RequestTemplate:
    """``old`` with the form's method, URL, headers and body."""
    if not isinstance(form, dict):
        raise APIError(422, "request: must be an object", field="request")
    method = _text(form.get("method") or "GET", "method").strip()
    if not _TOKEN.match(method):
        raise APIError(422, f"method: {method!r} is not an HTTP method token", field="method")
    url = _text(form.get("url", ""), "url").strip()
    if not url:
        raise APIError(422, "url: is required", field="url")
    headers = []
    for i, pair in enumerate(form.get("headers") or []):
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise APIError(422, f"headers[{i}]: must be [name, value]", field="headers")
        name = _text(pair[0], f"headers[{i}]").strip()
        if not _TOKEN.match(name):
            raise APIError(422, f"headers[{i}]: {name!r} is not a header name", field="headers")
        headers.append(TemplateHeader(name, _text(pair[1], f"headers[{i}]"), 0))
    headers += _auth_header(form.get("auth"))
    options = old.options
    if form.get("auth") is not None:  # the Authorization tab (web/auth_form.py)
        options = with_auth_option(old.options, auth_option(form.get("auth")))
    body = _body(old, form.get("body"))
    if method == old.method and url == old.url and body is old.body and options == old.options:
        headers_same = [(h.name, h.value) for h in headers] == [
            (h.name, h.value) for h in old.headers
        ]
        if headers_same:
            return old
    return old.replace(
        method=method,
        url=url,
        headers=tuple(headers),
        body=body,
        options=options,
        url_lines=(),
        option_lines=(),
    )


def _body(old: RequestTemplate, body: Any) -> tuple[TextChunk | FileChunk, ...]:
    if not body or body.get("kind") in (None, "none"):
        return ()
    kind = body.get("kind")
    if kind == "form":
        fields = body.get("fields") or []
        text = "&".join(f"{n}={v}" for n, v in fields)
    elif kind in ("json", "text"):
        text = body.get("text")
        if not isinstance(text, str):
            raise APIError(422, "body.text: must be text", field="body.text")
    else:
        raise APIError(
            422,
            f"body.kind: a workspace request keeps its body as text, not {kind!r}"
            " (name a file with a '< ./file' line)",
            field="body.kind",
        )
    if text == body_text(old):
        return old.body  # unchanged: '< ./file' parts stay as they were read
    return _chunks(text.replace("\r\n", "\n"))


def _chunks(text: str) -> tuple[TextChunk | FileChunk, ...]:
    """The body text read as the file reader reads it ('< ./file' lines)."""
    block = render_request(RequestTemplate(url="/", body=(TextChunk(text, 0),)), separator=False)
    request = parse_block("<edit>", 1, block).request
    return request.body if request is not None else ()


def variables(
    template: RequestTemplate, scope: Scope, senders: set[str], secrets: dict[str, str]
) -> list[dict[str, Any]]:
    """Each ``{{...}}`` of the URL, headers and body: where it is, what it
    resolves to (a secret's value shown as ``••••``), and its state - "ok",
    "secret", "dynamic", "pending" (a response the send will fetch first:
    one of ``senders``) or "unknown"."""
    places: list[tuple[str, str]] = [("url", template.url)]
    places += [(f"header:{h.name}", h.value) for h in template.headers]
    places += [("body", c.text) for c in template.body if isinstance(c, TextChunk)]
    out = []
    for where, text in places:
        for offset, piece in pieces(text):
            if piece[:1] != "\0":
                continue
            out.append({"where": where, "offset": offset, **_one(piece[1:], scope, senders)})
    for item in out:  # a secret seen anywhere else is masked here too
        if item.get("value") in secrets:
            item["value"], item["state"] = "••••", "secret"
    return out


def _one(expr: str, scope: Scope, senders: set[str]) -> dict[str, Any]:
    before = len(scope.secrets)
    try:
        value = scope.expand("{{" + expr + "}}")
    except UnresolvedVariable as exc:
        chain = _CHAIN.match(expr)
        if chain is not None and chain.group(1) in senders:
            return {"name": expr, "state": "pending", "value": None, "message": exc.message}
        return {"name": expr, "state": "unknown", "value": None, "message": exc.message}
    if len(scope.secrets) > before or value in scope.secrets:
        return {"name": expr, "state": "secret", "value": "••••"}
    special = expr.startswith("$") and not expr.startswith(("$dotenv", "$processEnv"))
    return {"name": expr, "state": "dynamic" if special else "ok", "value": value}

"""javascript-fetch and javascript-xhr in the idiomatic style.

What MDN's *Using the Fetch API* and *Using XMLHttpRequest* show: the body
built with ``JSON.stringify`` or ``URLSearchParams``, the query from a
``URLSearchParams`` in a template literal, a timeout
(``AbortSignal.timeout`` / ``xhr.timeout``) and the status checked
(``response.ok`` / ``xhr.status``).  The browser's own rules (forbidden
headers, joined repeats, the version) are the exact style's, through the
same plan, and so are their warnings.
"""

from __future__ import annotations

from reqlab.codegen._idiom import split_query, timeout_of
from reqlab.codegen._js import (
    BrowserSource,
    Code,
    body_code,
    fetch_init,
    header_exprs,
    js,
    js_value,
    ms,
    search_params,
    statements,
)
from reqlab.codegen._plan import Plan
from reqlab.codegen._target import Snippet
from reqlab.model import FormBody, JsonBody, Request


def fetch_snippet(request: Request, p: Plan) -> Snippet:
    source = BrowserSource()
    body = _body(p, source, string_ok=True)
    headers = header_exprs(p.headers, source.auth(p), source)
    init = fetch_init(p, body, headers, timeout_of(request))
    url, setup = _url(request, p)
    lines = [
        *source.comment(),
        "",
        *body.setup,
        *setup,
        "",
        f"const response = await fetch({url}, {{",
        *init,
        "});",
        "if (!response.ok) {",
        "  throw new Error(`HTTP ${response.status}`);",
        "}",
        "console.log(response.status);",
        "console.log(await response.text());",
    ]
    return Snippet(statements(lines), tuple(p.warnings))


def xhr_snippet(request: Request, p: Plan) -> Snippet:
    source = BrowserSource()
    # XHR rewrites the charset parameter of a string body's type (utf-8 -> UTF-8).
    body = _body(p, source, string_ok="charset=" not in (p.content_type or "").lower())
    url, setup = _url(request, p)
    lines = [*source.comment(), "", *body.setup, *setup, ""]
    lines += ["const xhr = new XMLHttpRequest();", f"xhr.open({js(p.method)}, {url});"]
    for name, expr in header_exprs(p.headers, source.auth(p), source):
        lines.append(f"xhr.setRequestHeader({js(name)}, {expr});")
    lines += [
        f"xhr.timeout = {ms(timeout_of(request))};",
        "xhr.onload = () => {",
        "  if (xhr.status < 200 || xhr.status >= 300) {",
        "    console.error(`HTTP ${xhr.status}`);",
        "  }",
        "  console.log(xhr.status);",
        "  console.log(xhr.responseText);",
        "};",
        'xhr.onerror = () => console.error("request failed");',
        'xhr.ontimeout = () => console.error("request timed out");',
        f"xhr.send({body.expr or ''});",
    ]
    return Snippet(statements(lines), tuple(p.warnings))


def _body(p: Plan, source: BrowserSource, *, string_ok: bool) -> Code:
    """JSON by ``JSON.stringify``, a form as ``URLSearchParams`` (the plan has
    given both their Content-Type, which wins over the body's own); other
    bodies as the exact style writes them."""
    body = p.body
    value = js_value(body.value) if isinstance(body, JsonBody) else None
    if isinstance(body, JsonBody) and value is not None and string_ok:
        setup = f"const body = JSON.stringify({value});".split("\n")
        return Code(setup=[*source.declarations(), *setup], expr="body", string=True)
    if isinstance(body, FormBody):
        form = search_params(body.fields)
        return Code(setup=[f"const body = {form[0]}", *form[1:-1], f"{form[-1]};"], expr="body")
    return body_code(p, source, string_ok=string_ok)


def _url(request: Request, p: Plan) -> tuple[str, list[str]]:
    """The URL expression, and the ``URLSearchParams`` it needs."""
    base, query = split_query(request)
    if not query:
        return js(p.url), []
    params = search_params(query)
    setup = [f"const params = {params[0]}", *params[1:-1], f"{params[-1]};"]
    text = base.replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${")
    return f"`{text}?${{params}}`", setup


def jquery_data(request: Request, p: Plan, body: Code, url: str) -> tuple[Code, str, list[str]]:
    """``data`` for ``$.ajax``: an object for a GET's or HEAD's query and for a
    form (jQuery encodes it with ``$.param``), ``JSON.stringify`` for JSON;
    names must be distinct and not array indices (an object reorders those).
    Returns the body, the URL and the setup of a GET's ``params``."""
    from reqlab.codegen._js import object_literal

    def plain(pairs: list[tuple[str, str]]) -> bool:
        names = [n for n, _ in pairs]
        return len(set(names)) == len(names) and not any(n.isdigit() for n in names)

    def literal(name: str, pairs: list[tuple[str, str]]) -> list[str]:
        lines = object_literal([(n, js(v)) for n, v in pairs], "")
        return [f"const {name} = {lines[0]}", *lines[1:-1], "};"]

    base, query = split_query(request)
    if query and p.body is None and p.method in ("GET", "HEAD") and plain(query):
        return body, js(base), literal("params", query)
    form = p.body
    if isinstance(form, FormBody) and form.fields and plain(list(form.fields)):
        # string=True: jQuery's processData encodes the object (no processData: false).
        return Code(setup=literal("form", list(form.fields)), expr="form", string=True), url, []
    if isinstance(form, JsonBody) and "charset=" not in (p.content_type or "").lower():
        value = js_value(form.value)
        if value is not None:
            setup = f"const payload = JSON.stringify({value});".split("\n")
            return Code(setup=setup, expr="payload", string=True), url, []
    return body, url, []

"""node-axios, in both styles (see ``node``'s docstring for the exact one)."""

from __future__ import annotations

from reqlab.codegen._idiom import is_json_default_type, split_query, timeout_of
from reqlab.codegen._js import (
    NodeSource,
    body_code,
    header_exprs,
    js,
    ms,
    object_literal,
    statements,
)
from reqlab.codegen._nodeshared import BODY_METHODS, grouped, node_common, print_lines
from reqlab.codegen._plan import plan
from reqlab.codegen._shared import added_headers, body_text
from reqlab.codegen._target import Snippet
from reqlab.model import BasicAuth, JsonBody, Request

AXIOS_VERSIONS = ("HTTP/1.1", "HTTP/2")


def render_axios(request: Request) -> Snippet:
    return _render(request, idiomatic=False)


def render_axios_idiomatic(request: Request) -> Snippet:
    """axios as its README shows it: ``axios.post(url, data, config)`` with a
    plain object for JSON (axios serialises it and sets the type), ``params``
    for the query, a ``timeout``, and its defaults otherwise: redirects
    followed, a rejected promise for 4xx/5xx, Node's keep-alive agent."""
    return _render(request, idiomatic=True)


def _render(request: Request, *, idiomatic: bool) -> Snippet:
    p = plan(request, target="node-axios", versions=AXIOS_VERSIONS)
    node_common(p, "node-axios", AXIOS_VERSIONS)
    p.headers += added_headers(p, auth=False)
    spellings: dict[str, set[str]] = {}
    for name, _ in p.headers:
        spellings.setdefault(name.lower(), set()).add(name)
    merged = [sorted(s)[0] for s in spellings.values() if len(s) > 1]
    if merged:
        p.warn(
            f"{', '.join(merged)}: axios treats header names case-insensitively, so the "
            "repeated header is sent in the spelling it first has"
        )
    source = NodeSource()
    text = body_text(p)
    string_ok = text is None or text == text.strip()
    body = body_code(p, source, string_ok=string_ok, json_objects=True)
    bearer = None if isinstance(request.auth, BasicAuth) else source.auth(p)
    headers = grouped(header_exprs(p.headers, bearer, source))
    typed = "content-type" in p.header_names()
    if (
        not typed
        and not body.multipart
        and (p.body is not None or p.method.upper() in BODY_METHODS)
    ):
        headers.append(("Content-Type", "null"))  # else axios adds a form Content-Type
    url, query = split_query(request) if idiomatic else (p.url, [])
    if not _plain_object_keeps(query):
        url, query = p.url, []
    json_object = isinstance(p.body, JsonBody) and body.expr == "body"
    if idiomatic and json_object and is_json_default_type(p.content_type):
        # axios sets "Content-Type: application/json" for an object itself.
        headers = [h for h in headers if h[0].lower() != "content-type"]
    opts = [f"  url: {js(url)},", f"  method: {js(p.method)},"]
    if query:
        params = object_literal([(n, js(v)) for n, v in query], "  ")
        opts += [f"  params: {params[0]}", *params[1:-1], params[-1] + ","]
    if headers:
        lines = object_literal(headers, "  ")
        opts += [f"  headers: {lines[0]}", *lines[1:-1], lines[-1] + ","]
    auth = request.auth
    if isinstance(auth, BasicAuth) and "authorization" not in p.header_names():
        user, password = js(auth.username), js(auth.password)
        opts.append(f"  auth: {{ username: {user}, password: {password} }},")
    if body.expr is not None:
        opts.append(f"  data: {body.expr},")
    if idiomatic:
        opts.append(f"  timeout: {ms(timeout_of(request))},")
    else:
        if not request.options.follow_redirects:
            opts.append("  maxRedirects: 0,")
        if request.options.timeout is not None:
            opts.append(f"  timeout: {ms(request.options.timeout)},")
        opts += ['  responseType: "text",', "  validateStatus: () => true, // print 4xx/5xx too"]
    https = request.scheme == "https"
    module = "https" if https else "http"
    agent_opts = []
    h2 = p.version == "HTTP/2"
    if h2:
        # axios >= 1.13 speaks HTTP/2 through node:http2 (on http://, by prior
        # knowledge) and keeps the session for reuse: no HTTP/1 agent.
        opts.append("  httpVersion: 2,")
        if https and not request.options.verify:
            opts.append("  http2Options: { rejectUnauthorized: false },")
    elif p.reuse and not idiomatic:  # Node 20's global agent keeps alive already
        agent_opts.append("keepAlive: true")
    if https and not request.options.verify and not h2:
        agent_opts.append("rejectUnauthorized: false")
    imports = list(body.imports)
    setup: list[str] = []
    client = "axios"
    if agent_opts:
        imports.append(f'import {module} from "node:{module}";')
        agent = f"new {module}.Agent({{ {', '.join(agent_opts)} }})"
        setup = [f"const client = axios.create({{ {module}Agent: {agent} }});"]
        client = "client"
    imports.append('import axios from "axios";')
    lines = [
        *imports,
        "",
        *body.setup,
        *setup,
        "",
        *(_call(client, p.method, opts) if idiomatic else _request(client, opts)),
        *print_lines("response.status", "response.data"),
    ]
    return Snippet(statements(lines), tuple(p.warnings))


def _request(client: str, opts: list[str]) -> list[str]:
    return [f"const response = await {client}.request({{", *opts, "});"]


def _call(client: str, method: str, opts: list[str]) -> list[str]:
    """``axios.post(url, data, { ... })`` for the methods axios has helpers for."""
    lower = method.lower()
    if method not in ("GET", "DELETE", "HEAD", "OPTIONS", "POST", "PUT", "PATCH"):
        return _request(client, opts)
    url = opts[0].removeprefix("  url: ").removesuffix(",")
    rest = [o for o in opts[2:] if not o.startswith("  data: ")]
    data = [o.removeprefix("  data: ").removesuffix(",") for o in opts if o.startswith("  data: ")]
    if lower in ("post", "put", "patch"):
        args = [url, data[0] if data else "undefined"]
    elif data:  # axios.get/delete take the body only in the config
        return _request(client, opts)
    else:
        args = [url]
    config = ["{", *rest, "}"]
    return [
        f"const response = await {client}.{lower}({', '.join(args)}, {config[0]}",
        *config[1:-1],
        "});",
    ]


def _plain_object_keeps(query: list[tuple[str, str]]) -> bool:
    """A JS object keeps the pairs' order only for distinct names that are not
    array indices (those come first in any object); else the query stays put."""
    names = [n for n, _ in query]
    return len(set(names)) == len(names) and not any(n.isdigit() for n in names)

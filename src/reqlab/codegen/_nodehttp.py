"""node-http in the idiomatic style: Node's ``http.request`` as its docs show it.

The ``http.request(options, callback)`` call wrapped in a Promise (so the
snippet can ``await`` it), the body built the usual way - ``JSON.stringify``
for JSON, ``URLSearchParams`` for a form and for the query - with its
``Content-Length``, a ``timeout`` whose event destroys the request, and the
status checked after the body is read.  Node's global agent (keep-alive
since Node 19) carries the connection.  A request that needs the exact
style's machinery - HTTP/2, a header name repeated (the raw array form), a
connection that must close - returns None and gets the exact code.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from reqlab.codegen._idiom import split_query, timeout_of
from reqlab.codegen._js import (
    NodeSource,
    body_code,
    header_exprs,
    js,
    js_value,
    ms,
    object_literal,
    search_params,
    statements,
)
from reqlab.codegen._nodeshared import node_common
from reqlab.codegen._plan import plan
from reqlab.codegen._shared import added_headers, ascii_url
from reqlab.codegen._target import Snippet
from reqlab.model import FormBody, JsonBody, Request


def http_snippet(request: Request) -> Snippet | None:
    p = plan(request, target="node-http", versions=("HTTP/1.1", "HTTP/2"))
    node_common(p, "node-http", ("HTTP/1.1", "HTTP/2"))
    p.headers += added_headers(p, auth=False)
    names = [n.lower() for n, _ in p.headers]
    if p.version == "HTTP/2" or not p.reuse or len(set(names)) != len(names):
        return None
    source = NodeSource()
    setup: list[str] = []
    body = p.body
    value = js_value(body.value) if isinstance(body, JsonBody) else None
    if isinstance(body, JsonBody) and value is not None:
        setup += f"const body = JSON.stringify({value});".split("\n")
        imports: list[str] = []
    elif isinstance(body, FormBody):
        form = search_params(body.fields)
        setup += [f"const body = {form[0]}", *form[1:-1], f"{form[-1]}.toString();"]
        imports = []
    else:
        code = body_code(p, source)
        if code.multipart:
            return None  # FormData needs Response to encode it: the exact style's code
        imports = list(code.imports)
        setup += code.setup
        if code.expr is not None and code.expr != "body":
            setup.append(f"const body = {code.expr};")
        if code.expr is None:
            body = None
    headers = header_exprs(p.headers, source.auth(p), source)
    if body is not None and "content-length" not in names:
        # Without it Node frames only POST, PUT and PATCH bodies (chunked).
        headers.append(("Content-Length", "Buffer.byteLength(body)"))
    url, query = split_query(request)
    path = ascii_url(request.target)
    if query:
        setup += _query_lines(query)
        path_expr = f"`{_template(urlsplit(url).path or '/')}?${{query}}`"
    else:
        path_expr = js(path)
    payload = "body" if body is not None else ""
    if body is not None and any('toString("latin1")' in value for _, value in headers):
        # A Buffer: Node writes a string body in one piece with the head, as
        # UTF-8, which would encode the non-ASCII header value a second time.
        payload = "Buffer.from(body)"
    https = request.scheme == "https"
    module = "https" if https else "http"
    opts = [
        f"hostname: {js(request.host)},",
        f"port: {request.port},",
        f"method: {js(p.method)},",
        f"path: {path_expr},",
    ]
    if headers:
        lines = object_literal(headers, "")
        opts += [f"headers: {lines[0]}", *lines[1:-1], lines[-1] + ","]
    if https and not request.options.verify:
        opts.append("rejectUnauthorized: false,")
    opts.append(f"timeout: {ms(timeout_of(request))},")
    lines = [
        *imports,
        f'import {module} from "node:{module}";',
        "",
        *setup,
        "",
        "const response = await new Promise((resolve, reject) => {",
        f"  const request = {module}.request(",
        "    {",
        *[f"      {o}" if o else o for o in opts],
        "    },",
        "    resolve,",
        "  );",
        '  request.on("error", reject);',
        '  request.on("timeout", () => request.destroy(new Error("timed out")));',
        f"  request.end({payload});",
        "});",
        "const chunks = [];",
        "for await (const chunk of response) chunks.push(chunk);",
        "const text = Buffer.concat(chunks).toString();",
        "if (response.statusCode >= 400) {",
        "  throw new Error(`HTTP ${response.statusCode}: ${text}`);",
        "}",
        "console.log(response.statusCode);",
        "console.log(text);",
    ]
    if request.options.follow_redirects:
        p.warn("node-http does not follow redirects; the first response is printed")
    if request.options.compressed:
        p.warn("node-http does not decode compressed responses (node:zlib would)")
    return Snippet(statements(lines), tuple(p.warnings))


def _query_lines(query: list[tuple[str, str]]) -> list[str]:
    params = search_params(query)
    return [f"const query = {params[0]}", *params[1:-1], f"{params[-1]};"]


def _template(text: str) -> str:
    """``text`` inside a template literal (the path is ASCII, escapes as typed)."""
    return text.replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${")

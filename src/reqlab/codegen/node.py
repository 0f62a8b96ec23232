"""Node.js 20: built-in fetch, axios, and the core http/http2 modules.

Every snippet is an ES module (``snippet.mjs``: ``import``, top-level
``await``), never ``require`` mixed with ``await``.

* node-fetch uses Node's own ``fetch`` (undici), not the ``node-fetch``
  package: nothing to install, and the same API as the browser.  undici
  refuses or ignores connection headers (Connection, Keep-Alive, Upgrade,
  Expect, Transfer-Encoding, Host) and joins repeated headers into one line;
  connections are pooled by its global dispatcher.
* node-axios sends repeated headers as an array value (axios writes one line
  each) and sets ``"Content-Type": null`` when the request has none, since
  axios would invent ``application/x-www-form-urlencoded``.  Keep-alive:
  one ``axios.create`` instance with an ``http.Agent({ keepAlive: true })``.
* node-http writes headers as an object, or - when a name repeats - as the
  flat ``[name, value, ...]`` array ``http.request`` accepts, which keeps
  case, order and every duplicate (Node then adds neither Host nor
  Content-Length, so the snippet writes them).  HTTP/2 goes through
  ``node:http2`` (h2c prior knowledge on http://, ALPN on https://).

Files are read from disk with ``fs/promises.readFile`` when the snippet
runs; multipart bodies use the built-in ``FormData``/``Blob`` (for node-http
encoded through ``new Response(form)``, which picks the boundary).
"""

from __future__ import annotations

from reqlab.codegen import _axios
from reqlab.codegen._idiom import timeout_of
from reqlab.codegen._js import (
    Code,
    NodeSource,
    body_code,
    fetch_init,
    header_exprs,
    js,
    ms,
    object_literal,
    statements,
    warn_cache_headers,
    warn_joined_duplicates,
)
from reqlab.codegen._nodeshared import BODY_METHODS, grouped, node_common, print_lines
from reqlab.codegen._plan import Plan, plan
from reqlab.codegen._shared import (
    added_headers,
    ascii_url,
    closes_after_downgrade,
)
from reqlab.codegen._target import Snippet, Target
from reqlab.model import Request

# undici (Node's fetch) throws on these or silently drops them.
FETCH_FORBIDDEN = (
    "connection",
    "keep-alive",
    "upgrade",
    "expect",
    "transfer-encoding",
    "host",
    "content-length",
)
FETCH_FORBIDDEN_WHY = "Node's fetch (undici) manages it itself and refuses or drops it"
# What Node's fetch adds to every request besides User-Agent, Accept and
# Accept-Encoding: the fidelity harness allows these for node-fetch.
FETCH_ADDS = ("Accept-Language", "Sec-Fetch-Mode")
# ----------------------------------------------------------------- fetch


def _render_fetch(request: Request) -> Snippet:
    return _fetch(request, idiomatic=False)


def _render_fetch_idiomatic(request: Request) -> Snippet:
    """fetch as MDN's "Using the Fetch API" shows it: redirects followed (its
    default), an ``AbortSignal.timeout``, and ``response.ok`` checked."""
    return _fetch(request, idiomatic=True)


def _fetch(request: Request, *, idiomatic: bool) -> Snippet:
    p = plan(request, target="node-fetch")
    node_common(p, "node-fetch", ("HTTP/1.1",))
    p.drop(FETCH_FORBIDDEN, FETCH_FORBIDDEN_WHY)
    if closes_after_downgrade(p, None):
        p.warn(
            "Connection: close cannot be set in Node's fetch, so the HTTP/1.1 connection "
            "stays open where the HTTP/1.0 request would close it"
        )
    if p.method.upper() == "HEAD":
        p.warn("Node's fetch sends Connection: close with every HEAD request")
    p.headers += added_headers(p, auth=False)
    if p.body is not None and p.method.upper() in ("GET", "HEAD"):
        p.warn(f"fetch cannot send a body with {p.method.upper()}; the body is left out")
        p.body = None
    warn_joined_duplicates(p, "Node's fetch")
    warn_cache_headers(p, "Node's fetch", ("Cache-Control", "Pragma"))
    if request.options.connect_timeout is not None:
        p.warn("node-fetch has no separate connect timeout")
    insecure = not request.options.verify and request.scheme == "https"
    if insecure:
        p.warn(
            "node-fetch can skip certificate verification only process-wide "
            "(NODE_TLS_REJECT_UNAUTHORIZED=0, which Node warns about)"
        )
    source = NodeSource()
    body = body_code(p, source)
    headers = header_exprs(p.headers, source.auth(p), source)
    manual = () if request.options.follow_redirects else ('  redirect: "manual",',)
    timeout: float | None = request.options.timeout
    if idiomatic:
        manual, timeout = (), timeout_of(request)
    init = fetch_init(p, body, headers, timeout, manual)
    call = f"await fetch({js(p.url)}, {{\n" + "\n".join(init) + "\n})"
    lines = [*body.imports, ""]
    if insecure:
        lines += [
            "// Skip certificate verification - for every request this process makes:",
            "// fetch has no per-request switch.",
            'process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";',
            "",
        ]
    lines += [
        *body.setup,
        "",
        f"const response = {call};",
        *(
            ["if (!response.ok) {", "  throw new Error(`HTTP ${response.status}`);", "}"]
            if idiomatic
            else []
        ),
        *print_lines("response.status", "await response.text()"),
    ]
    return Snippet(statements(lines), tuple(p.warnings))


# ------------------------------------------------------------------ http


def _render_http(request: Request) -> Snippet:
    p = plan(request, target="node-http", versions=("HTTP/1.1", "HTTP/2"))
    node_common(p, "node-http", ("HTTP/1.1", "HTTP/2"))
    p.headers += added_headers(p, auth=False)
    source = NodeSource()
    body = body_code(p, source)
    headers = header_exprs(p.headers, source.auth(p), source)
    if p.version == "HTTP/2":
        return _render_http2(request, p, body, headers)
    https = request.scheme == "https"
    module = "https" if https else "http"
    imports = [*body.imports, f'import {module} from "node:{module}";']
    setup = list(body.setup)
    if body.multipart:
        # Let the runtime encode the form: it picks the boundary and says it.
        setup += [
            "const encoded = new Response(form);",
            "const body = Buffer.from(await encoded.arrayBuffer());",
        ]
        headers.append(("Content-Type", 'encoded.headers.get("content-type")'))
    elif body.expr is not None and body.expr != "body":
        setup.append(f"const body = {body.expr};")
    if body.expr is not None and "content-length" not in {n.lower() for n, _ in headers}:
        # Without it Node frames only POST, PUT and PATCH bodies (chunked).
        headers.append(("Content-Length", "Buffer.byteLength(body)"))
    agent_opts = ["keepAlive: true"] if p.reuse else []
    if https and not request.options.verify:
        agent_opts.append("rejectUnauthorized: false")
    if agent_opts:
        setup.append(f"const agent = new {module}.Agent({{ {', '.join(agent_opts)} }});")
    has_body = body.expr is not None
    payload = "body" if has_body else ""
    if body.string and any('toString("latin1")' in value for _, value in headers):
        # A Buffer: Node writes a string body in one piece with the head, as
        # UTF-8, which would encode the non-ASCII header value a second time.
        payload = "Buffer.from(body)"
    names = [n.lower() for n, _ in headers]
    opts = [
        f"    hostname: {js(request.host)},",
        f"    port: {request.port},",
        f"    method: {js(p.method)},",
        f"    path: {js(ascii_url(request.target))},",
    ]
    if len(set(names)) == len(names):
        if headers:
            lines = object_literal(headers, "    ")
            opts += [f"    headers: {lines[0]}", *lines[1:-1], lines[-1] + ","]
    else:
        # A name repeats: the flat array form keeps every line, in order and
        # case; with it Node adds no Host or Content-Length of its own.
        flat = list(headers)
        if "host" not in names:
            flat.insert(0, ("Host", js(request.split_url.netloc.rsplit("@", 1)[-1])))
        if "content-length" not in names and p.method.upper() in BODY_METHODS:
            flat.append(("Content-Length", js("0")))
        opts.append("    // [name, value, ...]: every line as written; Node adds no Host then")
        opts.append("    headers: [")
        opts += [f"      {js(n)}, {v}," for n, v in flat]
        opts.append("    ],")
    if agent_opts:
        opts.append("    agent,")
    if request.options.timeout is not None:
        opts.append(f"    timeout: {ms(request.options.timeout)},")
    lines = [
        *imports,
        "",
        *setup,
        "",
        "const response = await new Promise((resolve, reject) => {",
        f"  const request = {module}.request(",
        "    {",
        *["  " + o for o in opts],
        "    },",
        "    resolve,",
        "  );",
        '  request.on("error", reject);',
    ]
    if request.options.timeout is not None:
        lines.append('  request.on("timeout", () => request.destroy(new Error("timed out")));')
    lines += [
        f"  request.end({payload});",
        "});",
        "const chunks = [];",
        "for await (const chunk of response) chunks.push(chunk);",
        *print_lines("response.statusCode", "Buffer.concat(chunks).toString()"),
    ]
    if agent_opts:
        lines.append("agent.destroy();")
    if request.options.follow_redirects:
        p.warn("node-http does not follow redirects; the first response is printed")
    if request.options.compressed:
        p.warn("node-http does not decode compressed responses (node:zlib would)")
    return Snippet(statements(lines), tuple(p.warnings))


def _render_http_idiomatic(request: Request) -> Snippet:
    from reqlab.codegen._nodehttp import http_snippet

    return http_snippet(request) or _render_http(request)


def _render_http2(request: Request, p: Plan, body: Code, headers: list[tuple[str, str]]) -> Snippet:
    imports = [
        *body.imports,
        'import { once } from "node:events";',
        'import http2 from "node:http2";',
    ]
    setup = list(body.setup)
    if body.multipart:
        setup += [
            "const encoded = new Response(form);",
            "const body = Buffer.from(await encoded.arrayBuffer());",
        ]
        headers.append(("Content-Type", 'encoded.headers.get("content-type")'))
    elif body.expr is not None and body.expr != "body":
        setup.append(f"const body = {body.expr};")
    has_body = body.expr is not None
    pseudo = [(":method", js(p.method)), (":path", js(ascii_url(request.target)))]
    fields = pseudo + grouped(headers)
    connect = js(request.origin)
    if not request.options.verify and request.scheme == "https":
        connect += ", { rejectUnauthorized: false }"
    lines = [
        *imports,
        "",
        *setup,
        "",
        "// http:// speaks h2c with prior knowledge; https:// negotiates h2 by ALPN.",
        f"const client = http2.connect({connect});",
        "const request = client.request({",
        *object_literal(fields, "")[1:-1],
        "});",
        f"request.end({'body' if has_body else ''});",
        'const [headers] = await once(request, "response");',
        "const chunks = [];",
        "for await (const chunk of request) chunks.push(chunk);",
        *print_lines('headers[":status"]', "Buffer.concat(chunks).toString()"),
        "client.close();",
    ]
    return Snippet(statements(lines), tuple(p.warnings))


TARGETS = [
    Target(
        "node-fetch",
        "Node.js",
        "built-in fetch",
        _render_fetch,
        "snippet.mjs",
        (
            "no HTTP/1.0 (sent as HTTP/1.1, warned); HTTP/2 with httpVersion: 2 (axios >= 1.13)",
            "Connection, Keep-Alive, Upgrade, Expect, Host are managed by undici",
            "repeated headers are joined into one line",
            "no digest authentication",
        ),
        idiomatic=_render_fetch_idiomatic,
        idiomatic_changes=(
            "redirects followed (fetch's default)",
            "a 30 s AbortSignal.timeout when the request has none",
        ),
    ),
    Target(
        "node-axios",
        "Node.js",
        "axios",
        _axios.render_axios,
        "snippet.mjs",
        (
            "no HTTP/1.0 (sent as HTTP/1.1, warned); HTTP/2 with httpVersion: 2 (axios >= 1.13)",
            "header names differing only in case are merged",
            "no digest authentication",
        ),
        idiomatic=_axios.render_axios_idiomatic,
        idiomatic_changes=(
            "JSON serialised by axios (JSON.stringify: numbers in JavaScript's spelling)",
            "the query re-encoded from params (spaces as +)",
            "redirects followed (axios' default)",
            "a 30 s timeout when the request has none",
        ),
    ),
    Target(
        "node-http",
        "Node.js",
        "core http, https, http2",
        _render_http,
        "snippet.mjs",
        ("no HTTP/1.0", "methods are upper-cased", "no digest authentication"),
        idiomatic=_render_http_idiomatic,
        idiomatic_changes=(
            "JSON written by JSON.stringify (numbers in JavaScript's spelling)",
            "the query and a form re-encoded by URLSearchParams (spaces as +)",
            "Node's global agent instead of a keep-alive agent of the snippet's own",
            "a 30 s timeout when the request has none",
        ),
    ),
]

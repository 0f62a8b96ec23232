"""JavaScript in the browser: fetch, XMLHttpRequest and jQuery.

The browser owns part of every request a page makes, and these snippets say
so instead of pretending otherwise:

* headers scripts may not set (the Fetch standard's forbidden request
  headers: Connection, Keep-Alive, Host, Content-Length, Cookie, ...) are
  left out with a warning saying why; cookies come from the browser's own
  cookie jar (``credentials: "include"`` sends them cross-origin);
* the HTTP version is the browser's choice;
* repeated headers are joined into one line by fetch and XHR alike.

Files cannot be read from disk by a page: an upload's bytes come from an
``<input type="file" id="fileN">`` the snippet names in a comment at its
top (what a front-end developer wires to a form), wrapped in a ``Blob`` so
the part carries the request's content type and file name.  A body without
a Content-Type goes as bytes or an untyped ``Blob``, since a string would
gain ``text/plain;charset=UTF-8``.  Snippets are module code (top-level
``await`` in fetch's case); they print the status and the body with
``console.log``.
"""

from __future__ import annotations

from reqlab.codegen._idiom import timeout_of
from reqlab.codegen._js import (
    BrowserSource,
    Code,
    body_code,
    fetch_init,
    header_exprs,
    js,
    ms,
    object_literal,
    statements,
    warn_cache_headers,
    warn_joined_duplicates,
    warn_method_case,
)
from reqlab.codegen._plan import BROWSER_FORBIDDEN, CONNECTION_HEADERS, Plan, plan
from reqlab.codegen._shared import added_headers, closes_after_downgrade
from reqlab.codegen._target import Snippet, Target
from reqlab.model import VERSIONS, Request

COOKIE_WHY = (
    "the browser sends the cookies of its own cookie jar (set them with document.cookie or "
    'let the server set them; cross-origin requests need credentials: "include")'
)
CONNECTION_WHY = "the browser manages its connections and keeps them alive on its own"
FORBIDDEN_WHY = "browsers forbid scripts to set it; the browser writes its own"
# What Chromium adds to every script request (besides the usual User-Agent,
# Accept, Accept-Encoding): the fidelity harness allows these for browser targets.
BROWSER_ADDS = (
    "Origin",
    "Referer",
    "Accept-Language",
    "Sec-Fetch-Site",
    "Sec-Fetch-Mode",
    "Sec-Fetch-Dest",
    "sec-ch-ua",
    "sec-ch-ua-mobile",
    "sec-ch-ua-platform",
)
_NO_BODY = {"GET", "HEAD"}


def _browser_plan(request: Request, target: str, runtime: str) -> Plan:
    p = plan(request, target=target, versions=VERSIONS)
    if request.version is not None:
        p.warn(f"the browser chooses the HTTP version; {request.version} cannot be requested")
    p.drop(("cookie", "cookie2"), COOKIE_WHY)
    p.drop(CONNECTION_HEADERS, CONNECTION_WHY)
    forbidden = set(BROWSER_FORBIDDEN) | {
        n.lower() for n, _ in p.headers if n.lower().startswith(("proxy-", "sec-"))
    }
    p.drop(forbidden, FORBIDDEN_WHY)
    p.headers += added_headers(p, auth=False)
    if p.body is not None and p.method.upper() in _NO_BODY:
        p.warn(f"{runtime} cannot send a body with {p.method.upper()}; the body is left out")
        p.body = None
    warn_joined_duplicates(p, runtime)
    warn_cache_headers(p, runtime, ("Cache-Control",))
    if "user-agent" in p.header_names():
        p.warn("User-Agent: Chromium-based browsers ignore one set by a script and send their own")
    if closes_after_downgrade(p, None):
        p.warn(
            "a page cannot send Connection: close, so the connection stays open where the "
            "HTTP/1.0 request would close it"
        )
    warn_method_case(p, target)
    if request.options.connect_timeout is not None:
        p.warn(f"{target} has no separate connect timeout")
    if not request.options.verify and request.scheme == "https":
        p.warn("the browser always verifies certificates; a page cannot turn that off")
    return p


def _render_fetch(request: Request) -> Snippet:
    p = _browser_plan(request, "javascript-fetch", "fetch")
    source = BrowserSource()
    body = body_code(p, source)
    headers = header_exprs(p.headers, source.auth(p), source)
    init = fetch_init(p, body, headers, request.options.timeout)
    call = f"await fetch({js(p.url)})"
    if init:
        call = f"await fetch({js(p.url)}, {{\n" + "\n".join(init) + "\n})"
    lines = [
        *source.comment(),
        "",
        *body.setup,
        "",
        f"const response = {call};",
        "console.log(response.status);",
        "console.log(await response.text());",
    ]
    return Snippet(statements(lines), tuple(p.warnings))


def _render_fetch_idiomatic(request: Request) -> Snippet:
    from reqlab.codegen._jsidiom import fetch_snippet

    return fetch_snippet(request, _browser_plan(request, "javascript-fetch", "fetch"))


def _render_xhr_idiomatic(request: Request) -> Snippet:
    from reqlab.codegen._jsidiom import xhr_snippet

    return xhr_snippet(request, _browser_plan(request, "javascript-xhr", "XMLHttpRequest"))


def _xhr_body(p: Plan, source: BrowserSource) -> Code:
    """XHR rewrites the charset parameter of a string body's Content-Type
    (``utf-8`` becomes ``UTF-8``); a Blob body leaves the header as set."""
    charset = "charset=" in (p.content_type or "").lower()
    return body_code(p, source, string_ok=not charset)


def _render_xhr(request: Request) -> Snippet:
    p = _browser_plan(request, "javascript-xhr", "XMLHttpRequest")
    source = BrowserSource()
    body = _xhr_body(p, source)
    lines = [*source.comment(), "", *body.setup, ""]
    lines += ["const xhr = new XMLHttpRequest();", f"xhr.open({js(p.method)}, {js(p.url)});"]
    for name, expr in header_exprs(p.headers, source.auth(p), source):
        lines.append(f"xhr.setRequestHeader({js(name)}, {expr});")
    if request.options.timeout is not None:
        lines.append(f"xhr.timeout = {ms(request.options.timeout)};")
    lines += [
        "xhr.onload = () => {",
        "  console.log(xhr.status);",
        "  console.log(xhr.responseText);",
        "};",
        'xhr.onerror = () => console.error("request failed");',
    ]
    if request.options.timeout is not None:
        lines.append('xhr.ontimeout = () => console.error("request timed out");')
    lines.append(f"xhr.send({body.expr or ''});")
    return Snippet(statements(lines), tuple(p.warnings))


def _render_jquery(request: Request) -> Snippet:
    return _jquery(request, idiomatic=False)


def _render_jquery_idiomatic(request: Request) -> Snippet:
    """$.ajax as jQuery's docs show it: ``data`` as an object (the query of a
    GET, a form's fields), ``JSON.stringify`` for JSON, a ``timeout``, and a
    ``.fail`` that reports the error."""
    return _jquery(request, idiomatic=True)


def _jquery(request: Request, *, idiomatic: bool) -> Snippet:
    p = _browser_plan(request, "javascript-jquery", "jQuery")
    if p.method != p.method.upper():
        warn_method_case(p, "jQuery", every=True)
    # jQuery keeps one value per header name (the last one set), so repeated
    # headers are joined here, as XHR itself would join them.
    joined: dict[str, tuple[str, list[str]]] = {}
    for name, value in p.headers:
        joined.setdefault(name.lower(), (name, []))[1].append(value)
    p.headers = [(name, ", ".join(values)) for name, values in joined.values()]
    source = BrowserSource()
    body = _xhr_body(p, source)
    url, params = js(p.url), list[str]()
    if idiomatic:
        from reqlab.codegen._jsidiom import jquery_data

        body, url, params = jquery_data(request, p, body, url)
    headers = header_exprs(p.headers, source.auth(p), source)
    # jQuery writes Content-Type itself from `contentType`; set there, not twice.
    ctype = next((v for n, v in headers if n.lower() == "content-type"), None)
    headers = [h for h in headers if h[0].lower() != "content-type"]
    opts = [f"  url: {url},"]
    if p.method != "GET":
        opts.append(f"  method: {js(p.method)},")
    if headers:
        lines = object_literal(headers, "  ")
        opts += [f"  headers: {lines[0]}", *lines[1:-1], lines[-1] + ","]
    if params:
        opts.append("  data: params,")
    if body.expr is not None:
        opts.append(f"  data: {body.expr},")
        if not body.string:
            opts.append("  processData: false,")
        # false: no Content-Type from jQuery (multipart: the browser's, with its boundary)
        opts.append(f"  contentType: {ctype if ctype else 'false'},")
    opts.append('  dataType: "text",')
    timeout = timeout_of(request) if idiomatic else request.options.timeout
    if timeout is not None:
        opts.append(f"  timeout: {ms(timeout)},")
    lines = [
        *source.comment(),
        "",
        *body.setup,
        *params,
        "",
        "$.ajax({",
        *opts,
        "})",
        "  .done((data, textStatus, xhr) => {",
        "    console.log(xhr.status);",
        "    console.log(data);",
        "  })",
        *(
            [
                "  .fail((xhr, textStatus, error) => {",
                "    console.error(xhr.status, error);",
                "  });",
            ]
            if idiomatic
            else [
                "  .fail((xhr, textStatus) => {",
                "    console.log(xhr.status);",
                "    console.log(xhr.responseText ?? textStatus);",
                "  });",
            ]
        ),
    ]
    return Snippet(statements(lines), tuple(p.warnings))


_LIMITS = (
    "the browser chooses the HTTP version",
    "forbidden headers (Cookie, Connection, Host, Content-Length, ...) are the browser's",
    "repeated headers are joined into one line",
    "redirects are followed by the browser",
    "no digest authentication",
)

TARGETS = [
    Target(
        "javascript-fetch",
        "JavaScript",
        "browser fetch",
        _render_fetch,
        "snippet.mjs",
        _LIMITS,
        idiomatic=_render_fetch_idiomatic,
        idiomatic_changes=(
            "JSON written by JSON.stringify (numbers in JavaScript's spelling)",
            "the query and a form re-encoded by URLSearchParams (spaces as +)",
            "a 30 s AbortSignal.timeout when the request has none",
        ),
    ),
    Target(
        "javascript-xhr",
        "JavaScript",
        "browser XMLHttpRequest",
        _render_xhr,
        "snippet.mjs",
        _LIMITS,
        idiomatic=_render_xhr_idiomatic,
        idiomatic_changes=(
            "JSON written by JSON.stringify (numbers in JavaScript's spelling)",
            "the query and a form re-encoded by URLSearchParams (spaces as +)",
            "a 30 s xhr.timeout when the request has none",
        ),
    ),
    Target(
        "javascript-jquery",
        "JavaScript",
        "browser jQuery.ajax",
        _render_jquery,
        "snippet.mjs",
        (*_LIMITS, "jQuery adds X-Requested-With: XMLHttpRequest to same-origin requests"),
        idiomatic=_render_jquery_idiomatic,
        idiomatic_changes=(
            "JSON written by JSON.stringify (numbers in JavaScript's spelling)",
            "a GET's query and a form re-encoded by $.param (spaces as +)",
            "a 30 s timeout when the request has none; a 4xx/5xx reported by .fail",
        ),
    ),
]

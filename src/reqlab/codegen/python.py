"""Python targets: requests, httpx, aiohttp, http.client, urllib3.

Every snippet sends the body as the exact bytes reqlab would send (JSON via
``json.dumps(..., separators=(",", ":"))``, not the library's ``json=``,
whose spacing differs), keeps duplicate headers as separate lines, passes
the URL through as written, and reads uploaded files at run time.  This
module holds requests and httpx; aiohttp, http.client and urllib3 live in
``_pyaio`` and ``_pyhttp``.
"""

from __future__ import annotations

from reqlab.codegen import _pyaio, _pyhttp, _pyidiom
from reqlab.codegen._plan import Plan, plan
from reqlab.codegen._pybody import finish, multipart_list, open_files
from reqlab.codegen._pysrc import (
    Expr,
    Source,
    ascii_basic,
    call,
    content_type_for,
    headers_for,
    headers_literal,
    json_payload,
    lit,
    mapping,
    method_call,
    pairs,
    raw_bytes,
    s,
    speak_http10,
    split_duplicates,
)
from reqlab.codegen._target import Snippet, Target
from reqlab.codegen._wire import grouped_fields, wire_url
from reqlab.model import FormBody, JsonBody, MultipartBody, Request
from reqlab.protocol.keepalive import message_persists


# ----------------------------------------------------------------- requests
def render_requests(request: Request) -> Snippet:
    p = plan(request, target="python-requests", versions=("HTTP/1.0", "HTTP/1.1"))
    src = Source(["import requests"])
    http10 = p.version == "HTTP/1.0"
    if http10:
        speak_http10(src)
    src.add(f"url = {s(wire_url(p.url))}", "")
    basic = ascii_basic(p)
    headers = headers_for(p, native_auth=basic is not None, http10=http10)
    if http10 and not message_persists("HTTP/1.0", p.headers):
        # requests adds "Connection: keep-alive", which would keep an HTTP/1.0
        # connection open; None removes a default header.
        headers.append(("Connection", Expr("None")))
    kwargs: list[str] = []
    opened: list[tuple[str, str]] = []
    body = p.body
    if isinstance(body, JsonBody):
        src.add(f"data = {json_payload(src, p)}.encode()", "")
        kwargs.append("data=data")
        headers += content_type_for(p)
    elif isinstance(body, FormBody):
        grouped = grouped_fields(body.fields)
        form = mapping(list(grouped.items())) if grouped is not None else pairs(body.fields)
        src.add(f"form = {form}", "")
        kwargs.append("data=form")
    elif isinstance(body, MultipartBody):
        kwargs.append("files=files")
    elif body is not None:
        kwargs.append(f"data={raw_bytes(src, p)}")
    first, extra = split_duplicates(headers)
    if first:
        src.add(f"headers = {mapping(first)}", "")
        kwargs.insert(0, "headers=headers")
    if basic:
        kwargs.append(f"auth=({s(basic[0])}, {s(basic[1])})")
    options = _requests_options(p)
    lines = []
    if isinstance(body, MultipartBody):
        lines.append(f"files = {multipart_list(src, body, opened)}")
    contexts = open_files(src, opened)
    if extra:
        src.need("from urllib3 import HTTPHeaderDict")
        lines += call("request = ", "requests.Request", [s(p.method), "url", *kwargs])
        lines.append("prepared = session.prepare_request(request)")
        lines += [
            "# requests keeps one value per header name; urllib3's HTTPHeaderDict",
            "# sends every line, so the repeated headers stay separate.",
            "prepared.headers = HTTPHeaderDict(prepared.headers)",
            *[f"prepared.headers.add({s(n)}, {lit(v)})" for n, v in extra],
            *call("response = ", "session.send", ["prepared", *options]),
        ]
    else:
        name, args = method_call(p.method, body is not None, ["url", *kwargs, *options])
        obj = "session" if p.reuse else "requests"
        lines += call("response = ", f"{obj}.{name}", args)
    if p.reuse or extra:
        contexts.append("requests.Session() as session")
    out = ["print(response.status_code, response.reason)", "print(response.text)"]
    finish(src, contexts, lines, out)
    return Snippet(src.render(), tuple(p.warnings))


def _requests_options(p: Plan) -> list[str]:
    o = p.request.options
    args = []
    if o.connect_timeout:
        args.append(f"timeout=({o.connect_timeout!r}, {o.timeout!r})")
    elif o.timeout:
        args.append(f"timeout={o.timeout!r}")
    # requests follows redirects (except for HEAD); the request says whether to.
    if o.follow_redirects != (p.method != "HEAD"):
        args.append(f"allow_redirects={o.follow_redirects}")
    if not o.verify:
        args.append("verify=False")
    return args


def idiomatic_requests(request: Request) -> Snippet:
    return _pyidiom.requests_snippet(request) or render_requests(request)


# -------------------------------------------------------------------- httpx
def render_httpx(request: Request) -> Snippet:
    p = plan(request, target="python-httpx", versions=("HTTP/1.1", "HTTP/2"))
    src = Source(["import httpx"])
    src.add(f"url = {s(wire_url(p.url))}", "")
    basic = ascii_basic(p)
    headers = headers_for(p, native_auth=basic is not None)
    kwargs: list[str] = []
    opened: list[tuple[str, str]] = []
    body = p.body
    lines: list[str] = []
    if isinstance(body, JsonBody):
        src.add(f"data = {json_payload(src, p)}", "")
        kwargs.append("content=data")
        headers += content_type_for(p)
    elif isinstance(body, FormBody):
        grouped = grouped_fields(body.fields)
        if grouped is not None:
            src.add(f"form = {mapping(list(grouped.items()))}", "")
            kwargs.append("data=form")
        else:  # httpx takes a dict; repeats spread apart are sent as written
            src.need("from urllib.parse import urlencode")
            src.add(f"form = {pairs(body.fields)}", "")
            kwargs.append("content=urlencode(form)")
            headers += content_type_for(p)
    elif isinstance(body, MultipartBody):
        lines.append(f"files = {multipart_list(src, body, opened)}")
        kwargs.append("files=files")
    elif body is not None:
        kwargs.append(f"content={raw_bytes(src, p)}")
    if headers:
        src.add(f"headers = {headers_literal(headers)}", "")
        kwargs.insert(0, "headers=headers")
    if basic:
        kwargs.append(f"auth=({s(basic[0])}, {s(basic[1])})")
    o = p.request.options
    client_args = []
    if p.version == "HTTP/2":
        # Over https ALPN picks h2; over plain http, h2c needs prior knowledge.
        client_args += (
            ["http2=True"] if p.request.scheme == "https" else ["http1=False", "http2=True"]
        )
    if o.timeout or o.connect_timeout:
        client_args.append(f"timeout=httpx.Timeout({o.timeout!r}, connect={o.connect_timeout!r})")
    if o.follow_redirects:
        client_args.append("follow_redirects=True")
    if not o.verify:
        client_args.append("verify=False")
    contexts = open_files(src, opened)
    name, args = method_call(p.method, body is not None, ["url", *kwargs])
    if p.reuse or client_args:
        contexts.append(f"httpx.Client({', '.join(client_args)}) as client")
        lines += call("response = ", f"client.{name}", args)
    else:
        lines += call("response = ", f"httpx.{name}", args)
    out = ["print(response.status_code, response.reason_phrase)", "print(response.text)"]
    finish(src, contexts, lines, out)
    return Snippet(src.render(), tuple(p.warnings))


def idiomatic_httpx(request: Request) -> Snippet:
    return _pyidiom.httpx_snippet(request) or render_httpx(request)


TARGETS = [
    Target(
        "python-requests",
        "Python",
        "requests",
        render_requests,
        "main.py",
        (
            "no HTTP/2 (sent as HTTP/1.1, warned)",
            "HTTP/1.0 through http.client's _http_vsn_str, set process-wide",
        ),
        idiomatic=idiomatic_requests,
        idiomatic_changes=(
            "JSON written by json= (spaces after , and :, non-ASCII as \\u escapes)",
            "the query re-encoded from params= pairs",
            "redirects followed (requests' default)",
            "a 30 s timeout when the request has none",
        ),
    ),
    Target(
        "python-httpx",
        "Python",
        "httpx",
        render_httpx,
        "main.py",
        ("no HTTP/1.0 (sent as HTTP/1.1, warned)", "HTTP/2 needs the httpx[http2] extra"),
        idiomatic=idiomatic_httpx,
        idiomatic_changes=(
            "JSON written by json= (httpx's own spacing and escapes)",
            "the query re-encoded from params= pairs",
            "a 30 s timeout when the request has none",
        ),
    ),
    *_pyaio.TARGETS,
    *_pyhttp.TARGETS,
]

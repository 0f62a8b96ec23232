"""python-requests and python-httpx in the idiomatic style: what a Python developer writes.

One call without a ``Session`` (requests' quickstart), the query in
``params=``, JSON through ``json=``, a ``timeout=`` (requests' advice:
"nearly all production code should use this"), ``raise_for_status()``, and
redirects left to requests' default (it follows them).  On the wire it
differs from the exact style only in meaning-preserving ways: requests
writes JSON with ``", "`` and ``": "`` separators and ``\\u`` escapes, and
encodes the query pairs itself.  A request that needs the exact style's
machinery (HTTP/1.0, a header name repeated) returns None, and the caller
writes the exact snippet, which is what a developer would need there too.
"""

from __future__ import annotations

from reqlab.codegen._idiom import is_json_default_type, split_query, timeout_of
from reqlab.codegen._plan import Plan, plan
from reqlab.codegen._pybody import finish, multipart_list, open_files
from reqlab.codegen._pysrc import (
    Source,
    ascii_basic,
    call,
    headers_for,
    headers_literal,
    mapping,
    method_call,
    pairs,
    py_value,
    raw_bytes,
    s,
    split_duplicates,
)
from reqlab.codegen._target import Snippet
from reqlab.codegen._wire import grouped_fields, wire_url
from reqlab.model import FormBody, JsonBody, MultipartBody, Request


def requests_snippet(request: Request) -> Snippet | None:
    p = plan(request, target="python-requests", versions=("HTTP/1.0", "HTTP/1.1"))
    basic = ascii_basic(p)
    headers = headers_for(p, native_auth=basic is not None)
    if p.version == "HTTP/1.0" or split_duplicates(headers)[1]:
        return None
    return _snippet(p, "requests", headers, basic)


def httpx_snippet(request: Request) -> Snippet | None:
    """httpx as its quickstart shows it: the same shape as requests, with
    ``content=`` for raw bytes and redirects off unless the request follows them."""
    p = plan(request, target="python-httpx", versions=("HTTP/1.1", "HTTP/2"))
    basic = ascii_basic(p)
    headers = headers_for(p, native_auth=basic is not None)
    form = p.body.fields if isinstance(p.body, FormBody) else ()
    if p.version == "HTTP/2" or grouped_fields(form) is None:
        return None  # an HTTP/2 client, or repeats spread apart: the exact style's code
    return _snippet(p, "httpx", headers, basic)


def _snippet(
    p: Plan, library: str, headers: list[tuple[str, str]], basic: tuple[str, str] | None
) -> Snippet | None:
    if isinstance(p.body, JsonBody) and p.body.value is None:
        return None  # json=None means "no body" to both libraries: the exact style sends null
    request = p.request
    src = Source([f"import {library}"])
    url, query = split_query(request)
    src.add(f"url = {s(url)}")
    kwargs: list[str] = []
    if query:
        src.add(f"params = {params_literal(query)}")
        kwargs.append("params=params")
    if isinstance(p.body, JsonBody) and is_json_default_type(p.content_type):
        # json= sets "Content-Type: application/json" itself.
        headers = [h for h in headers if h[0].lower() != "content-type"]
    if headers:
        src.add(f"headers = {headers_literal(headers)}")
        kwargs.append("headers=headers")
    opened: list[tuple[str, str]] = []
    lines: list[str] = []
    body = p.body
    if isinstance(body, JsonBody):
        src.add(f"payload = {py_value(body.value)}")
        kwargs.append("json=payload")
    elif isinstance(body, FormBody):
        grouped = grouped_fields(body.fields)
        form = mapping(list(grouped.items())) if grouped is not None else pairs(body.fields)
        src.add(f"form = {form}")
        kwargs.append("data=form")
    elif isinstance(body, MultipartBody):
        lines.append(f"files = {multipart_list(src, body, opened)}")
        kwargs.append("files=files")
    elif body is not None:
        raw = "content" if library == "httpx" else "data"
        kwargs.append(f"{raw}={raw_bytes(src, p)}")
    src.lines = [line for line in src.lines if line] + [""]
    if basic:
        kwargs.append(f"auth=({s(basic[0])}, {s(basic[1])})")
    options = _options(p) if library == "requests" else _httpx_options(p)
    name, args = method_call(p.method, body is not None, ["url", *kwargs, *options])
    contexts = open_files(src, opened)
    lines += call("response = ", f"{library}.{name}", args)
    lines.append("response.raise_for_status()")
    finish(src, contexts, lines, ["print(response.status_code)", "print(response.text)"])
    return Snippet(src.render(), tuple(p.warnings))


def _httpx_options(p: Plan) -> list[str]:
    o = p.request.options
    timeout = timeout_of(p.request)
    args = [f"timeout=httpx.Timeout({timeout!r}, connect={o.connect_timeout!r})"]
    if not o.connect_timeout:
        args = [f"timeout={timeout!r}"]
    if o.follow_redirects:
        args.append("follow_redirects=True")  # httpx does not follow by default
    if not o.verify:
        args.append("verify=False")
    return args


def params_literal(query: list[tuple[str, str]]) -> str:
    """A dict (lists for repeated names) when that keeps the order, else pairs."""
    grouped = grouped_fields(query)
    return mapping(list(grouped.items())) if grouped is not None else pairs(query)


def _options(p: Plan) -> list[str]:
    o = p.request.options
    if o.connect_timeout:
        args = [f"timeout=({o.connect_timeout!r}, {timeout_of(p.request)!r})"]
    else:
        args = [f"timeout={timeout_of(p.request)!r}"]
    if p.method == "HEAD" and o.follow_redirects:
        args.append("allow_redirects=True")  # requests' one method that does not follow
    if not o.verify:
        args.append("verify=False")
    return args


def urllib3_snippet(request: Request) -> Snippet | None:
    """urllib3 2 as its user guide shows it: ``urllib3.request(method, url,
    fields=, json=, headers=, timeout=)`` - ``fields`` become a GET's query -
    and the status checked (urllib3 follows redirects itself)."""
    from reqlab.codegen._pyhttp import _auth_headers

    p = plan(request, target="python-urllib3", versions=("HTTP/1.0", "HTTP/1.1"))
    body = p.body
    if p.version == "HTTP/1.0" or isinstance(body, MultipartBody):
        return None  # the exact style's version switch and multipart encoder
    if isinstance(body, JsonBody) and body.value is None:
        return None  # json=None means "no body"
    src = Source(["import urllib3"])
    headers = _auth_headers(src, p, headers_for(p, native_auth=True))
    if split_duplicates(headers)[1]:
        return None  # a repeated name needs the exact style's HTTPHeaderDict
    url, query = split_query(request)
    kwargs: list[str] = []
    if query and body is None and p.method in ("GET", "HEAD", "DELETE", "OPTIONS"):
        names = [n for n, _ in query]
        # urlencode() without doseq: a repeated name goes as pairs, not a list.
        literal = mapping(list(query)) if len(set(names)) == len(names) else pairs(query)
        src.add(f"url = {s(url)}", f"fields = {literal}")
        kwargs.append("fields=fields")
    else:
        src.add(f"url = {s(wire_url(request.url))}")
    if isinstance(body, JsonBody):
        if is_json_default_type(p.content_type):
            headers = [h for h in headers if h[0].lower() != "content-type"]
        src.add(f"payload = {py_value(body.value)}")
        kwargs.append("json=payload")
    elif body is not None:  # a form through urlencode(), as urllib3's guide shows it
        from reqlab.codegen._pyhttp import _body

        _body(src, p, headers, form_api=True)
        kwargs.append("body=body")
    if headers:
        src.add(f"headers = {headers_literal(headers)}")
        kwargs.insert(0, "headers=headers")
    o = request.options
    if o.connect_timeout:
        kwargs.append(
            f"timeout=urllib3.Timeout(connect={o.connect_timeout!r}, read={timeout_of(request)!r})"
        )
    else:
        kwargs.append(f"timeout={float(timeout_of(request))!r}")
    src.lines = [line for line in src.lines if line] + [""]
    if o.verify:
        lines = call("response = ", "urllib3.request", [s(p.method), "url", *kwargs])
    else:
        src.add('http = urllib3.PoolManager(cert_reqs="CERT_NONE")')
        lines = call("response = ", "http.request", [s(p.method), "url", *kwargs])
    src.add(
        *lines,
        "if response.status >= 400:",
        '    raise urllib3.exceptions.HTTPError(f"HTTP {response.status}")',
        "",
        "print(response.status)",
        'print(response.data.decode("utf-8", "replace"))',
    )
    return Snippet(src.render(), tuple(p.warnings))

"""python-aiohttp in the idiomatic style: what aiohttp's *Client Quickstart* shows.

One ``ClientSession`` with a ``ClientTimeout`` in ``async with``, the
response in ``async with`` (one statement, ruff's SIM117), the query in
``params=``, JSON through ``json=``, ``raise_for_status()``, redirects left
to aiohttp (it follows them).  A plain ASCII URL is passed as a string; one
with escapes or characters yarl would re-quote keeps
``yarl.URL(..., encoded=True)`` so its path goes out as written.  A request
that needs the exact style's machinery - HTTP/1.0, a connection that must
close - returns None, and the caller writes the exact snippet.
"""

from __future__ import annotations

import re

from reqlab.codegen._idiom import is_json_default_type, split_query, timeout_of
from reqlab.codegen._plan import plan
from reqlab.codegen._pyaio import other_body, same_spelling, session_and_send
from reqlab.codegen._pysrc import (
    Source,
    ascii_basic,
    call,
    headers_for,
    headers_literal,
    indent,
    mapping,
    pairs,
    py_value,
    s,
)
from reqlab.codegen._target import Snippet
from reqlab.model import JsonBody, Request

# What yarl leaves alone in a URL: no escapes for it to normalise, nothing to quote.
_PLAIN_URL = re.compile(r"[A-Za-z0-9\-._~:/@!$&'()*,;=]*")


def aiohttp_snippet(request: Request) -> Snippet | None:
    p = plan(request, target="python-aiohttp", versions=("HTTP/1.0", "HTTP/1.1"))
    if p.version == "HTTP/1.0" or not p.reuse:
        return None  # a version or a closing connection: the exact style's session options
    body = p.body
    if isinstance(body, JsonBody) and body.value is None:
        return None  # json=None means "no body": the exact style sends null
    src = Source(["import asyncio", "import aiohttp"])
    basic = ascii_basic(p)
    headers = headers_for(p, native_auth=basic is not None, utf8_bytes=False)
    values = Source()  # lines inside main() that define the query and the body
    url, query = split_query(request)
    params: list[str] = []
    if query:
        names = [n for n, _ in query]
        literal = mapping(list(query)) if len(set(names)) == len(names) else pairs(query)
        params = [f"params = {literal}"]
    kwargs: list[str] = []
    if isinstance(body, JsonBody):
        if is_json_default_type(p.content_type):
            # json= sets "Content-Type: application/json" itself.
            headers = [h for h in headers if h[0].lower() != "content-type"]
        values.add(f"payload = {py_value(body.value)}")
        kwargs.append("json=payload")
    else:
        other_body(values, p, kwargs)
    headers = same_spelling(headers)
    if headers:
        kwargs.insert(0, "headers=headers")
    if params:
        kwargs.insert(0, "params=params")
    if basic:
        kwargs.append(f"auth=aiohttp.BasicAuth({s(basic[0])}, {s(basic[1])})")
    if not request.options.verify:
        kwargs.append("ssl=False")
    head = session_and_send(p, "aiohttp.ClientSession(timeout=timeout)", kwargs)
    lines = [
        *_url_lines(src, url),
        *params,
        *([f"headers = {headers_literal(headers)}"] if headers else []),
        *[line for line in values.lines if line],
        *_timeout(request),
        "",
        *head,
        *indent(
            [
                "response.raise_for_status()",
                "print(response.status)",
                "print(await response.text())",
            ]
        ),
    ]
    src.need(*values.imports)
    src.add("", "async def main() -> None:", *indent(lines), "", "", "asyncio.run(main())")
    return Snippet(src.render(), tuple(p.warnings))


def _url_lines(src: Source, url: str) -> list[str]:
    if _PLAIN_URL.fullmatch(url.split("://", 1)[-1]):
        return [f"url = {s(url)}"]
    src.need("import yarl")
    return [
        "# encoded=True: the URL's escapes go out as written (yarl would re-quote them).",
        f"url = yarl.URL({s(url)}, encoded=True)",
    ]


def _timeout(request: Request) -> list[str]:
    args = [f"total={timeout_of(request)!r}"]
    if request.options.connect_timeout:
        args.append(f"connect={request.options.connect_timeout!r}")
    return call("timeout = ", "aiohttp.ClientTimeout", args, indent="")

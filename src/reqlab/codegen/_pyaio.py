"""python-aiohttp: an ``async def main()`` run by ``asyncio.run``.

aiohttp re-quotes URLs through yarl unless told they are already encoded,
adds a Content-Type to any body unless it is skipped, and can speak
HTTP/1.0 (``ClientSession(version=...)``); the snippet uses all three so the
request goes out as modelled.
"""

from __future__ import annotations

from reqlab.codegen._plan import Plan, plan
from reqlab.codegen._pysrc import (
    Source,
    ascii_basic,
    call,
    content_type_for,
    file_bytes,
    file_var,
    headers_for,
    headers_literal,
    indent,
    json_payload,
    mapping,
    method_call,
    pairs,
    raw_bytes,
    s,
    with_block,
)
from reqlab.codegen._target import Snippet, Target
from reqlab.codegen._wire import grouped_fields, wire_url
from reqlab.model import (
    BytesBody,
    FormBody,
    JsonBody,
    MultipartBody,
    MultipartFile,
    Request,
    TextBody,
)
from reqlab.protocol.keepalive import message_persists


def render_aiohttp(request: Request) -> Snippet:
    p = plan(request, target="python-aiohttp", versions=("HTTP/1.0", "HTTP/1.1"))
    src = Source(["import asyncio", "import aiohttp", "import yarl"])
    basic = ascii_basic(p)
    # aiohttp writes header text as UTF-8 itself.
    headers = headers_for(p, native_auth=basic is not None, http10=True, utf8_bytes=False)
    values = Source()  # lines that define the body, inside main()
    kwargs: list[str] = []
    body = p.body
    if isinstance(body, JsonBody):
        values.add(f"body = {json_payload(values, p)}", "")
        kwargs.append("data=body")
        headers += content_type_for(p)
    else:
        other_body(values, p, kwargs)
    headers = same_spelling(headers)
    if headers:
        kwargs.insert(0, "headers=headers")
    if basic:
        kwargs.append(f"auth=aiohttp.BasicAuth({s(basic[0])}, {s(basic[1])})")
    o = p.request.options
    if not o.follow_redirects:
        kwargs.append("allow_redirects=False")
    if not o.verify:
        kwargs.append("ssl=False")
    session_args = []
    if p.version == "HTTP/1.0":
        session_args.append("version=aiohttp.HttpVersion10")
    http10_close = p.version == "HTTP/1.0" and not message_persists("HTTP/1.0", p.headers)
    if not p.reuse or http10_close:
        # Without force_close aiohttp asks an HTTP/1.0 server to keep the connection.
        session_args.append("connector=aiohttp.TCPConnector(force_close=True)")
    if o.timeout or o.connect_timeout:
        session_args.append(
            f"timeout=aiohttp.ClientTimeout(total={o.timeout!r}, connect={o.connect_timeout!r})"
        )
    head = session_and_send(p, f"aiohttp.ClientSession({', '.join(session_args)})", kwargs)
    exchange = [
        *head,
        *indent(["print(response.status, response.reason)", "print(await response.text())"]),
    ]
    src.need(*values.imports)
    lines = [
        "# encoded=True: send the URL exactly as written (yarl would re-quote it).",
        f"url = yarl.URL({s(wire_url(p.url))}, encoded=True)",
        "",
        *([f"headers = {headers_literal(headers)}", ""] if headers else []),
        *values.lines,
        *exchange,
    ]
    src.add("", "async def main() -> None:", *indent(lines), "", "", "asyncio.run(main())")
    return Snippet(src.render(), tuple(p.warnings))


def other_body(values: Source, p: Plan, kwargs: list[str]) -> None:
    """``data=`` for a form, a multipart or a raw body (JSON is each style's
    own); aiohttp's own Content-Type skipped where the request has none."""
    body = p.body
    if isinstance(body, FormBody):
        grouped = grouped_fields(body.fields)
        form = mapping(list(grouped.items())) if grouped is not None else pairs(body.fields)
        values.add(f"form = {form}", "")
        kwargs.append("data=form")
    elif isinstance(body, MultipartBody):
        multipart_form(values, body)
        kwargs.append("data=form")
    elif body is not None:
        kwargs.append(f"data={raw_bytes(values, p)}")
    raw = body is None or isinstance(body, TextBody | BytesBody)
    if raw and p.content_type is None and p.method not in ("GET", "HEAD", "OPTIONS", "TRACE"):
        # aiohttp would add a Content-Type of its own; the request has none.
        kwargs.append('skip_auto_headers=["Content-Type"]')


def session_and_send(p: Plan, session: str, kwargs: list[str]) -> list[str]:
    """``async with <session> as session, session.<method>(...) as response:``,
    one statement for both contexts (ruff SIM117), split when too long."""
    name, args = method_call(p.method, p.body is not None, ["url", *kwargs])
    opened = f"{session} as session"
    send = f"session.{name}({', '.join(args)}) as response"
    one = f"async with {opened}, {send}:"
    head = [one] if len(one) <= 88 else with_block([opened, send])
    head[0] = head[0] if head[0].startswith("async") else "async " + head[0]
    return head


def same_spelling(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Repeats of a header spelled as its first occurrence: aiohttp merges a
    repeat whose case differs into one line (header case carries no meaning)."""
    first: dict[str, str] = {}
    return [(first.setdefault(n.lower(), n), v) for n, v in headers]


def multipart_form(values: Source, body: MultipartBody) -> None:
    """The FormData lines, files read before them."""
    taken: set[str] = set()
    # quote_fields=False: names and filenames as written, not percent-encoded.
    lines = ["form = aiohttp.FormData(quote_fields=False, default_to_multipart=True)"]
    for part in body.parts:
        if isinstance(part, MultipartFile):
            var = file_var(part, taken)
            # Read whole: open() inside a coroutine blocks the loop (ruff ASYNC230).
            values.add(f"{var} = {file_bytes(values, part)}", "")
            args = [s(part.name), var, f"filename={s(part.filename)}"]
            if part.content_type:
                args.append(f"content_type={s(part.content_type)}")
            lines += call("", "form.add_field", args)
        else:
            lines += call("", "form.add_field", [s(part.name), s(part.value)])
    values.add(*lines, "")


def idiomatic_aiohttp(request: Request) -> Snippet:
    from reqlab.codegen._pyaioidiom import aiohttp_snippet  # it builds on this module

    return aiohttp_snippet(request) or render_aiohttp(request)


TARGETS = [
    Target(
        "python-aiohttp",
        "Python",
        "aiohttp",
        render_aiohttp,
        "main.py",
        ("no HTTP/2 (sent as HTTP/1.1, warned)",),
        idiomatic=idiomatic_aiohttp,
        idiomatic_changes=(
            "JSON written by json= (json.dumps' spacing, non-ASCII as \\u escapes)",
            "the query re-encoded from params= pairs",
            "a URL that is plain ASCII goes through yarl's quoting",
            "redirects followed (aiohttp's default)",
            "a 30 s ClientTimeout when the request has none",
        ),
    )
]

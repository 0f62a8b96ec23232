"""Python targets: requests, httpx, aiohttp, http.client, urllib3.

Every snippet sends the body as the exact bytes reqlab would send (JSON via
``json.dumps(..., separators=(",", ":"))``, not the library's ``json=``,
whose spacing differs), keeps duplicate headers as separate lines, passes
the URL through as written, and reads uploaded files at run time.
"""

from __future__ import annotations

from reqlab.codegen import _pyhttp
from reqlab.codegen._plan import Plan, plan
from reqlab.codegen._pysrc import (
    Source,
    content_type_for,
    file_source,
    file_var,
    json_payload,
    mapping,
    pairs,
    raw_bytes,
    s,
)
from reqlab.codegen._shared import closes_after_downgrade
from reqlab.codegen._target import Snippet, Target
from reqlab.codegen._wire import grouped_fields, wire_url
from reqlab.model import FormBody, JsonBody, MultipartBody, MultipartFile, Request

SIMPLE = {"GET", "HEAD", "OPTIONS", "DELETE"}  # helpers without a body argument
WITH_BODY = {"POST", "PUT", "PATCH"}


def method_call(obj: str, method: str, has_body: bool, args: list[str]) -> str:
    """``obj.get(url, ...)`` for standard methods, ``obj.request("M", url, ...)`` otherwise."""
    if method in WITH_BODY or (method in SIMPLE and not has_body):
        return f"{obj}.{method.lower()}({', '.join(args)})"
    return f"{obj}.request({', '.join([s(method), *args])})"


def headers_for(p: Plan, native_auth: bool) -> list[tuple[str, str]]:
    """Headers the snippet sets itself: the plan's, auth (unless the library
    does it), and the Content-Type of a body sent as raw bytes."""
    headers = list(p.headers)
    if closes_after_downgrade(p, None):
        # HTTP/1.0 closes by default; sent as HTTP/1.1 it must say so.
        headers.append(("Connection", "close"))
    if (
        p.auth_value
        and not native_auth
        and not any(n.lower() == "authorization" for n, _ in headers)
    ):
        headers.append(("Authorization", p.auth_value))
    return headers


def ascii_basic(p: Plan) -> tuple[str, str] | None:
    """(user, password) when the library's basic auth helper sends the same
    bytes as reqlab (they encode latin-1; reqlab UTF-8: equal for ASCII)."""
    from reqlab.model import BasicAuth

    auth = p.request.auth
    if isinstance(auth, BasicAuth) and (auth.username + auth.password).isascii():
        return auth.username, auth.password
    return None


def _multipart_list(
    src: Source, body: MultipartBody, opened: list[tuple[str, str]], indent: str
) -> str:
    """requests/httpx ``files=`` list: text fields as (None, value) keep their place."""
    taken: set[str] = set()
    items = []
    for part in body.parts:
        if isinstance(part, MultipartFile):
            var = file_var(part, taken)
            opened.append((var, file_source(src, part)))
            spec = f"{s(part.filename)}, {var}"
            if part.content_type:
                spec += f", {s(part.content_type)}"
            items.append(f"{indent}    ({s(part.name)}, ({spec})),")
        else:
            items.append(f"{indent}    ({s(part.name)}, (None, {s(part.value)})),")
    return "[\n" + "\n".join(items) + f"\n{indent}]"


# ----------------------------------------------------------------- requests
def render_requests(request: Request) -> Snippet:
    p = plan(request, target="python-requests")
    src = Source()
    src.need("import requests")
    src.add(f"url = {s(wire_url(p.url))}")
    basic = ascii_basic(p)
    headers = headers_for(p, native_auth=basic is not None)
    args = ["url"]
    opened: list[tuple[str, str]] = []
    body = p.body
    body_arg = None
    if isinstance(body, JsonBody):
        body_arg = f"data={json_payload(src, p)}.encode()"
        headers += content_type_for(p)
    elif isinstance(body, FormBody):
        grouped = grouped_fields(body.fields)
        form = mapping(list(grouped.items())) if grouped is not None else pairs(body.fields)
        src.add(f"form = {form}", "")
        body_arg = "data=form"
    elif isinstance(body, MultipartBody):
        body_arg = "files=files"
    elif body is not None:
        body_arg = f"data={raw_bytes(src, p)}"
    first, extra = _split_duplicates(headers)
    if headers:
        src.add(f"headers = {mapping(first)}", "")
        args.append("headers=headers")
    if body_arg:
        args.append(body_arg)
    if basic:
        args.append(f"auth=({s(basic[0])}, {s(basic[1])})")
    args += _requests_options(p)
    indent = "    " if (p.reuse or extra or isinstance(body, MultipartBody)) else ""
    call_lines = []
    if isinstance(body, MultipartBody):
        call_lines.append(f"{indent}files = {_multipart_list(src, body, opened, indent)}")
    if extra:
        src.need("from urllib3 import HTTPHeaderDict")
        kwargs = [a for a in args[1:] if a.startswith(("headers=", "data=", "files=", "auth="))]
        send_args = [a for a in args[1:] if a not in kwargs]
        call_lines += [
            f"{indent}prepared = session.prepare_request(",
            f"{indent}    requests.Request({', '.join([s(p.method), 'url', *kwargs])})",
            f"{indent})",
            f"{indent}# requests keeps one value per header name; urllib3's HTTPHeaderDict",
            f"{indent}# sends every line, so the repeated headers stay separate.",
            f"{indent}prepared.headers = HTTPHeaderDict(prepared.headers)",
        ]
        call_lines += [f"{indent}prepared.headers.add({s(n)}, {s(v)})" for n, v in extra]
        call_lines.append(f"{indent}response = session.send({', '.join(['prepared', *send_args])})")
    else:
        obj = "session" if indent else "requests"
        call_lines.append(
            f"{indent}response = {method_call(obj, p.method, body is not None, args)}"
        )
    contexts = [f"{expr} as {var}" for var, expr in opened if expr.startswith("open(")]
    for var, expr in opened:
        if not expr.startswith("open("):
            src.add(f"{var} = {expr}")
    if indent:
        contexts.append("requests.Session() as session")
        src.add(*_with(contexts), *call_lines, "")
    else:
        src.add(*call_lines, "")
    src.add("print(response.status_code, response.reason)", "print(response.text)")
    return Snippet(src.render(), tuple(p.warnings))


def _with(contexts: list[str]) -> list[str]:
    if len(contexts) == 1:
        return [f"with {contexts[0]}:"]
    return ["with (", *[f"    {c}," for c in contexts], "):"]


def _split_duplicates(headers: list[tuple[str, str]]) -> tuple[list, list]:
    """First value of each name (for a dict) and the repeats after it."""
    seen: set[str] = set()
    first, extra = [], []
    for name, value in headers:
        (extra if name.lower() in seen else first).append((name, value))
        seen.add(name.lower())
    return first, extra


def _requests_options(p: Plan) -> list[str]:
    o = p.request.options
    args = []
    if o.timeout or o.connect_timeout:
        args.append(
            f"timeout=({o.connect_timeout!r}, {o.timeout!r})"
            if o.connect_timeout
            else f"timeout={o.timeout!r}"
        )
    # requests follows redirects (except for HEAD); the request says whether to.
    if o.follow_redirects != (p.method != "HEAD"):
        args.append(f"allow_redirects={o.follow_redirects}")
    if not o.verify:
        args.append("verify=False")
    return args


TARGETS = [
    Target(
        "python-requests",
        "Python",
        "requests",
        render_requests,
        "main.py",
        ("HTTP/1.1 only (no HTTP/1.0, no HTTP/2)", "no digest auth helper in reqlab's output"),
    ),
    *_pyhttp.TARGETS,
]

"""python-http-client (the standard library's http.client) and python-urllib3.

http.client writes exactly what it is told: the request line from
``putrequest`` (its version from ``_http_vsn_str``, the documented-by-use
way to speak HTTP/1.0), each ``putheader`` in order, then the body.  It is
the one Python target that sends the seed page's HTTP/1.0 keep-alive request
as written.  Multipart has no stdlib encoder, so the snippet carries a
ten-line one.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from reqlab.codegen._plan import Plan, plan
from reqlab.codegen._pysrc import (
    Expr,
    Source,
    basic_auth_expr,
    call,
    content_type_for,
    file_bytes,
    file_var,
    headers_for,
    json_payload,
    mapping,
    pairs,
    raw_bytes,
    s,
    speak_http10,
    split_duplicates,
    utf8,
)
from reqlab.codegen._target import Snippet, Target
from reqlab.codegen._wire import wire_url
from reqlab.model import BasicAuth, FormBody, JsonBody, MultipartBody, MultipartFile, Request

MULTIPART_HELPER = '''\
def multipart(parts, boundary):
    """multipart/form-data: parts are (name, filename or None, content type, bytes)."""
    out = []
    for name, filename, content_type, data in parts:
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            disposition += '; filename="{}"'.format(filename.replace('"', "%22"))
        out.append(f"--{boundary}\\r\\nContent-Disposition: {disposition}\\r\\n".encode())
        if content_type:
            out.append(f"Content-Type: {content_type}\\r\\n".encode())
        out += [b"\\r\\n", data, b"\\r\\n"]
    out.append(f"--{boundary}--\\r\\n".encode())
    return b"".join(out)
'''


def _auth_headers(src: Source, p: Plan, headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Basic auth spelled as a header computed at run time (credentials readable)."""
    auth = p.request.auth
    if isinstance(auth, BasicAuth) and "authorization" not in p.header_names():
        src.need("import base64")
        return [*headers, ("Authorization", basic_auth_expr(auth.username, auth.password))]
    if p.auth_value and "authorization" not in p.header_names():
        return [*headers, ("Authorization", p.auth_value)]
    return headers


def _multipart_body(src: Source, body: MultipartBody) -> None:
    """Define ``boundary`` and ``body`` (bytes) with the helper above."""
    src.need("import uuid")
    taken: set[str] = set()
    rows = []
    for part in body.parts:
        if isinstance(part, MultipartFile):
            data = file_bytes(src, part)
            file_var(part, taken)
            ctype = s(part.content_type or "application/octet-stream")
            rows.append(f"    ({s(part.name)}, {s(part.filename)}, {ctype}, {data}),")
        else:
            rows.append(f"    ({s(part.name)}, None, None, {utf8(part.value)}),")
    src.add("", MULTIPART_HELPER, "")
    src.add("parts = [", *rows, "]")
    src.add("boundary = uuid.uuid4().hex", "body = multipart(parts, boundary)", "")


# --------------------------------------------------------------- http.client
def render_http_client(request: Request) -> Snippet:
    p = plan(request, target="python-http-client", versions=("HTTP/1.0", "HTTP/1.1"))
    src = Source(["import http.client"])
    headers = _auth_headers(src, p, headers_for(p, native_auth=True, http10=True))
    has_body = _body(src, p, headers, form_api=False)
    if isinstance(p.body, MultipartBody) and "content-type" not in p.header_names():
        headers.append(("Content-Type", Expr('f"multipart/form-data; boundary={boundary}"')))
    framed = any(n.lower() in ("content-length", "transfer-encoding") for n, _ in headers)
    if (has_body or p.method in ("POST", "PUT", "PATCH")) and not framed:
        headers.append(("Content-Length", Expr("str(len(body))" if has_body else '"0"')))
    parts = urlsplit(wire_url(p.url))
    target = parts.path or "/"
    if parts.query or wire_url(p.url).endswith("?"):
        target += "?" + parts.query
    o = p.request.options
    https = parts.scheme == "https"
    conn_args = [s(parts.hostname or ""), str(parts.port or (443 if https else 80))]
    if o.timeout:
        conn_args.append(f"timeout={o.timeout!r}")
    if https:
        src.need("import ssl")
        ctx = "ssl.create_default_context()" if o.verify else "ssl._create_unverified_context()"
        conn_args.append(f"context={ctx}")
    conn_class = "HTTPSConnection" if https else "HTTPConnection"
    src.add(*call("conn = ", f"http.client.{conn_class}", conn_args))
    if p.version == "HTTP/1.0":
        src.add(
            "# http.client has no public switch for the version; these two attributes",
            "# are what it writes on the request line.",
            "conn._http_vsn = 10",
            'conn._http_vsn_str = "HTTP/1.0"',
        )
    # skip_accept_encoding: http.client would add "Accept-Encoding: identity".
    put = [s(p.method), s(target), "skip_accept_encoding=True"]
    if any(n.lower() == "host" for n, _ in headers):
        put.append("skip_host=True")
    src.add(f"conn.putrequest({', '.join(put)})")
    for name, value in headers:
        value_lit = str(value) if isinstance(value, Expr) else _header_value(value)
        src.add(f"conn.putheader({s(name)}, {value_lit})")
    src.add("conn.endheaders(body)" if has_body else "conn.endheaders()", "")
    src.add(
        "response = conn.getresponse()",
        "print(response.status, response.reason)",
        'print(response.read().decode("utf-8", "replace"))',
        "conn.close()",
    )
    if o.follow_redirects:
        p.warn("http.client does not follow redirects; the snippet prints the first response")
    return Snippet(src.render(), tuple(p.warnings))


def _header_value(value: str) -> str:
    # putheader encodes str as latin-1; other text goes as UTF-8 bytes.
    return s(value) if value.isascii() else utf8(value)


def _body(src: Source, p: Plan, headers: list[tuple[str, str]], *, form_api: bool) -> bool:
    """Define ``body`` (bytes) for http.client / urllib3; add its Content-Type."""
    body = p.body
    if body is None:
        return False
    if isinstance(body, JsonBody):
        src.add(f"body = {json_payload(src, p)}.encode()", "")
    elif isinstance(body, FormBody):
        src.need("from urllib.parse import urlencode")
        src.add(f"form = {pairs(body.fields)}", "body = urlencode(form).encode()", "")
    elif isinstance(body, MultipartBody):
        _multipart_body(src, body)
        return True
    else:
        expr = raw_bytes(src, p)
        if expr != "body":
            src.lines[-2] = src.lines[-2].replace(f"{expr} = ", "body = ", 1)
    headers += content_type_for(p)
    return True


# ------------------------------------------------------------------ urllib3
def render_urllib3(request: Request) -> Snippet:
    p = plan(request, target="python-urllib3", versions=("HTTP/1.0", "HTTP/1.1"))
    src = Source(["import urllib3"])
    http10 = p.version == "HTTP/1.0"
    if http10:
        speak_http10(src)
    src.add(f"url = {s(wire_url(p.url))}", "")
    headers = _auth_headers(src, p, headers_for(p, native_auth=True, http10=http10))
    kwargs = []
    if isinstance(p.body, MultipartBody):
        fields = _urllib3_fields(src, p.body)
        src.add(f"fields = {fields}", "")
        src.add(
            "# The library writes the Content-Type with its own boundary.",
            "body, content_type = urllib3.encode_multipart_formdata(fields)",
            "",
        )
        if "content-type" not in p.header_names():
            headers.append(("Content-Type", Expr("content_type")))
        kwargs.append("body=body")
    elif _body(src, p, headers, form_api=True):
        kwargs.append("body=body")
    if headers:
        _, extra = split_duplicates(headers)
        if extra:
            src.add(
                "# HTTPHeaderDict keeps repeated headers as separate lines.",
                f"headers = urllib3.HTTPHeaderDict({pairs(headers)})",
                "",
            )
        else:
            src.add(f"headers = {mapping(headers)}", "")
        kwargs.insert(0, "headers=headers")
    o = p.request.options
    if o.timeout or o.connect_timeout:
        kwargs.append(f"timeout=urllib3.Timeout(connect={o.connect_timeout!r}, read={o.timeout!r})")
    if not o.follow_redirects:
        kwargs.append("redirect=False")
    pool_args = [] if o.verify else ['cert_reqs="CERT_NONE"']
    if p.reuse or pool_args:
        src.add(f"http = urllib3.PoolManager({', '.join(pool_args)})")
        src.add(*call("response = ", "http.request", [s(p.method), "url", *kwargs]), "")
    else:
        src.add(*call("response = ", "urllib3.request", [s(p.method), "url", *kwargs]), "")
    src.add(
        "print(response.status, response.reason)",
        'print(response.data.decode("utf-8", "replace"))',
    )
    return Snippet(src.render(), tuple(p.warnings))


def _idiomatic_urllib3(request: Request) -> Snippet:
    from reqlab.codegen._pyidiom import urllib3_snippet

    return urllib3_snippet(request) or render_urllib3(request)


def _urllib3_fields(src: Source, body: MultipartBody) -> str:
    rows = []
    for part in body.parts:
        if isinstance(part, MultipartFile):
            data = file_bytes(src, part)
            spec = f"{s(part.filename)}, {data}"
            if part.content_type:
                spec += f", {s(part.content_type)}"
            rows.append(f"    ({s(part.name)}, ({spec})),")
        else:
            rows.append(f"    ({s(part.name)}, {s(part.value)}),")
    return "[\n" + "\n".join(rows) + "\n]"


TARGETS = [
    Target(
        "python-http-client",
        "Python",
        "http.client (standard library)",
        render_http_client,
        "main.py",
        ("no HTTP/2 (sent as HTTP/1.1, warned)", "no redirects followed"),
    ),
    Target(
        "python-urllib3",
        "Python",
        "urllib3",
        render_urllib3,
        "main.py",
        (
            "no HTTP/2 (sent as HTTP/1.1, warned)",
            "HTTP/1.0 through http.client's _http_vsn_str, set process-wide",
        ),
        idiomatic=_idiomatic_urllib3,
        idiomatic_changes=(
            "a GET's query re-encoded from fields= (spaces as +)",
            "JSON written by json= (urllib3's compact spelling)",
            "redirects followed (urllib3's default); a 30 s timeout when the request has none",
        ),
    ),
]

"""ruby-nethttp in the idiomatic style: what Net::HTTP's documentation shows.

``uri = URI(...)`` with the query from ``URI.encode_www_form``, the request
object built from the URI, ``JSON.generate`` for JSON, ``set_form_data``
for a form, ``Net::HTTP.start(uri.hostname, uri.port, ...)`` with a block
and timeouts, and ``response.value``, which raises unless the response is a
2xx.  Header names go out as Net::HTTP capitalizes them (case carries no
meaning).  A request that needs the exact style's machinery - HTTP/1.0, a
header name repeated (Net::HTTP would join the lines), a URL the URI parser
might not take as written, a string Ruby cannot hold - returns None.
"""

from __future__ import annotations

import re
from typing import Any

from reqlab.codegen._escape import ruby_str
from reqlab.codegen._idiom import split_query, timeout_of
from reqlab.codegen._plan import plan
from reqlab.codegen._shared import added_headers, effective_version, settle_connection
from reqlab.codegen._target import Snippet
from reqlab.model import BasicAuth, BearerAuth, FormBody, JsonBody, MultipartBody, Request

_PLAIN_URL = re.compile(r"[A-Za-z0-9\-._~:/?@!$&'()*+,;=%]*")


def ruby_snippet(request: Request) -> Snippet | None:
    from reqlab.codegen.ruby import _CLASSES, _EMPTY_BODY, VERSIONS, _body_lines

    p = plan(request, target="ruby-nethttp", versions=VERSIONS)
    effective = effective_version(p, VERSIONS)
    settle_connection(p, effective)
    bearer = isinstance(request.auth, BearerAuth)
    headers = p.headers + added_headers(p, auth=bearer)
    names = [n.lower() for n, _ in headers]
    url, query = split_query(request)
    body = p.body
    value = _rb_value(body.value) if isinstance(body, JsonBody) else None
    if (
        p.version == "HTTP/1.0"
        or effective == "HTTP/1.0"
        or len(set(names)) != len(names)
        or not _PLAIN_URL.fullmatch(url.split("://", 1)[-1])
        or (isinstance(body, JsonBody) and value is None)
    ):
        return None
    requires = {"net/http"}
    lines = [f"uri = URI({ruby_str(url)})"]
    if query:
        rows = [f"  [{ruby_str(n)}, {ruby_str(v)}]," for n, v in query]
        lines += ["uri.query = URI.encode_www_form([", *rows, "])"]
    klass = _CLASSES.get(p.method)
    if klass:
        lines.append(f"request = Net::HTTP::{klass}.new(uri)")
    else:
        resbody = "false" if p.method.upper() == "HEAD" else "true"
        has = "true" if body is not None else "false"
        lines.append(
            f"request = Net::HTTPGenericRequest.new({ruby_str(p.method)}, {has}, {resbody}, uri)"
        )
    ctype = next((v for n, v in headers if n.lower() == "content-type"), "")
    form_type = ctype.strip().lower() == "application/x-www-form-urlencoded"
    after: list[str] = []
    for name, v in headers:
        line = f"request[{ruby_str(name)}] = {ruby_str(v)}"
        if isinstance(body, FormBody) and name.lower() == "content-type":
            if not form_type:
                after.append(line)  # set_form_data writes the form type: set this one after it
            continue
        lines.append(line)
    if isinstance(request.auth, BasicAuth) and "authorization" not in p.header_names():
        auth = request.auth
        lines.append(f"request.basic_auth({ruby_str(auth.username)}, {ruby_str(auth.password)})")
    if isinstance(body, JsonBody):
        requires.add("json")
        lines.append(f"request.body = JSON.generate({value})")
    elif isinstance(body, FormBody):
        rows = [f"  [{ruby_str(n)}, {ruby_str(v)}]," for n, v in body.fields]
        lines += ["request.set_form_data([", *rows, "])", *after]
    else:
        body_lines, more = _body_lines(p)
        requires |= more
        lines += body_lines
    multipart = isinstance(body, MultipartBody)
    sends_body = body is not None or p.method in _EMPTY_BODY
    if sends_body and not multipart and "content-type" not in names:
        lines += [
            "# The request has no Content-Type: keep Net::HTTP from inventing a form one.",
            "def request.supply_default_content_type; end",
        ]
    o = request.options
    start = ["uri.hostname", "uri.port"]
    if request.scheme == "https":
        start.append("use_ssl: true")
        if not o.verify:
            start.append("verify_mode: OpenSSL::SSL::VERIFY_NONE")
    start.append(f"open_timeout: {_number(o.connect_timeout or timeout_of(request))}")
    start.append(f"read_timeout: {_number(timeout_of(request))}")
    if o.follow_redirects:
        p.warn("Net::HTTP does not follow redirects; the first response is printed")
    lines += [
        "",
        f"response = Net::HTTP.start({', '.join(start)}) do |http|",
        "  http.request(request)",
        "end",
        "response.value # raises unless the response is a 2xx",
        "puts response.code",
        "puts response.body",
    ]
    head = [f"require '{r}'" for r in sorted(requires)]
    return Snippet("\n".join([*head, "", *lines]) + "\n", tuple(p.warnings))


def _rb_value(value: Any, indent: str = "") -> str | None:
    """A JSON value as a Ruby literal, or None for a string Ruby's UTF-8
    strings cannot hold (a lone surrogate)."""
    inner = indent + "  "
    if isinstance(value, dict):
        items = [(_rb_value(k), _rb_value(v, inner)) for k, v in value.items()]
        if any(k is None or v is None for k, v in items):
            return None
        body = "\n".join(f"{inner}{k} => {v}," for k, v in items)
        return "{\n" + body + f"\n{indent}}}" if items else "{}"
    if isinstance(value, list):
        values = [_rb_value(v, inner) for v in value]
        if any(v is None for v in values):
            return None
        flat = ", ".join(str(v) for v in values)
        if len(flat) <= 60 and "\n" not in flat:
            return f"[{flat}]"
        return "[\n" + "\n".join(f"{inner}{v}," for v in values) + f"\n{indent}]"
    if isinstance(value, str):
        if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
            return None
        return ruby_str(value)
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)  # int (Ruby's are unbounded) or float (repr round-trips)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))

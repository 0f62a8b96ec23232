"""Ruby: Net::HTTP from the standard library (ruby-nethttp).

Idioms: ``Net::HTTP.start`` with a block (one persistent connection for
everything inside it), a request object per method class
(``Net::HTTP::Post``; ``Net::HTTPGenericRequest`` for custom methods),
``set_form(..., 'multipart/form-data')`` with ``File.open`` for uploads.

Net::HTTP writes every header name capitalized (``X-Mixed-Case``) and joins
repeated headers into one line, and it invents
``Content-Type: application/x-www-form-urlencoded`` for a body without one.
When a request would suffer from any of that, the snippet lists its headers
in ``HEADERS`` and overrides the request's ``each_capitalized`` (what
``write_header`` iterates) to write them exactly as listed - case, order,
every duplicate - followed by the headers Net::HTTP adds itself.
Strings are :func:`_escape.ruby_str` literals: single-quoted, so ``#{}``
is never interpolated.  Net::HTTP speaks HTTP/1.1 only.
"""

from __future__ import annotations

from reqlab.codegen._escape import ruby_str
from reqlab.codegen._plan import Plan, plan
from reqlab.codegen._shared import (
    added_headers,
    ascii_url,
    b64,
    body_text,
    closes_after_downgrade,
    effective_version,
    settle_connection,
)
from reqlab.codegen._target import Snippet, Target
from reqlab.model import BasicAuth, BearerAuth, BytesBody, MultipartBody, MultipartFile, Request

VERSIONS = ("HTTP/1.0", "HTTP/1.1")
# Net::HTTP's request classes, by method (Net::HTTP::Get, ...).
_CLASSES = {
    m: m.capitalize()
    for m in [
        "GET",
        "HEAD",
        "POST",
        "PUT",
        "PATCH",
        "DELETE",
        "OPTIONS",
        "TRACE",
        "PROPFIND",
        "PROPPATCH",
        "MKCOL",
        "COPY",
        "MOVE",
        "LOCK",
        "UNLOCK",
    ]
}
_BODYLESS_RESPONSE = {"HEAD"}


# The request classes whose REQUEST_HAS_BODY is true: Net::HTTP gives them an
# empty body (and so a form Content-Type) even when there is none.
_EMPTY_BODY = {"POST", "PUT", "PATCH", "PROPFIND", "PROPPATCH", "MKCOL", "LOCK", "UNLOCK"}


def _capitalized(name: str) -> str:
    """How Net::HTTP writes a header name."""
    return "-".join(part.capitalize() for part in name.split("-"))


def _needs_exact(headers: list[tuple[str, str]]) -> bool:
    names = [n.lower() for n, _ in headers]
    return len(names) != len(set(names)) or any(_capitalized(n) != n for n, _ in headers)


def _request_line(p: Plan, path: str, has_body: bool) -> str:
    klass = _CLASSES.get(p.method)
    if klass:
        return f"request = Net::HTTP::{klass}.new({path})"
    response_body = "false" if p.method.upper() in _BODYLESS_RESPONSE else "true"
    has = "true" if has_body else "false"
    return f"request = Net::HTTPGenericRequest.new({ruby_str(p.method)}, {has}, {response_body}, {path})"


def _body_lines(p: Plan) -> tuple[list[str], set[str]]:
    body = p.body
    requires: set[str] = set()
    if body is None:
        return [], requires
    text = body_text(p)
    if text is not None:
        return [f"request.body = {ruby_str(text)}"], requires
    if isinstance(body, BytesBody):
        if body.data is not None:
            requires.add("base64")
            return [f"request.body = Base64.strict_decode64({ruby_str(b64(body.data))})"], requires
        return [f"request.body = File.binread({ruby_str(body.path or '')})"], requires
    assert isinstance(body, MultipartBody)
    rows = []
    for part in body.parts:
        if isinstance(part, MultipartFile):
            if part.data is not None:
                requires |= {"base64", "stringio"}
                source = f"StringIO.new(Base64.strict_decode64({ruby_str(b64(part.data))}))"
            else:
                source = f"File.open({ruby_str(part.path or '')}, 'rb')"
            ctype = ruby_str(part.content_type or "application/octet-stream")
            opts = f"{{ filename: {ruby_str(part.filename)}, content_type: {ctype} }}"
            rows.append(f"    [{ruby_str(part.name)}, {source}, {opts}],")
        else:
            rows.append(f"    [{ruby_str(part.name)}, {ruby_str(part.value)}],")
    lines = ["request.set_form(", "  [", *rows, "  ],", "  'multipart/form-data'", ")"]
    return lines, requires


def _render(request: Request) -> Snippet:
    p = plan(request, target="ruby-nethttp", versions=VERSIONS)
    effective = effective_version(p, VERSIONS)
    settle_connection(p, effective)
    if closes_after_downgrade(p, effective):
        # Sent as HTTP/1.1, the exchange must still end the connection as 1.0's would.
        p.headers.append(("Connection", "close"))
    bearer = isinstance(request.auth, BearerAuth)
    headers = p.headers + added_headers(p, auth=bearer)
    multipart = isinstance(p.body, MultipartBody)
    sends_body = p.body is not None or p.method in _EMPTY_BODY
    # The type reqlab adds (JSON, form) counts: only a body sent without one needs the guard.
    no_type = sends_body and not multipart and all(n.lower() != "content-type" for n, _ in headers)
    exact = _needs_exact(headers)
    path = ruby_str(ascii_url(request.target))
    body_lines, requires = _body_lines(p)
    lines = ["require 'net/http'", *(f"require '{r}'" for r in sorted(requires)), ""]
    if exact:
        lines += ["HEADERS = ["]
        lines += [f"  [{ruby_str(n)}, {ruby_str(v)}]," for n, v in headers]
        lines += ["].freeze", ""]
    lines.append(_request_line(p, path, p.body is not None))
    if exact:
        lines += [
            "HEADERS.each { |name, value| request.add_field(name, value) }",
            "# Net::HTTP capitalizes header names and joins repeated ones into one line:",
            "# write these exactly as listed, then the ones Net::HTTP adds itself (Host,",
            "# Content-Length, ...).",
            "def request.each_capitalized",
            "  HEADERS.each { |name, value| yield name, value }",
            "  given = HEADERS.map { |name, _| name.downcase }",
            "  super { |name, value| yield name, value unless given.include?(name.downcase) }",
            "end",
        ]
    else:
        lines += [f"request[{ruby_str(n)}] = {ruby_str(v)}" for n, v in headers]
    if isinstance(request.auth, BasicAuth) and "authorization" not in p.header_names():
        auth = request.auth
        lines.append(f"request.basic_auth({ruby_str(auth.username)}, {ruby_str(auth.password)})")
    lines += body_lines
    if no_type:
        lines += [
            "# The request has no Content-Type: keep Net::HTTP from inventing a form one.",
            "def request.supply_default_content_type; end",
        ]
    o = request.options
    start = [ruby_str(request.host), str(request.port)]
    if request.scheme == "https":
        start.append("use_ssl: true")
        if not o.verify:
            start.append("verify_mode: OpenSSL::SSL::VERIFY_NONE")
    if o.connect_timeout is not None:
        start.append(f"open_timeout: {o.connect_timeout}")
    if o.timeout is not None:
        start += [f"read_timeout: {o.timeout}", f"write_timeout: {o.timeout}"]
    if o.follow_redirects:
        p.warn("Net::HTTP does not follow redirects; the first response is printed")
    lines += [
        "",
        *(
            ["# The block keeps one connection open for every request made in it."]
            if p.reuse
            else []
        ),
        f"response = Net::HTTP.start({', '.join(start)}) do |http|",
        *(
            [
                "  # Net::HTTP has no version option: it writes this on the request line",
                "  # (and then takes the version of each response).",
                "  http.instance_variable_set(:@curr_http_version, '1.0')",
            ]
            if p.version == "HTTP/1.0"
            else []
        ),
        "  http.request(request)",
        "end",
        "puts response.code",
        "puts response.body",
    ]
    return Snippet("\n".join(lines) + "\n", tuple(p.warnings))


def _render_idiomatic(request: Request) -> Snippet:
    from reqlab.codegen._rubyidiom import ruby_snippet

    return ruby_snippet(request) or _render(request)


TARGETS = [
    Target(
        "ruby-nethttp",
        "Ruby",
        "Net::HTTP",
        _render,
        "snippet.rb",
        (
            "no HTTP/2 (sent as HTTP/1.1, warned)",
            "HTTP/1.0 through Net::HTTP's @curr_http_version",
            "no digest authentication",
            "redirects are not followed",
        ),
        idiomatic=_render_idiomatic,
        idiomatic_changes=(
            "header names capitalized by Net::HTTP (x-id -> X-Id)",
            "JSON written by JSON.generate (Ruby's spelling of floats, e.g. 1.0e-07)",
            "the query re-encoded by URI.encode_www_form and a form by set_form_data (spaces as +)",
            "30 s open and read timeouts when the request has none",
        ),
    )
]

"""Shell targets: curl, GNU wget, HTTPie, and PowerShell's Invoke-WebRequest.

shell-curl is reqlab's curl writer (:mod:`reqlab.formats.curl_write`) fed
the planned request (HTTP/2 connection headers dropped, the URL spelled for
the wire), plus what a runnable snippet needs: ``-i`` to print the status,
a temporary file for a body too large for one argument.  wget and HTTPie have no exact multipart encoder for every
case, so their scripts build that body themselves (boundary and file bytes
at run time).
"""

from __future__ import annotations

from dataclasses import replace

from reqlab.body import auth_header, default_content_type
from reqlab.codegen._plan import Plan, plan
from reqlab.codegen._powershell import TARGET as POWERSHELL
from reqlab.codegen._shared import body_text, closes_after_downgrade, text_of
from reqlab.codegen._shsrc import (
    basename_matches,
    command,
    inline_to_file,
    multipart_to_file,
    q,
    script,
)
from reqlab.codegen._target import Snippet, Target
from reqlab.codegen._wire import redundant_host, wire_url
from reqlab.model import (
    BasicAuth,
    BearerAuth,
    BytesBody,
    FormBody,
    JsonBody,
    MultipartBody,
    MultipartFile,
    Part,
    Request,
)


def planned_request(request: Request, p: Plan) -> Request:
    """The request with the plan's decisions applied (URL spelled for the wire)."""
    headers = tuple(h for h in p.headers if not redundant_host(request, h))
    return replace(request, url=wire_url(request.url), headers=headers)


def _default_type(p: Plan) -> list[tuple[str, str]]:
    if p.content_type is None and isinstance(p.body, JsonBody):
        return [("Content-Type", "application/json")]
    if p.content_type is None and isinstance(p.body, FormBody):
        return [("Content-Type", "application/x-www-form-urlencoded")]
    return []


# --------------------------------------------------------------------- curl
def curl_plan(request: Request) -> Plan:
    """What shell-curl can say, in both styles: every version curl names
    (HTTP/3 needs a curl built with it) and digest through ``--digest``."""
    return plan(
        request,
        target="shell-curl",
        versions=("HTTP/1.0", "HTTP/1.1", "HTTP/2", "HTTP/3"),
        digest=True,
    )


def render_curl(request: Request) -> Snippet:
    from reqlab.formats.curl_write import bash_quote, write_curl

    p = curl_plan(request)
    planned = planned_request(request, p)
    setup: list[str] = []
    size = inline_size(planned)
    if size > ARG_LIMIT:
        planned = _body_via_file(planned, setup)
    ctype_word = None
    if mixed_multipart(planned.body):
        planned, ctype_word = _multipart_via_file(planned, setup)
    written = write_curl(planned)
    code = written.text.rstrip("\n")
    if ctype_word:
        code = code.replace(bash_quote(f"Content-Type: {_BOUNDARY_MARK}"), ctype_word)
    extra = []
    if size > 1024 * 1024 and not planned.has_header("expect"):
        extra.append("-H 'Expect:'")  # curl would wait for a 100 Continue on a large body
    if "--head" not in code:
        extra.append("-i")  # print the status line and headers too
    if extra:
        code += "".join(f" \\\n  {e}" for e in extra)
    warnings = [*p.warnings, *(w for w in written.warnings if "reuse connections" not in w)]
    if setup:
        return Snippet(script(setup, code.replace("@/dev/stdin", '@"$body"')), tuple(warnings))
    return Snippet(code + "\n", tuple(warnings))


def idiomatic_curl(request: Request) -> Snippet:
    from reqlab.codegen._curlidiom import curl_snippet  # it builds on this module

    return curl_snippet(request) or render_curl(request)


# One shell argument may not exceed 128 KiB (Linux MAX_ARG_STRLEN): a larger
# inline body goes through a temporary file the script writes.
ARG_LIMIT = 64 * 1024


def inline_size(request: Request) -> int:
    body = request.body
    if isinstance(body, BytesBody):
        return len(body.data) if body.data is not None else 0
    text = text_of(body)
    return len(text.encode()) if text is not None else 0


def _body_via_file(request: Request, setup: list[str]) -> Request:
    """The request with its inline body moved to ``$body`` (written by the script)."""
    body = request.body
    data = body.data if isinstance(body, BytesBody) and body.data is not None else None
    if data is None:
        data = (text_of(body) or "").encode()
    inline_to_file(setup, data)
    headers = list(request.headers)
    ctype = default_content_type(body) if body is not None else None
    if ctype and not request.has_header("content-type"):
        headers.append(("Content-Type", ctype))
    # The curl writer spells a file body "@path"; the path is the script's "$body".
    return replace(request, headers=tuple(headers), body=BytesBody(path="/dev/stdin"))


_BOUNDARY_MARK = "multipart/form-data; boundary=BOUNDARY-MADE-BY-THE-SCRIPT"


def mixed_multipart(body: object) -> bool:
    """Multipart with both inline file contents and files on disk: curl -F
    reads only files, and encoding the body now would need the files now."""
    if not isinstance(body, MultipartBody):
        return False
    files = [p for p in body.parts if isinstance(p, MultipartFile)]
    return any(f.data is not None for f in files) and any(f.path is not None for f in files)


def _multipart_via_file(request: Request, setup: list[str]) -> tuple[Request, str]:
    """The request with its multipart body built into ``$body`` when the
    script runs (files read from disk then); the Content-Type word to use."""
    assert isinstance(request.body, MultipartBody)
    _, ctype_word = multipart_to_file(setup, request.body)
    headers = [h for h in request.headers if h[0].lower() != "content-type"]
    headers.append(("Content-Type", _BOUNDARY_MARK))
    return replace(request, headers=tuple(headers), body=BytesBody(path="/dev/stdin")), ctype_word


# --------------------------------------------------------------------- wget
def render_wget(request: Request) -> Snippet:
    p = plan(request, target="shell-wget")
    units = ["wget --quiet --server-response --output-document=-"]
    setup: list[str] = []
    if p.method != "GET" or p.body is not None:
        units.append(f"--method={q(p.method)}")
    headers = list(planned_request(request, p).headers) + _default_type(p)
    if closes_after_downgrade(p, None) or not p.reuse:
        headers = [h for h in headers if h[0].lower() != "connection"]
        units.append("--no-http-keep-alive")
    seen: set[str] = set()
    again: set[str] = set()  # names (as written) whose name, in any case, came before
    for n, _ in headers:
        if n.lower() in seen:
            again.add(n)
        seen.add(n.lower())
    repeated = sorted(again)
    if repeated:
        p.warn(
            f"{', '.join(repeated)}: wget sends one line per header name (the last given); "
            "the repeated values are not sent"
        )
    body = p.body
    ctype_word = None
    if isinstance(body, MultipartBody):
        path, ctype_word = multipart_to_file(setup, body)
        headers = [h for h in headers if h[0].lower() != "content-type"]
        units.append(f"--header={ctype_word}")
        units.append(f"--body-file={path}")
    elif isinstance(body, BytesBody):
        path = q(body.path) if body.path is not None else inline_to_file(setup, body.data or b"")
        units.append(f"--body-file={path}")
    elif body is not None:
        text = body_text(p) or ""
        if "\0" in text or len(text) > ARG_LIMIT:
            units.append(f"--body-file={inline_to_file(setup, text.encode())}")
        else:
            units.append(f"--body-data={q(text)}")
    if body is not None and p.content_type is None and not _default_type(p) and not ctype_word:
        p.warn("Content-Type: wget adds application/x-www-form-urlencoded to any body without one")
    for name, value in headers:
        units.append(f"--header={q(f'{name}: {value}')}")
    auth = request.auth
    if isinstance(auth, BasicAuth) and "authorization" not in p.header_names():
        # Without --auth-no-challenge wget waits for a 401 before sending credentials.
        units += [
            "--auth-no-challenge",
            f"--user={q(auth.username)}",
            f"--password={q(auth.password)}",
        ]
    elif isinstance(auth, BearerAuth) and "authorization" not in p.header_names():
        units.append(f"--header={q('Authorization: ' + (auth_header(request) or ''))}")
    units += _wget_options(p)
    units.append(q(wire_url(p.url)))
    return Snippet(script(setup, command(units)), tuple(p.warnings))


def _wget_options(p: Plan) -> list[str]:
    o = p.request.options
    out = []
    if not o.follow_redirects:
        out.append("--max-redirect=0")
    elif o.max_redirects != 20:
        out.append(f"--max-redirect={o.max_redirects}")
    if o.timeout or o.connect_timeout:
        out.append(f"--timeout={o.timeout or o.connect_timeout:g}")
    if not o.verify:
        out.append("--no-check-certificate")
    return out


# ------------------------------------------------------------------- httpie
def render_httpie(request: Request) -> Snippet:
    p = plan(request, target="shell-httpie")
    setup: list[str] = []
    stdin = ""
    flags = ["--print=hb"]  # the response's status line, headers and body
    items: list[str] = []
    headers = list(planned_request(request, p).headers) + _default_type(p)
    if closes_after_downgrade(p, None):
        headers.append(("Connection", "close"))
    body = p.body
    if isinstance(body, MultipartBody) and basename_matches(body):
        flags.append("--multipart")
        headers = [h for h in headers if h[0].lower() != "content-type"]
        items += [_multipart_item(part) for part in body.parts]
    elif isinstance(body, MultipartBody):
        path, ctype_word = multipart_to_file(setup, body)
        headers = [h for h in headers if h[0].lower() != "content-type"]
        items.append(ctype_word[0] + "Content-Type:" + ctype_word[len('"Content-Type: ') :])
        stdin = f"< {path}"
    elif isinstance(body, BytesBody):
        path = q(body.path) if body.path is not None else inline_to_file(setup, body.data or b"")
        stdin = f"< {path}"
    elif body is not None:
        text = body_text(p) or ""
        if "\0" in text or len(text) > ARG_LIMIT:
            stdin = f"< {inline_to_file(setup, text.encode())}"
        else:
            flags.append(f"--raw={q(text)}")
    untyped = p.content_type is None and not _default_type(p)
    if body is not None and untyped and not isinstance(body, MultipartBody):
        headers.append(("Content-Type", ""))  # an empty value removes HTTPie's default
    items = [_header_item(n, v) for n, v in headers] + items
    auth = request.auth
    if isinstance(auth, BasicAuth) and "authorization" not in p.header_names():
        flags.append(f"--auth={q(auth.username + ':' + auth.password)}")
    elif isinstance(auth, BearerAuth) and "authorization" not in p.header_names():
        flags += ["--auth-type=bearer", f"--auth={q(auth.token)}"]
    o = request.options
    if o.follow_redirects:
        flags.append("--follow")
    if o.timeout:
        flags.append(f"--timeout={o.timeout:g}")
    if not o.verify:
        flags.append("--verify=no")
    if not stdin:
        flags.insert(0, "--ignore-stdin")
    units = ["http " + flags[0], *flags[1:], f"{p.method} {q(wire_url(p.url))}", *items]
    if stdin:
        units.append(stdin)
    return Snippet(script(setup, command(units)), tuple(p.warnings))


def _header_item(name: str, value: str) -> str:
    if name.lower() == "content-type" and value == "":
        return q(f"{name}:")
    if value == "":
        return q(f"{name};")  # HTTPie's spelling of a header with an empty value
    # A leading '=' or '@' would turn "Name:=v" into another kind of item.
    return q(f"{name}:{chr(92) if value[0] in '=@' else ''}{value}")


def _multipart_item(part: Part) -> str:
    from reqlab.model import MultipartFile

    if isinstance(part, MultipartFile):
        spec = f"{part.name}@{part.path}"
        if part.content_type:
            spec += f";type={part.content_type}"
        return q(spec)
    return q(f"{part.name}={part.value}")


TARGETS = [
    Target(
        "shell-curl",
        "Shell",
        "curl",
        render_curl,
        "snippet.sh",
        ("cannot disable connection reuse within one command (irrelevant for one request)",),
        idiomatic=idiomatic_curl,
        idiomatic_changes=(
            "a query without a body sent through -G --data-urlencode (each pair re-encoded)",
            "a form sent as --data-urlencode fields (spaces as %20)",
            "--json for an application/json body (adds Accept: application/json)",
            "--fail-with-body: a 4xx/5xx exits 22; a 30 s --max-time when the request has none",
        ),
    ),
    Target(
        "shell-wget",
        "Shell",
        "GNU wget",
        render_wget,
        "snippet.sh",
        (
            "HTTP/1.1 only",
            "one line per header name (repeated headers are not sent)",
            "always sends a Content-Type with a body",
        ),
    ),
    Target(
        "shell-httpie",
        "Shell",
        "HTTPie",
        render_httpie,
        "snippet.sh",
        ("HTTP/1.1 only",),
    ),
    POWERSHELL,
]

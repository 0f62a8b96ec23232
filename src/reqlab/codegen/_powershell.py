"""powershell-invokewebrequest: PowerShell 7's Invoke-WebRequest.

PowerShell cannot be installed from the registries this project uses, so
these snippets are checked against reviewed golden files, never run (the
matrix says "not executed").  What the cmdlet cannot express is warned:
repeated headers (its -Headers is a dictionary), a multipart file's own
Content-Type or a name differing from the file's (-Form uploads files as
application/octet-stream under their own name), h2c.
"""

from __future__ import annotations

import base64
import os

from reqlab.body import form_text, json_text
from reqlab.codegen._escape import powershell_str as ps
from reqlab.codegen._plan import Plan, plan
from reqlab.codegen._target import Snippet, Target
from reqlab.codegen._wire import wire_url
from reqlab.model import (
    BasicAuth,
    BytesBody,
    FormBody,
    JsonBody,
    MultipartBody,
    MultipartFile,
    Request,
    TextBody,
)

STANDARD = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "MERGE")


def render_powershell(request: Request) -> Snippet:
    p = plan(
        request, target="powershell-invokewebrequest", versions=("HTTP/1.0", "HTTP/1.1", "HTTP/2")
    )
    if request.version == "HTTP/2" and request.scheme == "http":
        p.warn(
            "Invoke-WebRequest does not speak h2c: over plain http HTTP/2 falls back to HTTP/1.1"
        )
    lines: list[str] = []
    params: list[tuple[str, str]] = [("Uri", ps(wire_url(p.url)))]
    if p.method in STANDARD:
        params.append(("Method", ps(p.method.capitalize())))
    else:
        params.append(("CustomMethod", ps(p.method)))
    headers = _headers(p)
    if headers:
        lines += ["$headers = [ordered]@{", *[f"    {ps(n)} = {v}" for n, v in headers], "}", ""]
        params.append(("Headers", "$headers"))
    ctype = p.content_type
    body = p.body
    if isinstance(body, JsonBody | TextBody | FormBody):
        text = (
            body.text
            if isinstance(body, TextBody)
            else (json_text(body.value) if isinstance(body, JsonBody) else form_text(body.fields))
        )
        ctype = ctype or {
            JsonBody: "application/json",
            FormBody: "application/x-www-form-urlencoded",
        }.get(type(body))
        lines += [f"$body = [System.Text.Encoding]::UTF8.GetBytes({ps(text)})", ""]
        params.append(("Body", "$body"))
    elif isinstance(body, BytesBody) and body.path is not None:
        params.append(("InFile", ps(body.path)))
    elif isinstance(body, BytesBody):
        lines += [
            f"$body = [Convert]::FromBase64String('{base64.b64encode(body.data or b'').decode()}')",
            "",
        ]
        params.append(("Body", "$body"))
    elif isinstance(body, MultipartBody):
        lines += _form(p, body)
        params.append(("Form", "$form"))
        ctype = None
    if ctype:
        params.append(("ContentType", ps(ctype)))
    if request.version in ("HTTP/1.0", "HTTP/2"):
        params.append(("HttpVersion", ps({"HTTP/1.0": "1.0", "HTTP/2": "2.0"}[request.version])))
    o = request.options
    if not o.follow_redirects:
        params.append(("MaximumRedirection", "0"))
    if o.timeout:
        params.append(("TimeoutSec", str(max(1, round(o.timeout)))))
    if not o.verify:
        params.append(("SkipCertificateCheck", "$true"))
    if not p.reuse:
        params.append(("DisableKeepAlive", "$true"))
    # Header values are sent as written; 4xx/5xx answers are printed, not thrown.
    params += [("SkipHeaderValidation", "$true"), ("SkipHttpErrorCheck", "$true")]
    width = max(len(k) for k, _ in params)
    lines += ["$params = @{", *[f"    {k.ljust(width)} = {v}" for k, v in params], "}", ""]
    lines += [
        "$response = Invoke-WebRequest @params",
        'Write-Output "$($response.StatusCode) $($response.StatusDescription)"',
        "Write-Output $response.Content",
    ]
    return Snippet("\n".join(lines) + "\n", tuple(p.warnings))


def _headers(p: Plan) -> list[tuple[str, str]]:
    out: dict[str, tuple[str, list[str]]] = {}
    for name, value in p.headers:
        if name.lower() == "content-type":
            continue  # given as -ContentType
        out.setdefault(name.lower(), (name, []))[1].append(value)
    non_ascii = [name for name, values in out.values() if not "".join(values).isascii()]
    if non_ascii:
        p.warn(f"{', '.join(non_ascii)}: .NET refuses header values that are not ASCII")
    repeated = [name for name, values in out.values() if len(values) > 1]
    if repeated:
        p.warn(
            f"{', '.join(repeated)}: -Headers is a dictionary; the repeated values are sent as one comma-joined line"
        )
    pairs = [(name, ps(", ".join(values))) for name, values in out.values()]
    auth = p.request.auth
    if isinstance(auth, BasicAuth) and "authorization" not in out:
        creds = ps(f"{auth.username}:{auth.password}")
        pairs.append(
            (
                "Authorization",
                f"'Basic ' + [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes({creds}))",
            )
        )
    elif p.auth_value and "authorization" not in out:
        pairs.append(("Authorization", ps(p.auth_value)))
    return pairs


def _form(p: Plan, body: MultipartBody) -> list[str]:
    setup: list[str] = []
    lines = ["$form = [ordered]@{"]
    last = {part.name: part for part in body.parts}  # a literal may not repeat a key
    for part in body.parts:
        if last[part.name] is not part:
            continue
        if isinstance(part, MultipartFile) and part.data is not None:
            # Inline bytes: -Form uploads files, so write them to one named as the part's.
            var = f"$file{len(setup) // 2 + 1}"
            encoded = base64.b64encode(part.data).decode()
            setup += [
                f"{var} = Join-Path ([System.IO.Path]::GetTempPath()) {ps(part.filename)}",
                f"[System.IO.File]::WriteAllBytes({var}, [Convert]::FromBase64String('{encoded}'))",
            ]
            lines.append(f"    {ps(part.name)} = Get-Item -LiteralPath {var}")
            if part.content_type not in (None, "application/octet-stream"):
                p.warn(
                    f"part {part.name!r}: -Form sends files as application/octet-stream, not {part.content_type}"
                )
        elif isinstance(part, MultipartFile):
            if part.path is None or os.path.basename(part.path) != part.filename:
                p.warn(
                    f"part {part.name!r}: -Form uploads a file under its own name, not {part.filename!r}"
                )
            if part.content_type not in (None, "application/octet-stream"):
                p.warn(
                    f"part {part.name!r}: -Form sends files as application/octet-stream, not {part.content_type}"
                )
            lines.append(
                f"    {ps(part.name)} = Get-Item -LiteralPath {ps(part.path or part.filename)}"
            )
        else:
            lines.append(f"    {ps(part.name)} = {ps(part.value)}")
    names = [part.name for part in body.parts]
    if len(names) != len(set(names)):
        p.warn("-Form is a dictionary: a repeated part name keeps only its last value")
    return [*setup, *([""] if setup else []), *lines, "}", ""]


TARGET = Target(
    "powershell-invokewebrequest",
    "PowerShell",
    "Invoke-WebRequest (PowerShell 7.3+)",
    render_powershell,
    "snippet.ps1",
    (
        "not executed here (PowerShell is not installable from Debian, PyPI or npm)",
        "repeated headers are comma-joined",
        "multipart files go as application/octet-stream under their own name",
    ),
)

"""Rust: reqwest's blocking client (rust-reqwest).

Idioms chosen: one ``reqwest::blocking::Client`` (its pool keeps
connections alive); ``.header()`` per header, which appends, so duplicates
stay; redirects off unless the request follows them (reqwest follows ten
by default); ``.version()`` for HTTP/1.0, ``http2_prior_knowledge`` for
HTTP/2 over plain TCP; multipart through ``blocking::multipart::Form`` with
the file read at run time and ``percent_encode_noop`` so filenames arrive
as written; inline bytes as a byte-string literal (exact, no crate needed).
hyper writes header names in lower case; when the request spells names
with capitals the client is built with ``http1_title_case_headers``.
"""

from __future__ import annotations

from reqlab.codegen._escape import rust_bytes, rust_str
from reqlab.codegen._plan import Plan, plan
from reqlab.codegen._shared import (
    FRAMING,
    FRAMING_WHY,
    added_headers,
    body_text,
    closes_after_downgrade,
    effective_version,
    library_auth,
)
from reqlab.codegen._target import Snippet, Target
from reqlab.codegen._wire import wire_url
from reqlab.model import (
    BasicAuth,
    BearerAuth,
    BytesBody,
    MultipartBody,
    MultipartFile,
    Request,
)

VERSIONS = ("HTTP/1.0", "HTTP/1.1", "HTTP/2")
# What the snippet's Cargo.toml needs (default features bring TLS and HTTP/2).
CARGO = '// Cargo.toml: reqwest = { version = "0.13", features = ["blocking", "multipart"] }'
_SHORTCUTS = {"GET": "get", "POST": "post", "PUT": "put", "PATCH": "patch", "DELETE": "delete"}
_VERSION_CONST = {"HTTP/1.0": "HTTP_10", "HTTP/1.1": "HTTP_11", "HTTP/2": "HTTP_2"}


def _duration(seconds: float) -> str:
    if float(seconds).is_integer():
        return f"Duration::from_secs({int(seconds)})"
    return f"Duration::from_secs_f64({seconds!r})"


def _client(p: Plan, effective: str | None, headers: list[tuple[str, str]]) -> list[str]:
    opts = p.request.options
    calls = []
    if not opts.follow_redirects:
        calls.append(".redirect(reqwest::redirect::Policy::none())")
    elif opts.max_redirects != 10:
        calls.append(f".redirect(reqwest::redirect::Policy::limited({opts.max_redirects}))")
    if opts.timeout:
        calls.append(f".timeout({_duration(opts.timeout)})")
    if opts.connect_timeout:
        calls.append(f".connect_timeout({_duration(opts.connect_timeout)})")
    if not opts.verify and p.request.scheme == "https":
        calls.append(".danger_accept_invalid_certs(true)")
    if not p.reuse:
        calls.append(".pool_max_idle_per_host(0)")
    if effective == "HTTP/2" and p.request.scheme == "http":
        calls.append(".http2_prior_knowledge()")
    elif effective != "HTTP/2" and any(n != n.lower() for n, _ in headers):
        # hyper lower-cases header names; this writes them as Title-Case.
        calls.append(".http1_title_case_headers()")
    comment = "One client: its pool keeps connections alive and reuses them."
    if not p.reuse:
        comment = "Keep-alive off: no idle connection is kept for reuse."
    return [
        f"    // {comment}",
        *_chain("let client = ", "Client::builder()", [*calls, ".build()?"]),
    ]


def _chain(prefix: str, receiver: str, calls: list[str]) -> list[str]:
    """A method chain laid out as rustfmt does: on one line when it is short
    (rustfmt's chain_width, 60), else one call per line, and a call longer
    than the line (100) with one argument per line."""
    one = receiver + "".join(calls)
    if len(one) <= 60 and "\n" not in one and len(f"    {prefix}{one};") <= 100:
        return [f"    {prefix}{one};"]
    lines = [f"    {prefix}{receiver}"]
    lines += [_call(call, "        ") for call in calls]
    lines[-1] += ";"
    return lines


def _call(call: str, indent: str) -> str:
    """``.name(args)`` at ``indent``; arguments one per line when together they
    are wider than rustfmt's fn_call_width (60)."""
    name, _, rest = call.partition("(")
    if "\n" in call or not rest.endswith(")"):
        return indent + call  # multi-line already, or ends in "?": leave it
    inner = rest[:-1]
    args = _split_args(inner)
    if len(inner) <= 60 or len(args) < 2:
        return indent + call
    body = "".join(f"{indent}    {a},\n" for a in args)
    return f"{indent}{name}(\n{body}{indent})"


def _split_args(text: str) -> list[str]:
    """Top-level comma-separated arguments (quotes and brackets respected)."""
    args, depth, start, quoted, escaped = [], 0, 0, False, False
    for i, ch in enumerate(text):
        if quoted:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                quoted = False
        elif ch == '"':
            quoted = True
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            args.append(text[start:i].strip())
            start = i + 1
    args.append(text[start:].strip())
    return args


def _use_key(line: str) -> list[tuple[int, str]]:
    # rustfmt orders paths segment by segment, lower-case (modules) first.
    path = line.removeprefix("use ").rstrip(";")
    return [(0 if seg[:1].islower() else 1, seg) for seg in path.split("::")]


def _multipart(body: MultipartBody) -> list[str]:
    lines = ["    let form = Form::new()", "        .percent_encode_noop()"]
    for part in body.parts:
        if not isinstance(part, MultipartFile):
            lines.append(_call(f".text({rust_str(part.name)}, {rust_str(part.value)})", "        "))
            continue
        if part.path is not None:
            data = f"fs::read({rust_str(part.path)})?"
        else:
            data = f"{rust_bytes(part.data or b'')}.to_vec()"
        ctype = part.content_type or "application/octet-stream"
        lines.append("        .part(")
        lines.append(f"            {rust_str(part.name)},")
        lines.append(f"            Part::bytes({data})")
        lines.append(
            f"                .file_name({rust_str(part.filename.replace(chr(34), '%22'))})"
        )
        lines.append(f"                .mime_str({rust_str(ctype)})?,")
        lines.append("        )")
    lines[-1] += ";"
    return lines


def render(request: Request) -> Snippet:
    p = plan(request, target="rust-reqwest", versions=VERSIONS)
    effective = effective_version(p, VERSIONS)
    p.drop(FRAMING, FRAMING_WHY)
    auth = library_auth(p)
    via_library = isinstance(auth, BasicAuth | BearerAuth)
    headers = p.headers + added_headers(p, auth=not via_library)

    uses = ["use reqwest::blocking::Client;"]
    body_lines: list[str] = []
    calls: list[str] = []
    method = p.method
    if method in _SHORTCUTS:
        head = f".{_SHORTCUTS[method]}({rust_str(wire_url(p.url))})"
    elif method in ("HEAD", "OPTIONS", "TRACE", "CONNECT"):
        head = f".request(Method::{method}, {rust_str(wire_url(p.url))})"
        uses.append("use reqwest::Method;")
    else:
        head = f".request(Method::from_bytes({rust_bytes(method.encode())})?, {rust_str(wire_url(p.url))})"
        uses.append("use reqwest::Method;")
    if effective in ("HTTP/1.0", "HTTP/2") and not (
        effective == "HTTP/2" and request.scheme == "http"
    ):
        calls.append(f".version(Version::{_VERSION_CONST[effective]})")
        uses.append("use reqwest::Version;")
    for name, value in headers:
        calls.append(f".header({rust_str(name)}, {rust_str(value)})")
    if closes_after_downgrade(p, effective):
        calls.append('.header("Connection", "close")')  # HTTP/1.0 without keep-alive closed
    if isinstance(auth, BasicAuth):
        calls.append(f".basic_auth({rust_str(auth.username)}, Some({rust_str(auth.password)}))")
    elif isinstance(auth, BearerAuth):
        calls.append(f".bearer_auth({rust_str(auth.token)})")
    text = body_text(p)
    body = p.body
    if text is not None:
        calls.append(f".body({rust_str(text)})")
    elif isinstance(body, BytesBody) and body.path is not None:
        uses.append("use std::fs;")
        calls.append(f".body(fs::read({rust_str(body.path)})?)")
    elif isinstance(body, BytesBody):
        calls.append(f".body({rust_bytes(body.data or b'')}.to_vec())")
    elif isinstance(body, MultipartBody):
        uses.append("use reqwest::blocking::multipart::{Form, Part};")
        if any(isinstance(x, MultipartFile) and x.path is not None for x in body.parts):
            uses.append("use std::fs;")
        body_lines = _multipart(body) + [""]
        calls.append(".multipart(form)")
    if request.options.timeout or request.options.connect_timeout:
        uses.append("use std::time::Duration;")
    uses.append("use std::error::Error;")

    uses = sorted(dict.fromkeys(uses), key=_use_key)
    lines = [CARGO, *uses, "", "fn main() -> Result<(), Box<dyn Error>> {"]
    lines += _client(p, effective, headers)
    lines.append("")
    lines += body_lines
    lines += _chain("let response = ", "client", [head, *calls, ".send()?"])
    lines += [
        "",
        '    println!("{}", response.status());',
        '    println!("{}", response.text()?);',
        "    Ok(())",
        "}",
    ]
    return Snippet("\n".join(lines) + "\n", tuple(p.warnings))


TARGETS = [
    Target(
        "rust-reqwest",
        "Rust",
        "reqwest::blocking",
        render,
        filename="main.rs",
        limitations=(
            "header names are sent in lower case, or Title-Case when the request uses capitals",
            "duplicate headers are sent together, after the first of their name",
            "no digest authentication",
        ),
    )
]

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
from reqlab.codegen._idiom import is_json_default_type, split_query, timeout_of
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
    FormBody,
    JsonBody,
    MultipartBody,
    MultipartFile,
    Request,
)

VERSIONS = ("HTTP/1.0", "HTTP/1.1", "HTTP/2")
# What the snippet's Cargo.toml needs (default features bring TLS and HTTP/2).
CARGO = '// Cargo.toml: reqwest = { version = "0.13", features = ["blocking", "multipart"] }'
CARGO_IDIOMATIC = (
    '// Cargo.toml: reqwest = { version = "0.13", features = ["blocking", "json", "query",'
    ' "form", "multipart"] }\n// serde_json = "1"'
)
_SHORTCUTS = {"GET": "get", "POST": "post", "PUT": "put", "PATCH": "patch", "DELETE": "delete"}
_VERSION_CONST = {"HTTP/1.0": "HTTP_10", "HTTP/1.1": "HTTP_11", "HTTP/2": "HTTP_2"}


def _duration(seconds: float) -> str:
    if float(seconds).is_integer():
        return f"Duration::from_secs({int(seconds)})"
    return f"Duration::from_secs_f64({seconds!r})"


def _client(
    p: Plan, effective: str | None, headers: list[tuple[str, str]], idiomatic: bool = False
) -> list[str]:
    opts = p.request.options
    calls = []
    if not opts.follow_redirects and not idiomatic:
        calls.append(".redirect(reqwest::redirect::Policy::none())")
    elif opts.follow_redirects and opts.max_redirects != 10:
        calls.append(f".redirect(reqwest::redirect::Policy::limited({opts.max_redirects}))")
    if idiomatic:
        calls.append(f".timeout({_duration(timeout_of(p.request))})")
    elif opts.timeout:
        calls.append(f".timeout({_duration(opts.timeout)})")
    if opts.connect_timeout:
        calls.append(f".connect_timeout({_duration(opts.connect_timeout)})")
    if not opts.verify and p.request.scheme == "https":
        calls.append(".danger_accept_invalid_certs(true)")
    if not p.reuse:
        calls.append(".pool_max_idle_per_host(0)")
    if effective == "HTTP/2" and p.request.scheme == "http":
        calls.append(".http2_prior_knowledge()")
    elif effective != "HTTP/2" and any(n != n.lower() for n, _ in headers) and not idiomatic:
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
    return _render(request, idiomatic=False)


def render_idiomatic(request: Request) -> Snippet:
    """reqwest as its docs show it: ``.query(&[...])``, ``.json(&json!(...))``,
    ``.form(&[...])``, a client ``timeout``, ``.error_for_status()?``, and
    reqwest's redirect policy (it follows up to ten)."""
    return _render(request, idiomatic=True)


def _render(request: Request, *, idiomatic: bool) -> Snippet:
    p = plan(request, target="rust-reqwest", versions=VERSIONS)
    effective = effective_version(p, VERSIONS)
    p.drop(FRAMING, FRAMING_WHY)
    auth = library_auth(p)
    via_library = isinstance(auth, BasicAuth | BearerAuth)
    headers = p.headers + added_headers(p, auth=not via_library)
    url, query = split_query(request) if idiomatic else (wire_url(p.url), [])
    body = p.body
    helper = _helper_body(p) if idiomatic else None
    if helper is not None and helper[0] == "json" and is_json_default_type(p.content_type):
        # .json() and .form() set their Content-Type themselves.
        headers = [h for h in headers if h[0].lower() != "content-type"]
    if helper is not None and helper[0] == "form" and _form_default(p.content_type):
        headers = [h for h in headers if h[0].lower() != "content-type"]

    uses = ["use reqwest::blocking::Client;"]
    body_lines: list[str] = []
    calls: list[str] = []
    method = p.method
    if method in _SHORTCUTS:
        head = f".{_SHORTCUTS[method]}({rust_str(url)})"
    elif method in ("HEAD", "OPTIONS", "TRACE", "CONNECT"):
        head = f".request(Method::{method}, {rust_str(url)})"
        uses.append("use reqwest::Method;")
    else:
        head = f".request(Method::from_bytes({rust_bytes(method.encode())})?, {rust_str(url)})"
        uses.append("use reqwest::Method;")
    if query:
        calls.append(_pairs_call("query", query))
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
    if helper is not None:
        if helper[0] == "json":
            uses.append("use serde_json::json;")
        calls.append(helper[1])
    elif text is not None:
        calls.append(f".body({rust_str(text)})")
    elif isinstance(body, BytesBody) and body.path is not None:
        uses.append("use std::fs;")
        calls.append(f".body(fs::read({rust_str(body.path)})?)")
    elif isinstance(body, BytesBody):
        calls.append(f".body({rust_bytes(body.data or b'')}.to_vec())")
    elif isinstance(body, MultipartBody):
        files = any(isinstance(x, MultipartFile) for x in body.parts)
        uses.append(f"use reqwest::blocking::multipart::{'{Form, Part}' if files else 'Form'};")
        if any(isinstance(x, MultipartFile) and x.path is not None for x in body.parts):
            uses.append("use std::fs;")
        body_lines = _multipart(body) + [""]
        calls.append(".multipart(form)")
    if request.options.timeout or request.options.connect_timeout or idiomatic:
        uses.append("use std::time::Duration;")
    uses.append("use std::error::Error;")

    uses = sorted(dict.fromkeys(uses), key=_use_key)
    cargo = CARGO_IDIOMATIC if idiomatic else CARGO
    lines = [cargo, *uses, "", "fn main() -> Result<(), Box<dyn Error>> {"]
    lines += _client(p, effective, headers, idiomatic)
    lines.append("")
    lines += body_lines
    send = [".send()?", ".error_for_status()?"] if idiomatic else [".send()?"]
    lines += _chain("let response = ", "client", [head, *calls, *send])
    lines += [
        "",
        '    println!("{}", response.status());',
        '    println!("{}", response.text()?);',
        "    Ok(())",
        "}",
    ]
    return Snippet("\n".join(lines) + "\n", tuple(p.warnings))


def _helper_body(p: Plan) -> tuple[str, str] | None:
    """("json", ".json(&json!(...))") or ("form", ".form(&[...])") when a
    helper carries the body with the same meaning; None otherwise."""
    body = p.body
    if isinstance(body, JsonBody):
        value = _json_macro(body.value, "        ")
        return ("json", f".json(&json!({value}))") if value is not None else None
    if isinstance(body, FormBody) and body.fields:
        return "form", _pairs_call("form", list(body.fields))
    return None


def _pairs_call(name: str, pairs: list[tuple[str, str]]) -> str:
    """``.name(&[(n, v), ...])``, one pair per line past rustfmt's array width (60)."""
    items = [f"({rust_str(n)}, {rust_str(v)})" for n, v in pairs]
    flat = ", ".join(items)
    if len(flat) + 2 <= 60 and len(f"        .{name}(&[{flat}])") <= 100:
        return f".{name}(&[{flat}])"
    return f".{name}(&[\n" + "".join(f"            {i},\n" for i in items) + "        ])"


def _form_default(content_type: str | None) -> bool:
    return content_type is None or content_type.strip() == "application/x-www-form-urlencoded"


_MACRO_ITEMS = 24  # json! is a recursive macro: a big literal passes Rust's recursion limit


def _json_macro(value: object, indent: str) -> str | None:
    """``value`` as the inside of ``json!(...)``, or None where Rust would
    change it (a lone surrogate, an integer outside i64/u64) or the macro
    would recurse too deep."""
    inner = indent + "    "
    if isinstance(value, dict):
        items = [(_json_macro(k, inner), _json_macro(v, inner)) for k, v in value.items()]
        if len(items) > _MACRO_ITEMS or any(k is None or v is None for k, v in items):
            return None
        if not items:
            return "{}"
        return "{\n" + "".join(f"{inner}{k}: {v},\n" for k, v in items) + f"{indent}}}"
    if isinstance(value, list):
        values = [_json_macro(v, inner) for v in value]
        if len(values) > _MACRO_ITEMS or any(v is None for v in values):
            return None
        flat = ", ".join(str(v) for v in values)
        if len(flat) <= 60 and "\n" not in flat:
            return f"[{flat}]"
        return "[\n" + "".join(f"{inner}{v},\n" for v in values) + f"{indent}]"
    if isinstance(value, str):
        return None if any(0xD800 <= ord(c) <= 0xDFFF for c in value) else rust_str(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if -(2**63) <= value < 2**64 else None
    text = repr(value)
    return text if "e" in text or "." in text else text + ".0"


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
        idiomatic=render_idiomatic,
        idiomatic_changes=(
            "header names in hyper's lower case",
            "JSON written by serde_json (keys sorted, ryu's spelling of floats)",
            "the query and a form re-encoded by serde_urlencoded (spaces as +)",
            "redirects followed (reqwest's default, up to 10); a 30 s client timeout when "
            "the request has none",
        ),
    )
]

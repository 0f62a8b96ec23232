"""swift-urlsession in the idiomatic style: URLSession with async/await.

What Apple's documentation shows: ``URLComponents`` with ``queryItems`` for
the query, a ``URLRequest`` with ``timeoutInterval`` and ``setValue`` per
header, JSON from ``JSONSerialization.data(withJSONObject:)``, ``let (data,
response) = try await URLSession.shared.data(for: request)`` in top-level
code, and the status checked.  Not executed here (no Swift toolchain):
golden files and a tree-sitter parse prove it, as for the exact style.
"""

from __future__ import annotations

from reqlab.codegen._escape import swift_str
from reqlab.codegen._idiom import split_query, timeout_of
from reqlab.codegen._plan import plan
from reqlab.codegen._shared import (
    FRAMING,
    FRAMING_WHY,
    added_headers,
    body_text,
    effective_version,
    settle_connection,
)
from reqlab.codegen._target import Snippet
from reqlab.codegen._wire import wire_url
from reqlab.model import BytesBody, JsonBody, MultipartBody, Request

# URLComponents leaves '+' alone in query items (a server reads it as a space)
# and treats '&', '=' and '%' specially: such pairs stay in the URL as written.
_QUERY_UNSAFE = set("+&=%#")
_INT64 = 2**63


def swift_snippet(request: Request) -> Snippet:
    from reqlab.codegen.swift import _data, _multipart

    versions = ("HTTP/1.1", "HTTP/2") if request.scheme == "https" else ("HTTP/1.1",)
    p = plan(request, target="swift-urlsession", versions=versions)
    if request.version == "HTTP/2" and request.scheme == "https":
        p.warn("URLSession negotiates HTTP/2 by ALPN on its own; it cannot be forced")
    settle_connection(p, effective_version(p, versions))
    p.drop(FRAMING, FRAMING_WHY)
    p.drop(["connection", "host"], "URLSession manages Connection and Host itself")
    headers = p.headers + added_headers(p)
    lower = [n.lower() for n, _ in headers]
    repeated = sorted({n for n, _ in headers if lower.count(n.lower()) > 1}, key=str.lower)
    if repeated:
        p.warn(f"{', '.join(repeated)}: URLRequest joins repeated header values with commas")
    if request.options.connect_timeout:
        p.warn("URLSession has no separate connect timeout")
    if not request.options.verify and request.scheme == "https":
        p.warn("certificate checks can only be switched off in a delegate (not written here)")
    if not p.reuse:
        p.warn("URLSession always pools connections (keep-alive cannot be turned off)")
    lines = ["import Foundation", "#if canImport(FoundationNetworking)"]
    lines += ["import FoundationNetworking", "#endif", ""]
    body = p.body
    if isinstance(body, MultipartBody):
        lines += [*_multipart(body), ""]
    base, query = split_query(request)
    if query and not any(_QUERY_UNSAFE & set(n + v) for n, v in query):
        lines.append(f"var components = URLComponents(string: {swift_str(base)})!")
        lines.append("components.queryItems = [")
        lines += [
            f"    URLQueryItem(name: {swift_str(n)}, value: {swift_str(v)})," for n, v in query
        ]
        lines += ["]", "var request = URLRequest(url: components.url!)"]
    else:
        lines.append(f"var request = URLRequest(url: URL(string: {swift_str(wire_url(p.url))})!)")
    if p.method != "GET":
        lines.append(f"request.httpMethod = {swift_str(p.method)}")
    lines.append(f"request.timeoutInterval = {float(timeout_of(request))!r}")
    if "cookie" in lower:
        lines.append(
            "request.httpShouldHandleCookies = false  // send the Cookie header as written"
        )
    seen: set[str] = set()
    for name, value in headers:
        # setValue replaces, addValue appends: the first of a name sets it.
        verb = "addValue" if name.lower() in seen else "setValue"
        seen.add(name.lower())
        lines.append(f"request.{verb}({swift_str(value)}, forHTTPHeaderField: {swift_str(name)})")
    literal = _swift_value(body.value) if isinstance(body, JsonBody) else None
    text = body_text(p)
    if literal is not None and isinstance(body, JsonBody):
        scalar = not isinstance(body.value, dict | list)
        kind = "Any" if scalar else "[String: Any]" if isinstance(body.value, dict) else "[Any]"
        lines += f"let payload: {kind} = {literal}".split("\n")
        options = ", options: .fragmentsAllowed" if scalar else ""
        lines.append(
            f"request.httpBody = try JSONSerialization.data(withJSONObject: payload{options})"
        )
    elif text is not None:
        lines.append(f"request.httpBody = Data({swift_str(text)}.utf8)")
    elif isinstance(body, BytesBody):
        lines.append(f"request.httpBody = {_data(body)}")
    elif isinstance(body, MultipartBody):
        lines.append(
            'request.setValue("multipart/form-data; boundary=\\(boundary)",'
            ' forHTTPHeaderField: "Content-Type")'
        )
        lines.append("request.httpBody = form")
    lines += [
        "",
        "let (data, response) = try await URLSession.shared.data(for: request)",
        "guard let http = response as? HTTPURLResponse, (200..<300).contains(http.statusCode) else {",
        "    throw URLError(.badServerResponse)",
        "}",
        "print(http.statusCode)",
        "print(String(decoding: data, as: UTF8.self))",
    ]
    return Snippet("\n".join(lines) + "\n", tuple(p.warnings))


def _swift_value(value: object, indent: str = "", nested: bool = False) -> str | None:
    """A JSON value as a Swift literal for ``JSONSerialization`` (nested
    containers typed with ``as``, since a mixed literal cannot be inferred),
    or None where Swift cannot hold it (a lone surrogate, an integer past Int64)."""
    inner = indent + "    "
    if isinstance(value, dict):
        items = [(_swift_value(k), _swift_value(v, inner, True)) for k, v in value.items()]
        if any(k is None or v is None for k, v in items):
            return None
        text = "[" + "".join(f"\n{inner}{k}: {v}," for k, v in items) + f"\n{indent}]"
        text = text if items else "[:]"
        return f"{text} as [String: Any]" if nested else text
    if isinstance(value, list):
        values = [_swift_value(v, inner, True) for v in value]
        if any(v is None for v in values):
            return None
        text = "[" + ", ".join(str(v) for v in values) + "]"
        if len(text) > 60 or "\n" in text:
            text = "[" + "".join(f"\n{inner}{v}," for v in values) + f"\n{indent}]"
        return f"{text} as [Any]" if nested else text
    if isinstance(value, str):
        return None if any(0xD800 <= ord(c) <= 0xDFFF for c in value) else swift_str(value)
    if value is None:
        return "NSNull()"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if -_INT64 <= value < _INT64 else None
    return repr(value)

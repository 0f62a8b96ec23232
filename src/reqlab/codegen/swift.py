"""Swift: Foundation's URLSession (swift-urlsession), macOS/iOS and Linux.

Idioms chosen: one ``URLSession`` (it pools connections); a ``URLRequest``
with ``addValue(_:forHTTPHeaderField:)`` per header; ``httpBody`` as ``Data``
(text through ``.utf8``, files read at run time with
``Data(contentsOf:)``, inline bytes from base64); a ``DispatchSemaphore``
so the program waits for the answer on every platform (a script's
top-level ``await`` needs a recent toolchain).  URLSession has no
multipart API, so the snippet writes the parts with a UUID boundary; it
follows redirects unless its delegate declines them, so a tiny delegate
does that when the request does not follow redirects.

URLSession decides the protocol itself (HTTP/1.1 on http://, HTTP/2 by
ALPN on https://), joins repeated header values with commas, and manages
Connection, Keep-Alive, Host and Content-Length: each is warned about.
"""

from __future__ import annotations

from reqlab.codegen._escape import swift_str
from reqlab.codegen._plan import Plan, plan
from reqlab.codegen._shared import (
    FRAMING,
    FRAMING_WHY,
    added_headers,
    b64,
    body_text,
    effective_version,
    settle_connection,
)
from reqlab.codegen._target import Snippet, Target
from reqlab.codegen._wire import wire_url
from reqlab.model import BytesBody, MultipartBody, MultipartFile, Request

_NO_REDIRECTS = """\
// URLSession follows redirects unless its delegate declines them.
final class NoRedirects: NSObject, URLSessionTaskDelegate {
    func urlSession(_ session: URLSession, task: URLSessionTask,
                    willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest,
                    completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}
"""
_SEND = """\
let done = DispatchSemaphore(value: 0)
session.dataTask(with: request) { data, response, error in
    defer { done.signal() }
    if let error = error {
        print("request failed: \\(error)")
        return
    }
    if let http = response as? HTTPURLResponse {
        print(http.statusCode)
    }
    if let data = data {
        print(String(decoding: data, as: UTF8.self))
    }
}.resume()
done.wait()
"""


def _quoted(text: str) -> str:
    return text.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def _data(part: MultipartFile | BytesBody) -> str:
    if part.path is not None:
        return f"try Data(contentsOf: URL(fileURLWithPath: {swift_str(part.path)}))"
    return f"Data(base64Encoded: {swift_str(b64(part.data or b''))})!"


def _multipart(body: MultipartBody) -> list[str]:
    lines = [
        "// URLSession has no multipart API: write the parts with a fresh boundary.",
        'let boundary = "Boundary-\\(UUID().uuidString)"',
        "var form = Data()",
        "func addPart(_ headers: String, _ content: Data) {",
        '    form.append(Data("--\\(boundary)\\r\\n\\(headers)\\r\\n\\r\\n".utf8))',
        "    form.append(content)",
        '    form.append(Data("\\r\\n".utf8))',
        "}",
    ]
    for part in body.parts:
        disposition = f'Content-Disposition: form-data; name="{_quoted(part.name)}"'
        if isinstance(part, MultipartFile):
            disposition += f'; filename="{_quoted(part.filename)}"'
            disposition += f"\r\nContent-Type: {part.content_type or 'application/octet-stream'}"
            lines.append(f"addPart({swift_str(disposition)}, {_data(part)})")
        else:
            lines.append(f"addPart({swift_str(disposition)}, Data({swift_str(part.value)}.utf8))")
    lines.append('form.append(Data("--\\(boundary)--\\r\\n".utf8))')
    return lines


def _session(p: Plan) -> list[str]:
    opts = p.request.options
    lines = ["let configuration = URLSessionConfiguration.default"]
    if opts.timeout:
        lines.append(f"configuration.timeoutIntervalForResource = {float(opts.timeout)!r}")
    if opts.connect_timeout:
        p.warn("URLSession has no separate connect timeout")
    if not opts.verify and p.request.scheme == "https":
        p.warn("certificate checks can only be switched off in a delegate (not written here)")
    if not p.reuse:
        p.warn("URLSession always pools connections (keep-alive cannot be turned off)")
    comment = "// One session for the whole program: it pools connections and keeps them alive."
    if opts.follow_redirects:
        if opts.max_redirects != 16:
            p.warn(f"URLSession follows up to 16 redirects, not {opts.max_redirects}")
        return [*lines, comment, "let session = URLSession(configuration: configuration)"]
    return [
        *lines,
        comment,
        "let session = URLSession(configuration: configuration, delegate: NoRedirects(),"
        " delegateQueue: nil)",
    ]


def render(request: Request) -> Snippet:
    versions = ("HTTP/1.1", "HTTP/2") if request.scheme == "https" else ("HTTP/1.1",)
    p = plan(request, target="swift-urlsession", versions=versions)
    if request.version == "HTTP/2" and request.scheme == "https":
        p.warn("URLSession negotiates HTTP/2 by ALPN on its own; it cannot be forced")
    effective = effective_version(p, versions)
    settle_connection(p, effective)
    p.drop(FRAMING, FRAMING_WHY)
    p.drop(["connection", "host"], "URLSession manages Connection and Host itself")
    headers = p.headers + added_headers(p)
    lower = [n.lower() for n, _ in headers]
    repeated = sorted({n for n, _ in headers if lower.count(n.lower()) > 1}, key=str.lower)
    if repeated:
        p.warn(f"{', '.join(repeated)}: URLRequest joins repeated header values with commas")

    lines = ["import Foundation", "#if canImport(FoundationNetworking)"]
    lines += ["import FoundationNetworking", "#endif", ""]
    if not request.options.follow_redirects:
        lines += [_NO_REDIRECTS]
    lines += _session(p) + [""]
    body = p.body
    if isinstance(body, MultipartBody):
        lines += _multipart(body) + [""]
    lines.append(f"var request = URLRequest(url: URL(string: {swift_str(wire_url(p.url))})!)")
    lines.append(f"request.httpMethod = {swift_str(p.method)}")
    if "cookie" in lower:
        lines.append(
            "request.httpShouldHandleCookies = false  // send the Cookie header as written"
        )
    for name, value in headers:
        lines.append(f"request.addValue({swift_str(value)}, forHTTPHeaderField: {swift_str(name)})")
    text = body_text(p)
    if text is not None:
        lines.append(f"request.httpBody = Data({swift_str(text)}.utf8)")
    elif isinstance(body, BytesBody):
        lines.append(f"request.httpBody = {_data(body)}")
    elif isinstance(body, MultipartBody):
        lines.append(
            'request.addValue("multipart/form-data; boundary=\\(boundary)",'
            ' forHTTPHeaderField: "Content-Type")'
        )
        lines.append("request.httpBody = form")
    lines += ["", _SEND]
    return Snippet("\n".join(lines), tuple(p.warnings))


def render_idiomatic(request: Request) -> Snippet:
    from reqlab.codegen._swiftidiom import swift_snippet

    return swift_snippet(request)


TARGETS = [
    Target(
        "swift-urlsession",
        "Swift",
        "Foundation URLSession",
        render,
        filename="main.swift",
        limitations=(
            "the HTTP version is URLSession's choice (HTTP/1.0 and h2c impossible)",
            "repeated header values are joined with commas",
            "Connection and Host are managed by URLSession",
            "no digest authentication without a delegate",
        ),
        idiomatic=render_idiomatic,
        idiomatic_changes=(
            "JSON written by JSONSerialization (key order its own, \\/ escaped)",
            "the query re-encoded by URLComponents.queryItems",
            "redirects followed (URLSession.shared); a 30 s timeoutInterval when the "
            "request has none",
            "not executed here: golden files and a parse only",
        ),
    )
]

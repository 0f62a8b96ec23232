"""Go: net/http from the standard library (go-nethttp).

Idioms chosen: one ``http.Client`` whose ``Transport`` pools connections;
headers assigned straight into the ``req.Header`` map, because
``Header.Set``/``Add`` would canonicalise the name (``x-request-id`` becomes
``X-Request-Id``); ``req.Host`` for a Host header (net/http ignores it in
the map); ``DisableCompression`` unless the request asks for compression, so
no ``Accept-Encoding: gzip`` appears that the request did not have;
``mime/multipart`` for uploads, reading the file at run time; HTTP/2
without TLS through ``http.Protocols`` (Go 1.24+).
"""

from __future__ import annotations

from reqlab.codegen._escape import go_str
from reqlab.codegen._plan import Plan, plan
from reqlab.codegen._shared import (
    FRAMING,
    FRAMING_WHY,
    added_headers,
    b64,
    body_text,
    closes_after_downgrade,
    effective_version,
    library_auth,
    warn_trimmed,
)
from reqlab.codegen._target import Snippet, Target
from reqlab.codegen._wire import wire_url
from reqlab.model import BasicAuth, BytesBody, MultipartBody, MultipartFile, Request

VERSIONS = ("HTTP/1.1", "HTTP/2")
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE"}


def _method(method: str) -> str:
    if method in _METHODS:
        return "http.Method" + method.capitalize()
    return go_str(method)


def _duration(seconds: float) -> str:
    if float(seconds).is_integer():
        return f"{int(seconds)} * time.Second"
    return f"{int(seconds * 1000)} * time.Millisecond"


class _Go:
    def __init__(self, p: Plan) -> None:
        self.p = p
        self.imports = {"fmt", "io", "log", "net/http"}
        self.lines: list[str] = []

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def check(self, lhs: str, call: str) -> None:
        """``lhs, err := call`` and the error check every Go developer writes."""
        self.add(f"\t{lhs}, err := {call}", "\tif err != nil {", "\t\tlog.Fatal(err)", "\t}")


def _fields(entries: list[tuple[str, str]]) -> list[str]:
    """Composite-literal fields, values aligned as gofmt aligns them."""
    width = max((len(k) for k, _ in entries), default=0) + 1
    return [f"\t\t{(k + ':').ljust(width)} {v}," for k, v in entries]


def _client(g: _Go, effective: str | None) -> None:
    p, opts = g.p, g.p.request.options
    transport: list[tuple[str, str]] = []
    if not opts.compressed:
        # Otherwise Go adds Accept-Encoding: gzip, which the request did not ask for.
        transport.append(("DisableCompression", "true"))
    if not p.reuse:
        transport.append(("DisableKeepAlives", "true"))
        if "connection" not in p.header_names():
            p.warn("keep-alive off: net/http then sends Connection: close")
    if opts.connect_timeout:
        g.imports |= {"net", "time"}
        dialer = f"(&net.Dialer{{Timeout: {_duration(opts.connect_timeout)}}}).DialContext"
        transport.append(("DialContext", dialer))
    if not opts.verify and p.request.scheme == "https":
        g.imports.add("crypto/tls")
        transport.append(("TLSClientConfig", "&tls.Config{InsecureSkipVerify: true}"))
    if transport:
        g.add("\ttransport := &http.Transport{", *_fields(transport), "\t}")
    else:
        g.add("\ttransport := &http.Transport{}")
    if effective == "HTTP/2":
        g.add("\tprotocols := new(http.Protocols)")
        if p.request.scheme == "https":
            g.add("\tprotocols.SetHTTP2(true)")
        else:
            g.add(
                "\t// HTTP/2 without TLS (h2c, prior knowledge)",
                "\tprotocols.SetUnencryptedHTTP2(true)",
            )
        g.add("\ttransport.Protocols = protocols")
    client = [("Transport", "transport")]
    if opts.timeout:
        g.imports.add("time")
        client.append(("Timeout", _duration(opts.timeout)))
    if not opts.follow_redirects:
        client.append(
            (
                "CheckRedirect",
                "func(req *http.Request, via []*http.Request) error { return http.ErrUseLastResponse }",
            )
        )
    elif opts.max_redirects != 10:
        g.imports.add("errors")
        n = opts.max_redirects
        g.add(
            "\tcheckRedirect := func(req *http.Request, via []*http.Request) error {",
            f"\t\tif len(via) >= {n} {{",
            f'\t\t\treturn errors.New("stopped after {n} redirects")',
            "\t\t}",
            "\t\treturn nil",
            "\t}",
        )
        client.append(("CheckRedirect", "checkRedirect"))
    comment = "// One client: its Transport keeps connections alive and reuses them."
    if not p.reuse:
        comment = "// Keep-alive off: every request opens a new connection."
    g.add(f"\t{comment}", "\tclient := &http.Client{", *_fields(client), "\t}", "")


def _body(g: _Go) -> str:
    """Write the code that builds the body; return the reader expression."""
    p, body = g.p, g.p.body
    text = body_text(p)
    if text is not None:
        g.imports.add("strings")
        return f"strings.NewReader({go_str(text)})"
    if isinstance(body, BytesBody):
        g.imports.add("bytes")
        if body.path is not None:
            g.imports.add("os")
            g.check("payload", f"os.ReadFile({go_str(body.path)})")
        else:
            g.imports.add("encoding/base64")
            g.check("payload", f"base64.StdEncoding.DecodeString({go_str(b64(body.data or b''))})")
        return "bytes.NewReader(payload)"
    if isinstance(body, MultipartBody):
        return _multipart(g, body)
    return "nil"


def _multipart(g: _Go, body: MultipartBody) -> str:
    g.imports |= {"bytes", "mime/multipart"}
    g.add("\tvar body bytes.Buffer", "\tform := multipart.NewWriter(&body)")
    for i, part in enumerate(body.parts):
        if not isinstance(part, MultipartFile):
            g.add(
                f"\tif err := form.WriteField({go_str(part.name)}, {go_str(part.value)}); err != nil {{"
            )
            g.add("\t\tlog.Fatal(err)", "\t}")
            continue
        var = f"part{i}"
        ctype = part.content_type or "application/octet-stream"
        if ctype == "application/octet-stream":
            call = f"form.CreateFormFile({go_str(part.name)}, {go_str(part.filename)})"
        else:
            g.imports.add("net/textproto")
            g.add(f"\theader{i} := make(textproto.MIMEHeader)")
            disposition = (
                f'form-data; name="{_quoted(part.name)}"; filename="{_quoted(part.filename)}"'
            )
            g.add(f'\theader{i}.Set("Content-Disposition", {go_str(disposition)})')
            g.add(f'\theader{i}.Set("Content-Type", {go_str(ctype)})')
            call = f"form.CreatePart(header{i})"
        g.check(var, call)
        if part.path is not None:
            g.imports.add("os")
            g.check(f"file{i}", f"os.Open({go_str(part.path)})")
            g.add(
                f"\tif _, err := io.Copy({var}, file{i}); err != nil {{",
                "\t\tlog.Fatal(err)",
                "\t}",
            )
            g.add(f"\tfile{i}.Close()")
        else:
            g.imports.add("encoding/base64")
            g.check(f"data{i}", f"base64.StdEncoding.DecodeString({go_str(b64(part.data or b''))})")
            g.add(
                f"\tif _, err := {var}.Write(data{i}); err != nil {{", "\t\tlog.Fatal(err)", "\t}"
            )
    g.add("\tif err := form.Close(); err != nil {", "\t\tlog.Fatal(err)", "\t}", "")
    return "&body"


def _quoted(text: str) -> str:
    # The escaping mime/multipart applies to names in CreateFormFile.
    return text.replace("\\", "\\\\").replace('"', '\\"')


def render(request: Request) -> Snippet:
    p = plan(request, target="go-nethttp", versions=VERSIONS)
    effective = effective_version(p, VERSIONS)
    p.drop(FRAMING, FRAMING_WHY)
    auth = library_auth(p)
    basic = isinstance(auth, BasicAuth)
    headers = p.headers + added_headers(p, auth=not basic)
    warn_trimmed(p, headers, "net/http")
    if effective == "HTTP/2":
        p.warn("HTTP/2 sends header names in lower case")
    elif _sorted_differs(headers):
        p.warn("net/http writes headers sorted by name, not in the request's order")

    g = _Go(p)
    _client(g, effective)
    reader = _body(g)
    g.check("req", f"http.NewRequest({_method(p.method)}, {go_str(wire_url(p.url))}, {reader})")
    _headers(g, headers)
    if isinstance(p.body, MultipartBody):
        g.add('\treq.Header["Content-Type"] = []string{form.FormDataContentType()}')
    if closes_after_downgrade(p, effective):
        g.add("\t// HTTP/1.0 without keep-alive closes the connection; say so in HTTP/1.1.")
        g.add("\treq.Close = true")
    if basic:
        assert isinstance(auth, BasicAuth)
        g.add(f"\treq.SetBasicAuth({go_str(auth.username)}, {go_str(auth.password)})")
    g.add("")
    g.check("resp", "client.Do(req)")
    g.add("\tdefer resp.Body.Close()", "")
    g.check("data", "io.ReadAll(resp.Body)")
    g.add(
        "\tfmt.Println(resp.Status)",
        "\tfmt.Println(string(data))",
    )
    imports = "\n".join(f'\t"{i}"' for i in sorted(g.imports))
    code = f"package main\n\nimport (\n{imports}\n)\n\nfunc main() {{\n" + "\n".join(g.lines)
    return Snippet(code.replace("\t\n", "\n") + "\n}\n", tuple(p.warnings))


def _headers(g: _Go, headers: list[tuple[str, str]]) -> None:
    # One map key per name (the first spelling): Go writes keys sorted, so
    # "X-Dup" and "x-dup" as two keys could swap the order of their values.
    values: dict[str, list[str]] = {}
    spelling: dict[str, str] = {}
    host = None
    for name, value in headers:
        if name.lower() == "host":
            host = value
        else:
            key = spelling.setdefault(name.lower(), name)
            values.setdefault(key, []).append(value)
    if values:
        g.add(
            "\t// Assigned directly so each name keeps its case (Header.Set would canonicalise it)."
        )
    for name, vals in values.items():
        g.add(f"\treq.Header[{go_str(name)}] = []string{{{', '.join(map(go_str, vals))}}}")
    if host is not None:
        g.add(f"\treq.Host = {go_str(host)}")


def _sorted_differs(headers: list[tuple[str, str]]) -> bool:
    names = [n for n, _ in headers if n.lower() != "host"]
    return names != sorted(names)


TARGETS = [
    Target(
        "go-nethttp",
        "Go",
        "net/http",
        render,
        filename="main.go",
        limitations=(
            "HTTP/1.0 cannot be chosen",
            "headers are written sorted by name",
            "no digest authentication",
        ),
    )
]

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

from reqlab.codegen import _goidiom
from reqlab.codegen._escape import go_str
from reqlab.codegen._gosrc import GoSource, body_reader, duration, fields, method_literal
from reqlab.codegen._plan import plan
from reqlab.codegen._shared import (
    FRAMING,
    FRAMING_WHY,
    added_headers,
    closes_after_downgrade,
    effective_version,
    library_auth,
    warn_trimmed,
)
from reqlab.codegen._target import Snippet, Target
from reqlab.codegen._wire import wire_url
from reqlab.model import BasicAuth, MultipartBody, Request

VERSIONS = ("HTTP/1.1", "HTTP/2")


def _client(g: GoSource, effective: str | None) -> None:
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
        dialer = f"(&net.Dialer{{Timeout: {duration(opts.connect_timeout)}}}).DialContext"
        transport.append(("DialContext", dialer))
    if not opts.verify and p.request.scheme == "https":
        g.imports.add("crypto/tls")
        transport.append(("TLSClientConfig", "&tls.Config{InsecureSkipVerify: true}"))
    if transport:
        g.add("\ttransport := &http.Transport{", *fields(transport), "\t}")
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
        client.append(("Timeout", duration(opts.timeout)))
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
    g.add(f"\t{comment}", "\tclient := &http.Client{", *fields(client), "\t}", "")


def render(request: Request) -> Snippet:
    return _render(request, idiomatic=False)


def render_idiomatic(request: Request) -> Snippet:
    return _render(request, idiomatic=True)


def _render(request: Request, *, idiomatic: bool) -> Snippet:
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
    if idiomatic:
        snippet = _goidiom.render(p, effective)
        if snippet is not None:
            return snippet

    g = GoSource(p)
    _client(g, effective)
    reader = body_reader(g)
    g.check(
        "req", f"http.NewRequest({method_literal(p.method)}, {go_str(wire_url(p.url))}, {reader})"
    )
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


def _headers(g: GoSource, headers: list[tuple[str, str]]) -> None:
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
        idiomatic=render_idiomatic,
        idiomatic_changes=(
            "header names canonicalised by Header.Set (x-api-key becomes X-Api-Key)",
            "Accept-Encoding: gzip added and redirects followed (net/http's defaults)",
            "a 30 s context timeout when the request has none",
        ),
    )
]

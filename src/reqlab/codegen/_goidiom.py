"""go-nethttp in the idiomatic style: what a Go developer writes.

``http.NewRequestWithContext`` under ``context.WithTimeout`` (the net/http
and context package docs), ``req.Header.Set`` and ``Add`` (names
canonicalised, as net/http does for every header it writes), the JSON body
as a raw string literal, ``http.DefaultClient`` with net/http's defaults
(redirects followed, ``Accept-Encoding: gzip`` added and the response
decoded), and a status check.  A request that needs a configured transport
(keep-alive off, HTTP/2 without TLS, a connect timeout, certificate checks
off, a redirect limit) returns None: the caller writes the exact snippet,
whose ``http.Transport`` says those things.
"""

from __future__ import annotations

import json

from reqlab.codegen._escape import go_str
from reqlab.codegen._gosrc import GoSource, body_reader, duration, method_literal
from reqlab.codegen._idiom import timeout_of
from reqlab.codegen._plan import Plan
from reqlab.codegen._shared import added_headers, closes_after_downgrade, library_auth
from reqlab.codegen._target import Snippet
from reqlab.codegen._wire import wire_url
from reqlab.model import BasicAuth, JsonBody, MultipartBody


def needs_transport(p: Plan, effective: str | None) -> bool:
    o = p.request.options
    insecure = not o.verify and p.request.scheme == "https"
    redirects = o.follow_redirects and o.max_redirects != 10
    return (
        not p.reuse
        or effective == "HTTP/2"
        or bool(o.connect_timeout)
        or insecure
        or redirects
        or o.compressed
    )


def render(p: Plan, effective: str | None) -> Snippet | None:
    """The idiomatic snippet for a plan already settled by ``go.render``'s rules."""
    if needs_transport(p, effective):
        return None
    auth = library_auth(p)
    basic = isinstance(auth, BasicAuth)
    headers = p.headers + added_headers(p, auth=not basic)
    g = GoSource(p)
    g.imports |= {"context", "time"}
    g.add(
        f"\tctx, cancel := context.WithTimeout(context.Background(), "
        # gofmt writes a product inside a call's arguments without spaces.
        f"{duration(timeout_of(p.request)).replace(' * ', '*')})",
        "\tdefer cancel()",
        "",
    )
    reader = _json_reader(g, p.body) if isinstance(p.body, JsonBody) else body_reader(g)
    request = f"http.NewRequestWithContext(ctx, {method_literal(p.method)}, {go_str(wire_url(p.url))}, {reader})"
    g.check("req", request)
    _headers(g, headers)
    if isinstance(p.body, MultipartBody):
        g.add('\treq.Header.Set("Content-Type", form.FormDataContentType())')
    if closes_after_downgrade(p, effective):
        g.add("\treq.Close = true // HTTP/1.0 without keep-alive: close after this exchange")
    if basic:
        assert isinstance(auth, BasicAuth)
        g.add(f"\treq.SetBasicAuth({go_str(auth.username)}, {go_str(auth.password)})")
    g.add("")
    g.check("resp", "http.DefaultClient.Do(req)")
    g.add("\tdefer resp.Body.Close()", "")
    g.check("data", "io.ReadAll(resp.Body)")
    g.add(
        "\tif resp.StatusCode < 200 || resp.StatusCode > 299 {",
        '\t\tlog.Fatalf("%s: %s", resp.Status, data)',
        "\t}",
        "\tfmt.Println(resp.Status)",
        "\tfmt.Println(string(data))",
    )
    imports = "\n".join(f'\t"{i}"' for i in sorted(g.imports))
    code = f"package main\n\nimport (\n{imports}\n)\n\nfunc main() {{\n" + "\n".join(g.lines)
    return Snippet(code.replace("\t\n", "\n") + "\n}\n", tuple(p.warnings))


def _json_reader(g: GoSource, body: JsonBody) -> str:
    """The JSON as a raw string literal, indented when it is long (Go cannot
    put a backtick in a raw string: then an interpreted one)."""
    g.imports.add("strings")
    text = json.dumps(body.value, ensure_ascii=False, separators=(",", ":"))
    if len(text) > 60:
        text = json.dumps(body.value, ensure_ascii=False, indent="\t")
    if "`" in text or "\r" in text:
        return f"strings.NewReader({go_str(text)})"
    g.add(f"\tpayload := `{text}`".replace("\n", "\n\t"))
    return "strings.NewReader(payload)"


def _headers(g: GoSource, headers: list[tuple[str, str]]) -> None:
    seen: set[str] = set()
    for name, value in headers:
        if name.lower() == "host":
            g.add(f"\treq.Host = {go_str(value)}")  # net/http takes Host from here
            continue
        verb = "Add" if name.lower() in seen else "Set"
        seen.add(name.lower())
        g.add(f"\treq.Header.{verb}({go_str(name)}, {go_str(value)})")

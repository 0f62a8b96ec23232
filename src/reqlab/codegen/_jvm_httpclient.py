"""Java: java.net.http.HttpClient (java-httpclient, Java 11+).

Idioms chosen: one ``HttpClient`` (it pools connections); ``.version()``
set to HTTP/1.1 on plain http:// (the JDK's default HTTP/2 would first try
an ``Upgrade: h2c`` dance) and HTTP/2 when asked; bodies through
``BodyPublishers.ofString``/``ofByteArray``/``ofFile``, which add no
Content-Type of their own.  The JDK refuses the restricted headers Host,
Connection, Expect and Upgrade unless ``jdk.httpclient.allowRestrictedHeaders``
names them: the snippet sets that property (first thing in ``main``, before
the client classes load) when the request needs one.  Content-Length is
always the JDK's.  multipart/form-data has no publisher in the JDK, so a
small helper writes the parts with a random boundary.
"""

from __future__ import annotations

from reqlab.codegen._escape import java_str
from reqlab.codegen._idiom import timeout_of
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
    settle_connection,
    warn_trimmed,
)
from reqlab.codegen._target import Snippet
from reqlab.codegen._wire import wire_url
from reqlab.model import BasicAuth, BearerAuth, BytesBody, MultipartBody, MultipartFile, Request

VERSIONS = ("HTTP/1.1", "HTTP/2")
RESTRICTED = ("connection", "expect", "host", "upgrade")
_PARTS_HELPERS = """
    private static void addField(ByteArrayOutputStream out, String boundary, String name,
            String value) throws IOException {
        out.write(("--" + boundary + "\\r\\nContent-Disposition: form-data; name=\\"" + name
                + "\\"\\r\\n\\r\\n" + value + "\\r\\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void addFile(ByteArrayOutputStream out, String boundary, String name,
            String filename, String contentType, byte[] data) throws IOException {
        out.write(("--" + boundary + "\\r\\nContent-Disposition: form-data; name=\\"" + name
                + "\\"; filename=\\"" + filename + "\\"\\r\\nContent-Type: " + contentType
                + "\\r\\n\\r\\n").getBytes(StandardCharsets.UTF_8));
        out.write(data);
        out.write("\\r\\n".getBytes(StandardCharsets.UTF_8));
    }
"""


def _quoted(text: str) -> str:
    # As browsers (and reqlab) write names in Content-Disposition.
    return text.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def _ms(seconds: float) -> str:
    if float(seconds).is_integer():
        return f"Duration.ofSeconds({int(seconds)})"
    return f"Duration.ofMillis({int(seconds * 1000)})"


class _Java:
    def __init__(self, p: Plan) -> None:
        self.p = p
        self.imports = {
            "java.net.URI",
            "java.net.http.HttpClient",
            "java.net.http.HttpRequest",
            "java.net.http.HttpResponse",
        }
        self.prelude: list[str] = []  # statements before the request is built
        self.helpers = ""

    def body(self) -> str:
        """The BodyPublisher expression (and any statements it needs)."""
        p, body = self.p, self.p.body
        text = body_text(p)
        if text is not None:
            return f"HttpRequest.BodyPublishers.ofString({java_str(text)})"
        if isinstance(body, BytesBody) and body.path is not None:
            self.imports.add("java.nio.file.Path")
            return f"HttpRequest.BodyPublishers.ofFile(Path.of({java_str(body.path)}))"
        if isinstance(body, BytesBody):
            self.imports.add("java.util.Base64")
            decoded = f"Base64.getDecoder().decode({java_str(b64(body.data or b''))})"
            return f"HttpRequest.BodyPublishers.ofByteArray({decoded})"
        if isinstance(body, MultipartBody):
            return self.multipart(body)
        return "HttpRequest.BodyPublishers.noBody()"

    def multipart(self, body: MultipartBody) -> str:
        self.imports |= {
            "java.io.ByteArrayOutputStream",
            "java.io.IOException",
            "java.nio.charset.StandardCharsets",
            "java.util.UUID",
        }
        self.helpers = _PARTS_HELPERS
        add = self.prelude.append
        add("// The JDK has no multipart publisher: write the parts with a fresh boundary.")
        add(
            'String boundary = "----JavaFormBoundary" + UUID.randomUUID().toString().replace("-", "");'
        )
        add("ByteArrayOutputStream form = new ByteArrayOutputStream();")
        for part in body.parts:
            name = java_str(_quoted(part.name))
            if not isinstance(part, MultipartFile):
                add(f"addField(form, boundary, {name}, {java_str(part.value)});")
                continue
            if part.path is not None:
                self.imports |= {"java.nio.file.Files", "java.nio.file.Path"}
                data = f"Files.readAllBytes(Path.of({java_str(part.path)}))"
            else:
                self.imports.add("java.util.Base64")
                data = f"Base64.getDecoder().decode({java_str(b64(part.data or b''))})"
            ctype = java_str(part.content_type or "application/octet-stream")
            add(f"addFile(form, boundary, {name}, {java_str(_quoted(part.filename))}, {ctype},")
            add(f"        {data});")
        add('form.write(("--" + boundary + "--\\r\\n").getBytes(StandardCharsets.UTF_8));')
        return "HttpRequest.BodyPublishers.ofByteArray(form.toByteArray())"


def render(request: Request) -> Snippet:
    return _render(request, idiomatic=False)


def render_idiomatic(request: Request) -> Snippet:
    """What the ``java.net.http`` docs show: the query and a form built with
    ``URLEncoder``, JSON as a text block through ``BodyPublishers.ofString``,
    a request ``timeout`` and the status checked."""
    return _render(request, idiomatic=True)


def _render(request: Request, *, idiomatic: bool) -> Snippet:
    p = plan(request, target="java-httpclient", versions=VERSIONS)
    effective = effective_version(p, VERSIONS)
    settle_connection(p, effective)
    p.drop(FRAMING, FRAMING_WHY)
    p.drop(
        [n for n, v in p.headers if not v.isascii()],
        "the JDK writes header values as ASCII (other characters become '?')",
    )
    auth = library_auth(p)
    plain = p.headers + added_headers(p, auth=False)
    warn_trimmed(p, plain, "the JDK")
    headers = [(n, java_str(v)) for n, v in plain]
    j = _Java(p)
    if isinstance(auth, BasicAuth):
        j.imports |= {"java.util.Base64", "java.nio.charset.StandardCharsets"}
        creds = java_str(f"{auth.username}:{auth.password}")
        j.prelude.append(
            "String credentials = Base64.getEncoder()"
            f".encodeToString({creds}.getBytes(StandardCharsets.UTF_8));"
        )
        headers.append(("Authorization", '"Basic " + credentials'))
    elif isinstance(auth, BearerAuth):
        headers.append(("Authorization", java_str("Bearer " + auth.token)))
    if closes_after_downgrade(p, effective):
        headers.append(("Connection", '"close"'))
    url = java_str(wire_url(p.url))  # a Java expression
    if idiomatic:
        from reqlab.codegen._javaidiom import idiomatic_body, idiomatic_query

        url = idiomatic_query(j, request)
        publisher = idiomatic_body(j) or j.body()
    else:
        publisher = j.body()
    if isinstance(p.body, MultipartBody):
        headers.append(("Content-Type", '"multipart/form-data; boundary=" + boundary'))

    lines = []
    restricted = sorted(dict.fromkeys(n.lower() for n, _ in headers if n.lower() in RESTRICTED))
    if restricted:
        lines.append("// The JDK refuses these headers unless they are allowed before first use.")
        lines.append(
            'System.setProperty("jdk.httpclient.allowRestrictedHeaders", '
            f"{java_str(','.join(restricted))});"
        )
    lines += _client(j, effective)
    lines += j.prelude
    if j.prelude:
        lines.append("")
    lines.append(f"HttpRequest request = HttpRequest.newBuilder(URI.create({url}))")
    timeout = timeout_of(request) if idiomatic else request.options.timeout
    if timeout:
        j.imports.add("java.time.Duration")
        lines.append(f"        .timeout({_ms(timeout)})")
    for name, value in headers:
        lines.append(f"        .header({java_str(name)}, {value})")
    lines.append(f"        {_method(p, publisher)}")
    lines.append("        .build();")
    lines += [
        "",
        "HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());",
        *(
            [
                "if (response.statusCode() >= 400) {",
                '    throw new IllegalStateException("HTTP " + response.statusCode());',
                "}",
            ]
            if idiomatic
            else []
        ),
        "System.out.println(response.statusCode());",
        "System.out.println(response.body());",
    ]
    body = "\n".join(f"        {line}" if line else "" for line in lines)
    imports = "\n".join(f"import {i};" for i in sorted(j.imports))
    code = (
        f"{imports}\n\npublic class Main {{\n"
        f"    public static void main(String[] args) throws Exception {{\n{body}\n    }}\n"
        f"{j.helpers}}}\n"
    )
    return Snippet(code, tuple(p.warnings))


def _client(j: _Java, effective: str | None) -> list[str]:
    p, opts = j.p, j.p.request.options
    calls = []
    if effective == "HTTP/2":
        calls.append(".version(HttpClient.Version.HTTP_2)")
        if p.request.scheme == "http":
            p.warn(
                "the JDK reaches HTTP/2 on http:// only by upgrading: the request goes out as"
                " HTTP/1.1 with Upgrade: h2c and HTTP2-Settings, the answer comes back in HTTP/2"
            )
    elif p.request.scheme == "http" or p.version is not None:
        calls.append(".version(HttpClient.Version.HTTP_1_1)")
    if opts.follow_redirects:
        calls.append(".followRedirects(HttpClient.Redirect.NORMAL)")
        if opts.max_redirects != 5:
            p.warn(f"the JDK follows at most 5 redirects, not {opts.max_redirects}")
    if opts.connect_timeout:
        j.imports.add("java.time.Duration")
        calls.append(f".connectTimeout({_ms(opts.connect_timeout)})")
    if not opts.verify and p.request.scheme == "https":
        p.warn("certificate checks cannot be switched off without a custom SSLContext")
    if not p.reuse and "connection" not in p.header_names():
        p.warn("the JDK client always pools connections (keep-alive cannot be turned off)")
    comment = "// One client for the whole program: it pools connections and keeps them alive."
    lines = [comment, "HttpClient client = HttpClient.newBuilder()"]
    lines += [f"        {c}" for c in calls]
    lines += ["        .build();", ""]
    return lines


def _method(p: Plan, publisher: str) -> str:
    method, has_body = p.method, p.body is not None
    if method == "GET" and not has_body:
        return ".GET()"
    if method == "DELETE" and not has_body:
        return ".DELETE()"
    if method in ("POST", "PUT"):
        return f".{method}({publisher})"
    return f".method({java_str(method)}, {publisher})"

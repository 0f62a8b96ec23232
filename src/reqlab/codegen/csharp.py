"""C#: System.Net.Http.HttpClient (csharp-httpclient), for mono's ``mcs`` and .NET.

Idioms chosen: a classic ``class Program`` with ``static void Main`` (no
top-level statements, no async Main: mcs knows neither), awaiting with
``.GetAwaiter().GetResult()``; one static ``HttpClient`` (it pools
connections); an ``HttpRequestMessage`` whose headers are added with
``TryAddWithoutValidation`` (values exactly as written); bodies as
``ByteArrayContent`` with the Content-Type added as written, because
``StringContent`` appends ``; charset=utf-8``; content headers
(Content-Type, Content-Language, ...) go on the content, as .NET requires;
``MultipartFormDataContent`` with the file read at run time.  .NET writes
the values of a repeated header on one line, comma-joined, and refuses
non-ASCII header values: both are warned about.
"""

from __future__ import annotations

from reqlab.codegen import _csidiom
from reqlab.codegen._escape import csharp_str
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
)
from reqlab.codegen._target import Snippet, Target
from reqlab.codegen._wire import wire_url
from reqlab.model import (
    BasicAuth,
    BearerAuth,
    BytesBody,
    DigestAuth,
    MultipartBody,
    MultipartFile,
    Request,
)

VERSIONS = ("HTTP/1.0", "HTTP/1.1", "HTTP/2")
# Headers .NET keeps on HttpContent.Headers, not on the request's.
CONTENT_HEADERS = frozenset(
    {
        "allow",
        "content-disposition",
        "content-encoding",
        "content-language",
        "content-location",
        "content-md5",
        "content-range",
        "content-type",
        "expires",
        "last-modified",
    }
)
_STANDARD = {"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "TRACE"}
BUILD = "// Build and run: mcs -r:System.Net.Http.dll Program.cs && mono Program.exe"


# Headers .NET parses before writing them (even after TryAddWithoutValidation):
# their values come out re-serialised, list items joined by ", " and
# parameters by "; ".
_PARSED_LISTS = frozenset(
    {"accept", "accept-charset", "accept-encoding", "accept-language", "te", "cache-control"}
)


def dotnet_rewrite(name: str, value: str) -> str:
    """The value as .NET writes it for ``name`` (unchanged for headers it keeps raw)."""
    lower = name.lower()
    if lower not in _PARSED_LISTS and lower != "content-type":
        return value
    items = [value] if lower == "content-type" else value.split(",")
    out = []
    for item in items:
        params = [x.strip() for x in item.split(";")]
        if any(not x for x in params) or '"' in item:
            return value  # .NET keeps values it cannot parse as they are
        out.append("; ".join(params))
    return ", ".join(out)


# Namespace -> a name used from it; only the namespaces the code uses are imported.
_NAMESPACES = {
    "System.IO": "File.",
    "System.Net": ("HttpVersion.", "NetworkCredential", "DecompressionMethods"),
    "System.Net.Http.Headers": ("AuthenticationHeaderValue", "MediaTypeHeaderValue"),
    "System.Text": "Encoding.",
    "System.Threading.Tasks": "async Task",
    "System.Collections.Generic": "KeyValuePair",
}


def _usings(code: str) -> str:
    used = ["System", "System.Net.Http"]
    for namespace, names in _NAMESPACES.items():
        names = (names,) if isinstance(names, str) else names
        if any(n in code for n in names):
            used.append(namespace)
    return "".join(f"using {u};\n" for u in sorted(used))


def _method(method: str) -> str:
    if method in _STANDARD:
        return f"HttpMethod.{method.capitalize()}"
    return f"new HttpMethod({csharp_str(method)})"


def _seconds(value: float) -> str:
    return f"TimeSpan.FromSeconds({value!r})"


def _handler(p: Plan) -> list[str]:
    opts = p.request.options
    settings = [f"AllowAutoRedirect = {'true' if opts.follow_redirects else 'false'}"]
    if opts.follow_redirects:
        settings.append(f"MaxAutomaticRedirections = {max(1, opts.max_redirects)}")
    if any(n.lower() == "cookie" for n, _ in p.headers):
        settings.append("UseCookies = false")  # send the Cookie header as written
    if opts.compressed:
        settings.append(
            "AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate"
        )
    if not opts.verify and p.request.scheme == "https":
        settings.append(
            "ServerCertificateCustomValidationCallback ="
            " HttpClientHandler.DangerousAcceptAnyServerCertificateValidator"
        )
    auth = library_auth(p)
    if isinstance(auth, DigestAuth):
        settings.append(
            f"Credentials = new NetworkCredential({csharp_str(auth.username)},"
            f" {csharp_str(auth.password)})"
        )
    return settings


def _content(p: Plan, lines: list[str]) -> str | None:
    """Statements that build ``request.Content``; returns its variable or None."""
    body = p.body
    text = body_text(p)
    if text is not None:
        lines.append(
            f"var content = new ByteArrayContent(Encoding.UTF8.GetBytes({csharp_str(text)}));"
        )
    elif isinstance(body, BytesBody) and body.path is not None:
        lines.append(
            f"var content = new ByteArrayContent(File.ReadAllBytes({csharp_str(body.path)}));"
        )
    elif isinstance(body, BytesBody):
        data = csharp_str(b64(body.data or b""))
        lines.append(f"var content = new ByteArrayContent(Convert.FromBase64String({data}));")
    elif isinstance(body, MultipartBody):
        lines.append("var content = new MultipartFormDataContent();")
        for i, part in enumerate(body.parts):
            name = csharp_str(part.name)
            if not isinstance(part, MultipartFile):
                lines.append(f"content.Add(new StringContent({csharp_str(part.value)}), {name});")
                continue
            if part.path is not None:
                data = f"File.ReadAllBytes({csharp_str(part.path)})"
            else:
                data = f"Convert.FromBase64String({csharp_str(b64(part.data or b''))})"
            ctype = csharp_str(part.content_type or "application/octet-stream")
            lines.append(f"var file{i} = new ByteArrayContent({data});")
            lines.append(f'file{i}.Headers.TryAddWithoutValidation("Content-Type", {ctype});')
            # .NET refuses a quote inside a filename; browsers send it as %22.
            filename = csharp_str(part.filename.replace('"', "%22"))
            lines.append(f"content.Add(file{i}, {name}, {filename});")
    else:
        return None
    return "content"


def render(request: Request) -> Snippet:
    return _render(request, idiomatic=False)


def render_idiomatic(request: Request) -> Snippet:
    return _render(request, idiomatic=True)


def _render(request: Request, *, idiomatic: bool) -> Snippet:
    p = plan(request, target="csharp-httpclient", versions=VERSIONS, digest=True)
    effective = effective_version(p, VERSIONS)
    p.drop(FRAMING, FRAMING_WHY)
    p.drop(
        [n for n, v in p.headers if not v.isascii()],
        "HttpClient refuses header values that are not ASCII",
    )
    auth = library_auth(p)
    if isinstance(auth, DigestAuth):
        p.warn(
            "digest authentication through NetworkCredential works on .NET, but mono 6.8's"
            " HttpClient fails computing the digest (InvalidProgramException)"
        )
    headers = p.headers + added_headers(p, auth=False)
    seen: dict[str, str] = {}
    for name, _ in headers:
        seen.setdefault(name.lower(), name)
    repeated = sorted(
        {
            seen[n.lower()]
            for n, _ in headers
            if [h.lower() for h, _ in headers].count(n.lower()) > 1
        }
    )
    if repeated:
        p.warn(
            f"{', '.join(repeated)}: .NET sends the values of a repeated header on one line, comma-joined"
        )
    for name, value in headers:
        rewritten = dotnet_rewrite(name, value)
        if rewritten != value:
            p.warn(f"{name}: .NET parses the value and sends it as {rewritten!r}")
    body = p.body
    if isinstance(body, MultipartBody) and any(
        not part.name.isascii() or (isinstance(part, MultipartFile) and not part.filename.isascii())
        for part in body.parts
    ):
        p.warn(".NET writes non-ASCII multipart names and filenames as RFC 2047 encoded words")
    if effective == "HTTP/2":
        p.warn(
            "mono's HttpClient speaks HTTP/1.1 only: the request's HTTP/2 becomes HTTP/1.1"
            " (on .NET 5+, h2c also needs request.VersionPolicy = RequestVersionExact)"
        )

    main: list[str] = []
    main.append(
        f"var request = new HttpRequestMessage({_method(p.method)}, {csharp_str(wire_url(p.url))});"
    )
    if effective == "HTTP/1.0":
        main.append("request.Version = HttpVersion.Version10;")
    elif effective == "HTTP/2":
        main.append("request.Version = new Version(2, 0);")
    if idiomatic and _csidiom.content(p, headers, main):
        content: str | None = "content"
    else:
        content = _content(p, main) if p.body is not None else None
    for name, value in headers:
        if name.lower() in CONTENT_HEADERS:
            if content is None:
                main.append("var content = new ByteArrayContent(new byte[0]);")
                content = "content"
            main.append(
                f"content.Headers.TryAddWithoutValidation({csharp_str(name)}, {csharp_str(value)});"
            )
        else:
            main.append(
                f"request.Headers.TryAddWithoutValidation({csharp_str(name)}, {csharp_str(value)});"
            )
    if isinstance(auth, BasicAuth):
        creds = csharp_str(f"{auth.username}:{auth.password}")
        main.append(
            "request.Headers.Authorization = new AuthenticationHeaderValue("
            f'"Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes({creds})));'
        )
    elif isinstance(auth, BearerAuth):
        main.append(
            "request.Headers.Authorization = new AuthenticationHeaderValue("
            f'"Bearer", {csharp_str(auth.token)});'
        )
    if closes_after_downgrade(p, effective) or (
        not p.reuse and "connection" not in p.header_names()
    ):
        main.append("request.Headers.ConnectionClose = true;")
        if not p.reuse and not closes_after_downgrade(p, effective):
            p.warn("keep-alive off: the request says Connection: close")
    if content is not None:
        main.append("request.Content = content;")
    main += (
        _csidiom.SEND
        if idiomatic
        else [
            "",
            "using (var response = Client.SendAsync(request).GetAwaiter().GetResult())",
            "{",
            "    Console.WriteLine((int)response.StatusCode);",
            "    Console.WriteLine(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());",
            "}",
        ]
    )
    if request.options.connect_timeout:
        p.warn("HttpClientHandler has no separate connect timeout")
    settings = "".join(f"        {s},\n" for s in _handler(p))
    client = f"new HttpClient(new HttpClientHandler\n    {{\n{settings}    }})"
    if request.options.timeout:
        client += f"\n    {{\n        Timeout = {_seconds(request.options.timeout)},\n    }}"
    if idiomatic:
        client = _csidiom.client(_handler(p), p)
    comment = "One HttpClient for the whole program: it pools connections and keeps them alive."
    main_body = "\n".join(f"        {line}" if line else "" for line in main)
    program = (
        "class Program\n{\n"
        f"    // {comment}\n"
        f"    static readonly HttpClient Client = {client};\n\n"
        + ("\n".join(_csidiom.MAIN) if idiomatic else "    static void Main()")
        + "\n    {\n"
        f"{main_body}\n    }}\n}}\n"
    )
    code = f"{BUILD}\n{_usings(program)}\n{program}"
    return Snippet(code, tuple(p.warnings))


TARGETS = [
    Target(
        "csharp-httpclient",
        "C#",
        "System.Net.Http.HttpClient",
        render,
        filename="Program.cs",
        limitations=(
            "a repeated header is sent on one line, its values comma-joined",
            "header values must be ASCII",
            "HTTP/2 is not available on mono (it is on .NET 5+)",
            "well-known header names are written in .NET's own case",
        ),
        idiomatic=render_idiomatic,
        idiomatic_changes=(
            "a form encoded by FormUrlEncodedContent (spaces as +)",
            "redirects followed (HttpClientHandler's default)",
            "a 30 s HttpClient.Timeout when the request has none",
        ),
    )
]

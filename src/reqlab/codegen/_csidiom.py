"""csharp-httpclient in the idiomatic style: what a C# developer writes.

``await`` throughout an ``async Task`` method, ``StringContent`` for text
and JSON with its ``Headers.ContentType`` set to the request's type (so no
``; charset=utf-8`` is appended), ``FormUrlEncodedContent`` for forms,
``EnsureSuccessStatusCode()``, one static ``HttpClient`` with a ``Timeout``
and HttpClientHandler's defaults (redirects followed) unless the request
needs a handler setting.  mono's ``mcs``, the only C# compiler here (Debian
has no ``dotnet`` SDK), knows no ``async Task Main``: ``Main`` waits for
``RunAsync`` once, the pattern from before C# 7.1.
"""

from __future__ import annotations

from reqlab.codegen._escape import csharp_str
from reqlab.codegen._idiom import timeout_of
from reqlab.codegen._plan import Plan
from reqlab.codegen._shared import text_of
from reqlab.model import FormBody, JsonBody, TextBody

MAIN = [
    "    // mcs (mono) has no async Main; on .NET 6+ write `static async Task Main()`.",
    "    static void Main() => RunAsync().GetAwaiter().GetResult();",
    "",
    "    static async Task RunAsync()",
]
SEND = [
    "",
    "using (var response = await Client.SendAsync(request))",
    "{",
    "    response.EnsureSuccessStatusCode();",
    "    Console.WriteLine((int)response.StatusCode);",
    "    Console.WriteLine(await response.Content.ReadAsStringAsync());",
    "}",
]


def content(p: Plan, headers: list[tuple[str, str]], lines: list[str]) -> bool:
    """Statements for a text, JSON or form body as the .NET content types
    made for them; False when the exact style's ByteArrayContent must do
    (bytes, files, multipart, a Content-Type .NET cannot parse as written).
    The Content-Type (when one is sent) is then in ``headers`` no more."""
    body = p.body
    if not isinstance(body, TextBody | JsonBody | FormBody):
        return False
    ctypes = [v for n, v in headers if n.lower() == "content-type"]
    if len(ctypes) > 1 or any('"' in v for v in ctypes):
        return False
    if isinstance(body, FormBody):
        lines += ["var content = new FormUrlEncodedContent(new[]", "{"]
        lines += [
            f"    new KeyValuePair<string, string>({csharp_str(n)}, {csharp_str(v)}),"
            for n, v in body.fields
        ]
        lines.append("});")
    else:
        lines.append(f"var content = new StringContent({csharp_str(text_of(body) or '')});")
    if ctypes:
        value = csharp_str(ctypes[0])
        lines.append(f"content.Headers.ContentType = MediaTypeHeaderValue.Parse({value});")
    else:  # StringContent would say text/plain; the request names no type
        lines.append("content.Headers.ContentType = null;")
    headers[:] = [h for h in headers if h[0].lower() != "content-type"]
    return True


def client(handler: list[str], p: Plan) -> str:
    """The HttpClient: a handler only for settings that are not its defaults."""
    needed = [s for s in handler if s not in ("AllowAutoRedirect = false",)]
    needed = [s for s in needed if not s.startswith("MaxAutomaticRedirections = 10")]
    if p.request.options.follow_redirects:
        needed = [s for s in needed if s != "AllowAutoRedirect = true"]
    timeout = f"Timeout = TimeSpan.FromSeconds({timeout_of(p.request)!r})"
    if not needed:
        return f"new HttpClient {{ {timeout} }}"
    settings = "".join(f"        {s},\n" for s in needed)
    return f"new HttpClient(new HttpClientHandler\n    {{\n{settings}    }})\n    {{ {timeout} }}"

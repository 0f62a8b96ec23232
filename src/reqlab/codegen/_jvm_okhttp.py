"""OkHttp 4, spelled in Java (java-okhttp) and Kotlin (kotlin-okhttp).

The decisions are made once (:func:`_decide`) and spelled by two small
writers.  Idioms chosen: one ``OkHttpClient`` (connection pool);
``addHeader`` keeps order, case and duplicates (``Headers.Builder``'s
``addUnsafeNonAscii`` when a value is not ASCII); bodies are created from
byte arrays, never Strings, because ``RequestBody.create(String, ...)``
appends ``; charset=utf-8`` to the Content-Type; a ``Content-Type`` header
becomes the body's ``MediaType`` (whose ``toString`` is the text as
written); ``MultipartBody.Builder`` for uploads with the file read at run
time; ``H2_PRIOR_KNOWLEDGE`` for HTTP/2 over plain TCP; redirects off unless
the request follows them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from reqlab.codegen._escape import java_str, kotlin_str
from reqlab.codegen._idiom import split_query, timeout_of
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
from reqlab.codegen._target import Snippet
from reqlab.codegen._wire import wire_url
from reqlab.model import (
    BasicAuth,
    BytesBody,
    FormBody,
    JsonBody,
    MultipartBody,
    MultipartFile,
    Request,
)

VERSIONS = ("HTTP/1.1", "HTTP/2")
LIMITATIONS = (
    "HTTP/1.0 cannot be chosen",
    "GET and HEAD cannot carry a body",
    "no digest authentication",
    "adds Accept-Encoding: gzip unless the request sets Accept-Encoding",
)

# OkHttp's HttpMethod.requiresRequestBody: it refuses these without a body,
# so a request without one is sent with an empty one (Content-Length: 0).
NEEDS_BODY = ("POST", "PUT", "PATCH", "PROPPATCH", "REPORT")


@dataclass
class _Decided:
    p: Plan
    client: list[tuple[str, str]] = field(default_factory=list)  # (java, kotlin) builder calls
    headers: list[tuple[str, str]] = field(default_factory=list)  # name, value (text)
    auth: BasicAuth | None = None
    media: str | None = None  # the body's MediaType, as written
    body: str = "none"  # none, empty, text, file, inline, multipart, form, json
    idiomatic: bool = False
    query: list[tuple[str, str]] = field(default_factory=list)  # for HttpUrl's builder
    url: str = ""  # the URL without the query the builder adds


def _decide(request: Request, target: str, idiomatic: bool = False) -> _Decided:
    p = plan(request, target=target, versions=VERSIONS)
    effective = effective_version(p, VERSIONS)
    p.drop(FRAMING, FRAMING_WHY)
    d = _Decided(p, idiomatic=idiomatic, url=wire_url(p.url))
    opts = request.options
    if idiomatic:
        d.url, d.query = split_query(request)
    if not opts.follow_redirects and not idiomatic:
        d.client.append((".followRedirects(false)", ".followRedirects(false)"))
    elif opts.follow_redirects and opts.max_redirects != 20:
        p.warn(f"OkHttp follows up to 20 redirects, not {opts.max_redirects}")
    timeout = timeout_of(request) if idiomatic else opts.timeout
    if timeout:
        call = f".callTimeout(Duration.ofMillis({int(timeout * 1000)}))"
        if float(timeout).is_integer():
            call = f".callTimeout(Duration.ofSeconds({int(timeout)}))"
        d.client.append((call, call))
    if opts.connect_timeout:
        call = f".connectTimeout(Duration.ofMillis({int(opts.connect_timeout * 1000)}))"
        d.client.append((call, call))
    if effective == "HTTP/2" and request.scheme == "http":
        d.client.append(
            (
                ".protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE))",
                ".protocols(listOf(Protocol.H2_PRIOR_KNOWLEDGE))",
            )
        )
    if not p.reuse:
        d.client.append(
            (
                ".connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS))",
                ".connectionPool(ConnectionPool(0, 1, TimeUnit.SECONDS))",
            )
        )
    if not opts.verify and request.scheme == "https":
        p.warn("certificate checks cannot be switched off without a custom SSLSocketFactory")
    auth = library_auth(p)
    d.auth = auth if isinstance(auth, BasicAuth) else None
    d.headers = p.headers + added_headers(p, auth=d.auth is None)
    warn_trimmed(p, d.headers, "OkHttp")
    if closes_after_downgrade(p, effective):
        d.headers.append(("Connection", "close"))
    if d.auth is not None:
        d.headers.append(("Authorization", "\0basic"))
    body = p.body
    if body is not None and p.method in ("GET", "HEAD"):
        p.warn(f"OkHttp refuses a body on {p.method}; the body is not sent")
        body = None
    types = [h for h in d.headers if h[0].lower() == "content-type"]
    if body is not None and len(types) == 1 and types[0][0] == "Content-Type":
        d.media = types[0][1]
        d.headers.remove(types[0])
    if body is None:
        d.body = "empty" if p.method in NEEDS_BODY else "none"
    elif idiomatic and isinstance(body, FormBody) and d.media == FORM_TYPE and body.fields:
        d.body, d.media = "form", None  # FormBody says this type itself
    elif idiomatic and isinstance(body, JsonBody) and _json_text(body.value) is not None:
        d.body = "json"
    elif body_text(p) is not None:
        d.body = "text"
    elif isinstance(body, BytesBody):
        d.body = "file" if body.path is not None else "inline"
    elif isinstance(body, MultipartBody):
        d.body = "multipart"
    return d


class _Writer:
    """Spells the decisions; the Java writer, Kotlin overrides the differences."""

    str_ = staticmethod(java_str)
    new = "new "

    def __init__(self, d: _Decided) -> None:
        self.d = d
        self.imports = {"okhttp3.OkHttpClient", "okhttp3.Request"}
        self.unsafe = False  # a header value is not ASCII: Headers.Builder needed

    def media(self, value: str | None) -> str:
        if value is None:
            return "null"
        self.imports.add("okhttp3.MediaType")
        return f"MediaType.get({self.str_(value)})"

    def from_bytes(self, data: str, media: str) -> str:
        self.imports.add("okhttp3.RequestBody")
        return f"RequestBody.create({data}, {media})"

    def from_file(self, path: str, media: str) -> str:
        self.imports |= {"okhttp3.RequestBody", "java.io.File"}
        return f"RequestBody.create({self.new}File({self.str_(path)}), {media})"

    def text_bytes(self, text: str) -> str:
        self.imports.add("java.nio.charset.StandardCharsets")
        return f"{self.str_(text)}.getBytes(StandardCharsets.UTF_8)"

    def empty_bytes(self) -> str:
        return "new byte[0]"

    def json_bytes(self, text: str) -> str:
        """The JSON as a text block (Java 15+), as bytes: a String body would
        gain '; charset=utf-8' in its Content-Type."""
        self.imports.add("java.nio.charset.StandardCharsets")
        escaped = text.replace("\\", "\\\\").replace('"""', '\\"""')
        if escaped.endswith('"'):  # '""""' would end the block one quote early
            escaped = escaped[:-1] + '\\"'
        lines = escaped.split("\n")
        body = "".join(f"\n        {line}" for line in lines)
        return f'"""{body}""".getBytes(StandardCharsets.UTF_8)'

    def url_lines(self) -> list[str]:
        """``HttpUrl url = ...`` with the query's parameters (the idiomatic style)."""
        self.imports.add("okhttp3.HttpUrl")
        adds = [
            f"        .addQueryParameter({self.str_(n)}, {self.str_(v)})" for n, v in self.d.query
        ]
        return [
            f"HttpUrl url = HttpUrl.get({self.str_(self.d.url)}).newBuilder()",
            *adds,
            "        .build();",
            "",
        ]

    def status_lines(self) -> list[str]:
        self.imports.add("java.io.IOException")
        return [
            "    if (!response.isSuccessful()) {",
            '        throw new IOException("Unexpected code " + response);',
            "    }",
        ]

    def base64(self, data: bytes) -> str:
        self.imports.add("java.util.Base64")
        return f"Base64.getDecoder().decode({self.str_(b64(data))})"

    def basic(self, auth: BasicAuth) -> str:
        self.imports |= {"okhttp3.Credentials", "java.nio.charset.StandardCharsets"}
        user, password = self.str_(auth.username), self.str_(auth.password)
        return f"Credentials.basic({user}, {password}, StandardCharsets.UTF_8)"

    def body(self) -> str | None:
        d, p = self.d, self.d.p
        body = p.body
        media = self.media(d.media)
        if d.body == "empty":
            return self.from_bytes(self.empty_bytes(), "null")
        if d.body == "text":
            return self.from_bytes(self.text_bytes(body_text(p) or ""), media)
        if isinstance(body, FormBody) and d.body == "form":
            self.imports.add("okhttp3.FormBody")
            adds = [f"        .add({self.str_(n)}, {self.str_(v)})" for n, v in body.fields]
            return "\n".join([f"{self.new}FormBody.Builder()", *adds, "        .build()"])
        if isinstance(body, JsonBody) and d.body == "json":
            return self.from_bytes(self.json_bytes(_json_text(body.value) or ""), media)
        if isinstance(body, BytesBody) and d.body == "file":
            return self.from_file(body.path or "", media)
        if isinstance(body, BytesBody) and d.body == "inline":
            return self.from_bytes(self.base64(body.data or b""), media)
        if isinstance(body, MultipartBody) and d.body == "multipart":
            return self.multipart(body)
        return None

    def multipart(self, body: MultipartBody) -> str:
        self.imports.add("okhttp3.MultipartBody")
        lines = [f"{self.new}MultipartBody.Builder()", "        .setType(MultipartBody.FORM)"]
        for part in body.parts:
            name = self.str_(part.name)
            if not isinstance(part, MultipartFile):
                lines.append(f"        .addFormDataPart({name}, {self.str_(part.value)})")
                continue
            media = self.media(part.content_type or "application/octet-stream")
            if part.path is not None:
                content = self.from_file(part.path, media)
            else:
                content = self.from_bytes(self.base64(part.data or b""), media)
            lines.append(f"        .addFormDataPart({name}, {self.str_(part.filename)},")
            lines.append(f"                {content})")
        lines.append("        .build()")
        return "\n".join(lines)

    def method(self, body: str | None) -> str:
        method = self.d.p.method
        if body is None and method in ("GET", "HEAD", "DELETE"):
            return f".{method.lower()}()"
        if body is not None and method in ("POST", "PUT", "PATCH", "DELETE"):
            return f".{method.lower()}(body)"
        return f".method({self.str_(method)}, {'body' if body else 'null'})"

    def header_calls(self) -> list[str]:
        headers = self.d.headers
        self.unsafe = unsafe = any(not v.isascii() for _, v in headers)
        calls = []
        for name, value in headers:
            literal = self.basic(self.d.auth) if value == "\0basic" and self.d.auth else None
            literal = literal or self.str_(value)
            add = "addUnsafeNonAscii" if unsafe and not value.isascii() else "add"
            calls.append(
                f".{add}({self.str_(name)}, {literal})"
                if unsafe
                else f".addHeader({self.str_(name)}, {literal})"
            )
        return calls

    def client(self) -> list[str]:
        calls = [java for java, _ in self.d.client]
        for call in calls:
            self._import_for(call)
        return calls

    def _import_for(self, call: str) -> None:
        if "Duration" in call:
            self.imports.add("java.time.Duration")
        if "Protocol." in call:
            self.imports |= {"okhttp3.Protocol", "java.util.List"}
        if "ConnectionPool" in call:
            self.imports |= {"okhttp3.ConnectionPool", "java.util.concurrent.TimeUnit"}

    def render(self) -> str:
        d = self.d
        client = self.client()
        body = self.body()
        headers = self.header_calls()
        lines = ["// One client for the whole program: it pools connections and keeps them alive."]
        lines.append("OkHttpClient client = new OkHttpClient.Builder()")
        lines += [f"        {c}" for c in client] + ["        .build();", ""]
        if body is not None:
            self.imports.add("okhttp3.RequestBody")
            lines += f"RequestBody body = {body};".split("\n") + [""]
        if self.unsafe:
            self.imports.add("okhttp3.Headers")
            lines.append("Headers headers = new Headers.Builder()")
            lines += [f"        {h}" for h in headers] + ["        .build();"]
            headers = [".headers(headers)"]
        url = self.str_(d.url)
        if d.query:
            lines += self.url_lines()
            url = "url"
        lines.append("Request request = new Request.Builder()")
        lines.append(f"        .url({url})")
        lines += [f"        {h}" for h in headers]
        lines += [f"        {self.method(body)}", "        .build();", ""]
        self.imports.add("okhttp3.Response")
        lines += [
            "try (Response response = client.newCall(request).execute()) {",
            *(self.status_lines() if d.idiomatic else []),
            "    System.out.println(response.code());",
            "    System.out.println(response.body().string());",
            "}",
        ]
        inner = "\n".join(f"        {line}" if line else "" for line in lines)
        imports = "\n".join(f"import {i};" for i in sorted(self.imports))
        return (
            f"{imports}\n\npublic class Main {{\n"
            f"    public static void main(String[] args) throws Exception {{\n{inner}\n    }}\n}}\n"
        )


class _KotlinWriter(_Writer):
    str_ = staticmethod(kotlin_str)
    new = ""

    def media(self, value: str | None) -> str:
        if value is None:
            return "null"
        self.imports.add("okhttp3.MediaType.Companion.toMediaType")
        return f"{self.str_(value)}.toMediaType()"

    def from_bytes(self, data: str, media: str) -> str:
        self.imports.add("okhttp3.RequestBody.Companion.toRequestBody")
        return f"{data}.toRequestBody({'' if media == 'null' else media})"

    def from_file(self, path: str, media: str) -> str:
        self.imports |= {"okhttp3.RequestBody.Companion.asRequestBody", "java.io.File"}
        return f"File({self.str_(path)}).asRequestBody({'' if media == 'null' else media})"

    def text_bytes(self, text: str) -> str:
        return f"{self.str_(text)}.toByteArray()"

    def empty_bytes(self) -> str:
        return "ByteArray(0)"

    def json_bytes(self, text: str) -> str:
        # A raw string: no escapes at all ($ and \"\"\" excluded by _json_text for Kotlin).
        body = "".join(f"\n        {line}" for line in text.split("\n"))
        return f'"""{body}\n    """.trimIndent().toByteArray()'

    def url_lines(self) -> list[str]:
        self.imports.add("okhttp3.HttpUrl.Companion.toHttpUrl")
        adds = [f"    .addQueryParameter({self.str_(n)}, {self.str_(v)})" for n, v in self.d.query]
        return [
            f"val url = {self.str_(self.d.url)}.toHttpUrl().newBuilder()",
            *adds,
            "    .build()",
            "",
        ]

    def status_lines(self) -> list[str]:
        self.imports.add("java.io.IOException")
        return ['    if (!response.isSuccessful) throw IOException("Unexpected code $response")']

    def basic(self, auth: BasicAuth) -> str:
        self.imports.add("okhttp3.Credentials")
        user, password = self.str_(auth.username), self.str_(auth.password)
        return f"Credentials.basic({user}, {password}, Charsets.UTF_8)"

    def client(self) -> list[str]:
        calls = [kotlin for _, kotlin in self.d.client]
        for call in calls:
            self._import_for(call)
        self.imports.discard("java.util.List")
        return calls

    def render(self) -> str:
        d = self.d
        client = self.client()
        body = self.body()
        headers = self.header_calls()
        lines = ["// One client for the whole program: it pools connections and keeps them alive."]
        lines.append("val client = OkHttpClient.Builder()")
        lines += [f"    {c}" for c in client] + ["    .build()", ""]
        if body is not None:
            # The Java layout's continuation indents (8 and 16) become Kotlin's (4 and 8).
            text = body.replace("\n                ", "\n        ").replace(
                "\n        .", "\n    ."
            )
            lines += f"val body = {text}".split("\n") + [""]
        if self.unsafe:
            self.imports.add("okhttp3.Headers")
            lines.append("val headers = Headers.Builder()")
            lines += [f"    {h}" for h in headers] + ["    .build()"]
            headers = [".headers(headers)"]
        url = self.str_(d.url)
        if d.query:
            lines += self.url_lines()
            url = "url"
        lines.append("val request = Request.Builder()")
        lines.append(f"    .url({url})")
        lines += [f"    {h}" for h in headers]
        lines += [f"    {self.method(body)}", "    .build()", ""]
        lines += [
            "client.newCall(request).execute().use { response ->",
            *(self.status_lines() if d.idiomatic else []),
            "    println(response.code)",
            "    println(response.body?.string())",
            "}",
        ]
        inner = "\n".join(f"    {line}" if line else "" for line in lines)
        imports = "\n".join(f"import {i}" for i in sorted(self.imports))
        return f"{imports}\n\nfun main() {{\n{inner}\n}}\n"


def render_java(request: Request) -> Snippet:
    d = _decide(request, "java-okhttp")
    return Snippet(_Writer(d).render(), tuple(d.p.warnings))


def render_kotlin(request: Request) -> Snippet:
    d = _decide(request, "kotlin-okhttp")
    return Snippet(_KotlinWriter(d).render(), tuple(d.p.warnings))


def render_java_idiomatic(request: Request) -> Snippet:
    """OkHttp's *Recipes*: ``HttpUrl``'s builder for the query, ``FormBody``,
    JSON as a text block, a ``callTimeout``, ``isSuccessful()`` checked, and
    OkHttp's redirect default (it follows them)."""
    d = _decide(request, "java-okhttp", idiomatic=True)
    return Snippet(_Writer(d).render(), tuple(d.p.warnings))


def render_kotlin_idiomatic(request: Request) -> Snippet:
    d = _decide(request, "kotlin-okhttp", idiomatic=True)
    if d.body == "json":
        text = _json_text(d.p.body.value) if isinstance(d.p.body, JsonBody) else None
        if text is None or "$" in text or '"""' in text:
            d.body = "text"  # a raw string cannot hold it: the exact text
    return Snippet(_KotlinWriter(d).render(), tuple(d.p.warnings))


FORM_TYPE = "application/x-www-form-urlencoded"
IDIOMATIC_CHANGES = (
    "the query re-encoded by HttpUrl.addQueryParameter and a form by FormBody",
    "JSON sent as its pretty-printed text (same value)",
    "redirects followed (OkHttp's default); a 30 s callTimeout when the request has none",
)


def _json_text(value: object) -> str | None:
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return None if any(0xD800 <= ord(c) <= 0xDFFF for c in text) else text

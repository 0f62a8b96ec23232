"""Between :class:`reqlab.model.Request` and request templates.

Importers that read a concrete request (curl, raw HTTP, HAR) turn it into a
template here; exporters that need header/auth pieces of a template find
them here too.  Auth becomes the ``Authorization: Basic user pass`` form the
IDE clients read (and :mod:`resolve` turns back into auth).
"""

from __future__ import annotations

from reqlab.body import form_text, json_text
from reqlab.formats._common import stable_boundary
from reqlab.formats.httpfile._model import (
    BodyChunk,
    FileChunk,
    RequestTemplate,
    TemplateHeader,
    TextChunk,
)
from reqlab.model import (
    BasicAuth,
    BearerAuth,
    Body,
    BytesBody,
    DigestAuth,
    FormBody,
    JsonBody,
    MultipartBody,
    MultipartFile,
    Request,
    TextBody,
)


def basic_value(scheme: str, username: str, password: str) -> str:
    """``Basic user pass`` as the IDE clients read it; ``Basic user:`` when
    the password is empty (a lone word would read as a ready token)."""
    return f"{scheme} {username} {password}" if password else f"{scheme} {username}:"


def auth_header(auth: object) -> tuple[str, str] | None:
    if isinstance(auth, BasicAuth):
        return ("Authorization", basic_value("Basic", auth.username, auth.password))
    if isinstance(auth, DigestAuth):
        return ("Authorization", basic_value("Digest", auth.username, auth.password))
    if isinstance(auth, BearerAuth):
        return ("Authorization", f"Bearer {auth.token}")
    return None


def multipart_chunks(body: MultipartBody) -> tuple[list[BodyChunk], str]:
    """multipart/form-data written out as the IDE clients do, file parts as
    ``< ./path`` includes.  Returns the chunks and the boundary."""
    boundary = body.boundary or stable_boundary(body)
    chunks: list[BodyChunk] = []
    text: list[str] = []
    for part in body.parts:
        text.append(f"--{boundary}")
        if isinstance(part, MultipartFile):
            text.append(
                f'Content-Disposition: form-data; name="{part.name}"; filename="{part.filename}"'
            )
            if part.content_type:
                text.append(f"Content-Type: {part.content_type}")
            text.append("")
            if part.path is not None:
                chunks.append(TextChunk("\n".join(text), 0))
                chunks.append(FileChunk(part.path, 0))
                text = []
            else:
                text.append(part.data.decode("utf-8", "replace") if part.data else "")
        else:
            text += [f'Content-Disposition: form-data; name="{part.name}"', "", part.value]
    text.append(f"--{boundary}--")
    chunks.append(TextChunk("\n".join(text), 0))
    return chunks, boundary


def body_chunks(body: Body | None, headers: list[tuple[str, str]]) -> list[BodyChunk]:
    """The body as template chunks; adds the Content-Type it implies when missing."""
    has_type = any(n.lower() == "content-type" for n, _ in headers)
    if body is None:
        return []
    if isinstance(body, TextBody):
        return [TextChunk(body.text, 0)] if body.text else []
    if isinstance(body, BytesBody):
        if body.path is not None:
            return [FileChunk(body.path, 0)]
        return [TextChunk((body.data or b"").decode("utf-8", "replace"), 0)]
    if isinstance(body, JsonBody):
        if not has_type:
            headers.append(("Content-Type", "application/json"))
        return [TextChunk(json_text(body.value), 0)]
    if isinstance(body, FormBody):
        if not has_type:
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
        return [TextChunk(form_text(body.fields), 0)]
    chunks, boundary = multipart_chunks(body)
    if not has_type:
        headers.append(("Content-Type", f"multipart/form-data; boundary={boundary}"))
    return chunks


def template_from_request(request: Request, title: str | None = None) -> RequestTemplate:
    headers = list(request.headers)
    chunks = body_chunks(request.body, headers)
    auth = auth_header(request.auth)
    if auth is not None:
        headers.append(auth)
    options = []
    o = request.options
    if o.timeout is not None:
        options.append(("timeout", f"{o.timeout:g}"))
    if o.follow_redirects:
        options.append(("follow-redirects", "true"))
    if not o.keep_alive:
        options.append(("keep-alive", "false"))
    return RequestTemplate(
        method=request.method,
        url=request.url,
        version=request.version,
        headers=tuple(TemplateHeader(n, v, 0) for n, v in headers),
        body=tuple(chunks),
        title=title,
        options=tuple(options),
    )


def split_auth(template: RequestTemplate) -> tuple[list[tuple[str, str]], tuple[str, ...] | None]:
    """Headers without an ``Authorization: Basic|Digest|Bearer ...`` that an
    exporter can say as auth, and that auth as (scheme, *values)."""
    headers = [(h.name, h.value) for h in template.headers]
    for i, (name, value) in enumerate(headers):
        if name.lower() != "authorization":
            continue
        scheme, _, rest = value.partition(" ")
        words = rest.strip().split(" ", 1)
        lower = scheme.lower()
        if lower in ("basic", "digest") and len(words) == 2:
            return headers[:i] + headers[i + 1 :], (lower, words[0], words[1])
        if lower in ("basic", "digest") and ":" in rest:
            user, _, password = rest.strip().partition(":")
            return headers[:i] + headers[i + 1 :], (lower, user, password)
        if lower == "bearer" and rest.strip():
            return headers[:i] + headers[i + 1 :], ("bearer", rest.strip())
    return headers, None

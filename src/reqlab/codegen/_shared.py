"""Decisions shared by the client-library targets (JVM, .NET, Go, Rust, Swift).

:func:`reqlab.codegen._plan.plan` says what the request needs; these helpers
settle what a *client library* does on its own, in the same way for every
language: the body framing is the library's, a ``Connection: keep-alive``
that only restates HTTP/1.1's default is left to the connection pool, and
the headers reqlab adds at send time (Authorization, a JSON or form
Content-Type) are spelled out so the snippet sends what reqlab would.
"""

from __future__ import annotations

import base64

from reqlab.body import default_content_type, form_text, json_text
from reqlab.codegen._plan import Plan
from reqlab.codegen._wire import wire_url
from reqlab.model import (
    Auth,
    BasicAuth,
    BearerAuth,
    BytesBody,
    DigestAuth,
    FormBody,
    Header,
    JsonBody,
    MultipartBody,
    TextBody,
)
from reqlab.protocol.keepalive import connection_tokens

FRAMING = ("content-length", "transfer-encoding")
FRAMING_WHY = "the library frames the body and writes its length itself"


def effective_version(p: Plan, versions: tuple[str, ...]) -> str | None:
    """The version the snippet will really speak: the request's when the
    library can be told to use it, else the library's default (None)."""
    return p.version if p.version in versions else None


def settle_connection(p: Plan, effective: str | None) -> None:
    """Leave connection management to the library's pool.

    A ``Connection: keep-alive`` that merely restates HTTP/1.1's default is
    dropped with a warning (the libraries manage Connection themselves, and
    some refuse it); on HTTP/1.0 it stays, since there it is what asks the
    server to keep the connection open.  The version that counts is the one
    the snippet speaks, which may differ from the request's when the library
    cannot speak HTTP/1.0.  A ``Keep-Alive`` header is the user's own line,
    which these libraries pass through, so it is sent as written.
    """
    if effective == "HTTP/1.0" or "connection" not in p.header_names():
        return
    if connection_tokens(p.headers) <= {"keep-alive"}:
        p.drop(
            ("connection",),
            "HTTP/1.1 keeps connections alive by default; the snippet reuses one client instead",
        )


def closes_after_downgrade(p: Plan, effective: str | None) -> bool:
    """True when an HTTP/1.0 request that closes its connection is sent as
    HTTP/1.1 (the library cannot speak 1.0): the snippet then sends
    ``Connection: close`` so the exchange still ends the connection."""
    if p.version != "HTTP/1.0" or effective == "HTTP/1.0":
        return False
    return "keep-alive" not in connection_tokens(p.request.headers)


def warn_trimmed(p: Plan, headers: list[Header], library: str) -> None:
    """Warn, naming them, about header values with spaces around them, which
    ``library`` trims (they are optional whitespace in HTTP)."""
    padded = [n for n, v in headers if v != v.strip(" \t")]
    if padded:
        p.warn(f"{', '.join(padded)}: {library} trims spaces around header values")


def library_auth(p: Plan) -> Auth | None:
    """The auth a snippet hands to its library: none when the request already
    has an Authorization header (reqlab sends that one, and only it)."""
    auth = p.request.auth
    if "authorization" in p.header_names() or not isinstance(
        auth, (BasicAuth, BearerAuth, DigestAuth)
    ):
        return None  # a reqlab.auth flow (SigV4, OAuth 2.0) has no library equivalent here
    return auth


def added_headers(p: Plan, *, auth: bool = True) -> list[Header]:
    """Headers reqlab adds at send time that the request did not spell out:
    Authorization for basic/bearer auth (when ``auth``), and the default
    Content-Type of a JSON or form body (multipart: the library's)."""
    extra: list[Header] = []
    names = p.header_names()
    if auth and p.auth_value and "authorization" not in names:
        extra.append(("Authorization", p.auth_value))
    body = p.body
    if isinstance(body, JsonBody | FormBody) and "content-type" not in names:
        ctype = default_content_type(body)
        if ctype:
            extra.append(("Content-Type", ctype))
    return extra


def body_text(p: Plan) -> str | None:
    """The plan's body as text when it is text on the wire (text, JSON, form), else None."""
    return text_of(p.body)


def text_of(body: object) -> str | None:
    """``body`` as text when it is text on the wire (text, JSON, form), else None."""
    if isinstance(body, TextBody):
        return body.text
    if isinstance(body, JsonBody):
        return json_text(body.value)
    if isinstance(body, FormBody):
        return form_text(body.fields)
    return None


def b64(data: bytes) -> str:
    """Inline bytes travel through a base64 literal decoded at run time."""
    return base64.b64encode(data).decode()


def inline_bytes(body: object) -> bytes | None:
    return body.data if isinstance(body, BytesBody) and body.data is not None else None


def is_multipart(p: Plan) -> bool:
    return isinstance(p.body, MultipartBody)


def title_case(name: str) -> str:
    """How hyper and Go write a header name: each dash-separated word capitalised."""
    return "-".join(w[:1].upper() + w[1:].lower() for w in name.split("-"))


def ascii_url(url: str) -> str:
    """The URL as a library must be handed it: see :func:`reqlab.codegen._wire.wire_url`
    (non-ASCII and characters illegal in URLs percent-encoded, the rest as typed)."""
    return wire_url(url)

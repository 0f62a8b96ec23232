"""The language-neutral half of code generation.

Every target asks the same questions of a request before it writes a line:
which headers must it set itself, which does its runtime forbid or add on
its own, what body does it send, which version can it speak.  :func:`plan`
answers them once, with the warnings that follow, so each language module
only spells the answer in its own syntax.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from reqlab.body import auth_header, json_text
from reqlab.model import (
    BasicAuth,
    BearerAuth,
    Body,
    DigestAuth,
    Header,
    JsonBody,
    MultipartBody,
    Request,
)
from reqlab.protocol.keepalive import connection_tokens, h2_forbidden

# Headers browsers refuse to let scripts set (Fetch standard, "forbidden
# request-header"); the browser sends its own.
BROWSER_FORBIDDEN = frozenset(
    [
        "accept-charset",
        "accept-encoding",
        "access-control-request-headers",
        "access-control-request-method",
        "connection",
        "content-length",
        "cookie",
        "cookie2",
        "date",
        "dnt",
        "expect",
        "host",
        "keep-alive",
        "origin",
        "referer",
        "set-cookie",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "via",
    ]
)
# Headers that describe the connection rather than the request.
CONNECTION_HEADERS = frozenset({"connection", "keep-alive", "proxy-connection"})


@dataclass
class Plan:
    """What a snippet must send, decided once for every language."""

    request: Request
    method: str
    url: str
    headers: list[Header]  # to set explicitly, in order, case kept
    body: Body | None
    warnings: list[str] = field(default_factory=list)
    # True when the snippet should use the library's persistent-connection
    # construct (a Session, one shared client, an Agent with keepAlive).
    reuse: bool = True
    # The Authorization header value for basic/bearer, when the target
    # chooses to send auth as a header rather than through the library.
    auth_value: str | None = None

    @property
    def version(self) -> str | None:
        return self.request.version

    @property
    def content_type(self) -> str | None:
        for name, value in self.headers:
            if name.lower() == "content-type":
                return value
        return None

    def header_names(self) -> set[str]:
        return {n.lower() for n, _ in self.headers}

    def drop(self, names: Iterable[str], why: str) -> None:
        """Remove headers the target cannot send, with one warning naming them."""
        lowered = {n.lower() for n in names}
        dropped = [n for n, _ in self.headers if n.lower() in lowered]
        if dropped:
            self.headers = [h for h in self.headers if h[0].lower() not in lowered]
            self.warnings.append(f"{', '.join(dict.fromkeys(dropped))} not sent: {why}")

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def json_text(self) -> str:
        assert isinstance(self.body, JsonBody)
        return json_text(self.body.value)


def plan(
    request: Request,
    *,
    target: str,
    versions: Iterable[str] = ("HTTP/1.1",),
    forbidden: Iterable[str] = (),
    forbidden_why: str = "the runtime does not allow setting it",
    digest: bool = False,
    multipart_boundary: bool = False,
) -> Plan:
    """Decide what ``target`` must send for ``request``.

    ``versions`` are the HTTP versions the library can be told to use;
    ``forbidden`` header names (lower case) that the runtime refuses;
    ``digest`` whether the library does digest auth; ``multipart_boundary``
    whether it can honour a boundary fixed in the model.
    """
    p = Plan(
        request=request,
        method=request.method,
        url=request.url,
        headers=list(request.headers),
        body=request.body,
        reuse=request.options.keep_alive,
    )
    versions = tuple(versions)
    if request.version is not None and request.version not in versions:
        can = " and ".join(versions)
        said = f"{target} speaks {can}; the request's {request.version} cannot be chosen"
        if request.version == "HTTP/3":  # say what goes out instead: TCP, not QUIC
            tcp = "HTTP/2 or HTTP/1.1, as negotiated" if "HTTP/2" in versions else "HTTP/1.1"
            said += f": the snippet sends it over TCP ({tcp})"
        p.warn(said)
    if request.version == "HTTP/2":
        p.drop(h2_forbidden(p.headers), "HTTP/2 forbids connection-specific headers")
    forbidden = {f.lower() for f in forbidden}
    if forbidden:
        p.drop(forbidden, forbidden_why)
    if isinstance(request.auth, (BasicAuth, BearerAuth)):
        p.auth_value = auth_header(request)
    if isinstance(request.auth, DigestAuth) and not digest:
        p.warn(f"{target} has no digest authentication; the request is sent without credentials")
    if isinstance(request.body, MultipartBody) and request.body.boundary and not multipart_boundary:
        p.warn("the multipart boundary is chosen by the library, not the one in the request")
    if isinstance(request.body, MultipartBody):
        # The library writes Content-Type with its own boundary.
        p.headers = [
            h
            for h in p.headers
            if h[0].lower() != "content-type" or not h[1].lower().startswith("multipart/")
        ]
    return p


def keep_alive_headers_redundant(p: Plan) -> bool:
    """True when the request's Connection: keep-alive only restates HTTP/1.1's default."""
    tokens = connection_tokens(p.headers)
    return p.version != "HTTP/1.0" and tokens <= {"keep-alive"}


def url_without_query(url: str) -> tuple[str, str]:
    """Split ``url`` into the part before ``?`` and the raw query string."""
    parts = urlsplit(url)
    base = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    return base, parts.query

"""The request model: the one vocabulary every part of reqlab speaks.

A :class:`Request` is plain, immutable data.  It keeps what the user wrote:
header names in their case, in their order, duplicates included; the URL as
typed.  Nothing here does I/O: a body that lives in a file is kept as a path
and read by whoever sends or prints it (see :mod:`reqlab.body`).

Validation happens on construction and raises :class:`InvalidRequest`
naming the field, so a bad value never travels further than the place it was
made.
"""

from __future__ import annotations

import math
import re
from collections.abc import Generator, Iterable
from dataclasses import field, replace
from typing import Any, Literal, Protocol, TypeAlias, runtime_checkable
from urllib.parse import SplitResult, parse_qsl, unquote, urlsplit

from reqlab._records import record
from reqlab.errors import InvalidRequest

HTTPVersion: TypeAlias = Literal["HTTP/1.0", "HTTP/1.1", "HTTP/2", "HTTP/3"]
VERSIONS: tuple[str, ...] = ("HTTP/1.0", "HTTP/1.1", "HTTP/2", "HTTP/3")

# RFC 9110 section 5.6.2: token = 1*tchar
_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
# Field values may not hold CR, LF or NUL (RFC 9110 section 5.5).
_BAD_VALUE = re.compile(r"[\r\n\x00]")

Header: TypeAlias = tuple[str, str]


def is_token(text: str) -> bool:
    # fullmatch: "$" alone would also match before a trailing newline
    return bool(_TOKEN.fullmatch(text))


def check_header(name: str, value: str, where: str = "headers") -> None:
    """Refuse a header that could not be sent as written."""
    if not isinstance(name, str) or not isinstance(value, str):
        raise InvalidRequest(where, f"header name and value must be text, got {name!r}: {value!r}")
    if not is_token(name):
        raise InvalidRequest(
            f"{where}[{name!r}]",
            "header name must be a token (no spaces, colons or control characters)",
        )
    if _BAD_VALUE.search(value):
        raise InvalidRequest(f"{where}[{name!r}]", "header value must not contain CR, LF or NUL")


def check_headers(headers: Iterable[Header], where: str = "headers") -> None:
    """:func:`check_header` over a list: the one gate for headers reqlab builds itself."""
    for name, value in headers:
        check_header(name, value, where)


# RFC 2046 section 5.1.1: a boundary is 1 to 70 of these, not ending in a space.
_BOUNDARY = re.compile(r"[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]")


def check_boundary(boundary: str, where: str = "body.boundary") -> None:
    """Refuse a multipart boundary that is not RFC 2046's (it is written into
    the Content-Type header and between the parts)."""
    if not isinstance(boundary, str) or not _BOUNDARY.fullmatch(boundary):
        raise InvalidRequest(
            where, "a multipart boundary is 1-70 letters, digits or '()+_,-./:=? (no line breaks)"
        )


# ---------------------------------------------------------------- bodies


@record(frozen=True)
class TextBody:
    """A body given as text; sent as UTF-8."""

    text: str
    kind: Literal["text"] = field(default="text", init=False)


@record(frozen=True)
class BytesBody:
    """Arbitrary bytes, given inline or as the path of a file to send."""

    data: bytes | None = None
    path: str | None = None
    kind: Literal["bytes"] = field(default="bytes", init=False)

    def __post_init__(self) -> None:
        if (self.data is None) == (self.path is None):
            raise InvalidRequest("body", "a bytes body needs exactly one of data or path")


@record(frozen=True)
class JsonBody:
    """A JSON value, sent in its compact form (see :func:`reqlab.body.json_text`)."""

    value: Any
    kind: Literal["json"] = field(default="json", init=False)


@record(frozen=True)
class FormBody:
    """application/x-www-form-urlencoded fields, ordered, names may repeat."""

    fields: tuple[tuple[str, str], ...]
    kind: Literal["form"] = field(default="form", init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", tuple((str(n), str(v)) for n, v in self.fields))


@record(frozen=True)
class MultipartField:
    name: str
    value: str


@record(frozen=True)
class MultipartFile:
    """A file part: its bytes inline or a path read when the request is sent."""

    name: str
    filename: str
    content_type: str | None = None
    data: bytes | None = None
    path: str | None = None

    def __post_init__(self) -> None:
        if self.content_type is not None and _BAD_VALUE.search(self.content_type):
            raise InvalidRequest(
                f"body.parts[{self.name!r}].content_type", "must not contain CR, LF or NUL"
            )
        if (self.data is None) == (self.path is None):
            raise InvalidRequest(
                f"body.parts[{self.name!r}]", "a file part needs exactly one of data or path"
            )


Part: TypeAlias = MultipartField | MultipartFile


@record(frozen=True)
class MultipartBody:
    """multipart/form-data parts.  ``boundary`` is None unless it was fixed
    by the input (a raw message or a Content-Type the user typed)."""

    parts: tuple[Part, ...]
    boundary: str | None = None
    kind: Literal["multipart"] = field(default="multipart", init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "parts", tuple(self.parts))
        if self.boundary is not None:
            check_boundary(self.boundary)
        for part in self.parts:
            if '"' in part.name or _BAD_VALUE.search(part.name):
                raise InvalidRequest(
                    "body.parts", f"part name {part.name!r} may not hold quotes or line breaks"
                )


Body: TypeAlias = TextBody | BytesBody | JsonBody | FormBody | MultipartBody


# ------------------------------------------------------------------ auth


def _hidden(secret: str) -> str:
    return "***" if secret else "''"


@record(frozen=True)
class BasicAuth:
    username: str
    password: str = ""
    scheme: Literal["basic"] = field(default="basic", init=False)

    def __repr__(self) -> str:
        return f"BasicAuth(username={self.username!r}, password={_hidden(self.password)})"


@record(frozen=True)
class BearerAuth:
    token: str
    scheme: Literal["bearer"] = field(default="bearer", init=False)

    def __post_init__(self) -> None:
        if _BAD_VALUE.search(self.token):
            raise InvalidRequest("auth.token", "token must not contain CR, LF or NUL")

    def __repr__(self) -> str:
        return f"BearerAuth(token={_hidden(self.token)})"


@record(frozen=True)
class DigestAuth:
    username: str
    password: str = ""
    scheme: Literal["digest"] = field(default="digest", init=False)

    def __post_init__(self) -> None:
        # The user name is written into the Authorization header (RFC 7616).
        if not isinstance(self.username, str) or _BAD_VALUE.search(self.username):
            raise InvalidRequest("auth.username", "must not contain CR, LF or NUL")

    def __repr__(self) -> str:
        return f"DigestAuth(username={self.username!r}, password={_hidden(self.password)})"


Auth: TypeAlias = BasicAuth | BearerAuth | DigestAuth


@runtime_checkable
class FlowAuth(Protocol):
    """An auth that prepares each request itself (``reqlab.auth``: AWS SigV4,
    API keys, OAuth 2.0).  ``auth_flow`` is a generator, so both clients
    drive it: it may yield side requests (an OAuth token request) and is
    sent each one's response; it returns the request to send.  It runs again
    for every redirect hop."""

    def auth_flow(self, request: Request) -> Generator[Request, Any, Request]: ...


# --------------------------------------------------------------- options


# No setting follows more redirects than this: curl's own default for -L
# (browsers stop at about 20).  The default is 10.
MAX_REDIRECTS_CEILING = 50


@record(frozen=True)
class Options:
    """How to send, as opposed to what to send."""

    timeout: float | None = None  # whole exchange, seconds
    connect_timeout: float | None = None
    follow_redirects: bool = False
    max_redirects: int = 10
    # One deadline for the whole send: every redirect hop and a digest retry.
    total_timeout: float | None = None
    verify: bool = True
    keep_alive: bool = True  # reuse connections from the pool
    compressed: bool = False  # ask for and decode compressed responses

    def __post_init__(self) -> None:
        for name in ("timeout", "connect_timeout", "total_timeout"):
            value = getattr(self, name)
            if value is not None and (
                not isinstance(value, int | float)
                or isinstance(value, bool)
                or not math.isfinite(value)  # NaN would pass "<= 0" and escape every cap
                or value <= 0
            ):
                raise InvalidRequest(
                    f"options.{name}", f"must be a positive number of seconds, got {value!r}"
                )
        if (
            not isinstance(self.max_redirects, int)
            or isinstance(self.max_redirects, bool)
            or not 0 <= self.max_redirects <= MAX_REDIRECTS_CEILING
        ):
            raise InvalidRequest(
                "options.max_redirects",
                f"must be a whole number from 0 to {MAX_REDIRECTS_CEILING}, "
                f"got {self.max_redirects!r}",
            )


# --------------------------------------------------------------- request


@record(frozen=True)
class Request:
    """One HTTP request, exactly as the user means it to be sent.

    ``version`` None means "let the client choose" (HTTP/2 by ALPN over TLS,
    else HTTP/1.1).  ``headers`` are sent in this order with this case;
    headers the protocol needs and the user did not give (Host,
    Content-Length, Content-Type of a form) are added at send time.
    """

    method: str = "GET"
    url: str = "http://localhost/"
    headers: tuple[Header, ...] = ()
    body: Body | None = None
    auth: Auth | FlowAuth | None = None
    version: HTTPVersion | None = None
    options: Options = field(default_factory=Options)

    def __post_init__(self) -> None:
        method = self.method
        if not isinstance(method, str) or not (method in _COMMON_METHODS or is_token(method)):
            raise InvalidRequest("method", f"{self.method!r} is not a valid method token")
        if self.headers:
            object.__setattr__(self, "headers", tuple((n, v) for n, v in self.headers))
            for name, value in self.headers:
                check_header(name, value)
        if self.version is not None and self.version not in VERSIONS:
            raise InvalidRequest("version", f"{self.version!r} is not one of {', '.join(VERSIONS)}")
        if _url_has_userinfo(self.url):
            self._move_userinfo_to_auth()

    def _move_userinfo_to_auth(self) -> None:
        """``http://user:pass@host/`` means basic auth, as curl, requests and Go
        read it.  The credentials leave the URL (so no log, history entry or
        generated snippet shows them in it) and become ``auth``, unless the
        request already has auth, which wins, as curl's ``-u`` does."""
        netloc = urlsplit(self.url).netloc
        if "@" not in netloc:
            return
        userinfo, _, _ = netloc.rpartition("@")
        start = self.url.index("://") + 3  # the netloc follows the scheme
        object.__setattr__(self, "url", self.url[:start] + self.url[start + len(userinfo) + 1 :])
        if self.auth is None:
            user, _, password = userinfo.partition(":")
            object.__setattr__(self, "auth", BasicAuth(unquote(user), unquote(password)))

    # -- headers, looked up without regard to case, returned as written
    def header(self, name: str, default: str | None = None) -> str | None:
        """The first value of header ``name`` (any case), or ``default``."""
        for n, v in self.headers:
            if n.lower() == name.lower():
                return v
        return default

    def header_values(self, name: str) -> list[str]:
        return [v for n, v in self.headers if n.lower() == name.lower()]

    def has_header(self, name: str) -> bool:
        return any(n.lower() == name.lower() for n, _ in self.headers)

    def without_headers(self, *names: str) -> Request:
        drop = {n.lower() for n in names}
        return replace(self, headers=tuple(h for h in self.headers if h[0].lower() not in drop))

    def with_headers(self, headers: Iterable[Header]) -> Request:
        return replace(self, headers=tuple(headers))

    def replace(self, **changes: Any) -> Request:
        return replace(self, **changes)

    # -- URL pieces
    @property
    def split_url(self) -> SplitResult:
        return urlsplit(self.url)

    @property
    def scheme(self) -> str:
        return self.split_url.scheme.lower()

    @property
    def host(self) -> str:
        return self.split_url.hostname or ""

    @property
    def port(self) -> int:
        parts = self.split_url
        return parts.port or (443 if parts.scheme.lower() in ("https", "wss") else 80)

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.split_url.netloc.rsplit('@', 1)[-1]}"

    @property
    def target(self) -> str:
        """The request-target in origin form, as written in the URL."""
        parts = self.split_url
        path = parts.path or "/"
        return f"{path}?{parts.query}" if parts.query or self.url.endswith("?") else path

    @property
    def query(self) -> list[tuple[str, str]]:
        """Query parameters, decoded, in order, repeats kept."""
        return parse_qsl(self.split_url.query, keep_blank_values=True)


_COMMON_METHODS = frozenset(("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"))
# URLs found valid, each with whether it holds user:pass@.  A client sends
# the same few URLs again and again, and checking one costs a regex and a
# parse; the answer depends on the text alone, so it is remembered.
_CHECKED_URLS: dict[str, bool] = {}


def _url_has_userinfo(url: str) -> bool:
    """:func:`check_url`, remembered; True when the URL carries credentials."""
    found = _CHECKED_URLS.get(url) if type(url) is str else None
    if found is None:
        check_url(url)
        found = "@" in urlsplit(url).netloc
        if len(_CHECKED_URLS) >= 1024:
            _CHECKED_URLS.clear()
        _CHECKED_URLS[url] = found
    return found


def check_url(url: str) -> None:
    if not isinstance(url, str) or not url:
        raise InvalidRequest("url", "a URL is required")
    if _BAD_VALUE.search(url) or any(ch in url for ch in " \t"):
        raise InvalidRequest("url", f"{url!r} must not contain spaces or line breaks")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:
        raise InvalidRequest("url", f"{url!r}: {exc}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise InvalidRequest("url", f"{url!r} needs an http:// or https:// scheme")
    if not parts.hostname:
        raise InvalidRequest("url", f"{url!r} has no host")

"""Persistent-connection rules, as pure functions (no I/O).

Theory of operation (RFC 9112 section 9.3, and the seed page's table):

    message version   Connection tokens        persists?
    ---------------   ----------------------   ---------
    any               contains "close"         no
    HTTP/1.1 or later (no "close")             yes
    HTTP/1.0          contains "keep-alive"    yes
    HTTP/1.0          (neither)                no
    HTTP/2            (headers forbidden)      yes: streams end, the connection stays

A connection persists past an exchange only when *both* the request and the
response persist.  ``Keep-Alive: timeout=T, max=R`` is advisory: T is how
long the server keeps an idle connection, R how many more requests it will
accept on it.  HTTP/2 forbids connection-specific headers (RFC 9113 section
8.2.2); Safari refuses responses that carry them.
"""

from __future__ import annotations

from collections.abc import Iterable

from reqlab._records import record
from reqlab.model import Header, Request

# RFC 9113 section 8.2.2.  TE is allowed only with the value "trailers".
H2_FORBIDDEN: tuple[str, ...] = (
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "upgrade",
)


def connection_tokens(headers: Iterable[Header]) -> set[str]:
    """All tokens of every Connection header, lower-cased."""
    tokens: set[str] = set()
    for name, value in headers:
        if name.lower() == "connection":
            tokens.update(t.strip().lower() for t in value.split(",") if t.strip())
    return tokens


def message_persists(version: str, headers: Iterable[Header]) -> bool:
    """Whether one message (request or response) lets the connection persist."""
    if version == "HTTP/2":
        return True
    tokens = connection_tokens(headers)
    if "close" in tokens:
        return False
    if version == "HTTP/1.0":
        return "keep-alive" in tokens
    return True


def exchange_persists(
    request_version: str,
    request_headers: Iterable[Header],
    response_version: str,
    response_headers: Iterable[Header],
) -> bool:
    """Whether the connection stays open after this request and its response."""
    return message_persists(request_version, request_headers) and message_persists(
        response_version, response_headers
    )


@record(frozen=True)
class KeepAlive:
    """The parameters of a ``Keep-Alive`` header; None where absent."""

    timeout: int | float | None = None  # whole seconds by the spec; decimals tolerated
    max: int | None = None
    extra: tuple[tuple[str, str], ...] = ()


def parse_keep_alive(value: str | None) -> KeepAlive | None:
    """Parse ``timeout=5, max=100``.  None if the value holds nothing usable."""
    if value is None:
        return None
    timeout = max_ = None
    extra: list[tuple[str, str]] = []
    for item in value.split(","):
        key, _, raw = item.strip().partition("=")
        key = key.strip().lower()
        raw = raw.strip().strip('"')
        if not key:
            continue
        if key == "max" and raw.isdigit():
            max_ = int(raw)
        elif key == "timeout" and _is_seconds(raw):
            timeout = int(raw) if raw.isdigit() else float(raw)
        else:
            extra.append((key, raw))
    if timeout is None and max_ is None and not extra:
        return None
    return KeepAlive(timeout, max_, tuple(extra))


def _is_seconds(text: str) -> bool:
    whole, _, fraction = text.partition(".")
    return whole.isdigit() and (not fraction or fraction.isdigit())


def format_keep_alive(timeout: int | float | None = None, max: int | None = None) -> str:  # noqa: A002
    parts = []
    if timeout is not None:
        parts.append(f"timeout={timeout:g}" if isinstance(timeout, float) else f"timeout={timeout}")
    if max is not None:
        parts.append(f"max={max}")
    return ", ".join(parts)


def keep_alive_of(headers: Iterable[Header]) -> KeepAlive | None:
    for name, value in headers:
        if name.lower() == "keep-alive":
            return parse_keep_alive(value)
    return None


def h2_forbidden(headers: Iterable[Header]) -> list[str]:
    """Names (as written) of the headers HTTP/2 forbids in ``headers``."""
    found = []
    for name, value in headers:
        lower = name.lower()
        if lower in H2_FORBIDDEN or (lower == "te" and value.strip().lower() != "trailers"):
            found.append(name)
    return found


@record(frozen=True)
class Lint:
    code: str
    message: str

    def __str__(self) -> str:
        return self.message


def lint(request: Request) -> list[Lint]:
    """Human warnings about how ``request`` uses persistent connections."""
    out: list[Lint] = []
    version = request.version
    tokens = connection_tokens(request.headers)
    has_ka_header = request.has_header("keep-alive")
    if version == "HTTP/2":
        bad = h2_forbidden(request.headers)
        if bad:
            out.append(
                Lint(
                    "h2-connection-headers",
                    (
                        f"HTTP/2 forbids connection-specific headers ({', '.join(bad)}); they will not be sent. "
                        "In responses, Safari refuses them; Chrome and Firefox ignore them."
                    ),
                )
            )
        return out
    effective = version or "HTTP/1.1"
    if effective == "HTTP/1.1" and "keep-alive" in tokens and "close" not in tokens:
        out.append(
            Lint(
                "redundant-keep-alive",
                "Connection: keep-alive is redundant on HTTP/1.1: connections persist unless one side says close.",
            )
        )
    if effective == "HTTP/1.0" and "keep-alive" not in tokens and request.options.keep_alive:
        out.append(
            Lint(
                "http10-no-keep-alive",
                "HTTP/1.0 connections close after one response unless the request says Connection: keep-alive.",
            )
        )
    if "close" in tokens and "keep-alive" in tokens:
        out.append(
            Lint("close-and-keep-alive", "Connection says both keep-alive and close: close wins.")
        )
    if "close" in tokens and request.options.keep_alive:
        out.append(
            Lint(
                "close-prevents-reuse",
                "Connection: close makes the server close after this response, so it cannot be reused.",
            )
        )
    if has_ka_header:
        if parse_keep_alive(request.header("keep-alive")) is None:
            out.append(
                Lint("keep-alive-syntax", "Keep-Alive should look like 'timeout=5, max=100'.")
            )
        if "keep-alive" not in tokens:
            out.append(
                Lint(
                    "keep-alive-unlisted",
                    "Keep-Alive is a hop-by-hop header and is ignored unless Connection lists keep-alive.",
                )
            )
        else:
            out.append(
                Lint(
                    "keep-alive-advisory",
                    "A request's Keep-Alive parameters are advisory: the server sets its own timeout and max.",
                )
            )
    if not request.options.keep_alive and "keep-alive" in tokens:
        out.append(
            Lint(
                "reuse-off",
                "The request asks for keep-alive, but connection reuse is switched off.",
            )
        )
    return out


def lint_response(version: str, headers: Iterable[Header]) -> list[Lint]:
    """Warnings about a response's connection headers."""
    headers = list(headers)
    out: list[Lint] = []
    if version == "HTTP/2":
        bad = h2_forbidden(headers)
        if bad:
            out.append(
                Lint(
                    "h2-response-connection-headers",
                    (
                        f"The HTTP/2 response carries {', '.join(bad)}: Safari refuses such responses; "
                        "Chrome and Firefox ignore them (RFC 9113 section 8.2.2)."
                    ),
                )
            )
    elif keep_alive_of(headers) is not None and not message_persists(version, headers):
        out.append(
            Lint(
                "keep-alive-on-close",
                "The response sends Keep-Alive parameters but closes the connection.",
            )
        )
    return out

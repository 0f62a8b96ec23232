"""What every idiomatic snippet decides the same way, in any language.

The idiomatic style sends the request by meaning (see ``docs/codegen.md``):
the query through the library's params helper, JSON through its JSON
helper, a timeout, the library's own redirect default.  A query goes through
a params helper only when its pairs say everything the raw text says - no
``+`` (which a helper would read as a literal plus, a server as a space) and
every piece ``name=value`` - otherwise it stays in the URL as written.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit, urlunsplit

from reqlab.codegen._wire import wire_url
from reqlab.model import Request

# Seconds, when the request names no timeout: a snippet without one can hang.
DEFAULT_TIMEOUT = 30


def split_query(request: Request) -> tuple[str, list[tuple[str, str]]]:
    """(URL without the query, the query's decoded pairs) when a params helper
    can carry the query; (the wire URL, []) when it must stay as written."""
    url = wire_url(request.url)
    parts = urlsplit(url)
    query = parts.query
    if not query or "+" in query or any("=" not in piece for piece in query.split("&")):
        return url, []
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=True, errors="strict")
    except (ValueError, UnicodeDecodeError):
        return url, []  # an escape that is not UTF-8 text: keep the bytes as written
    base = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    return base, pairs


def timeout_of(request: Request) -> float:
    """The timeout an idiomatic snippet sets: the request's, else the default."""
    return request.options.timeout or DEFAULT_TIMEOUT


def is_json_default_type(value: str | None) -> bool:
    """True when a JSON helper's own Content-Type says the same as ``value``."""
    return value is None or value.strip().lower() == "application/json"

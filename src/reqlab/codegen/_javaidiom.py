"""java-httpclient's idiomatic pieces: the query and a form from
``URLEncoder.encode(value, StandardCharsets.UTF_8)``, JSON as a text block.

The JDK has no query builder and no JSON library; what its users write is
``name=`` + ``URLEncoder.encode(value, UTF_8)`` joined with ``&`` (names
are constants here, so they are written encoded), and JSON as text - a
text block (Java 15+) keeps it readable.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING
from urllib.parse import quote_plus

from reqlab.codegen._escape import java_str
from reqlab.codegen._idiom import split_query
from reqlab.model import FormBody, JsonBody, Request

if TYPE_CHECKING:
    from reqlab.codegen._jvm_httpclient import _Java

_ENCODE = "URLEncoder.encode({}, StandardCharsets.UTF_8)"


def idiomatic_query(j: _Java, request: Request) -> str:
    """The URI's Java expression; a ``query`` variable when the pairs carry it."""
    from reqlab.codegen._wire import wire_url

    base, query = split_query(request)
    if not query:
        return java_str(wire_url(request.url))
    j.prelude += _joined("query", query, j)
    return f"{java_str(base + '?')} + query"


def idiomatic_body(j: _Java) -> str | None:
    """The publisher for JSON (a text block) or a form (encoded pairs); None
    for other bodies (the exact style's publisher)."""
    body = j.p.body
    if isinstance(body, FormBody) and body.fields:
        j.prelude += _joined("form", list(body.fields), j)
        return "HttpRequest.BodyPublishers.ofString(form)"
    if isinstance(body, JsonBody):
        text = json.dumps(body.value, ensure_ascii=False, indent=2)
        if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
            return None  # a lone surrogate: the exact text, escaped
        escaped = text.replace("\\", "\\\\").replace('"""', '\\"""')
        if escaped.endswith('"'):  # '""""' would end the block one quote early
            escaped = escaped[:-1] + '\\"'
        j.prelude += ['String json = """', *escaped.split("\n")]
        j.prelude[-1] += '""";'
        return "HttpRequest.BodyPublishers.ofString(json)"
    return None


def _joined(name: str, pairs: list[tuple[str, str]], j: _Java) -> list[str]:
    j.imports |= {"java.net.URLEncoder", "java.nio.charset.StandardCharsets"}
    parts = [f"{java_str(quote_plus(n) + '=')} + {_ENCODE.format(java_str(v))}" for n, v in pairs]
    if len(parts) == 1:
        return [f"String {name} = {parts[0]};"]
    return [
        f'String {name} = String.join("&",',
        *[f"        {p}," for p in parts[:-1]],
        f"        {parts[-1]});",
    ]

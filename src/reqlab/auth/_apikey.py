"""``APIKey``: a key sent in a header or in the query, as most web APIs want."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import replace
from typing import Any, Literal
from urllib.parse import quote

from reqlab.errors import InvalidRequest
from reqlab.model import Request, check_header

Location = Literal["header", "query"]


class APIKey:
    """``auth=APIKey("X-API-Key", key)`` or ``APIKey("api_key", key, location="query")``.

    A header of the same name the request already has is replaced; in the
    query the key is added after the request's own parameters (a parameter
    of the same name is replaced too, so a key is never sent twice).
    """

    def __init__(self, name: str, value: str, location: Location = "header") -> None:
        if location not in ("header", "query"):
            raise InvalidRequest("auth.location", f"{location!r} is not 'header' or 'query'")
        if not name:
            raise InvalidRequest("auth.name", "the API key needs a name")
        if location == "header":
            check_header(name, value)
        self.name = name
        self.value = value
        self.location: Location = location

    def __repr__(self) -> str:
        return f"APIKey(name={self.name!r}, value=***, location={self.location!r})"

    def auth_flow(self, request: Request) -> Generator[Request, Any, Request]:
        return self.apply(request)
        yield  # a generator, like every auth flow

    def apply(self, request: Request) -> Request:
        if self.location == "header":
            headers = [h for h in request.headers if h[0].lower() != self.name.lower()]
            return replace(request, headers=(*headers, (self.name, self.value)), auth=None)
        url, hash_, fragment = request.url.partition("#")
        base, _, query = url.partition("?")
        key = quote(self.name, safe="")
        kept = [p for p in query.split("&") if p and p.split("=", 1)[0] != key]
        kept.append(f"{key}={quote(self.value, safe='')}")
        new = f"{base}?{'&'.join(kept)}" + (f"#{fragment}" if hash_ else "")
        return replace(request, url=new, auth=None)

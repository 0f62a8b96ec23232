"""What the Python API returns: a response that carries its exchange record."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reqlab.client._record import Exchange
from reqlab.errors import ReqlabError
from reqlab.model import Header, Request


class HTTPStatusError(ReqlabError):
    def __init__(self, response: Response) -> None:
        self.response = response
        super().__init__(f"{response.status_code} {response.reason_phrase} for {response.url}")


class Headers:
    """Response headers exactly as received; lookups ignore case."""

    __slots__ = ("raw",)

    def __init__(self, raw: list[Header]) -> None:
        self.raw = raw

    def get(self, name: str, default: str | None = None) -> str | None:
        lower = name.lower()
        for n, v in self.raw:
            if n.lower() == lower:
                return v
        return default

    def get_list(self, name: str) -> list[str]:
        lower = name.lower()
        return [v for n, v in self.raw if n.lower() == lower]

    def __getitem__(self, name: str) -> str:
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(n for n, _ in self.raw)

    def __len__(self) -> int:
        return len(self.raw)

    def items(self) -> list[Header]:
        return list(self.raw)

    def __repr__(self) -> str:
        return f"Headers({self.raw!r})"


class Response:
    """One response, with ``.exchange`` (the record) and ``.history``
    (the exchanges before it: redirects, digest challenges)."""

    def __init__(self, exchange: Exchange, request: Request, history: list[Exchange]) -> None:
        self.exchange = exchange
        self.request = request
        self.history = history
        self._content: bytes | None = None

    @property
    def status_code(self) -> int:
        return self.exchange.status

    @property
    def reason_phrase(self) -> str:
        return self.exchange.reason

    @property
    def http_version(self) -> str:
        return self.exchange.response_version

    @property
    def url(self) -> str:
        return self.exchange.url

    @property
    def headers(self) -> Headers:
        return Headers(self.exchange.response_headers)

    @property
    def body_path(self) -> str | None:
        """Where a large body was written instead of being kept in memory."""
        return self.exchange.body_path

    @property
    def content(self) -> bytes:
        if self._content is None:
            path = self.exchange.body_path
            self._content = Path(path).read_bytes() if path else self.exchange.body
        return self._content

    @property
    def encoding(self) -> str:
        ctype = self.headers.get("content-type") or ""
        for param in ctype.split(";")[1:]:
            key, _, value = param.strip().partition("=")
            if key.lower() == "charset" and value:
                return value.strip('"')
        return "utf-8"

    @property
    def text(self) -> str:
        try:
            return self.content.decode(self.encoding, errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.content)

    @property
    def is_success(self) -> bool:
        return 200 <= self.status_code < 300

    @property
    def is_redirect(self) -> bool:
        return 300 <= self.status_code < 400 and "location" in self.headers

    def raise_for_status(self) -> Response:
        if self.status_code >= 400:
            raise HTTPStatusError(self)
        return self

    @property
    def elapsed_ms(self) -> float:
        return self.exchange.timings.total

    def __repr__(self) -> str:
        return f"<Response [{self.status_code} {self.reason_phrase}]>"

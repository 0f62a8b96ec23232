"""What the Python API returns: a response that carries its exchange record."""

from __future__ import annotations

import codecs
import contextlib
import json
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from http import HTTPStatus
from pathlib import Path
from typing import Any, Protocol

from reqlab.client._record import Exchange
from reqlab.client._stream import lines
from reqlab.errors import ReqlabError
from reqlab.model import Header, Request

_KNOWN = frozenset(s.value for s in HTTPStatus)


class BodyStream(Protocol):
    def chunks(self) -> Iterator[bytes]: ...

    def close(self) -> None: ...


class AsyncBodyStream(Protocol):
    def chunks(self) -> AsyncIterator[bytes]: ...

    def close(self) -> None: ...


def _codec(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "utf-8"


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
    (the exchanges before it: redirects, digest challenges).

    ``Response(200, headers=..., content=...)`` makes one by hand, as a
    :class:`MockTransport` handler returns it; the client makes the others.
    """

    def __init__(
        self,
        status_code: int,
        *,
        headers: Mapping[str, str] | Sequence[Header] | None = None,
        content: bytes | str = b"",
        request: Request | None = None,
    ) -> None:
        raw = content.encode() if isinstance(content, str) else bytes(content)
        if headers is None:
            header_list: list[Header] = []
        elif isinstance(headers, Mapping):
            header_list = list(headers.items())
        else:
            header_list = [(n, v) for n, v in headers]
        exchange = Exchange(
            method=request.method if request else "GET",
            url=request.url if request else "",
            version="HTTP/1.1",
            request_headers=list(request.headers) if request else [],
            request_raw=None,
            request_body=b"",
            added=(),
            status=status_code,
            reason=HTTPStatus(status_code).phrase if status_code in _KNOWN else "",
            response_version="HTTP/1.1",
            response_headers=header_list,
            body=raw,
            body_size=len(raw),
            wire_size=len(raw),
        )
        self._set(exchange, request, [])

    @classmethod
    def of(cls, exchange: Exchange, request: Request | None, history: list[Exchange]) -> Response:
        """The response the client returns for a recorded exchange."""
        response = cls.__new__(cls)
        response._set(exchange, request, history)
        return response

    def _set(self, exchange: Exchange, request: Request | None, history: list[Exchange]) -> None:
        self.exchange = exchange
        self._request = request
        self.history = history
        self._content: bytes | None = None
        self._stream: BodyStream | None = None  # set by client.stream()
        self._astream: AsyncBodyStream | None = None  # set by async_client.stream()
        self._consumed = False

    # ------------------------------------------------------------ streaming
    def iter_bytes(self) -> Iterator[bytes]:
        """The body in chunks as they arrive (a streamed response), decoded."""
        if self._stream is None or self._content is not None:
            if self.content:
                yield self.content
            return
        if self._consumed:
            raise RuntimeError("the streamed body was already read")
        self._consumed = True
        yield from self._stream.chunks()

    def iter_text(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder(_codec(self.encoding))(errors="replace")
        for chunk in self.iter_bytes():
            text = decoder.decode(chunk)
            if text:
                yield text
        tail = decoder.decode(b"", final=True)
        if tail:
            yield tail

    def iter_lines(self) -> Iterator[str]:
        yield from lines(self.iter_text())

    def read(self) -> bytes:
        """The whole body (reads the rest of a streamed one)."""
        if self._content is None and self._stream is not None:
            self._content = b"".join(self.iter_bytes())
        return self.content

    def close(self) -> None:
        """Release a streamed response's connection (closing it if unread)."""
        if self._stream is not None:
            self._stream.close()
        if self._astream is not None:
            self._astream.close()

    async def aiter_bytes(self) -> AsyncIterator[bytes]:
        """The body in chunks as they arrive (an async streamed response)."""
        if self._astream is None or self._content is not None:
            if self.content:
                yield self.content
            return
        if self._consumed:
            raise RuntimeError("the streamed body was already read")
        self._consumed = True
        async for chunk in self._astream.chunks():
            yield chunk

    async def aiter_text(self) -> AsyncIterator[str]:
        decoder = codecs.getincrementaldecoder(_codec(self.encoding))(errors="replace")
        async for chunk in self.aiter_bytes():
            text = decoder.decode(chunk)
            if text:
                yield text
        tail = decoder.decode(b"", final=True)
        if tail:
            yield tail

    async def aiter_lines(self) -> AsyncIterator[str]:
        carry = [""]
        async for text in self.aiter_text():
            for line in lines(iter([text]), carry):
                yield line
        if carry[0]:
            yield carry[0]

    async def aread(self) -> bytes:
        if self._content is None and self._astream is not None:
            self._content = b"".join([chunk async for chunk in self.aiter_bytes()])
        return self.content

    async def aclose(self) -> None:
        self.close()

    @property
    def request(self) -> Request:
        if self._request is None:
            raise RuntimeError("this Response was made by hand and has no request")
        return self._request

    @property
    def cookies(self) -> dict[str, str]:
        """The cookies this response set (``Set-Cookie``), name to value."""
        from http.cookies import CookieError, SimpleCookie  # only when asked: keeps start-up lean

        jar: SimpleCookie = SimpleCookie()
        for value in self.headers.get_list("set-cookie"):
            with contextlib.suppress(CookieError):
                jar.load(value)
        return {name: morsel.value for name, morsel in jar.items()}

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
        if self._content is None and (self._stream is not None or self._astream is not None):
            raise RuntimeError("a streamed response: call read() or iterate over it first")
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

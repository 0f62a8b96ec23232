"""``AsyncClient``: the public face of the engine.

The async client owns a connection pool and a cookie jar; around each
exchange it adds what a session adds (cookies, Accept-Encoding when asked),
answers digest challenges and follows redirects when told to.  The sync
``Client`` (``_sync``) drives it on a private event loop.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from reqlab.client._build import Sizes
from reqlab.client._cookies import Jar
from reqlab.client._exchange import send_exchange
from reqlab.client._pool import Pool
from reqlab.client._response import Response
from reqlab.client._session import Session, session_flow
from reqlab.model import (
    Auth,
    BasicAuth,
    Body,
    BytesBody,
    FormBody,
    Header,
    JsonBody,
    MultipartBody,
    MultipartField,
    MultipartFile,
    Options,
    Request,
    TextBody,
)

MB = 1024 * 1024
_UNSET: Any = object()


def read_file(path: str) -> bytes:
    return Path(path).read_bytes()


class ClientBase:
    """What both clients hold: defaults, auth, cookie jar, body limits."""

    def __init__(
        self,
        *,
        verify: bool = True,
        cafile: str | None = None,
        timeout: float | None = 30.0,
        follow_redirects: bool = False,
        max_redirects: int = 10,
        http_version: str | None = None,
        keep_alive: bool = True,
        compressed: bool = False,
        auth: Auth | tuple[str, str] | None = None,
        cookies: bool = True,
        max_body: int | None = 100 * MB,
        spool_size: int = 8 * MB,
        spool_dir: str | None = None,
        keepalive_expiry: float = 60.0,
    ) -> None:
        self.defaults = Options(
            timeout=timeout,
            follow_redirects=follow_redirects,
            max_redirects=max_redirects,
            verify=verify,
            keep_alive=keep_alive,
            compressed=compressed,
        )
        self.http_version = http_version
        self.auth = BasicAuth(*auth) if isinstance(auth, tuple) else auth
        self.jar = Jar() if cookies else None
        self.session = Session(self.defaults, self.auth, self.jar)
        self.sizes = Sizes(max_body, spool_size, spool_dir)
        self.cafile = cafile
        self.keepalive_expiry = keepalive_expiry

    @property
    def exchanges(self) -> int:
        return self.session.exchanges

    def build_request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        headers: Mapping[str, str] | Iterable[Header] | None = None,
        content: bytes | str | None = None,
        data: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        files: Mapping[str, Any] | None = None,
        json: Any = _UNSET,
        auth: Auth | tuple[str, str] | None = None,
        version: str | None = _UNSET,
        timeout: float | None = _UNSET,
        follow_redirects: bool | None = None,
    ) -> Request:
        if params:
            pairs = list(params.items()) if isinstance(params, Mapping) else list(params)
            url += ("&" if urlsplit(url).query else "?") + urlencode(pairs)
        if headers is None:
            header_list: list[Header] = []
        elif isinstance(headers, dict | Mapping):
            header_list = list(headers.items())
        else:
            header_list = list(headers)
        if content is None and data is None and files is None and json is _UNSET:
            body = None
        else:
            body = _body(content, data, files, json)
        options = self.defaults
        if timeout is not _UNSET or follow_redirects is not None:
            options = replace(
                options,
                timeout=options.timeout if timeout is _UNSET else timeout,
                follow_redirects=(
                    options.follow_redirects if follow_redirects is None else follow_redirects
                ),
            )
        return Request(
            method=method.upper(),
            url=url,
            headers=tuple(header_list),
            body=body,
            auth=BasicAuth(*auth) if isinstance(auth, tuple) else auth,
            version=self.http_version if version is _UNSET else version,  # type: ignore[arg-type]
            options=options,
        )


class AsyncClient(ClientBase):
    """An HTTP client session: a pool of connections and a cookie jar."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.pool = Pool(cafile=self.cafile, keepalive_expiry=self.keepalive_expiry)

    async def send(self, request: Request) -> Response:
        """Send a modelled request exactly as it is; returns the last response."""
        flow = session_flow(self.session, request)
        try:
            sent, extra = next(flow)
            while True:
                exchange = await send_exchange(self.pool, sent, extra, self.sizes, read_file)
                sent, extra = flow.send(exchange)
        except StopIteration as stop:
            response: Response = stop.value
            return response

    async def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        headers: Mapping[str, str] | Iterable[Header] | None = None,
        content: bytes | str | None = None,
        data: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        files: Mapping[str, Any] | None = None,
        json: Any = _UNSET,
        auth: Auth | tuple[str, str] | None = None,
        version: str | None = _UNSET,
        timeout: float | None = _UNSET,
        follow_redirects: bool | None = None,
    ) -> Response:
        """Build a :class:`Request` from httpx-style arguments and send it."""
        request = self.build_request(
            method,
            url,
            params=params,
            headers=headers,
            content=content,
            data=data,
            files=files,
            json=json,
            auth=auth,
            version=version,
            timeout=timeout,
            follow_redirects=follow_redirects,
        )
        return await self.send(request)

    async def get(self, url: str, **kw: Any) -> Response:
        return await self.request("GET", url, **kw)

    async def head(self, url: str, **kw: Any) -> Response:
        return await self.request("HEAD", url, **kw)

    async def options(self, url: str, **kw: Any) -> Response:
        return await self.request("OPTIONS", url, **kw)

    async def delete(self, url: str, **kw: Any) -> Response:
        return await self.request("DELETE", url, **kw)

    async def post(self, url: str, **kw: Any) -> Response:
        return await self.request("POST", url, **kw)

    async def put(self, url: str, **kw: Any) -> Response:
        return await self.request("PUT", url, **kw)

    async def patch(self, url: str, **kw: Any) -> Response:
        return await self.request("PATCH", url, **kw)

    # ------------------------------------------------------------ closing
    async def aclose(self) -> None:
        await self.pool.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


def _body(content: Any, data: Any, files: Any, json_value: Any) -> Body | None:
    if json_value is not _UNSET:
        return JsonBody(json_value)
    if files:
        parts: list[Any] = [MultipartField(str(k), str(v)) for k, v in _pairs(data)]
        for name, spec in files.items():
            if isinstance(spec, tuple):
                filename, payload, *ctype = spec
            else:
                filename, payload, ctype = getattr(spec, "name", name), spec, []
            if hasattr(payload, "read"):
                payload = payload.read()
            if isinstance(payload, str):
                payload = payload.encode()
            parts.append(
                MultipartFile(
                    name, str(Path(str(filename)).name), ctype[0] if ctype else None, data=payload
                )
            )
        return MultipartBody(tuple(parts))
    if data is not None:
        return FormBody(tuple(_pairs(data)))
    if isinstance(content, str):
        return TextBody(content)
    if isinstance(content, bytes | bytearray):
        return BytesBody(data=bytes(content))
    return None


def _pairs(data: Any) -> list[tuple[str, str]]:
    if data is None:
        return []
    items = data.items() if isinstance(data, Mapping) else data
    return [(str(k), str(v)) for k, v in items]

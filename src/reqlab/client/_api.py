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
from time import perf_counter
from typing import Any
from urllib.parse import urlencode, urlsplit

from reqlab.client._body import ACCEPT_ENCODING
from reqlab.client._cookies import Jar
from reqlab.client._digest import authorization, find_challenge
from reqlab.client._exchange import Sizes, send_exchange
from reqlab.client._pool import Pool
from reqlab.client._record import Exchange
from reqlab.client._redirects import REDIRECT_STATUS, Deadline, check_count, next_request
from reqlab.client._response import Response
from reqlab.errors import RequestTimeout
from reqlab.model import (
    Auth,
    BasicAuth,
    Body,
    BytesBody,
    DigestAuth,
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
from reqlab.protocol.headlimits import DEFAULT_HEAD_LIMITS, HeadLimits

MB = 1024 * 1024
_DEFAULT_OPTIONS = Options()
_UNSET: Any = object()


def read_file(path: str) -> bytes:
    return Path(path).read_bytes()


class AsyncClient:
    """An HTTP client session: a pool of connections and a cookie jar."""

    def __init__(
        self,
        *,
        verify: bool = True,
        cafile: str | None = None,
        timeout: float | None = 30.0,
        follow_redirects: bool = False,
        max_redirects: int = 10,
        total_timeout: float | None = None,
        http_version: str | None = None,
        keep_alive: bool = True,
        compressed: bool = False,
        auth: Auth | tuple[str, str] | None = None,
        cookies: bool = True,
        max_body: int | None = 100 * MB,
        spool_size: int = 8 * MB,
        spool_dir: str | None = None,
        keepalive_expiry: float = 60.0,
        max_head_bytes: int = DEFAULT_HEAD_LIMITS.max_head_bytes,
        max_header_count: int = DEFAULT_HEAD_LIMITS.max_header_count,
    ) -> None:
        self.defaults = Options(
            timeout=timeout,
            follow_redirects=follow_redirects,
            max_redirects=max_redirects,
            total_timeout=total_timeout,
            verify=verify,
            keep_alive=keep_alive,
            compressed=compressed,
        )
        self.http_version = http_version
        self.auth = BasicAuth(*auth) if isinstance(auth, tuple) else auth
        self.pool = Pool(
            cafile=cafile,
            keepalive_expiry=keepalive_expiry,
            head_limits=HeadLimits(max_head_bytes, max_header_count),
        )
        self.jar = Jar() if cookies else None
        self.sizes = Sizes(max_body, spool_size, spool_dir)
        self.exchanges = 0

    # ------------------------------------------------------------ sending
    async def send(self, request: Request) -> Response:
        """Send a modelled request exactly as it is; returns the last response."""
        if request.auth is None and self.auth is not None:
            request = replace(request, auth=self.auth)
        if request.options is not self.defaults and request.options == _DEFAULT_OPTIONS:
            # a Request built without options takes the client's (verify, timeout, ...)
            request = replace(request, options=self.defaults)
        options = request.options
        history: list[Exchange] = []
        redirects: list[dict[str, Any]] = []
        auth_header: Header | None = None
        digest_done = False
        deadline = Deadline(options, perf_counter())
        while True:
            extra = self._extra(request)
            if auth_header is not None:
                extra.append(auth_header)
            hop = deadline.hop(request, perf_counter(), len(redirects))
            try:
                exchange = await send_exchange(self.pool, hop, extra, self.sizes, read_file)
            except RequestTimeout:
                if deadline.passed(perf_counter()):
                    raise deadline.expired(len(redirects)) from None
                raise
            self.exchanges += 1
            if self.jar is not None:
                self.jar.store(request.url, exchange.request_headers, exchange.response_headers)
            status = exchange.status
            if (
                status == 401
                and not digest_done
                and isinstance(request.auth, DigestAuth)
                and not request.has_header("authorization")
            ):
                challenge = find_challenge(exchange.response_headers)
                if challenge is not None:
                    digest_done = True
                    auth_header = (
                        "Authorization",
                        authorization(
                            request.auth.username,
                            request.auth.password,
                            request.method,
                            request.target,
                            challenge,
                        ),
                    )
                    history.append(exchange)
                    continue
            location = exchange.header("location") if status in REDIRECT_STATUS else None
            if options.follow_redirects and location:
                check_count(len(redirects), options, status, location)
                redirects.append(
                    {
                        "status": status,
                        "method": request.method,
                        "url": request.url,
                        "location": location,
                    }
                )
                history.append(exchange)
                request = next_request(request, status, location)
                auth_header, digest_done = None, False
                continue
            exchange.redirects = redirects
            return Response(exchange, request, history)

    def _extra(self, request: Request) -> list[Header]:
        extra: list[Header] = []
        if request.options.compressed and not request.has_header("accept-encoding"):
            extra.append(("Accept-Encoding", ACCEPT_ENCODING))
        if self.jar is not None and self.jar.has_cookies and not request.has_header("cookie"):
            cookie = self.jar.header_for(request.url, list(request.headers))
            if cookie:
                extra.append(("Cookie", cookie))
        return extra

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

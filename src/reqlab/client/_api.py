"""``AsyncClient``: the async client, on the asyncio engine.

It owns a connection pool and the session (``_session``: cookies,
Accept-Encoding, digest challenges, redirects), drives the session flow
with the asyncio engine (``_exchange``), or with a transport when one is
given (``transport=``, e.g. :class:`MockTransport`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from reqlab.client._async_stream import AsyncStreaming
from reqlab.client._base import (
    MB,
    USE_CLIENT_DEFAULT,
    AuthTypes,
    EventHooks,
    Limits,
    UseClientDefault,
    VerifyTypes,
    read_file,
)
from reqlab.client._exchange import send_exchange
from reqlab.client._params import (
    CookieTypes,
    DataTypes,
    FileTypes,
    HeaderTypes,
    ParamTypes,
    header_list,
)
from reqlab.client._pool import Pool
from reqlab.client._proxy import ProxyChoice
from reqlab.client._record import Exchange
from reqlab.client._response import Response
from reqlab.client._session import session_flow, timed_out
from reqlab.client._tls import CertTypes, TLSConfig
from reqlab.client._transport import AsyncBaseTransport, outgoing, record_of
from reqlab.errors import RequestTimeout
from reqlab.model import Header, Request
from reqlab.protocol.headlimits import DEFAULT_HEAD_LIMITS

if TYPE_CHECKING:
    from reqlab.ws import WebSocket

__all__ = ["AsyncClient", "read_file"]


class AsyncClient(AsyncStreaming):
    """An HTTP client session: a pool of connections and a cookie jar."""

    def __init__(
        self,
        *,
        base_url: str = "",
        headers: HeaderTypes | None = None,
        params: ParamTypes | None = None,
        cookies: CookieTypes | bool | None = None,
        auth: AuthTypes | None = None,
        timeout: float | None = 30.0,
        follow_redirects: bool = False,
        verify: VerifyTypes = True,
        cert: CertTypes | None = None,
        proxy: str | None = None,
        http1: bool = True,
        http2: bool = True,
        limits: Limits | None = None,
        event_hooks: EventHooks | None = None,
        transport: AsyncBaseTransport | None = None,
        trust_env: bool = True,
        # reqlab's own
        max_redirects: int = 10,
        total_timeout: float | None = None,
        http_version: str | None = None,
        keep_alive: bool = True,
        compressed: bool = False,
        cafile: str | None = None,
        max_body: int | None = 100 * MB,
        spool_size: int = 8 * MB,
        spool_dir: str | None = None,
        keepalive_expiry: float | None = None,
        max_head_bytes: int = DEFAULT_HEAD_LIMITS.max_head_bytes,
        max_header_count: int = DEFAULT_HEAD_LIMITS.max_header_count,
        alt_svc: bool = False,
        zero_rtt: bool = False,
        resolve: Sequence[str] = (),
        connect_to: Sequence[str] = (),
        ip_version: int | None = None,
    ) -> None:
        settings = dict(locals())  # every parameter above, by name
        del settings["self"]
        if keepalive_expiry is not None:
            settings["limits"] = replace(limits or Limits(), keepalive_expiry=keepalive_expiry)
        self._configure(settings)
        self.transport = transport
        self.pool = Pool(
            TLSConfig(
                cafile=self.cafile,
                cert=cert,
                context=None if isinstance(verify, bool | str) else verify,  # an SSLContext
            ),
            keepalive_expiry=self.limits.keepalive_expiry,
            max_idle=self.limits.max_keepalive_connections,
            proxies=ProxyChoice(proxy, trust_env),
            head_limits=self.head_limits,
        )
        self.pool.h3.alt_svc = alt_svc  # follow Alt-Svc h3 advertisements to HTTP/3
        self.pool.h3.zero_rtt = zero_rtt  # idempotent requests as QUIC 0-RTT data
        self.pool.dial = self.dial  # where connections dial (curl's --connect-to, --resolve, -4/-6)

    async def send(self, request: Request, *, stream: bool = False) -> Response:
        """Send a modelled request exactly as it is; returns the last response.

        ``stream=True`` returns before the body is read (as ``stream()``
        does); the caller reads it and closes the response."""
        if stream:
            return await self._open_stream(request)
        flow = session_flow(self.session, request)
        try:
            sent, extra = next(flow)
            while True:
                if self.request_hooks:
                    await self._hooks(self.request_hooks, sent)
                exchange = await self._exchange(sent, extra)
                sent, extra = flow.send(exchange)
        except StopIteration as stop:
            response: Response = stop.value
        except RequestTimeout as exc:
            timed_out(flow, exc)
        if self.response_hooks:
            await self._hooks(self.response_hooks, response)
        return response

    async def _exchange(self, request: Request, extra: list[Header]) -> Exchange:
        if self.transport is not None:
            sent = outgoing(request, extra)
            answer = await self.transport.handle_async_request(sent)
            return record_of(sent, answer)
        return await send_exchange(self.pool, request, extra, self.sizes, read_file)

    async def request(
        self,
        method: str,
        url: str,
        *,
        params: ParamTypes | None = None,
        headers: HeaderTypes | None = None,
        content: bytes | str | None = None,
        data: DataTypes | None = None,
        files: FileTypes | None = None,
        json: Any = None,
        auth: AuthTypes | None = None,
        timeout: float | None | UseClientDefault = USE_CLIENT_DEFAULT,
        follow_redirects: bool | UseClientDefault = USE_CLIENT_DEFAULT,
        version: str | None | UseClientDefault = USE_CLIENT_DEFAULT,
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
            timeout=timeout,
            follow_redirects=follow_redirects,
            version=version,
        )
        return await self.send(request)

    async def get(
        self,
        url: str,
        *,
        params: ParamTypes | None = None,
        headers: HeaderTypes | None = None,
        auth: AuthTypes | None = None,
        timeout: float | None | UseClientDefault = USE_CLIENT_DEFAULT,
        follow_redirects: bool | UseClientDefault = USE_CLIENT_DEFAULT,
        version: str | None | UseClientDefault = USE_CLIENT_DEFAULT,
    ) -> Response:
        return await self.request(
            "GET",
            url,
            params=params,
            headers=headers,
            auth=auth,
            timeout=timeout,
            follow_redirects=follow_redirects,
            version=version,
        )

    async def head(
        self,
        url: str,
        *,
        params: ParamTypes | None = None,
        headers: HeaderTypes | None = None,
        auth: AuthTypes | None = None,
        timeout: float | None | UseClientDefault = USE_CLIENT_DEFAULT,
        follow_redirects: bool | UseClientDefault = USE_CLIENT_DEFAULT,
        version: str | None | UseClientDefault = USE_CLIENT_DEFAULT,
    ) -> Response:
        return await self.request(
            "HEAD",
            url,
            params=params,
            headers=headers,
            auth=auth,
            timeout=timeout,
            follow_redirects=follow_redirects,
            version=version,
        )

    async def options(
        self,
        url: str,
        *,
        params: ParamTypes | None = None,
        headers: HeaderTypes | None = None,
        auth: AuthTypes | None = None,
        timeout: float | None | UseClientDefault = USE_CLIENT_DEFAULT,
        follow_redirects: bool | UseClientDefault = USE_CLIENT_DEFAULT,
        version: str | None | UseClientDefault = USE_CLIENT_DEFAULT,
    ) -> Response:
        return await self.request(
            "OPTIONS",
            url,
            params=params,
            headers=headers,
            auth=auth,
            timeout=timeout,
            follow_redirects=follow_redirects,
            version=version,
        )

    async def delete(
        self,
        url: str,
        *,
        params: ParamTypes | None = None,
        headers: HeaderTypes | None = None,
        auth: AuthTypes | None = None,
        timeout: float | None | UseClientDefault = USE_CLIENT_DEFAULT,
        follow_redirects: bool | UseClientDefault = USE_CLIENT_DEFAULT,
        version: str | None | UseClientDefault = USE_CLIENT_DEFAULT,
    ) -> Response:
        return await self.request(
            "DELETE",
            url,
            params=params,
            headers=headers,
            auth=auth,
            timeout=timeout,
            follow_redirects=follow_redirects,
            version=version,
        )

    async def post(
        self,
        url: str,
        *,
        params: ParamTypes | None = None,
        headers: HeaderTypes | None = None,
        content: bytes | str | None = None,
        data: DataTypes | None = None,
        files: FileTypes | None = None,
        json: Any = None,
        auth: AuthTypes | None = None,
        timeout: float | None | UseClientDefault = USE_CLIENT_DEFAULT,
        follow_redirects: bool | UseClientDefault = USE_CLIENT_DEFAULT,
        version: str | None | UseClientDefault = USE_CLIENT_DEFAULT,
    ) -> Response:
        return await self.request(
            "POST",
            url,
            params=params,
            headers=headers,
            content=content,
            data=data,
            files=files,
            json=json,
            auth=auth,
            timeout=timeout,
            follow_redirects=follow_redirects,
            version=version,
        )

    async def put(
        self,
        url: str,
        *,
        params: ParamTypes | None = None,
        headers: HeaderTypes | None = None,
        content: bytes | str | None = None,
        data: DataTypes | None = None,
        files: FileTypes | None = None,
        json: Any = None,
        auth: AuthTypes | None = None,
        timeout: float | None | UseClientDefault = USE_CLIENT_DEFAULT,
        follow_redirects: bool | UseClientDefault = USE_CLIENT_DEFAULT,
        version: str | None | UseClientDefault = USE_CLIENT_DEFAULT,
    ) -> Response:
        return await self.request(
            "PUT",
            url,
            params=params,
            headers=headers,
            content=content,
            data=data,
            files=files,
            json=json,
            auth=auth,
            timeout=timeout,
            follow_redirects=follow_redirects,
            version=version,
        )

    async def patch(
        self,
        url: str,
        *,
        params: ParamTypes | None = None,
        headers: HeaderTypes | None = None,
        content: bytes | str | None = None,
        data: DataTypes | None = None,
        files: FileTypes | None = None,
        json: Any = None,
        auth: AuthTypes | None = None,
        timeout: float | None | UseClientDefault = USE_CLIENT_DEFAULT,
        follow_redirects: bool | UseClientDefault = USE_CLIENT_DEFAULT,
        version: str | None | UseClientDefault = USE_CLIENT_DEFAULT,
    ) -> Response:
        return await self.request(
            "PATCH",
            url,
            params=params,
            headers=headers,
            content=content,
            data=data,
            files=files,
            json=json,
            auth=auth,
            timeout=timeout,
            follow_redirects=follow_redirects,
            version=version,
        )

    # ---------------------------------------------------------- WebSocket
    async def websocket(
        self,
        url: str,
        *,
        headers: HeaderTypes | None = None,
        subprotocols: Sequence[str] = (),
        deflate: bool = True,
        timeout: float | None | UseClientDefault = USE_CLIENT_DEFAULT,
        max_size: int = 16 * MB,
        ping_interval: float | None = None,
        ping_timeout: float | None = None,
    ) -> WebSocket:
        """Open a WebSocket (``ws://`` or ``wss://``) with this client.

        Over HTTP/2 (wss:// with h2 by ALPN, or ``http_version="HTTP/2"``) it
        is an RFC 8441 extended CONNECT stream on the pooled connection to the
        origin, the one requests use (opened and pooled if there is none);
        ``ws.record.reused`` and ``ws.record.connection_id`` say which.  Where
        HTTP/2 cannot carry it, an HTTP/1.1 upgrade on a connection of its own.
        The client's headers go on the handshake; ``timeout`` bounds it."""
        from reqlab.ws._pooled import open_pooled

        wait = self.defaults.timeout if isinstance(timeout, UseClientDefault) else timeout
        return await open_pooled(
            self,
            url,
            headers=header_list(headers),
            subprotocols=subprotocols,
            deflate=deflate,
            timeout=wait,
            max_size=max_size,
            ping_interval=ping_interval,
            ping_timeout=ping_timeout,
        )

    # ------------------------------------------------------------ closing
    async def aclose(self) -> None:
        await self.pool.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

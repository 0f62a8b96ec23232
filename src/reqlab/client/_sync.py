"""``Client``: the synchronous client, on blocking sockets.

The same session logic as :class:`AsyncClient` (``_session``), the same
sans-IO protocol core, pool rules and record (``_build``, ``_policy``); only
the waiting differs: ``_sync_exchange`` reads sockets where the async engine
awaits.  No event loop is involved, so a ``Client`` works the same inside
and outside async code.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

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
from reqlab.client._params import CookieTypes, DataTypes, FileTypes, HeaderTypes, ParamTypes
from reqlab.client._proxy import ProxyChoice
from reqlab.client._record import Exchange
from reqlab.client._response import Response
from reqlab.client._session import session_flow, timed_out
from reqlab.client._sync_exchange import send_exchange_sync
from reqlab.client._sync_pool import SyncPool
from reqlab.client._sync_stream import SyncStreaming
from reqlab.client._tls import CertTypes, TLSConfig, is_ssl_context
from reqlab.client._transport import BaseTransport, outgoing, record_of
from reqlab.errors import RequestTimeout
from reqlab.model import Header, Request
from reqlab.protocol.headlimits import DEFAULT_HEAD_LIMITS

__all__ = ["Client"]


class Client(SyncStreaming):
    """The synchronous client: the same arguments and methods, no ``await``."""

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
        transport: BaseTransport | None = None,
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
        self.pool = SyncPool(
            TLSConfig(
                cafile=self.cafile,
                cert=cert,
                context=verify if is_ssl_context(verify) else None,
            ),
            keepalive_expiry=self.limits.keepalive_expiry,
            max_idle=self.limits.max_keepalive_connections,
            proxies=ProxyChoice(proxy, trust_env),
            head_limits=self.head_limits,
        )
        self.pool.h3.alt_svc = alt_svc  # follow Alt-Svc h3 advertisements to HTTP/3
        self.pool.h3.zero_rtt = zero_rtt  # idempotent requests as QUIC 0-RTT data
        self.pool.dial = self.dial  # where connections dial (curl's --connect-to, --resolve, -4/-6)
        # One request at a time: connections are not shared between threads mid-exchange.
        self._lock = threading.Lock()

    def send(self, request: Request, *, stream: bool = False) -> Response:
        """Send a modelled request exactly as it is; returns the last response.

        ``stream=True`` returns before the body is read (as ``stream()``
        does); the caller reads it and closes the response."""
        if stream:
            return self._open_stream(request)
        flow = session_flow(self.session, request)
        with self._lock:
            try:
                sent, extra = next(flow)
                while True:
                    self._before(sent)
                    exchange = self._exchange(sent, extra)
                    sent, extra = flow.send(exchange)
            except StopIteration as stop:
                response: Response = stop.value
            except RequestTimeout as exc:
                timed_out(flow, exc)
        self._after(response)
        return response

    def _exchange(self, request: Request, extra: list[Header]) -> Exchange:
        if self.transport is not None:
            sent = outgoing(request, extra)
            return record_of(sent, self.transport.handle_request(sent))
        return send_exchange_sync(self.pool, request, extra, self.sizes, read_file)

    def request(
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
        return self.send(request)

    def get(
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
        return self.request(
            "GET",
            url,
            params=params,
            headers=headers,
            auth=auth,
            timeout=timeout,
            follow_redirects=follow_redirects,
            version=version,
        )

    def head(
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
        return self.request(
            "HEAD",
            url,
            params=params,
            headers=headers,
            auth=auth,
            timeout=timeout,
            follow_redirects=follow_redirects,
            version=version,
        )

    def options(
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
        return self.request(
            "OPTIONS",
            url,
            params=params,
            headers=headers,
            auth=auth,
            timeout=timeout,
            follow_redirects=follow_redirects,
            version=version,
        )

    def delete(
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
        return self.request(
            "DELETE",
            url,
            params=params,
            headers=headers,
            auth=auth,
            timeout=timeout,
            follow_redirects=follow_redirects,
            version=version,
        )

    def post(
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
        return self.request(
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

    def put(
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
        return self.request(
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

    def patch(
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
        return self.request(
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

    def close(self) -> None:
        with self._lock:
            self.pool.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

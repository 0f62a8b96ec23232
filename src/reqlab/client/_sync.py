"""``Client``: the synchronous client, on blocking sockets.

The same session logic as :class:`AsyncClient` (``_session``), the same
sans-IO protocol core, pool rules and record (``_build``, ``_policy``); only
the waiting differs: ``_sync_exchange`` reads sockets where the async engine
awaits.  No event loop is involved, so a ``Client`` works the same inside
and outside async code.
"""

from __future__ import annotations

import threading
from typing import Any

from reqlab.client._api import ClientBase, read_file
from reqlab.client._response import Response
from reqlab.client._session import session_flow
from reqlab.client._sync_exchange import send_exchange_sync
from reqlab.client._sync_pool import SyncPool
from reqlab.model import Request


class Client(ClientBase):
    """The synchronous client: same arguments and methods, no ``await``."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.pool = SyncPool(cafile=self.cafile, keepalive_expiry=self.keepalive_expiry)
        # One request at a time: the pool and the connections are not shared
        # between threads mid-exchange.
        self._lock = threading.Lock()

    def send(self, request: Request) -> Response:
        """Send a modelled request exactly as it is; returns the last response."""
        flow = session_flow(self.session, request)
        with self._lock:
            try:
                sent, extra = next(flow)
                while True:
                    exchange = send_exchange_sync(self.pool, sent, extra, self.sizes, read_file)
                    sent, extra = flow.send(exchange)
            except StopIteration as stop:
                response: Response = stop.value
                return response

    def request(self, method: str, url: str, **kw: Any) -> Response:
        return self.send(self.build_request(method, url, **kw))

    def get(self, url: str, **kw: Any) -> Response:
        return self.request("GET", url, **kw)

    def head(self, url: str, **kw: Any) -> Response:
        return self.request("HEAD", url, **kw)

    def options(self, url: str, **kw: Any) -> Response:
        return self.request("OPTIONS", url, **kw)

    def delete(self, url: str, **kw: Any) -> Response:
        return self.request("DELETE", url, **kw)

    def post(self, url: str, **kw: Any) -> Response:
        return self.request("POST", url, **kw)

    def put(self, url: str, **kw: Any) -> Response:
        return self.request("PUT", url, **kw)

    def patch(self, url: str, **kw: Any) -> Response:
        return self.request("PATCH", url, **kw)

    def close(self) -> None:
        with self._lock:
            self.pool.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

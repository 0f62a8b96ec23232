"""What both clients hold and do before the engine: settings, session state,
and building a :class:`Request` from httpx-style arguments.

``Client`` and ``AsyncClient`` spell out their keyword parameters (so type
checkers and ``help()`` see them, and a wrong keyword names the class); both
hand them to :meth:`ClientBase._configure`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from reqlab._records import record
from reqlab.client._build import Sizes
from reqlab.client._cookies import Cookies, Jar
from reqlab.client._dial import parse_dial
from reqlab.client._params import (
    CookieTypes,
    DataTypes,
    FileTypes,
    HeaderTypes,
    ParamTypes,
    header_list,
    join_url,
    make_body,
    merge_headers,
    param_pairs,
    with_params,
)
from reqlab.client._response import Response
from reqlab.client._session import Session
from reqlab.client._tls import CertTypes
from reqlab.errors import InvalidRequest
from reqlab.model import Auth, BasicAuth, FlowAuth, Options, Request
from reqlab.protocol.headlimits import HeadLimits

if TYPE_CHECKING:
    import ssl

MB = 1024 * 1024
AuthTypes = Auth | FlowAuth | tuple[str, str]
VerifyTypes: TypeAlias = "bool | str | ssl.SSLContext"  # ssl: only when TLS is used
EventHooks = Mapping[str, Sequence[Callable[..., Any]]]


class UseClientDefault:
    """The type of :data:`USE_CLIENT_DEFAULT`: "take the client's setting"."""

    def __repr__(self) -> str:
        return "USE_CLIENT_DEFAULT"


USE_CLIENT_DEFAULT = UseClientDefault()


@record(frozen=True)
class Limits:
    """How many idle connections a client keeps per origin, and for how long."""

    max_keepalive_connections: int = 10
    keepalive_expiry: float = 60.0


def read_file(path: str) -> bytes:
    return Path(path).read_bytes()


def _version(http_version: str | None, http1: bool, http2: bool) -> str | None:
    if http_version is not None:
        return http_version
    if http1 and http2:
        return None  # HTTP/2 when the server offers it by ALPN, else HTTP/1.1
    if http2:
        return "HTTP/2"
    if http1:
        return "HTTP/1.1"
    raise InvalidRequest("http1/http2", "at least one of them must be true")


class ClientBase:
    """Settings and session state shared by ``Client`` and ``AsyncClient``."""

    def _configure(self, settings: dict[str, Any]) -> None:
        verify: VerifyTypes = settings["verify"]
        cafile: str | None = settings["cafile"]
        if isinstance(verify, str):
            cafile = verify
            verify = True
        if cafile is None and settings["trust_env"] and verify is True:
            cafile = os.environ.get("SSL_CERT_FILE") or None
        self.verify = verify
        self.cafile = cafile
        self.cert: CertTypes | None = settings["cert"]
        self.base_url: str = settings["base_url"]
        self.headers = header_list(settings["headers"])
        self.params = param_pairs(settings["params"])
        self.defaults = Options(
            timeout=settings["timeout"],
            follow_redirects=settings["follow_redirects"],
            max_redirects=settings["max_redirects"],
            total_timeout=settings["total_timeout"],
            verify=verify is not False,
            keep_alive=settings["keep_alive"],
            compressed=settings["compressed"],
        )
        self.http_version = _version(settings["http_version"], settings["http1"], settings["http2"])
        auth = settings["auth"]
        self.auth = BasicAuth(*auth) if isinstance(auth, tuple) else auth
        cookies: CookieTypes | bool | None = settings["cookies"]
        self.jar = None if cookies is False else Jar()
        if self.jar is not None and isinstance(cookies, Mapping):
            self.jar.static.update(cookies)
        self.session = Session(self.defaults, self.auth, self.jar)
        self.dial = parse_dial(settings["resolve"], settings["connect_to"], settings["ip_version"])
        self.sizes = Sizes(settings["max_body"], settings["spool_size"], settings["spool_dir"])
        self.limits: Limits = settings["limits"] or Limits()
        self.head_limits = HeadLimits(settings["max_head_bytes"], settings["max_header_count"])
        hooks: EventHooks = settings["event_hooks"] or {}
        unknown = set(hooks) - {"request", "response"}
        if unknown:
            raise InvalidRequest("event_hooks", f"unknown event {sorted(unknown)[0]!r}")
        self.request_hooks = list(hooks.get("request", ()))
        self.response_hooks = list(hooks.get("response", ()))

    def _share_cookies(self, other: ClientBase) -> None:
        """Keep cookies in ``other``'s jar, so both clients send and store the
        same ones (``reqlab run``: a file's clients for entries with their own
        TLS or proxy settings share the file's cookies, as Hurl's do)."""
        self.jar = other.jar
        self.session.jar = other.jar

    @property
    def exchanges(self) -> int:
        """How many exchanges this client has recorded (redirect hops included)."""
        return self.session.exchanges

    @property
    def cookies(self) -> Cookies:
        """The cookies the client holds (given, and set by servers), by name;
        ``client.cookies["name"] = "value"`` sends one to every host."""
        if self.jar is None:
            raise InvalidRequest("cookies", "this client was made with cookies=False")
        return Cookies(self.jar)

    def build_request(
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
    ) -> Request:
        """A :class:`Request` from httpx-style arguments and the client's defaults."""
        full = with_params(join_url(self.base_url, url), self.params + param_pairs(params))
        body = make_body(content, data, files, json, json is not None)
        options = self.defaults
        if not isinstance(timeout, UseClientDefault) or not isinstance(
            follow_redirects, UseClientDefault
        ):
            options = replace(
                options,
                timeout=options.timeout if isinstance(timeout, UseClientDefault) else timeout,
                follow_redirects=(
                    options.follow_redirects
                    if isinstance(follow_redirects, UseClientDefault)
                    else follow_redirects
                ),
            )
        return Request(
            method=method.upper(),
            url=full,
            headers=tuple(merge_headers(self.headers, header_list(headers))),
            body=body,
            auth=BasicAuth(*auth) if isinstance(auth, tuple) else auth,
            version=self.http_version if isinstance(version, UseClientDefault) else version,  # type: ignore[arg-type]
            options=options,
        )

    def _before(self, request: Request) -> None:
        for hook in self.request_hooks:
            hook(request)

    def _after(self, response: Response) -> None:
        for hook in self.response_hooks:
            hook(response)

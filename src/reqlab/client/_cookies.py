"""A cookie jar per client, on the stdlib :mod:`http.cookiejar`.

cookiejar speaks urllib's Request/Response interfaces; the two small
adapters below give it what it asks for and nothing more.

http.cookiejar pulls in urllib.request, http.client and email (a tenth of
a cold ``reqlab send``), so the stdlib jar is made on the first Set-Cookie
or look-up that needs it; a client that never meets a cookie never loads it.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from reqlab.model import Header

if TYPE_CHECKING:
    from email.message import Message
    from http.cookiejar import CookieJar


class _RequestView:
    def __init__(self, url: str, headers: list[Header]) -> None:
        parts = urlsplit(url)
        self.full_url = url
        self.type = parts.scheme
        self.host = parts.netloc
        self.origin_req_host = parts.hostname or ""
        self.unverifiable = False
        self._headers = {n.lower(): v for n, v in headers}
        self.added: dict[str, str] = {}

    def get_full_url(self) -> str:
        return self.full_url

    def has_header(self, name: str) -> bool:
        return name.lower() in self._headers

    def get_header(self, name: str, default: str | None = None) -> str | None:
        return self._headers.get(name.lower(), default)

    def header_items(self) -> list[Header]:
        return list(self._headers.items())

    def add_unredirected_header(self, name: str, value: str) -> None:
        self.added[name] = value


class _ResponseView:
    def __init__(self, headers: list[Header]) -> None:
        from email.message import Message

        self._msg = Message()
        for name, value in headers:
            self._msg[name] = value

    def info(self) -> Message:
        return self._msg


class Jar:
    def __init__(self) -> None:
        self._jar: CookieJar | None = None
        # Cookies the user gave the client (``cookies=``, ``client.cookies[...]``):
        # no domain, so sent to every host, as httpx does.
        self.static: dict[str, str] = {}

    @property
    def jar(self) -> CookieJar:
        """The stdlib jar of the cookies servers set, made on first use."""
        if self._jar is None:
            from http.cookiejar import CookieJar

            self._jar = CookieJar()
        return self._jar

    @property
    def has_cookies(self) -> bool:
        # stops at the first cookie, where len() walks them all
        return bool(self.static) or (self._jar is not None and any(True for _ in self._jar))

    def header_for(self, url: str, headers: list[Header]) -> str | None:
        """The Cookie value to send to ``url`` (None when the jar has none)."""
        if not self.has_cookies:
            return None
        found = None
        if self._jar is not None:
            view = _RequestView(url, headers)
            self._jar.add_cookie_header(view)  # type: ignore[arg-type]
            found = view.added.get("Cookie")
        if self.static:
            sent = "; ".join(f"{n}={v}" for n, v in self.static.items())
            found = f"{sent}; {found}" if found else sent
        return found

    def as_dict(self) -> dict[str, str]:
        """Every cookie by name (the last one wins when two domains share a name)."""
        found = {c.name: c.value or "" for c in self._jar or ()}
        found.update(self.static)
        return found

    def store(
        self, url: str, request_headers: list[Header], response_headers: list[Header]
    ) -> None:
        for name, _ in response_headers:
            if name.lower() in ("set-cookie", "set-cookie2"):
                break
        else:
            return
        self.jar.extract_cookies(
            _ResponseView(response_headers),  # type: ignore[arg-type]
            _RequestView(url, request_headers),  # type: ignore[arg-type]
        )

    def __len__(self) -> int:
        return (len(self._jar) if self._jar is not None else 0) + len(self.static)


class Cookies(MutableMapping[str, str]):
    """``client.cookies``: a live view of the jar, by cookie name.

    Setting one sends it to every host from then on (as httpx's
    ``client.cookies[name] = value``); deleting one removes it whatever
    its domain."""

    def __init__(self, jar: Jar) -> None:
        self._jar = jar

    def __getitem__(self, name: str) -> str:
        return self._jar.as_dict()[name]

    def __setitem__(self, name: str, value: str) -> None:
        self._jar.static[name] = value

    def __delitem__(self, name: str) -> None:
        found = self._jar.static.pop(name, None) is not None
        for cookie in [c for c in self._jar.jar if c.name == name]:
            self._jar.jar.clear(cookie.domain, cookie.path, cookie.name)
            found = True
        if not found:
            raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._jar.as_dict())

    def __len__(self) -> int:
        return len(self._jar.as_dict())

    def set(self, name: str, value: str) -> None:
        self[name] = value

    def __repr__(self) -> str:
        return f"<Cookies {self._jar.as_dict()!r}>"

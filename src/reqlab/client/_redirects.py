"""Following redirects: which request a 3xx response leads to.

Method rewriting as browsers and ``curl -L`` do it: 303 turns anything but
HEAD into GET; 301 and 302 turn POST into GET; 307 and 308 keep the method
and body.  When the method becomes GET the body and its headers go.  The
Authorization header and auth are dropped when the origin changes, so
credentials never leak to another host.

Bounds: at most ``options.max_redirects`` redirects (default 10, at most
50), and with ``options.total_timeout`` one deadline for all the hops
(:class:`Deadline`).
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urljoin

from reqlab.errors import RequestTimeout, TooManyRedirects
from reqlab.model import Options, Request

REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})
_BODY_HEADERS = ("content-type", "content-length", "transfer-encoding", "content-encoding")


def next_request(request: Request, status: int, location: str) -> Request:
    """The request to send after ``status`` with ``Location: location``."""
    url = urljoin(request.url, location.strip())
    if "#" in url:
        url = url.split("#", 1)[0]
    method = request.method
    body = request.body
    headers = list(request.headers)
    if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
        method, body = "GET", None
        headers = [h for h in headers if h[0].lower() not in _BODY_HEADERS]
    new = request.replace(url=url, method=method, body=body, headers=tuple(headers))
    if new.origin != request.origin:
        new = new.replace(
            auth=None,
            headers=tuple(
                h for h in new.headers if h[0].lower() not in ("authorization", "host", "cookie")
            ),
        )
    return new


def check_count(followed: int, options: Options, status: int, location: str) -> None:
    """Refuse one redirect more than ``options.max_redirects`` (at most 50)."""
    if followed >= options.max_redirects:
        raise TooManyRedirects(
            f"too many redirects ({followed + 1}): more than {options.max_redirects} "
            f"redirects (last: {status} to {location})"
        )


class Deadline:
    """One deadline for a whole send (``options.total_timeout``): every hop's
    timeouts are cut to what is left, so N slow redirects cannot take N times
    the per-exchange timeout."""

    def __init__(self, options: Options, now: float) -> None:
        self.total = options.total_timeout
        self.at = None if self.total is None else now + self.total

    def hop(self, request: Request, now: float, hops: int) -> Request:
        """``request`` with its timeouts cut to the time left; RequestTimeout if none is."""
        if self.at is None:
            return request
        left = self.at - now
        if left <= 0:
            raise self.expired(hops)
        options = request.options
        timeout = left if options.timeout is None else min(options.timeout, left)
        connect = options.connect_timeout
        if connect is not None and connect > left:
            connect = left
        if timeout == options.timeout and connect == options.connect_timeout:
            return request
        return replace(request, options=replace(options, timeout=timeout, connect_timeout=connect))

    def expired(self, hops: int) -> RequestTimeout:
        after = f", {hops} redirect{'s' if hops != 1 else ''} followed" if hops else ""
        return RequestTimeout(f"the whole send (total timeout{after})", self.total)

    def passed(self, now: float) -> bool:
        return self.at is not None and now >= self.at - 1e-3

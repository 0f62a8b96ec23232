"""Following redirects: which request a 3xx response leads to.

Method rewriting as browsers and ``curl -L`` do it: 303 turns anything but
HEAD into GET; 301 and 302 turn POST into GET; 307 and 308 keep the method
and body.  When the method becomes GET the body and its headers go.  The
Authorization header and auth are dropped when the origin changes, so
credentials never leak to another host.
"""

from __future__ import annotations

from urllib.parse import urljoin

from reqlab.model import Request

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

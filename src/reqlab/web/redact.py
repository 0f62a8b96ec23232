"""What a share link shows of a saved request: everything but its secrets.

A saved request is the owner's own; its share link (``/r/<id>``) is for
anyone holding the link.  Unless the owner ticked "include secrets" when
saving, the link's copy leaves out:

* the auth password or bearer token (the scheme and user name stay);
* the values of credential headers - Authorization, Proxy-Authorization,
  Cookie, and any header whose name speaks of a token, key, secret,
  password, session or auth (``X-API-Key``, ``X-Auth-Token`` ...);
* the password in the URL's user info, and the values of query parameters
  and form fields with such names (``?api_key=``, ``password=``).

A left-out value becomes ``""`` so the shared request still opens, showing
where a secret goes.  Works on the API's JSON form of a request (see
:mod:`serialize`).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_SECRET_NAME = re.compile(
    r"auth|token|secret|passw|pwd|api[-_]?key|apikey|session|cookie|credential|signature|"
    r"^key$|[-_]key$",
    re.IGNORECASE,
)
HIDDEN = ""


def secret_name(name: str) -> bool:
    return bool(_SECRET_NAME.search(name))


def _url(url: str) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}@{host}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(secret_name(n) for n, _ in pairs):
            query = urlencode([(n, HIDDEN if secret_name(n) else v) for n, v in pairs])
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _pairs(pairs: list[Any]) -> list[Any]:
    return [[n, HIDDEN if secret_name(str(n)) else v] for n, v in pairs]


def _body(body: dict[str, Any] | None) -> dict[str, Any] | None:
    if not body:
        return body
    if body.get("kind") == "form":
        return {**body, "fields": _pairs(body.get("fields") or [])}
    if body.get("kind") == "multipart":
        parts = [
            {**p, "value": HIDDEN} if "value" in p and secret_name(str(p.get("name"))) else p
            for p in body.get("parts") or []
        ]
        return {**body, "parts": parts}
    return body


def _auth(auth: dict[str, Any] | None) -> dict[str, Any] | None:
    if not auth:
        return auth
    out = dict(auth)
    for key in ("password", "token", "value", "secret_key", "session_token", "client_secret"):
        if key in out:
            out[key] = HIDDEN
    return out


def without_secrets(request: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``request`` (the API's JSON form) with its secrets left out."""
    out = dict(request)
    out["url"] = _url(str(request.get("url", "")))
    out["headers"] = _pairs(request.get("headers") or [])
    out["auth"] = _auth(request.get("auth"))
    out["body"] = _body(request.get("body"))
    return out

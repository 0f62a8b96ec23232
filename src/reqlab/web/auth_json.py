"""The page's Authorization tab as JSON, beyond Basic/Bearer/Digest.

    {"scheme": "apikey", "name": "X-API-Key", "value": "...", "in": "header"|"query"}
    {"scheme": "aws-sigv4", "access_key": "...", "secret_key": "...", "region": "...",
     "service": "...", "session_token": "", "unsigned_payload": false}
    {"scheme": "oauth2", "grant": "client-credentials"|"authorization-code"|"device-code",
     "token_url": "...", "auth_url": "...", "device_url": "...", "client_id": "...",
     "client_secret": "...", "scope": "...", "client_auth": "basic"|"post"|"none"}
    {"scheme": "inherit"}  (a workspace request: its folder's or environment's)

The keys are the ``# @reqlab.auth`` fields (:mod:`reqlab.formats.httpfile.authspec`)
with ``_`` for ``-``.  Such an auth arrives as a :class:`PageAuth`, a
placeholder the send binds to the page session's token cache
(:mod:`auth_api`); stored (history, saved requests, share links) it keeps
every field but the secrets, which are always left out.
"""

from __future__ import annotations

from typing import Any

from reqlab.errors import AuthError, InvalidRequest
from reqlab.formats.httpfile import HttpFileError
from reqlab.formats.httpfile.authspec import FIELDS, SECRET_FIELDS, AuthSpec, check

SCHEMES = ("apikey", "aws-sigv4", "oauth2")
PAGE_SCHEMES = ("none", "inherit", "basic", "digest", "bearer", *SCHEMES)


def spec_from_json(data: dict[str, Any], where: str = "auth") -> AuthSpec:
    """The spec the tab describes; InvalidRequest naming the field otherwise."""
    scheme = data.get("scheme")
    if scheme not in PAGE_SCHEMES:
        raise InvalidRequest(
            f"{where}.scheme", f"{scheme!r} is not one of {', '.join(PAGE_SCHEMES)}"
        )
    fields = []
    for key, value in data.items():
        if key == "scheme":
            continue
        name = key.replace("_", "-")
        if name not in FIELDS[scheme]:
            raise InvalidRequest(f"{where}.{key}", f"is not a field of {scheme}")
        if isinstance(value, bool):
            value = "true" if value else "false"
        if not isinstance(value, str):
            raise InvalidRequest(f"{where}.{key}", "must be a string")
        if value:
            fields.append((name, value))
    spec = AuthSpec(str(scheme), tuple(fields), path=where, origin="request")

    def error(message: str) -> HttpFileError:
        return HttpFileError(where, 1, 1, message)

    try:
        check(spec, error)
    except HttpFileError as exc:
        raise InvalidRequest(where, exc.message) from None
    return spec


def spec_to_json(spec: AuthSpec, secrets: bool = False) -> dict[str, Any]:
    """The tab's JSON of ``spec``; secret fields blank unless ``secrets``."""
    out: dict[str, Any] = {"scheme": spec.kind}
    for key, value in spec.fields:
        out[key.replace("-", "_")] = "" if key in SECRET_FIELDS and not secrets else value
    return out


class PageAuth:
    """An auth from the page, not yet bound to a session's token cache."""

    def __init__(self, spec: AuthSpec) -> None:
        self.spec = spec

    def __repr__(self) -> str:
        return f"PageAuth({self.spec.kind})"

    def to_json(self) -> dict[str, Any]:
        return spec_to_json(self.spec)

    def auth_flow(self, request: Any) -> Any:
        raise AuthError("this auth must be bound to a page session before it is sent")
        yield  # pragma: no cover

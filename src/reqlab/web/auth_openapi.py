"""The OpenAPI entries of the auth and cookie routes (auth_api, cookie_api)."""

from __future__ import annotations

from typing import Any

_AUTH = {"type": "object", "description": "the Authorization tab's JSON (docs/web.md)"}
_COOKIE = {
    "type": "object",
    "required": ["domain", "name"],
    "properties": {
        "domain": {"type": "string"},
        "path": {"type": "string"},
        "name": {"type": "string"},
        "value": {"type": "string"},
        "secure": {"type": "boolean"},
        "http_only": {"type": "boolean"},
        "expires": {"type": ["integer", "null"]},
    },
}


def _op(summary: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "responses": {"200": {"description": "OK"}}}
    if body is not None:
        op["requestBody"] = {"content": {"application/json": {"schema": body}}}
    return op


def paths() -> dict[str, Any]:
    token = {
        "type": "object",
        "properties": {
            "auth": _AUTH,
            "url": {"type": "string"},
            "ref": {"type": "string"},
            "env": {"type": ["string", "null"]},
        },
    }
    return {
        "/api/auth/token": {
            "post": _op(
                "Get a new OAuth 2.0 access token (the tab's auth, or a workspace request's);"
                " a job: state, authorize_url or device code, token expiry, exchanges",
                token,
            )
        },
        "/api/auth/token/{job}": {"get": _op("A token job's state (the page polls)")},
        "/api/auth/effective": {
            "post": _op(
                "What a request sends with (inherited auth, secrets blank; token expiry)", token
            )
        },
        "/api/cookies": {
            "get": _op("The session's cookies, per domain"),
            "put": _op("Add or replace a cookie", _COOKIE),
            "delete": _op("Delete one cookie (domain, path, name) or a domain's"),
        },
        "/api/cookies/import": {
            "post": _op(
                "Add the cookies of a Netscape cookie file",
                {"type": "object", "properties": {"text": {"type": "string"}}},
            )
        },
        "/api/cookies/export": {
            "get": _op("The session's cookies as a Netscape file (csrf= query)")
        },
    }

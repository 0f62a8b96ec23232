"""Authentication beyond Basic, Bearer and Digest, as ``auth=`` objects.

Each object has ``auth_flow(request)`` (see :class:`reqlab.model.FlowAuth`),
a generator both clients drive: it may send side requests (an OAuth token
request) and returns the request to send.  The signing logic is pure
(:mod:`._sigv4`, :mod:`._oauth_token`); the OAuth 2.0 classes import the
client's record type, so they load on first use: the echo server imports the
SigV4 verifier from here without pulling in the client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reqlab.auth._apikey import APIKey
from reqlab.auth._aws import AWSSigV4
from reqlab.auth._oauth_token import OAuthError, Token

if TYPE_CHECKING:
    from reqlab.auth._oauth import OAuth2ClientCredentials
    from reqlab.auth._oauth_cache import FileTokenCache, MemoryTokenCache
    from reqlab.auth._oauth_flows import OAuth2AuthorizationCode, OAuth2DeviceCode

__all__ = [
    "APIKey",
    "AWSSigV4",
    "FileTokenCache",
    "MemoryTokenCache",
    "OAuth2AuthorizationCode",
    "OAuth2ClientCredentials",
    "OAuth2DeviceCode",
    "OAuthError",
    "Token",
]

_LAZY = {
    "OAuth2ClientCredentials": "reqlab.auth._oauth",
    "OAuth2AuthorizationCode": "reqlab.auth._oauth_flows",
    "OAuth2DeviceCode": "reqlab.auth._oauth_flows",
    "FileTokenCache": "reqlab.auth._oauth_cache",
    "MemoryTokenCache": "reqlab.auth._oauth_cache",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'reqlab.auth' has no attribute {name!r}")

"""reqlab.auth's public names, and secrets masked in every repr."""

from __future__ import annotations

import importlib
import subprocess
import sys

import reqlab.auth
from reqlab.auth import (
    APIKey,
    AWSSigV4,
    MemoryTokenCache,
    OAuth2AuthorizationCode,
    OAuth2ClientCredentials,
    OAuth2DeviceCode,
    Token,
)
from reqlab.auth._oauth_token import ClientAuth

SECRET = "TOPSECRET-value"


def test_every_exported_name_resolves() -> None:
    for name in reqlab.auth.__all__:
        assert getattr(reqlab.auth, name) is not None, name


def test_no_secret_in_any_repr() -> None:
    objects = [
        APIKey("X-Key", SECRET),
        AWSSigV4("AK", SECRET, "r", "s", session_token=SECRET),
        OAuth2ClientCredentials("http://127.0.0.1/t", "id", SECRET, cache=MemoryTokenCache()),
        OAuth2AuthorizationCode("http://127.0.0.1/a", "http://127.0.0.1/t", "id", SECRET),
        OAuth2DeviceCode("http://127.0.0.1/d", "http://127.0.0.1/t", "id", SECRET),
        Token(SECRET, refresh_token=SECRET),
        ClientAuth("id", SECRET),
    ]
    for obj in objects:
        assert SECRET not in repr(obj) and "***" in repr(obj), repr(obj)


def test_the_echo_verifier_does_not_load_the_client() -> None:
    """Layering: the echo server's SigV4 check imports the pure modules only."""
    code = (
        "import sys, reqlab.auth._verify, reqlab.echo.sigv4;"
        "print(sorted(m for m in sys.modules if m.startswith(('reqlab.auth', 'reqlab.client'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = eval(out.stdout)  # noqa: S307 - our own printed list
    assert "reqlab.auth._sigv4" in loaded and "reqlab.auth._verify" in loaded
    assert not any(m.startswith("reqlab.client") for m in loaded), loaded
    assert importlib.import_module("reqlab.auth._sigv4")

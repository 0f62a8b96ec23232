"""A CONNECTION_CLOSE in the middle of a request: the error names code and reason."""

from __future__ import annotations

import asyncio

import pytest
from tests.h3.closing_peer import REASON, closing_server

import reqlab
from reqlab.errors import RemoteProtocolError


def test_sync_client_names_the_code_and_reason() -> None:
    with (
        closing_server() as port,
        reqlab.Client(verify=False, http_version="HTTP/3") as client,
        pytest.raises(RemoteProtocolError) as info,
    ):
        client.get(f"https://127.0.0.1:{port}/")
    message = str(info.value)
    assert "CONNECTION_CLOSE H3_REQUEST_CANCELLED (0x10c)" in message
    assert repr(REASON) in message and "\n" not in message


def test_async_client_names_the_code_and_reason() -> None:
    async def main() -> None:
        async with reqlab.AsyncClient(verify=False, http_version="HTTP/3") as client:
            await client.get(f"https://127.0.0.1:{port}/")

    with closing_server() as port, pytest.raises(RemoteProtocolError) as info:
        asyncio.run(main())
    assert "H3_REQUEST_CANCELLED (0x10c)" in str(info.value)


def test_crypto_errors_are_named_as_tls_alerts() -> None:
    from reqlab.client._h3core import error_name

    assert error_name(0x150) == "CRYPTO_ERROR (0x150, TLS alert 80)"
    assert error_name(0x0) == "NO_ERROR (0x0)"
    assert error_name(0x7777777) == "0x7777777"
    assert error_name(0x10C, application=True) == "H3_REQUEST_CANCELLED (0x10c)"

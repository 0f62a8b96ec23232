"""The session flow after the merge of issue 19 into main: an auth flow's
token request shares the send's one deadline (``total_timeout``)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest

from reqlab.auth import MemoryTokenCache, OAuth2ClientCredentials
from reqlab.client import AsyncClient, Client
from reqlab.errors import RequestTimeout

from .conftest import reqlab_echo


@pytest.fixture(scope="module")
def echo() -> Iterator[str]:
    with reqlab_echo() as url:
        yield url


def _slow_token_auth(url: str) -> OAuth2ClientCredentials:
    # the token endpoint answers after 5 s: only the deadline can end the wait early
    return OAuth2ClientCredentials(
        f"{url}/delay/5",
        "cli",
        "s3cret",
        cache=MemoryTokenCache(),
        client_auth="client_secret_post",
    )


def test_token_request_is_cut_to_the_total_timeout(echo: str) -> None:
    with Client(timeout=30, total_timeout=1.0, auth=_slow_token_auth(echo)) as client:
        t0 = time.monotonic()
        with pytest.raises(RequestTimeout, match="whole send") as info:
            client.get(f"{echo}/get")
    assert time.monotonic() - t0 < 3.0  # not the 5 s the token endpoint takes
    assert info.value.seconds == 1.0


def test_token_request_is_cut_to_the_total_timeout_async(echo: str) -> None:
    async def go() -> None:
        async with AsyncClient(timeout=30, total_timeout=1.0, auth=_slow_token_auth(echo)) as c:
            await c.get(f"{echo}/get")

    t0 = time.monotonic()
    with pytest.raises(RequestTimeout, match="whole send"):
        asyncio.run(go())
    assert time.monotonic() - t0 < 3.0

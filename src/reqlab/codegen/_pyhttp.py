"""python-http-client (stdlib), python-urllib3, python-httpx, python-aiohttp (filled in below)."""

from __future__ import annotations

from reqlab.codegen._target import Target

TARGETS: list[Target] = []

"""curl's ``--resolve``, ``--connect-to``, ``-4`` and ``-6``, declared once for
``reqlab send`` and ``reqlab run`` (the client's ``resolve``, ``connect_to``
and ``ip_version``: docs/client.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

DIAL_OPTIONS: list[Callable[[Any], Any]] = [
    click.option(
        "--resolve",
        multiple=True,
        metavar="HOST:PORT:ADDR",
        help="Dial ADDR for HOST:PORT (curl's); the URL, Host and TLS keep HOST.",
    ),
    click.option(
        "--connect-to",
        multiple=True,
        metavar="HOST1:PORT1:HOST2:PORT2",
        help="Dial HOST2:PORT2 for HOST1:PORT1 (curl's).",
    ),
    click.option("-4", "--ipv4", "ip_version", flag_value=4, help="IPv4 addresses only."),
    click.option("-6", "--ipv6", "ip_version", flag_value=6, help="IPv6 addresses only."),
]

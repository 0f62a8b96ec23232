"""``reqlab send --stream``: the body printed as it arrives.

The response head first, then each chunk the moment it is read (flushed),
then one line on stderr saying how the body arrived: bytes, reads, time to
first byte and to the last chunk, from the exchange record.  With
``--output json`` the body is not printed; the record (with each chunk's
arrival time) is, once the stream ends.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from reqlab.cli._render import json_line
from reqlab.client import Client, Exchange
from reqlab.model import Request


def stream_body(client: Client, request: Request, as_json: bool) -> Exchange:
    response = client.send(request, stream=True)
    out: Any = sys.stdout.buffer
    try:
        if not as_json:
            head = f"{response.http_version} {response.status_code} {response.reason_phrase}"
            lines = [head.rstrip(), *(f"{n}: {v}" for n, v in response.headers.items())]
            out.write(("\n".join(lines) + "\n\n").encode("utf-8", "replace"))
            out.flush()
        for chunk in response.iter_bytes():
            if not as_json:
                out.write(chunk)
                out.flush()
    finally:
        response.close()
    exchange = response.exchange
    if as_json:
        click.echo(json_line(exchange))
    else:
        click.echo(_summary(exchange), err=True)
    return exchange


def _summary(exchange: Exchange) -> str:
    arrivals = exchange.arrivals
    if not arrivals:
        return f"\nstreamed {exchange.body_size} bytes"
    return (
        f"\nstreamed {exchange.body_size} bytes in {len(arrivals)} reads: first byte "
        f"{arrivals[0][0]:.1f} ms, last {arrivals[-1][0]:.1f} ms after the request was sent"
    )

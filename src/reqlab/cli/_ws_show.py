"""How ``reqlab ws`` shows a session: frames for people, JSON records for scripts.

On a terminal every frame is a line (direction, time, opcode, size, the
message); in a script only received messages are printed, one per line;
``--output json`` prints the handshake, every frame and the close as JSON
lines.  The handshake summary goes to stderr in text mode.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

import click

from reqlab.ws import FrameRecord, WebSocket

ARROWS = {"in": "<", "out": ">"}


@dataclass
class Shown:
    """What has been printed so far, and what was received."""

    base: float  # wall-clock time of the connection's opening
    json: bool
    interactive: bool
    printed: int = 0
    received: list[str | bytes] = field(default_factory=list)


def show(ws: WebSocket, shown: Shown) -> None:
    """Print the frames recorded since the last call."""
    frames = ws.record.frames
    for f in frames[shown.printed :]:
        if shown.json:
            click.echo(json.dumps({"type": "frame", **f.to_json()}, ensure_ascii=False))
        elif shown.interactive:
            click.echo(_line(f, shown.base))
        elif f.direction == "in" and f.message is not None:
            click.echo(_text(f.message))
    shown.printed = len(frames)


def _line(f: FrameRecord, base: float) -> str:
    stamp = time.strftime("%H:%M:%S", time.localtime(base + f.t / 1000))
    millis = int((base * 1000 + f.t) % 1000)
    what = _text(f.message) if f.message is not None else f.opcode
    return f"{ARROWS[f.direction]} {stamp}.{millis:03d} {f.opcode:<6} {f.size:>7} B  {what}"


def _text(message: str | bytes) -> str:
    if isinstance(message, str):
        return message
    return f"[binary {len(message)} B] {message[:64].hex()}{'...' if len(message) > 64 else ''}"


def handshake(ws: WebSocket, as_json: bool, interactive: bool) -> None:
    rec = ws.record
    if as_json:
        data = rec.to_json()
        data.pop("frames")
        data.pop("close")
        click.echo(json.dumps({"type": "handshake", **data}, ensure_ascii=False))
        return
    t = rec.timings
    extras = [rec.http_version] if rec.http_version != "HTTP/1.1" else []
    extras += [f"subprotocol {rec.subprotocol}"] if rec.subprotocol else []
    extras += rec.extensions
    note = f" ({', '.join(extras)})" if extras else ""
    click.echo(
        f"connected to {rec.url}{note}: dns {t.dns:.1f} connect {t.connect:.1f} "
        f"tls {t.tls:.1f} upgrade {t.upgrade:.1f} ms",
        err=True,
    )
    if interactive:
        click.echo(
            "type to send; /ping [data], /close [code [reason]], /quit; Ctrl-D closes", err=True
        )

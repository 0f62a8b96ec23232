"""``reqlab ws URL``: talk to a WebSocket, interactively or from a script.

    reqlab ws ws://127.0.0.1:8081/ws                        a terminal: type to send
    echo hello | reqlab ws 'ws://127.0.0.1:8081/ws?reflect=0'     stdin lines are sent
    reqlab ws URL --send '{"op":"sub"}' --count 3           send, print 3 messages, exit
    reqlab ws URL --send ping --expect pong                 exit 0 once "pong" arrives
    reqlab ws URL --output json                             one JSON record per frame

Exit statuses (``reqlab.cli._exit``): 0 done; 2 bad input, or a timeout (no
101 in time, --count/--expect not met within --timeout, or no pong within
--ping-interval); 10 DNS; 11 connect; 12 TLS; 7 protocol (the handshake was refused, the server closed before
--count/--expect was met, or sent bad data such as invalid UTF-8); 8 a
message over --max-size (closed with 1009).  The command only drives
:mod:`reqlab.ws`; the protocol lives there.
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import click

from reqlab.cli import fail
from reqlab.cli._exit import Exit
from reqlab.cli._ws_show import Shown, handshake, show
from reqlab.errors import InvalidRequest
from reqlab.ws import WebSocket, WebSocketClosed, connect


@dataclass
class Plan:
    url: str
    headers: list[tuple[str, str]]
    subprotocols: list[str]
    sends: list[str | bytes]  # str: a text message; bytes: binary (--send-file)
    expect: str | None
    count: int | None
    json: bool
    timeout: float
    idle: float
    max_size: int
    deflate: bool
    insecure: bool
    http2: bool
    ping_interval: float | None
    interactive: bool
    stdin_lines: bool


def _header(text: str) -> tuple[str, str]:
    name, colon, value = text.partition(":")
    if not colon or not name.strip() or any(c in text for c in "\r\n"):
        raise InvalidRequest("-H", f"expected 'Name: value', got {text!r}")
    return name.strip(), value.strip()


def _lines_from_stdin(loop: asyncio.AbstractEventLoop) -> asyncio.Queue[str | None]:
    """stdin lines on a queue (None at EOF), read by a daemon thread so exit never waits on it."""
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def read() -> None:
        try:
            for line in sys.stdin:
                loop.call_soon_threadsafe(queue.put_nowait, line.rstrip("\r\n"))
            loop.call_soon_threadsafe(queue.put_nowait, None)
        except (RuntimeError, ValueError):  # the session ended first: its loop is closed
            return

    threading.Thread(target=read, daemon=True).start()
    return queue


class Done(Exception):
    def __init__(self, code: int, message: str = "") -> None:
        self.code = code
        self.message = message


async def _receive(ws: WebSocket, plan: Plan, shown: Shown, done: asyncio.Event) -> None:
    """Print what arrives; set ``done`` when --count or --expect is met."""
    while True:
        message = await ws.recv()
        shown.received.append(message)
        show(ws, shown)
        if plan.expect is not None and message == plan.expect:
            done.set()
        if plan.count is not None and len(shown.received) >= plan.count:
            done.set()


async def _command(ws: WebSocket, text: str, shown: Shown) -> bool:
    """An interactive /command; False for /quit."""
    word, _, rest = text.partition(" ")
    if word == "/ping":
        rtt = await ws.ping(rest.encode(), timeout=10)
        click.echo(f"  pong after {rtt:.2f} ms", err=True)
    elif word == "/close":
        code, _, reason = rest.partition(" ")
        await ws.close(int(code) if code.isdigit() else 1000, reason)
        return False
    elif word == "/quit":
        return False
    else:
        await ws.send(text[1:] if text.startswith("//") else text)
    return True


async def _run(plan: Plan) -> int:
    ws = await connect(
        plan.url,
        headers=plan.headers,
        subprotocols=plan.subprotocols,
        deflate=plan.deflate,
        timeout=plan.timeout,
        max_size=plan.max_size,
        verify=not plan.insecure,
        http2=plan.http2,
        ping_interval=plan.ping_interval,
    )
    shown = Shown(time.time(), plan.json, plan.interactive)
    handshake(ws, plan.json, plan.interactive)
    done = asyncio.Event()
    receiver = asyncio.create_task(_receive(ws, plan, shown, done))
    try:
        await _talk(ws, plan, shown, done, receiver)
        if not ws.closed:
            await ws.close()
    except WebSocketClosed:
        pass
    finally:
        receiver.cancel()
        await asyncio.gather(receiver, return_exceptions=True)
    show(ws, shown)
    if plan.json:
        click.echo(json.dumps({"type": "close", **(ws.record.to_json()["close"] or {})}))
    return _verdict(ws, plan, shown, done)


async def _talk(
    ws: WebSocket, plan: Plan, shown: Shown, done: asyncio.Event, receiver: asyncio.Task[None]
) -> None:
    for text in plan.sends:
        await ws.send(text)
        show(ws, shown)
    if plan.interactive or plan.stdin_lines:
        lines = _lines_from_stdin(asyncio.get_running_loop())
        while (line := await _next(lines, receiver)) is not None:
            if plan.interactive and line.startswith("/") and not line.startswith("//"):
                if not await _command(ws, line, shown):
                    return
            else:
                await ws.send(line)
            show(ws, shown)
    if plan.count is not None or plan.expect is not None:
        await _until(done, receiver, plan.timeout)
    elif not plan.interactive:
        await _quiet(ws, shown, receiver, plan.idle, plan.timeout)


async def _next(lines: asyncio.Queue[str | None], receiver: asyncio.Task[None]) -> str | None:
    """The next stdin line, or None at EOF or when the connection ended meanwhile."""
    getter = asyncio.ensure_future(lines.get())
    await asyncio.wait({getter, receiver}, return_when=asyncio.FIRST_COMPLETED)
    if not getter.done():
        getter.cancel()
        return None
    return getter.result()


async def _until(done: asyncio.Event, receiver: asyncio.Task[None], timeout: float) -> None:
    waiter = asyncio.ensure_future(done.wait())
    await asyncio.wait({waiter, receiver}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    waiter.cancel()


async def _quiet(
    ws: WebSocket, shown: Shown, receiver: asyncio.Task[None], idle: float, timeout: float
) -> None:
    """Wait until nothing has arrived for ``idle`` seconds (at most ``timeout``)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    seen = -1
    while not receiver.done() and seen != len(shown.received) and loop.time() < end:
        seen = len(shown.received)
        await asyncio.wait({receiver}, timeout=min(idle, end - loop.time()))


def _verdict(ws: WebSocket, plan: Plan, shown: Shown, done: asyncio.Event) -> int:
    close = ws.closed
    if close is not None and close.by == "client" and close.code == 1009:
        raise Done(
            Exit.TOO_LARGE, f"a message over --max-size {plan.max_size} bytes: closed with 1009"
        )
    if close is not None and close.by == "client" and close.code == 1011:
        raise Done(
            Exit.TIMEOUT,
            f"no pong within --ping-interval {plan.ping_interval:g} s: closed with 1011",
        )
    if close is not None and close.by == "client" and close.code in (1002, 1007):
        raise Done(
            Exit.PROTOCOL, f"the server sent bad data: closed with {close.code} ({close.reason})"
        )
    wanted = plan.count is not None or plan.expect is not None
    if wanted and not done.is_set():
        what = (
            f"{len(shown.received)} of {plan.count} messages"
            if plan.count is not None
            else f"no message equal to {plan.expect!r}"
        )
        if close is not None and close.by != "client":
            why = f" ({close.reason})" if close.reason else ""
            raise Done(
                Exit.PROTOCOL, f"the {close.by} closed the WebSocket with {close.code}{why}: {what}"
            )
        raise Done(Exit.TIMEOUT, f"timed out after {plan.timeout:g} s: {what}")
    if close is not None and close.by == "transport" and not plan.interactive:
        raise Done(Exit.PROTOCOL, "the connection ended without a Close frame (1006)")
    return Exit.OK


def _generate(plan: Plan, target: str) -> None:
    from reqlab.codegen.websocket import generate
    from reqlab.wsmodel import WebSocketRequest

    count = plan.count if plan.count is not None else len(plan.sends)
    request = WebSocketRequest(
        plan.url, tuple(plan.headers), tuple(plan.subprotocols), tuple(plan.sends), count
    )
    snippet = generate(request, target)
    click.echo(snippet.code, nl=False)
    for warning in snippet.warnings:
        click.echo(f"reqlab: warning: {warning}", err=True)


@click.command("ws")
@click.argument("url")
@click.option(
    "-H", "--header", "headers", multiple=True, help="Handshake header 'Name: value' (repeatable)."
)
@click.option(
    "--subprotocol",
    "subprotocols",
    multiple=True,
    help="Offer a subprotocol (repeatable, in order of preference).",
)
@click.option(
    "--send", "sends", multiple=True, help="Send this text message (repeatable, in order)."
)
@click.option(
    "--send-file",
    "send_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Send this file's bytes as a binary message (repeatable; after the --send texts).",
)
@click.option("--expect", help="Exit 0 once a received message equals this text.")
@click.option(
    "--count",
    type=click.IntRange(min=1),
    help="Exit after this many messages received (each printed).",
)
@click.option(
    "--output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: one record per frame.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    help="Seconds for the upgrade, and for --count/--expect.",
)
@click.option(
    "--idle",
    type=click.FloatRange(min=0),
    default=0.5,
    show_default=True,
    help="Without --count/--expect: close once nothing arrived for this long.",
)
@click.option(
    "--max-size",
    type=click.IntRange(min=1),
    default=16 * 1024 * 1024,
    show_default=True,
    help="Largest message accepted (bytes); bigger closes with 1009.",
)
@click.option("--no-deflate", is_flag=True, help="Do not offer permessage-deflate.")
@click.option("-k", "--insecure", is_flag=True, help="Do not verify the TLS certificate (wss://).")
@click.option(
    "--gen",
    "gen_target",
    type=click.Choice(
        ["python-websockets", "javascript-websocket", "node-websocket", "go-gorilla"]
    ),
    help="Print a program that does this session (headers, subprotocols, --send, --count) instead.",
)
@click.option(
    "--ping-interval",
    type=click.FloatRange(min=0, min_open=True),
    help="Ping every S seconds; no pong within S closes with 1011 (keepalive ping timeout).",
)
@click.option(
    "--http2",
    is_flag=True,
    help="Over HTTP/2 (RFC 8441 extended CONNECT) instead of an HTTP/1.1 upgrade.",
)
def ws(
    url: str,
    headers: tuple[str, ...],
    subprotocols: tuple[str, ...],
    sends: tuple[str, ...],
    send_files: tuple[str, ...],
    expect: str | None,
    count: int | None,
    output: str,
    timeout: float,
    idle: float,
    max_size: int,
    no_deflate: bool,
    insecure: bool,
    http2: bool,
    gen_target: str | None,
    ping_interval: float | None,
) -> None:
    """Open a WebSocket to URL and send and show messages.

    On a terminal it is interactive; with stdin piped, each line is sent.
    """
    messages: list[str | bytes] = [*sends, *(Path(f).read_bytes() for f in send_files)]
    scripted = bool(messages) or expect is not None or count is not None
    terminal = sys.stdin.isatty()
    plan = Plan(
        url=url if "://" in url else f"ws://{url}",
        headers=[_header(h) for h in headers],
        subprotocols=list(subprotocols),
        sends=messages,
        expect=expect,
        count=count,
        json=output == "json",
        timeout=timeout,
        idle=idle,
        max_size=max_size,
        deflate=not no_deflate,
        insecure=insecure,
        http2=http2,
        ping_interval=ping_interval,
        interactive=terminal and not scripted,
        stdin_lines=not terminal and not messages,
    )
    if gen_target is not None:
        _generate(plan, gen_target)
        return
    try:
        code = asyncio.run(_run(plan))
    except Done as done:
        fail(done.message, done.code)
        return
    sys.exit(code)

"""How ``reqlab send`` shows an exchange: rich text for people, JSON lines for scripts.

Text output, per exchange:

    HTTP/1.1 200 OK                                       (colour by status class)
    ▕██▏▕▏▕███████████▏  dns 0.1  connect 1.2  ...  total 2.1 ms
    new connection #1 127.0.0.1:50312 -> 127.0.0.1:8080 · keep-alive: persistent, timeout=5
    headers, then the body pretty-printed (JSON, XML, HTML), cut when long
    ! warnings

``-v`` adds the request exactly as it was sent.
"""

from __future__ import annotations

import json
from typing import Any
from xml.dom import minidom

from rich.console import Console
from rich.markup import escape
from rich.syntax import Syntax
from rich.text import Text

from reqlab.client import Exchange

PHASE_STYLE = {
    "dns": "cyan",
    "connect": "yellow",
    "tls": "magenta",
    "send": "blue",
    "wait": "green",
    "receive": "bright_white",
}
BAR_WIDTH = 24
BODY_LIMIT = 20_000  # characters shown before a body is cut


def status_style(status: int) -> str:
    if status >= 500:
        return "bold red"
    if status >= 400:
        return "bold yellow"
    if status >= 300:
        return "bold cyan"
    return "bold green"


def waterfall(exchange: Exchange) -> Text:
    """One line: proportional bars per phase, then the milliseconds."""
    t = exchange.timings
    phases = [(name, getattr(t, name)) for name in PHASE_STYLE]
    total = t.total or sum(ms for _, ms in phases) or 1.0
    line = Text()
    used = 0
    for name, ms in phases:
        width = round(ms / total * BAR_WIDTH)
        if ms > 0 and width == 0:
            width = 1
        width = min(width, BAR_WIDTH - used)
        used += width
        line.append("█" * width, style=PHASE_STYLE[name])
    line.append("·" * (BAR_WIDTH - used), style="dim")
    line.append("  ")
    for name, ms in phases:
        line.append(f"{name} ", style=PHASE_STYLE[name])
        line.append(f"{ms:.2f} ")
    line.append(f"= {t.total:.2f} ms", style="bold")
    return line


def connection_line(exchange: Exchange) -> Text:
    conn = exchange.connection
    line = Text()
    if conn is None:
        return line
    if conn.reused:
        line.append(f"connection #{conn.id} reused", style="bold green")
        line.append(f" (request {conn.requests} on it)")
    else:
        line.append(f"new connection #{conn.id}", style="bold yellow")
    line.append(f"  {conn.local} -> {conn.remote}  {conn.http_version}")
    if conn.tls is not None:
        tls = conn.tls
        line.append(f"  {tls.version} {tls.cipher} alpn={tls.alpn or '-'}")
        if not tls.verified:
            line.append("  (not verified)", style="red")
    if conn.quic is not None:
        q = conn.quic
        line.append(f"  {q.version} rtt={q.rtt_ms:.2f}ms streams={q.max_streams}")
        if q.packets_lost or q.packets_retransmitted:
            line.append(f" lost={q.packets_lost} resent={q.packets_retransmitted}", style="red")
        line.append("  0-RTT" if q.zero_rtt else "", style="green")
    if exchange.version_reason and exchange.version_reason.startswith("Alt-Svc"):
        line.append(f"  ({exchange.version_reason})", style="cyan")
    ka = exchange.keep_alive
    terms = [f"timeout={ka.server_timeout}"] if ka.server_timeout is not None else []
    if ka.server_max is not None:
        terms.append(f"max={ka.server_max}")
    line.append("  keep-alive: ")
    line.append(
        "persistent" if ka.persistent else "closes",
        style="green" if ka.persistent else "red",
    )
    if terms:
        line.append(", " + ", ".join(terms))
    if exchange.retried:
        line.append("  retried", style="yellow")
    return line


def _headers(console: Console, headers: list[tuple[str, str]]) -> None:
    for name, value in headers:
        console.print(Text.assemble((name, "cyan"), ": ", value), soft_wrap=True)


def request_text(exchange: Exchange) -> str:
    if exchange.request_raw is not None:
        raw = exchange.request_raw
        head, sep, body = raw.partition(b"\r\n\r\n")
        text = head.decode("utf-8", "replace").replace("\r\n", "\n") + "\n"
        if body:
            text += "\n" + _shown(body) + "\n"
        return text
    lines = [f"{n}: {v}" for n, v in exchange.request_headers]
    text = "\n".join(lines) + "\n"
    if exchange.request_body:
        text += "\n" + _shown(exchange.request_body) + "\n"
    return text


def _shown(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return f"[binary body, {len(body)} bytes]"


def pretty_body(body: bytes, content_type: str | None) -> tuple[str, str | None]:
    """(text, syntax lexer or None) for a body; binary bodies become a note."""
    ctype = (content_type or "").split(";")[0].strip().lower()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return f"[binary body, {len(body)} bytes, not shown]", None
    if ctype.endswith("json") or ctype.endswith("+json"):
        try:
            return json.dumps(json.loads(text), indent=2, ensure_ascii=False), "json"
        except ValueError:
            return text, None
    if ctype.endswith("xml"):
        try:
            pretty = minidom.parseString(body).toprettyxml(indent="  ")
            return "\n".join(line for line in pretty.splitlines() if line.strip()), "xml"
        except Exception:  # not well-formed: show as is
            return text, "xml"
    if ctype == "text/html":
        return text, "html"
    return text, None


def show_exchange(
    console: Console,
    exchange: Exchange,
    *,
    verbose: bool,
    full: bool = True,
    body: bool = True,
    seen: set[str] | None = None,
) -> None:
    """Print one exchange.  Warnings already in ``seen`` (shown for an
    earlier request of a --repeat run) are not printed again."""
    if verbose:
        console.rule(f"request as sent ({exchange.version})", style="dim")
        console.print(escape(request_text(exchange)), highlight=False, end="")
        if exchange.added:
            console.print(f"[dim]added by reqlab: {', '.join(exchange.added)}[/dim]")
        console.rule("response", style="dim")
    status = Text(
        f"{exchange.response_version} {exchange.status} {exchange.reason}".rstrip(),
        style=status_style(exchange.status),
    )
    status.append(f"   {exchange.method} {exchange.url}", style="dim")
    console.print(status)
    if exchange.purpose:  # sent by reqlab itself (an OAuth token request)
        console.print(Text(exchange.purpose, style="cyan"), soft_wrap=True)
    console.print(waterfall(exchange))
    console.print(connection_line(exchange))
    if full:
        _headers(console, exchange.response_headers)
        if body:
            _show_body(console, exchange)
    for warning in exchange.warnings:
        if seen is not None:
            if warning in seen:
                continue
            seen.add(warning)
        console.print(Text("! " + warning, style="yellow"), soft_wrap=True)


def _show_body(console: Console, exchange: Exchange) -> None:
    if exchange.body_path:
        console.print(
            f"\n[dim]body: {exchange.body_size} bytes saved to {exchange.body_path}[/dim]"
        )
        return
    if not exchange.body:
        return
    text, lexer = pretty_body(exchange.body, exchange.header("content-type"))
    note = None
    if len(text) > BODY_LIMIT:
        note = f"… {len(text) - BODY_LIMIT} more characters not shown (use --output json for all)"
        text = text[:BODY_LIMIT]
    console.print()
    if lexer and console.is_terminal:
        console.print(
            Syntax(text, lexer, theme="ansi_dark", word_wrap=True, background_color="default")
        )
    else:
        console.print(text, markup=False, highlight=False, soft_wrap=True)
    if note:
        console.print(f"[dim]{note}[/dim]")


def json_line(exchange: Exchange) -> str:
    return json.dumps(exchange.to_json(), ensure_ascii=False, separators=(",", ":"))


def summary(exchanges: list[Exchange]) -> dict[str, Any]:
    reused = sum(1 for e in exchanges if e.connection and e.connection.reused)
    return {"requests": len(exchanges), "reused": reused, "new": len(exchanges) - reused}


class RichView:
    """Today's terminal view of ``reqlab send``: status, waterfall,
    connection, headers, body; a summary line after ``--repeat``."""

    def __init__(self, *, verbose: bool, repeat: int) -> None:
        self.console = Console(highlight=False, soft_wrap=False)
        self.verbose = verbose
        self.repeat = repeat
        self.seen: set[str] = set()

    def show(self, exchange: Exchange, *, first: bool, final: bool) -> None:
        show_exchange(
            self.console,
            exchange,
            verbose=self.verbose and first,
            full=final and first,
            seen=self.seen,
        )
        if final and self.repeat > 1:
            self.console.print()

    def done(self, finals: list[Exchange]) -> None:
        if len(finals) > 1:
            s = summary(finals)
            self.console.print(
                f"\n{s['requests']} requests: {s['reused']} on a reused connection,"
                f" {s['new']} on a new one"
            )

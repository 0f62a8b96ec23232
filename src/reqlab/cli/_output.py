"""What ``reqlab send`` prints, and where: chosen for its reader.

``--print/-p`` letters (HTTPie's, and reqlab's own for the wire):

    H  request headers (the request line and headers as sent)
    B  request body
    h  response headers (the status line and headers)
    b  response body
    m  response metadata (HTTPie's "Elapsed time")
    t  timings: the phase waterfall (dns, connect, tls, send, wait, receive)
    c  connection: which connection, new or reused, TLS, keep-alive terms

Defaults: a terminal gets the rich view (``hbtc``: status, waterfall,
connection, headers, body); a pipe or ``-o FILE`` gets ``b``, the body
exactly as received (decoded, complete, unwrapped), and then the wire
summary (status, timings, connection) goes to stderr if stderr is a
terminal.  ``-v`` is ``HBhb`` (plus ``tc`` on a terminal), ``-h`` is
``h``, ``-b`` is ``b``, ``--offline`` is ``HB``.  ``--pretty`` is ``all``
on a terminal and ``none`` elsewhere.
"""

from __future__ import annotations

import os
import sys
from typing import IO, TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from reqlab.client import Exchange

LETTERS = frozenset("HBhbmtc")
PRETTY = ("all", "colors", "format", "none")


class Plan(NamedTuple):
    letters: str
    pretty: str
    rich_view: bool  # today's rich terminal view (default letters on a terminal)
    wire_to_stderr: bool  # status, timings and connection on stderr


def choose(
    *,
    print_: str | None,
    verbose: bool,
    headers: bool,
    body: bool,
    pretty: str | None,
    offline: bool,
    quiet: bool,
    stdout_tty: bool,
    stderr_tty: bool,
) -> Plan:
    """The output plan; raises ValueError naming unknown letters.  An explicit
    ``--pretty=all`` means "as on a terminal", also in a pipe."""
    if pretty == "all":
        stdout_tty = True
    if print_ is not None:
        unknown = sorted(set(print_) - LETTERS)
        if unknown:
            raise ValueError(f"unknown --print letters: {''.join(unknown)} (use {'HBhbmtc'})")
        letters = print_
    elif offline:
        letters = "HB"
    elif verbose:
        letters = "HBhbtc" if stdout_tty else "HBhb"
    elif headers:
        letters = "h"
    elif body:
        letters = "b"
    else:
        letters = "hbtc" if stdout_tty else "b"
    chosen_pretty = pretty or ("all" if stdout_tty else "none")
    explicit = print_ is not None or headers or body or offline
    rich_view = stdout_tty and not explicit and chosen_pretty in ("all", "format") and not quiet
    wire = not quiet and not stdout_tty and stderr_tty and not offline and "t" not in letters
    return Plan(letters, chosen_pretty, rich_view, wire)


def request_head(exchange: Exchange) -> bytes:
    if exchange.request_raw is not None:
        head, _, _ = exchange.request_raw.partition(b"\r\n\r\n")
        return head + b"\r\n"
    target = exchange.url.split("://", 1)[-1].partition("/")[2]
    lines = [f"{exchange.method} /{target} {exchange.version}"]
    lines += [f"{n}: {v}" for n, v in exchange.request_headers if not n.startswith(":")]
    return ("\r\n".join(lines) + "\r\n").encode()


def response_head(exchange: Exchange) -> bytes:
    status = f"{exchange.response_version} {exchange.status} {exchange.reason}".rstrip()
    lines = [status] + [f"{n}: {v}" for n, v in exchange.response_headers]
    return ("\r\n".join(lines) + "\r\n").encode()


def response_body(exchange: Exchange) -> bytes:
    if exchange.body_path:
        with open(exchange.body_path, "rb") as f:
            return f.read()
    return exchange.body


def formatted(body: bytes, content_type: str | None, pretty: str) -> bytes:
    """The body as --pretty asks (colours are added by the terminal writer)."""
    if pretty in ("none", "colors") or not body:
        return body
    from reqlab.cli._render import pretty_body

    text, _ = pretty_body(body, content_type)
    if text.startswith("[binary body"):
        return body
    return text.encode() + (b"" if text.endswith("\n") else b"\n")


def coloured_head(head: bytes) -> bytes:
    """A message head with ANSI colours: the first line bold, names cyan."""
    lines = head.decode("utf-8", "replace").split("\r\n")
    out = [f"\x1b[1m{lines[0]}\x1b[0m"]
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        out.append(f"\x1b[36m{name}\x1b[0m{colon}{value}" if colon else line)
    return "\r\n".join(out).encode()  # the same line ends as given


def lexer_for(content_type: str | None) -> str | None:
    ctype = (content_type or "").split(";")[0].strip().lower()
    if ctype.endswith("json"):
        return "json"
    if ctype.endswith("xml"):
        return "xml"
    return "html" if ctype == "text/html" else None


def coloured_body(body: bytes, content_type: str | None) -> bytes:
    lexer = lexer_for(content_type)
    if lexer is None:
        return body
    import io

    from rich.console import Console
    from rich.syntax import Syntax

    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=100_000, highlight=False)
    text = body.decode("utf-8", "replace")
    console.print(Syntax(text, lexer, theme="ansi_dark", background_color="default"), end="")
    return buf.getvalue().encode()


class Writer:
    """Plain output: bytes as HTTPie writes them (CRLF heads, blank lines
    between parts), to any binary stream; coloured on a terminal when
    ``--pretty`` is ``all`` or ``colors`` (and NO_COLOR is unset)."""

    def __init__(self, out: IO[bytes], plan: Plan, terminal: bool) -> None:
        self.out = out
        self.plan = plan
        self.terminal = terminal
        self.last = ""  # "", "head" or "body": what was written last
        self.colours = (
            terminal and plan.pretty in ("all", "colors") and not os.environ.get("NO_COLOR")
        )

    def part(self, data: bytes, *, head: bool = False) -> None:
        """Write one part, separated as HTTPie separates them: a blank CRLF
        line after a head, an empty line between a body and the next head."""
        if self.last == "head":
            self.out.write(b"\r\n")
        elif self.last == "body":
            self.out.write(b"\n\n" if head else b"\n")
        self.last = "head" if head else "body"
        self.out.write(coloured_head(data) if head and self.colours else data)

    def request(self, exchange: Exchange, body: bytes) -> None:
        if "H" in self.plan.letters:
            self.part(request_head(exchange), head=True)
        if "B" in self.plan.letters and body:
            self.part(body)
            if self.terminal and not body.endswith(b"\n"):
                self.out.write(b"\n")

    def response(self, exchange: Exchange, final: bool) -> None:
        letters = self.plan.letters
        if "h" in letters:
            self.part(response_head(exchange), head=True)
        if "t" in letters or "c" in letters:
            self.part(wire_text(exchange, letters).encode())
        if "b" in letters and final and exchange.body_path and not self.terminal:
            self.part(b"")  # a body spooled to disk (over 8 MiB) is copied, not loaded
            import shutil  # (bz2, lzma, fnmatch): only for a spooled body

            with open(exchange.body_path, "rb") as f:
                shutil.copyfileobj(f, self.out, 1 << 20)
        elif "b" in letters and final:
            data = response_body(exchange)
            if data:
                ctype = exchange.header("content-type")
                if self.terminal and _binary(data):
                    data = f"[binary body, {len(data)} bytes, not shown]\n".encode()
                data = formatted(data, ctype, self.plan.pretty)
                self.part(coloured_body(data, ctype) if self.colours else data)
        if "m" in letters:
            self.part(f"Elapsed time: {exchange.timings.total / 1000:.6f}s\n".encode())
        self.out.flush()


def _binary(data: bytes) -> bool:
    return b"\x00" in data[:4096]


def wire_text(exchange: Exchange, letters: str = "tc") -> str:
    """The wire summary without colours: status, timings, connection."""
    from reqlab.cli._render import connection_line, waterfall

    lines = []
    if (
        exchange.purpose
    ):  # sent by reqlab itself (an OAuth token request), named as the rich view does
        lines.append(exchange.purpose)
    if "h" not in letters:
        lines.append(
            f"{exchange.response_version} {exchange.status} {exchange.reason}".rstrip()
            + f"   {exchange.method} {exchange.url}"
        )
    if "t" in letters:
        lines.append(waterfall(exchange).plain)
    if "c" in letters:
        lines.append(connection_line(exchange).plain)
    return "\n".join(lines) + "\n"


def stdout_binary() -> Any:
    return sys.stdout.buffer

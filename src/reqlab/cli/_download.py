"""``--download``: the response body written to a file as it arrives.

The file name is ``-o FILE``, else the response's Content-Disposition
filename, else the last segment of the URL path (``index`` for ``/``; an
extension from Content-Type when it has none), with ``-1``, ``-2`` ... added
after the whole name rather than overwrite a file (HTTPie's
``get_unique_filename``: ``data.bin-1``).  Without ``-o``, a piped stdout is
the destination, as in HTTPie.  ``--continue`` resumes ``-o FILE`` with
``Range: bytes=N-``.  The body never sits whole in memory: each chunk the
client yields is written, and a progress bar (rich, imported only then) is
drawn on stderr when stderr is a terminal.  Fewer bytes than Content-Length
is HTTPie's ``Incomplete download: size=N; downloaded=M``, exit 1; a 3xx,
4xx or 5xx is not saved (send then exits 3/4/5, as ``--check-status``).
"""

from __future__ import annotations

import mimetypes
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlsplit

from reqlab.errors import RemoteProtocolError
from reqlab.model import Request

_DISPOSITION = re.compile(r'filename\*?=(?:UTF-8\'\')?"?([^";]+)"?', re.IGNORECASE)


class IncompleteDownload(Exception):
    """The body ended before Content-Length (HTTPie's wording, exit 1)."""


def filename_for(headers: Any, url: str) -> str:
    disposition = headers.get("content-disposition") or ""
    found = _DISPOSITION.search(disposition)
    name = unquote(found.group(1)) if found else ""
    if not name:
        name = unquote(urlsplit(url).path.rstrip("/").rpartition("/")[2]) or "index"
        name += "" if "." in name else _extension(headers.get("content-type") or "")
    name = Path(name).name.lstrip(".") or "index"  # never a path, never hidden
    candidate, n = name, 0
    while Path(candidate).exists():
        n += 1
        candidate = f"{name}-{n}"
    return candidate


def _extension(content_type: str) -> str:
    kind = content_type.split(";")[0].strip().lower()
    if not kind:
        return ""
    if kind == "text/plain":  # mimetypes says .ksh, HTTPie says .txt
        return ".txt"
    ext = mimetypes.guess_extension(kind) or ""
    return ".html" if ext == ".htm" else ext


def prepare(request: Request, resume_from: int) -> Request:
    """Ask for the raw bytes (so Content-Length counts what is written), maybe a Range."""
    headers = list(request.headers)
    if not request.has_header("accept-encoding"):
        headers.append(("Accept-Encoding", "identity"))
    if resume_from:
        headers.append(("Range", f"bytes={resume_from}-"))
    return request.with_headers(headers)


def download(client: Any, request: Request, o: dict[str, Any], head: Callable[[Any], None]) -> Any:
    """Send ``request`` streamed, ``head(response)``, write the body; returns the closed response."""
    out_file: str | None = o["out_file"]
    if out_file is None and not sys.stdout.isatty():
        out_file = "-"  # as HTTPie: a piped stdout is the download's destination
    have = 0
    if o["continue_"] and out_file not in (None, "-") and Path(str(out_file)).is_file():
        have = Path(str(out_file)).stat().st_size
    response = client.send(prepare(request, have), stream=True)
    head(response)
    if response.status_code >= 300:  # HTTPie saves nothing; send exits 3/4/5 with a line
        response.close()
        return response
    try:
        resumed = have > 0 and response.status_code == 206
        have = have if resumed else 0
        length = response.headers.get("content-length")
        total = int(length) + have if length and length.isdigit() else None
        path = out_file or filename_for(response.headers, str(response.url))
        started = time.monotonic()
        got = _write(response.iter_bytes(), path, "ab" if resumed else "wb", have, total, o)
    finally:
        response.close()
    elapsed = time.monotonic() - started
    if total is not None and got < total:
        raise IncompleteDownload(f"Incomplete download: size={total}; downloaded={got}")
    if not o["quiet"]:
        where = "" if path == "-" else f" to {path!r}"
        sys.stderr.write(f"Done. {summary(got - have, elapsed)}{where}\n")
    return response


def _write(
    chunks: Iterator[bytes], path: str, mode: str, have: int, total: int | None, o: dict[str, Any]
) -> int:
    got = have
    show = sys.stderr.isatty() and not o["quiet"]
    with _target(path, mode) as out, progress(show, total, have, path) as tick:
        try:
            for chunk in chunks:
                out.write(chunk)
                got += len(chunk)
                tick(got)
        except RemoteProtocolError:  # the peer closed mid-body: say how far we got
            if total is None:
                raise
    return got


@contextmanager
def _target(path: str, mode: str) -> Iterator[IO[bytes]]:
    if path == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with open(path, mode) as f:
        yield f


@contextmanager
def progress(
    show: bool, total: int | None, done: int, name: str
) -> Iterator[Callable[[int], None]]:
    """Yields ``tick(bytes_so_far)``; a rich bar on stderr only when ``show``."""
    if not show:
        yield lambda _n: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    columns: list[Any] = [TextColumn("{task.description}"), BarColumn(), DownloadColumn()]
    columns += [TransferSpeedColumn(), TimeRemainingColumn()]
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(f"Downloading to {name}", total=total, completed=done)
        yield lambda n: bar.update(task, completed=n)


def summary(size: int, seconds: float) -> str:
    """HTTPie's closing line after "Done.": ``200.0 kB in 0.05s (3.9 MB/s)``."""
    rate = size / seconds if seconds > 0 else 0.0
    return f"{_decimal(size)} in {seconds:.2f}s ({_decimal(rate)}/s)"


def _decimal(n: float) -> str:
    if n < 1000:
        return f"{int(n)} bytes"
    for unit in ("kB", "MB", "GB", "TB"):
        n /= 1000
        if n < 1000 or unit == "TB":
            break
    return f"{n:.1f} {unit}"


def save_body(exchange: Any, path: str) -> None:
    """A complete exchange's body to ``path`` (``-o FILE --output json``); a spooled one is moved."""
    if path == "-":
        out = sys.stdout.buffer
        if exchange.body_path:
            with open(exchange.body_path, "rb") as f:
                shutil.copyfileobj(f, out)
        else:
            out.write(exchange.body)
        out.flush()
    elif exchange.body_path:
        shutil.move(exchange.body_path, path)
    else:
        Path(path).write_bytes(exchange.body)

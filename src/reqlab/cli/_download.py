"""``--download`` and ``-o FILE``: the response body saved to a file.

The file name is ``-o FILE``, else the response's Content-Disposition
filename, else the last segment of the URL path (``index`` for ``/``), with
``-1``, ``-2`` ... added before an existing file is overwritten, as HTTPie
does.  ``-o -`` writes to stdout.  A body the client spooled to a temporary
file is moved, not copied.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

_DISPOSITION = re.compile(r'filename\*?=(?:UTF-8\'\')?"?([^";]+)"?', re.IGNORECASE)


def filename_for(exchange: Any) -> str:
    disposition = exchange.header("content-disposition") or ""
    found = _DISPOSITION.search(disposition)
    name = unquote(found.group(1)) if found else ""
    if not name:
        name = unquote(urlsplit(exchange.url).path.rstrip("/").rpartition("/")[2]) or "index"
    name = Path(name).name.lstrip(".") or "index"  # never a path, never hidden
    candidate, n = name, 0
    while Path(candidate).exists():
        n += 1
        candidate = f"{name}-{n}"
    return candidate


def save_body(exchange: Any, path: str) -> None:
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


def save_download(exchange: Any, out_file: str | None, *, quiet: bool) -> str:
    """Save the body; one line on stderr says where (unless --quiet)."""
    path = out_file or filename_for(exchange)
    save_body(exchange, path)
    if not quiet and path != "-":
        ms = exchange.timings.total
        rate = exchange.body_size / (ms / 1000) / 1e6 if ms else 0.0
        sys.stderr.write(
            f"Downloaded {exchange.body_size} bytes to {path!r} in {ms / 1000:.2f} s"
            f" ({rate:.1f} MB/s)\n"
        )
    return path

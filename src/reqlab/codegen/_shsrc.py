"""Shell building blocks shared by the curl, wget and httpie targets.

A command is a list of words, printed one option a line with ``\\``
continuations.  Bodies that cannot be a shell argument (NUL bytes, inline
binary, a multipart body for tools without a multipart encoder) are written
to a temporary file by the script itself - files are read at run time, the
multipart boundary is made at run time.
"""

from __future__ import annotations

import base64
import os

from reqlab.body import part_header_value
from reqlab.codegen._escape import shell_str
from reqlab.model import MultipartBody, MultipartFile


def q(text: str) -> str:
    """One shell word for ``text`` (bare when safe, '...', or $'...')."""
    return shell_str(text)


def command(units: list[str]) -> str:
    """One command, each unit (an option with its value, the URL...) a line."""
    return " \\\n  ".join(units)


def temp_body(lines: list[str]) -> str:
    """Declare ``$body``, a temporary file removed when the script ends."""
    if not any(line.startswith("body=$(mktemp)") for line in lines):
        lines += ["body=$(mktemp)", "trap 'rm -f \"$body\"' EXIT"]
    return '"$body"'


def inline_to_file(lines: list[str], data: bytes) -> str:
    """Write inline bytes (any byte value) to ``$body`` via base64; its path."""
    path = temp_body(lines)
    encoded = base64.b64encode(data).decode()
    lines.append(f"printf '%s' '{encoded}' | base64 -d > {path}")
    return path


def multipart_to_file(lines: list[str], body: MultipartBody) -> tuple[str, str]:
    """Build the multipart body in ``$body`` at run time: the files are
    ``cat`` from disk, the boundary is made fresh.  Returns the path and the
    Content-Type header as a double-quoted word (it expands ``$boundary``)."""
    path = temp_body(lines)
    lines.append('boundary="----reqlab$(date +%s)$RANDOM$RANDOM"')
    lines.append("{")
    for part in body.parts:
        lines.append("  printf -- '--%s\\r\\n' \"$boundary\"")
        disposition = f'form-data; name="{part_header_value(part.name)}"'
        if isinstance(part, MultipartFile):
            disposition += f'; filename="{part_header_value(part.filename)}"'
            ctype = part.content_type or "application/octet-stream"
            head = f"Content-Disposition: {disposition}\r\nContent-Type: {ctype}\r\n\r\n"
            lines.append(f"  printf '%s' {q(head)}")
            if part.path is not None:
                lines.append(f"  cat {q(part.path)}")
            else:
                encoded = base64.b64encode(part.data or b"").decode()
                lines.append(f"  printf '%s' '{encoded}' | base64 -d")
        else:
            head = f"Content-Disposition: {disposition}\r\n\r\n"
            lines.append(f"  printf '%s' {q(head)}")
            lines.append(f"  printf '%s' {q(part.value)}")
        lines.append("  printf '\\r\\n'")
    lines.append("  printf -- '--%s--\\r\\n' \"$boundary\"")
    lines.append(f"}} > {path}")
    return path, '"Content-Type: multipart/form-data; boundary=$boundary"'


def basename_matches(body: MultipartBody) -> bool:
    """True when every file part is a path uploaded under its own name."""
    return all(
        p.path is not None and os.path.basename(p.path) == p.filename
        for p in body.parts
        if isinstance(p, MultipartFile)
    )


def script(setup: list[str], cmd: str) -> str:
    head = "#!/usr/bin/env bash\n"
    if setup:
        head += "set -euo pipefail\n\n" + "\n".join(setup) + "\n\n"
    return head + cmd + "\n"

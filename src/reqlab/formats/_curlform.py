"""curl's -F/--form argument syntax, both ways.

``name=value``, ``name=@path`` (a file part), ``name=<path`` (a text part
read from a file), each optionally followed by ``;type=...`` and
``;filename=...``.  The value or path ends at the first ';' unless it is
double-quoted (``name=@"a;b.txt"``, backslash escapes \\" and \\\\).  Like
curl, an unknown ``;param`` is skipped with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from reqlab.errors import FormatError
from reqlab.formats._common import from_bytes
from reqlab.model import MultipartField, MultipartFile, Part

FMT = "curl"
_PLAIN = re.compile(r'^[^;"@<\\,]*$')
_NEXT_KEYWORD = re.compile(r";\s*(type|filename|headers|encoder)=", re.IGNORECASE)


def _quoted(text: str) -> tuple[str, str]:
    """A leading "..." string, unescaped, and what follows it."""
    out, i = [], 1
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if ch == '"':
            return "".join(out), text[i + 1 :]
        out.append(ch)
        i += 1
    return "".join(out), ""


_BLANK = " \t\n\v\f\r"


def _value(text: str) -> tuple[str, str]:
    """A value: "quoted" as written, or up to ';' with blanks around it
    trimmed (curl trims them)."""
    if text.lstrip(_BLANK).startswith('"'):
        return _quoted(text.lstrip(_BLANK))
    value, semi, rest = text.partition(";")
    return value.strip(_BLANK), semi + rest


def _params(text: str) -> tuple[dict[str, str], list[str]]:
    params: dict[str, str] = {}
    unknown: list[str] = []
    while text:
        text = text.lstrip("; \t")
        if not text:
            break
        key, eq, rest = text.partition("=")
        if not eq or ";" in key:
            skipped, _, text = text.partition(";")
            unknown.append(skipped)
            continue
        if key.strip().lower() == "type":
            # curl takes a type as written, parameters and quotes included,
            # up to the next ;keyword=
            end = _NEXT_KEYWORD.search(rest)
            value, text = (rest[: end.start()], rest[end.start() :]) if end else (rest, "")
            value = value.strip(_BLANK)
        else:
            value, text = _value(rest)
        params[key.strip().lower()] = value
    return params, unknown


def form_part(
    spec: str,
    literal: bool,
    where: str,
    read: Callable[[str, str], bytes | None],
    warn: Callable[[str], None],
) -> Part:
    """The part a -F (``literal`` False) or --form-string argument makes."""
    name, eq, content = spec.partition("=")
    if not eq:
        raise FormatError(FMT, where, f"name=content, got {spec!r}")
    if literal:
        return MultipartField(name, content)
    kind = content[:1] if content[:1] in ("@", "<") else ""
    value, rest = _value(content[len(kind) :])
    params, unknown = _params(rest)
    for key in list(params):
        if key not in ("type", "filename"):
            unknown.append(f"{key}=")
            del params[key]
    for skipped in unknown:
        warn(f"-F {name}: ;{skipped} is not supported; skipped")
    ctype, filename = params.get("type"), params.get("filename")
    if kind == "@":
        if "," in value and not content[1:].startswith('"'):
            warn(f"-F {name}: several files in one part are not supported; the first is used")
            value = value.split(",", 1)[0]
        base = value.replace("\\", "/").rsplit("/", 1)[-1]
        return MultipartFile(name, filename if filename is not None else base, ctype, path=value)
    if kind == "<":
        data = read(value, "-F")
        if data is None:
            warn(f"-F {name}=<{value}: the file is not read (no file access); left empty")
            data = b""
        value = from_bytes(data)
    if filename is not None:
        return MultipartFile(name, filename, ctype, data=value.encode("utf-8", "surrogateescape"))
    if ctype:
        warn(f"-F {name}: ;type= of a text part is not kept (only file parts have a type)")
    return MultipartField(name, value)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def form_spec(part: Part) -> tuple[str, str]:
    """The option (-F or --form-string) and argument that make ``part``."""
    if isinstance(part, MultipartField):
        if _PLAIN.match(part.value) and part.value == part.value.strip(_BLANK):
            return "-F", f"{part.name}={part.value}"
        return "--form-string", f"{part.name}={part.value}"
    path = part.path or ""
    plain = _PLAIN.match(path) and path == path.strip(_BLANK)
    spec = f"{part.name}=@" + (path if plain else _quote(path))
    if part.content_type is not None:
        spec += ";type=" + part.content_type  # curl takes it verbatim, no quoting
    if part.filename != path.replace("\\", "/").rsplit("/", 1)[-1]:
        spec += ";filename=" + _quote(part.filename)
    return "-F", spec

"""String literals for every target language, in one place.

Each function returns a complete literal (quotes included) that evaluates
to exactly the given text, whatever it holds: quotes, backslashes, ``$``,
backticks, ``#{}``, ``%d``, newlines, NUL, non-ASCII, astral characters.
The rule for every language: escape what the language would interpret,
spell control characters as escapes, and keep printable non-ASCII as
written unless the language's source encoding is not reliably UTF-8.
"""

from __future__ import annotations

import json


def _escape_c_like(text: str, simple: dict[str, str], control: str, non_ascii: str | None) -> str:
    """Shared walker: ``simple`` maps characters to escapes; ``control`` is a
    format for other control characters (given ``c`` = code point); if
    ``non_ascii`` is set, characters >= 0x7f are written with it too."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in simple:
            out.append(simple[ch])
        elif code < 0x20 or code == 0x7F:
            out.append(control.format(c=code))
        elif non_ascii is not None and code > 0x7E:
            out.append(_format_non_ascii(non_ascii, code))
        else:
            out.append(ch)
    return "".join(out)


def _format_non_ascii(fmt: str, code: int) -> str:
    if fmt == "utf16" and code > 0xFFFF:  # \uD83D\uDE00 surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    if fmt == "utf16":
        return f"\\u{code:04x}"
    return fmt.format(c=code)


_C_SIMPLE = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def double_quoted_js(text: str) -> str:
    """JavaScript / TypeScript / JSON string literal."""
    return (
        json.dumps(text, ensure_ascii=False)
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def python_str(text: str) -> str:
    """Python string literal (repr keeps every character exact)."""
    return repr(text)


def python_bytes(data: bytes) -> str:
    return repr(data)


def go_str(text: str) -> str:
    """Go interpreted string literal."""
    # Go refuses a byte-order mark anywhere but the start of a file.
    simple = {**_C_SIMPLE, "\ufeff": "\\ufeff"}
    return '"' + _escape_c_like(text, simple, "\\x{c:02x}", None) + '"'


def java_str(text: str) -> str:
    """Java string literal.  Java translates ``\\uXXXX`` before lexing, so a
    ``\\u000a`` would end the line: control characters use octal escapes and
    only non-ASCII uses ``\\u`` (which can never produce a quote or newline)."""
    return '"' + _escape_c_like(text, _C_SIMPLE, "\\{c:03o}", "utf16") + '"'


def kotlin_str(text: str) -> str:
    """Kotlin string literal: like Java, plus ``$`` (templates); no octal escapes."""
    simple = {**_C_SIMPLE, "$": "\\$"}
    return '"' + _escape_c_like(text, simple, "\\u{c:04x}", "utf16") + '"'


def csharp_str(text: str) -> str:
    """C# regular string literal (``\\x`` is variable-length, so never used)."""
    return '"' + _escape_c_like(text, _C_SIMPLE, "\\u{c:04x}", "utf16") + '"'


def rust_str(text: str) -> str:
    """Rust string literal."""
    return '"' + _escape_c_like(text, _C_SIMPLE, "\\u{{{c:x}}}", None) + '"'


def swift_str(text: str) -> str:
    """Swift string literal (``\\(`` interpolation is defused by escaping ``\\``)."""
    return '"' + _escape_c_like(text, {**_C_SIMPLE, "\0": "\\0"}, "\\u{{{c:x}}}", None) + '"'


def php_str(text: str) -> str:
    """PHP single-quoted literal: no interpolation of ``$``; only ``\\`` and ``'``
    are special.  Control characters would survive literally, but to keep
    the source readable a text with them is written double-quoted with
    every ``$`` escaped."""
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):
        simple = {**_C_SIMPLE, "$": "\\$", "\x0b": "\\v", "\x1b": "\\e", "\x0c": "\\f"}
        return '"' + _escape_c_like(text, simple, "\\x{c:02x}", None) + '"'
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def ruby_str(text: str) -> str:
    """Ruby literal: single-quoted (no ``#{}``) unless control characters need
    double quotes, in which case ``#`` is escaped too."""
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):
        simple = {**_C_SIMPLE, "#": "\\#"}
        return '"' + _escape_c_like(text, simple, "\\x{c:02x}", None) + '"'
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def shell_str(text: str) -> str:
    """POSIX shell word: single quotes (nothing inside is special), ANSI-C
    ``$'...'`` when the text holds control characters."""
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):
        simple = {"'": "\\'", "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
        return "$'" + _escape_c_like(text, simple, "\\x{c:02x}", None) + "'"
    if text and all(ch.isalnum() or ch in "-_./:=@%+,^" for ch in text) and text.isascii():
        return text
    return "'" + text.replace("'", "'\\''") + "'"


def powershell_str(text: str) -> str:
    """PowerShell single-quoted literal: quotes (including the typographic
    ones PowerShell also accepts) are doubled; nothing else is special."""
    out = []
    for ch in text:
        out.append(ch * 2 if ch in "'\u2018\u2019\u201a\u201b" else ch)
    return "'" + "".join(out) + "'"


def comment_safe(text: str) -> str:
    """Text safe inside a line comment (no line breaks)."""
    return " ".join(text.splitlines())


def rust_bytes(data: bytes) -> str:
    """Rust byte-string literal (``b"..."``): exact bytes, printable ASCII as is."""
    out = []
    for byte in data:
        ch = chr(byte)
        if ch in _C_SIMPLE:
            out.append(_C_SIMPLE[ch])
        elif 0x20 <= byte < 0x7F:
            out.append(ch)
        else:
            out.append(f"\\x{byte:02x}")
    return 'b"' + "".join(out) + '"'

"""Splitting a pasted command line into words, as bash or Windows cmd would.

bash: '...', "..." (backslash escapes $ ` " \\ and newline), $'...' (ANSI-C
escapes, which may make bytes that are not UTF-8: those are kept as
surrogate escapes, see :func:`reqlab.formats._common.to_bytes`),
backslash-newline continuations, # comments, and the control operators
| ; & && || that end a command.  Variables ($TOKEN) are not expanded: they
are kept as written and reported.

cmd: what Chrome's "Copy as cURL (cmd)" writes.  Two layers, undone in
order: cmd.exe's caret (^x is x; ^ at a line end continues the line, and a
second newline after it is a literal newline), then the C runtime's argument
rules (" groups, \\" is a quote, backslashes double before a quote).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reqlab.errors import FormatError
from reqlab.formats._common import line_col

FMT = "curl"
_VAR = re.compile(r"\$(\{[^}]*\}|\([^)]*\)|[A-Za-z_][A-Za-z0-9_]*)")
_SIMPLE_ESCAPES = {
    "n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
    "e": "\x1b", "E": "\x1b", "\\": "\\", "'": "'", '"': '"', "?": "?",
}  # fmt: skip


_HEX = {"x": r"[0-9A-Fa-f]{1,2}", "u": r"[0-9A-Fa-f]{1,4}", "U": r"[0-9A-Fa-f]{1,8}"}


@dataclass(frozen=True)
class Word:
    """One word of the command; ``op`` marks an unquoted control operator."""

    text: str
    offset: int
    op: bool = False


def is_cmd(text: str) -> bool:
    """Whether ``text`` uses cmd.exe caret quoting rather than bash's."""
    # A caret that continues the line, or a word opened with ^" as Chrome writes them.
    return bool(re.search(r"\^[ \t]*\r?\n", text) or re.search(r'(^|\s)\^"', text))


class _Words:
    """Collects words; a word's text is built as bytes so ANSI-C \\xHH stays exact."""

    def __init__(self) -> None:
        self.words: list[Word] = []
        self.buf = bytearray()
        self.start: int | None = None

    def add(self, text: str, at: int) -> None:
        self.add_bytes(text.encode("utf-8", "surrogateescape"), at)

    def add_bytes(self, data: bytes, at: int) -> None:
        if self.start is None:
            self.start = at
        self.buf += data

    def flush(self) -> None:
        if self.start is not None:
            self.words.append(Word(self.buf.decode("utf-8", "surrogateescape"), self.start))
        self.buf, self.start = bytearray(), None

    def op(self, text: str, at: int) -> None:
        self.flush()
        self.words.append(Word(text, at, op=True))


def _unterminated(text: str, at: int, quote: str) -> FormatError:
    return FormatError(FMT, line_col(text, at), f"a closing {quote} for the quote opened here")


def _ansi_c(text: str, i: int, out: _Words) -> int:
    """Read $'...' starting at ``i`` (the $); return the index after it.

    A NUL ends the string there, as in bash: no argument can hold one."""
    start, j = i, i + 2
    out.add("", start)
    kept = len(out.buf)
    while j < len(text):
        ch = text[j]
        if ch == "'":
            nul = out.buf.find(b"\0", kept)
            if nul >= 0:
                del out.buf[nul:]
            return j + 1
        if ch != "\\" or j + 1 >= len(text):
            out.add(ch, start)
            j += 1
            continue
        esc = text[j + 1]
        j += 2
        if esc in _SIMPLE_ESCAPES:
            out.add(_SIMPLE_ESCAPES[esc], start)
        elif esc in "xuU":
            digits = re.match(_HEX[esc], text[j:])
            if not digits:
                out.add("\\" + esc, start)
                continue
            j += len(digits.group())
            value = int(digits.group(), 16)
            out.add_bytes(bytes([value]), start) if esc == "x" else out.add(chr(value), start)
        elif esc in "01234567":
            digits = re.match(r"[0-7]{0,2}", text[j:])
            assert digits is not None
            j += len(digits.group())
            out.add_bytes(bytes([int(esc + digits.group(), 8) & 0xFF]), start)
        elif esc == "c" and j < len(text):
            out.add(chr(ord(text[j]) & 0x1F), start)
            j += 1
        else:
            out.add("\\" + esc, start)
    raise _unterminated(text, i, "'")


def _double(text: str, i: int, out: _Words, variables: list[str]) -> int:
    """Read "..." starting at ``i``; return the index after it."""
    j = i + 1
    out.add("", i)
    while j < len(text):
        ch = text[j]
        if ch == '"':
            return j + 1
        if ch == "\\" and text[j + 1 : j + 2] in ("$", "`", '"', "\\", "\n"):
            if text[j + 1] != "\n":
                out.add(text[j + 1], i)
            j += 2
            continue
        if ch == "$" and (m := _VAR.match(text, j)):
            variables.append(m.group())
        out.add(ch, i)
        j += 1
    raise _unterminated(text, i, '"')


def bash_words(text: str) -> tuple[list[Word], list[str]]:
    """The words of a bash command line, and the variables left unexpanded."""
    out, variables = _Words(), list[str]()
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        nxt = text[i + 1 : i + 2]
        if ch in " \t" or (ch == "\r" and nxt == "\n"):
            out.flush()
            i += 1
        elif ch == "\n":
            out.op("\n", i)
            i += 1
        elif ch == "\\":
            if text[i + 1 : i + 3] == "\r\n":
                i += 3
            elif nxt == "\n":
                i += 2
            else:
                out.add(nxt or "\\", i)
                i += 2
        elif ch == "'":
            end = text.find("'", i + 1)
            if end < 0:
                raise _unterminated(text, i, "'")
            out.add(text[i + 1 : end], i)
            i = end + 1
        elif ch == "$" and nxt == "'":
            i = _ansi_c(text, i, out)
        elif ch == '"' or (ch == "$" and nxt == '"'):
            i = _double(text, i + (ch == "$"), out, variables)
        elif ch == "#" and out.start is None:
            while i < n and text[i] != "\n":
                i += 1
        elif ch in "|;&":
            double = nxt == ch and ch != ";"
            out.op(ch * (2 if double else 1), i)
            i += 2 if double else 1
        elif ch in "<>":
            i = _redirection(text, i, out)
        else:
            if ch == "$" and (m := _VAR.match(text, i)):
                variables.append(m.group())
            out.add(ch, i)
            i += 1
    out.flush()
    return out.words, variables


def _redirection(text: str, i: int, out: _Words) -> int:
    """Skip a redirection (> file, 2>&1, < file): it never changes the request."""
    if out.start is not None and out.buf.isdigit():
        out.buf, out.start = bytearray(), None  # the fd number before >
    out.flush()
    i += 1
    while i < len(text) and text[i] in "<>&":
        i += 1
    while i < len(text) and text[i] in " \t":
        i += 1
    while i < len(text) and text[i] not in " \t\n|;&":
        if text[i] in "'\"":
            end = text.find(text[i], i + 1)
            i = len(text) if end < 0 else end + 1
        else:
            i += 1
    return i


def _cmd_layer(text: str) -> list[tuple[str, int]]:
    """cmd.exe's pass: carets removed, each character with its offset."""
    out: list[tuple[str, int]] = []
    i, quoted, n = 0, False, len(text)
    while i < n:
        ch = text[i]
        if ch == "^" and not quoted:
            rest = text[i + 1 :]
            newline = 3 if rest.startswith("\r\n") else 2 if rest.startswith("\n") else 0
            if newline:
                i += newline
                if text[i : i + 1] == "\n":  # ^ + newline + newline: a literal newline
                    out.append(("\n", i))
                    i += 1
                elif text[i : i + 2] == "\r\n":
                    out.append(("\n", i))
                    i += 2
                continue
            if rest:
                out.append((rest[0], i + 1))  # escaped: a quote here does not toggle
            i += 2
            continue
        if ch == '"':
            quoted = not quoted
        if ch != "\r":
            out.append((ch, i))
        i += 1
    return out


def cmd_words(text: str) -> tuple[list[Word], list[str]]:
    """The words of a cmd.exe command line (caret quoting, C runtime rules)."""
    chars = _cmd_layer(text)
    out = _Words()
    k, quoted, quote_at = 0, False, 0
    while k < len(chars):
        ch, at = chars[k]
        if ch == "\\":
            run = k
            while run < len(chars) and chars[run][0] == "\\":
                run += 1
            count = run - k
            if run < len(chars) and chars[run][0] == '"':
                out.add("\\" * (count // 2), at)
                if count % 2:
                    out.add('"', at)
                    run += 1
            else:
                out.add("\\" * count, at)
            k = run
            continue
        if ch == '"':
            if quoted and k + 1 < len(chars) and chars[k + 1][0] == '"':
                out.add('"', at)
                k += 2
                continue
            quoted, quote_at = not quoted, at
            out.add("", at)
        elif ch in " \t" and not quoted:
            out.flush()
        elif ch == "\n" and not quoted:
            out.op("\n", at)
        elif ch in "|&" and not quoted:
            out.op(ch, at)
        else:
            out.add(ch, at)
        k += 1
    if quoted:
        raise _unterminated(text, quote_at, '"')
    out.flush()
    return out.words, []


def split_command(text: str) -> tuple[list[Word], list[str], bool]:
    """Words of ``text`` read as cmd or bash, the variables left as written,
    and whether it was cmd."""
    if is_cmd(text):
        words, variables = cmd_words(text)
        return words, variables, True
    words, variables = bash_words(text)
    return words, variables, False


_PRINTF_ESCAPES = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11}


def printf_bytes(fmt: str) -> tuple[bytes, list[str]]:
    """The bytes ``printf FMT`` writes (escapes and %%); other %-directives
    are kept as written and reported."""
    data = fmt.encode("utf-8", "surrogateescape")
    out, warnings, i = bytearray(), [], 0
    while i < len(data):
        byte = data[i : i + 1]
        nxt = data[i + 1 : i + 2]
        if byte == b"%":
            if nxt == b"%":
                out += b"%"
                i += 2
                continue
            warnings.append("printf directives other than %% are not expanded")
        if byte != b"\\" or not nxt:
            out += byte
            i += 1
            continue
        if nxt.decode("latin-1") in _PRINTF_ESCAPES:
            out.append(_PRINTF_ESCAPES[nxt.decode("latin-1")])
            i += 2
        elif nxt in b"01234567":
            digits = re.match(rb"[0-7]{1,3}", data[i + 1 :])
            assert digits is not None
            out.append(int(digits.group(), 8) & 0xFF)
            i += 1 + len(digits.group())
        elif nxt == b"x" and (hexa := re.match(rb"[0-9A-Fa-f]{1,2}", data[i + 2 :])):
            out.append(int(hexa.group(), 16))
            i += 2 + len(hexa.group())
        else:
            out += nxt if nxt in (b"\\", b'"', b"'") else b"\\" + nxt
            i += 2
    return bytes(out), warnings


def printf_format(data: bytes) -> str:
    """A single-quoted printf format that writes exactly ``data``."""
    out = []
    for byte in data:
        char = chr(byte)
        if char == "%":
            out.append("%%")
        elif char == "\\":
            out.append("\\\\")
        elif 0x20 <= byte < 0x7F and char != "'":
            out.append(char)
        else:
            out.append(f"\\{byte:03o}")
    return "'" + "".join(out) + "'"

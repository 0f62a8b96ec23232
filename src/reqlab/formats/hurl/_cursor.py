"""A cursor over a Hurl file's text, and the parse error it raises.

Hurl's grammar is line-based except for bodies and multiline strings, so the
cursor works on the whole text with an index and turns indexes into
``line:column`` (1-based, as Hurl prints them) only when a node or an error
needs one.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from reqlab.errors import FormatError
from reqlab.formats.hurl._ast import Pos

_SPACES = re.compile(r"[ \t]*")
# spaces, an optional comment, then the end of the line (or of the file)
_LT = re.compile(r"[ \t]*(?:#[^\n]*)?(?:\r?\n|\Z)")
_LINE_END_STARTS = frozenset(" \t#\r\n")  # what a blank or comment-only line starts with
_WORD = re.compile(r"[ \t]*([^ \t\r\n]*)")


class HurlSyntaxError(FormatError):
    """A Hurl file could not be read; ``str()`` is ``file:line:col: message``."""

    def __init__(self, filename: str, pos: Pos, message: str, unsupported: bool = False) -> None:
        self.filename = filename
        self.pos = pos
        self.message = message
        self.unsupported = unsupported
        super().__init__("hurl", f"{filename}:{pos}", message)

    def __str__(self) -> str:
        return f"{self.filename}:{self.pos}: {self.message}"


class Cursor:
    __slots__ = ("text", "filename", "i", "_starts", "_line")

    def __init__(self, text: str, filename: str) -> None:
        self.text = text
        self.filename = filename
        self.i = 0
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._line = 1

    # ------------------------------------------------------------ position
    def pos(self, i: int | None = None) -> Pos:
        at = self.i if i is None else i
        line = self._line  # parsing moves forward: try the last line first
        starts = self._starts
        if not (starts[line - 1] <= at and (line == len(starts) or at < starts[line])):
            line = self._line = bisect_right(starts, at)
        return Pos(line, at - starts[line - 1] + 1)

    def error(self, message: str, i: int | None = None) -> HurlSyntaxError:
        return HurlSyntaxError(self.filename, self.pos(i), message)

    def unsupported(self, message: str, i: int | None = None) -> HurlSyntaxError:
        return HurlSyntaxError(
            self.filename, self.pos(i), message + " (not supported by reqlab)", unsupported=True
        )

    # ------------------------------------------------------------- reading
    @property
    def eof(self) -> bool:
        return self.i >= len(self.text)

    def peek(self, n: int = 1) -> str:
        return self.text[self.i : self.i + n]

    def at(self, s: str) -> bool:
        return self.text.startswith(s, self.i)

    def eat(self, s: str) -> bool:
        if self.text.startswith(s, self.i):
            self.i += len(s)
            return True
        return False

    def expect(self, s: str, what: str | None = None) -> None:
        if not self.eat(s):
            raise self.error(f"expected {what or repr(s)}")

    def match(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        m = pattern.match(self.text, self.i)
        if m is not None:
            self.i = m.end()
        return m

    def sp(self) -> int:
        """Skip spaces and tabs; returns how many."""
        if self.text[self.i : self.i + 1] not in (" ", "\t"):  # most calls: nothing to skip
            return 0
        m = _SPACES.match(self.text, self.i)
        assert m is not None
        self.i = m.end()
        return m.end() - m.start()

    def sp1(self, what: str) -> None:
        if not self.sp():
            raise self.error(f"expected a space before {what}")

    def at_lt(self) -> bool:
        return _LT.match(self.text, self.i) is not None

    def lt(self) -> None:
        """The end of a line: spaces, an optional ``# comment``, a newline."""
        m = _LT.match(self.text, self.i)
        if m is None:
            self.sp()
            raise self.error(f"unexpected {self.rest_of_line()!r}")
        self.i = m.end()

    def skip_lts(self) -> None:
        """Skip blank and comment-only lines."""
        text = self.text
        while self.i < len(text):
            if text[self.i] not in _LINE_END_STARTS:  # a line with content: nothing to skip
                return
            m = _LT.match(self.text, self.i)
            if m is None or m.end() == self.i:
                return
            self.i = m.end()

    def rest_of_line(self) -> str:
        end = self.text.find("\n", self.i)
        return self.text[self.i : len(self.text) if end < 0 else end].rstrip("\r")

    def first_word(self) -> str:
        """The word at the cursor after indentation, without moving."""
        m = _WORD.match(self.text, self.i)
        return m.group(1) if m else ""

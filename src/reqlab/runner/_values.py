"""Values as Hurl types them, and how they print.

Python values stand for Hurl's types: ``bool``, ``int``, ``float``, ``str``,
``bytes``, ``list`` (a collection), ``dict`` (an object), ``None`` (JSON
null), ``datetime`` (a date), :class:`Nodeset` (an XPath node set) and
:data:`NONE`, the absence of a value (a missing header, a JSONPath that
matches nothing).  Integers and floats are distinct types but compare by
value, as in Hurl.
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from typing import Any, Final

from reqlab._records import record


class _NoValue:
    __slots__ = ()

    def __repr__(self) -> str:
        return "NONE"

    def __bool__(self) -> bool:
        return False


NONE: Final = _NoValue()


@record(frozen=True, slots=True)
class Nodeset:
    """The result of an XPath query that selects nodes (kept as XML text)."""

    items: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.items)


class EvalError(Exception):
    """A query or filter could not produce a value (shown as a runtime error)."""


def type_name(value: Any) -> str:
    if value is NONE:
        return "none"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bytes):
        return "bytes"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, Nodeset):
        return "nodeset"
    if isinstance(value, datetime):
        return "date"
    return type(value).__name__


def render(value: Any) -> str:
    """The text of a value inside a template or a message (Hurl's spelling)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format_float(value)
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, list | dict):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    if isinstance(value, Nodeset):
        return f"nodeset of size {len(value)}"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def format_float(value: float) -> str:
    if math.isfinite(value) and value == int(value) and abs(value) < 1e16:
        return f"{value:.1f}"
    return repr(value)


def describe(value: Any) -> str:
    """``integer <1>``, ``string <abc>``, ``none``: how a message shows a value."""
    if value is NONE:
        return "none"
    if isinstance(value, Nodeset):
        return f"nodeset of size {len(value)}"
    shown = render(value)
    if isinstance(value, bytes):
        shown = shown if len(value) <= 64 else shown[:128] + f"... ({len(value)} bytes)"
    if len(shown) > 200:
        shown = shown[:200] + "..."
    return f"{type_name(value)} <{shown}>"


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def from_text(text: str) -> Any:
    """A --variable value typed as Hurl types them: numbers, booleans, null."""
    if text in ("true", "false"):
        return text == "true"
    if text == "null":
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        if any(c.isdigit() for c in text) and text.strip() == text:
            return float(text)
    except ValueError:
        pass
    return text

"""Dynamic values: ``{{$uuid}}``, ``{{$timestamp}}``, ``{{$randomInt 1 10}}``...

Both dialects are read: REST Client's space-separated arguments
(``$randomInt min max``, ``$datetime iso8601``) and JetBrains' calls
(``$random.integer(1, 10)``, ``$random.uuid``).  Each call gives a fresh
value; nothing here reads a file or the environment.
"""

from __future__ import annotations

import random
import re
import string
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import formatdate

_CALL = re.compile(r"^(\$[\w.]+)\s*(?:\((.*)\))?\s*(.*)$")


def _ints(args: list[str], count: int, name: str) -> list[int]:
    try:
        values = [int(a) for a in args]
    except ValueError:
        raise ValueError(f"{name} takes whole numbers, got {' '.join(args)!r}") from None
    if len(values) != count:
        raise ValueError(f"{name} takes {count} number(s), got {len(values)}")
    return values


def _random_int(args: list[str]) -> str:
    low, high = _ints(args or ["0", "1001"], 2, "$randomInt")  # Postman's: 0..1000
    if high <= low:
        raise ValueError(f"$randomInt needs min < max, got {low} {high}")
    return str(random.randrange(low, high))  # REST Client: max excluded


def _random_integer(args: list[str]) -> str:
    low, high = _ints(args or ["0", "1000"], 2, "$random.integer")
    if high <= low:
        raise ValueError(f"$random.integer needs from < to, got {low} {high}")
    return str(random.randrange(low, high))


def _random_float(args: list[str]) -> str:
    low, high = (float(a) for a in (args or ["0", "1000"]))
    return repr(random.uniform(low, high))


def _chars(alphabet: str, name: str) -> Callable[[list[str]], str]:
    def make(args: list[str]) -> str:
        (length,) = _ints(args or ["10"], 1, name)
        return "".join(random.choices(alphabet, k=length))

    return make


def _datetime(args: list[str]) -> str:
    now = time.time()
    style = args[0].strip("'\"") if args else "iso8601"
    if style == "rfc1123":
        return formatdate(now, usegmt=True)
    if style == "iso8601":
        return datetime.fromtimestamp(now, UTC).isoformat().replace("+00:00", "Z")
    return datetime.fromtimestamp(now, UTC).strftime(_strftime(style))


def _strftime(pattern: str) -> str:
    """A few Day.js tokens REST Client accepts, as strftime codes."""
    for token, code in (("YYYY", "%Y"), ("MM", "%m"), ("DD", "%d"), ("HH", "%H"), ("mm", "%M")):
        pattern = pattern.replace(token, code)
    return pattern.replace("ss", "%S")


def _email(args: list[str]) -> str:
    user = "".join(random.choices(string.ascii_lowercase, k=8))
    return f"{user}@example.com"


FUNCTIONS: dict[str, Callable[[list[str]], str]] = {
    "$uuid": lambda a: str(uuid.uuid4()),
    "$guid": lambda a: str(uuid.uuid4()),
    "$random.uuid": lambda a: str(uuid.uuid4()),
    "$randomUUID": lambda a: str(uuid.uuid4()),
    "$timestamp": lambda a: str(int(time.time())),
    "$isoTimestamp": lambda a: _datetime(["iso8601"]),
    "$datetime": _datetime,
    "$localDatetime": lambda a: datetime.now().astimezone().isoformat(),
    "$randomInt": _random_int,
    "$random.integer": _random_integer,
    "$random.float": _random_float,
    "$random.alphabetic": _chars(string.ascii_letters, "$random.alphabetic"),
    "$random.alphanumeric": _chars(string.ascii_letters + string.digits + "_", "$random.alnum"),
    "$random.hexadecimal": _chars("0123456789abcdef", "$random.hexadecimal"),
    "$random.email": _email,
}


def split_call(expr: str) -> tuple[str, list[str]]:
    """``$randomInt 1 10`` / ``$random.integer(1, 10)`` -> (name, args)."""
    m = _CALL.match(expr)
    if m is None:
        return expr, []
    name, inner, rest = m.groups()
    if inner is not None:  # JetBrains: $random.integer(1, 10)
        return name, [a.strip() for a in inner.split(",") if a.strip()]
    return name, rest.split()


def dynamic(name: str, args: list[str]) -> str | None:
    """The value of dynamic variable ``name``; None when there is no such one."""
    function = FUNCTIONS.get(name)
    return None if function is None else function(args)

"""HTTPie 3.x nested JSON keys: ``a[b][0]=x``, ``a[]=1``, ``[]:=1``.

Theory of operation.  A key is read as a path: a root (a name, or ``[N]``
/ ``[]`` when the whole body is an array) followed by steps ``[name]``,
``[N]`` or ``[]``.  Each item walks the body built so far along its path,
creating an object before a ``[name]`` step and an array before ``[N]`` /
``[]``, then sets the value at the end (``[]`` appends; an index past the
end pads with ``null``).  Walking through a value of the wrong kind is an
error, as in HTTPie.

Escapes: ``\\[``, ``\\]`` and ``\\\\`` are literal characters; a name made
only of digits is an index unless a backslash marks it as text
(``a[\\1]`` is the key "1").  Pure: no I/O.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from reqlab.errors import InvalidRequest

_SPECIAL = "[]\\"


class Step(NamedTuple):
    kind: str  # "key", "index" or "append"
    name: str | int | None = None


def _tokens(key: str) -> list[str | int | tuple[str]]:
    """'[' and ']' as themselves, numbers as int, text as a 1-tuple."""
    out: list[str | int | tuple[str]] = []
    buf: list[str] = []
    escaped = False

    def flush() -> None:
        nonlocal escaped
        if not buf:
            return
        text = "".join(buf)
        if escaped:
            out.append((text,))
        elif _is_int(text):
            out.append(int(text))
        elif text.startswith("\\") and _is_int(text[1:]):
            out.append((text[1:],))  # '\1': the text "1", not an index
        else:
            out.append((text,))
        buf.clear()
        escaped = False

    i = 0
    while i < len(key):
        ch = key[i]
        if ch in "[]":
            flush()
            out.append(ch)
        elif ch == "\\" and i + 1 < len(key):
            nxt = key[i + 1]
            if nxt in _SPECIAL:
                escaped = True
            else:
                buf.append(ch)
            buf.append(nxt)
            i += 1
        else:
            buf.append(ch)
        i += 1
    flush()
    return out


def _is_int(text: str) -> bool:
    try:
        int(text)
    except ValueError:
        return False
    return True


def parse_path(key: str) -> list[Step]:
    """The steps of one nested key; raises InvalidRequest naming the key."""
    tokens = _tokens(key)
    pos = 0

    def take(*allowed: str) -> str | int | tuple[str]:
        nonlocal pos
        if pos >= len(tokens):
            raise _error(key, f"expected {' or '.join(allowed)} at the end")
        token = tokens[pos]
        pos += 1
        if _kind(token) not in allowed:
            raise _error(key, f"expected {' or '.join(allowed)}, found {_show(token)}")
        return token

    if not tokens:
        return [Step("key", "")]
    first = take("text", "number", "'['")
    steps: list[Step] = []
    if first == "[":
        steps.append(_bracket(take("number", "']'"), take, root=True))
    else:
        steps.append(Step("key", str(first[0] if isinstance(first, tuple) else first)))
    while pos < len(tokens):
        take("'['")
        steps.append(_bracket(take("text", "number", "']'"), take, root=False))
    return steps


def _bracket(token: Any, take: Any, root: bool) -> Step:
    if token == "]":
        return Step("append")
    take("']'")
    if isinstance(token, int):
        return Step("index", token)
    return Step("key", token[0])


def _kind(token: str | int | tuple[str]) -> str:
    if isinstance(token, tuple):
        return "text"
    if isinstance(token, int):
        return "number"
    return f"'{token}'"


def _show(token: str | int | tuple[str]) -> str:
    return repr(token[0]) if isinstance(token, tuple) else repr(str(token))


def _error(key: str, message: str) -> InvalidRequest:
    return InvalidRequest(f"item key {key!r}", message)


def _new(step: Step) -> Any:
    return {} if step.kind == "key" else []


def _check(cursor: Any, step: Step, key: str) -> None:
    want = dict if step.kind == "key" else list
    if not isinstance(cursor, want):
        have = "an object" if isinstance(cursor, dict) else "an array"
        if not isinstance(cursor, dict | list):
            have = f"the value {cursor!r}"
        need = "an object" if want is dict else "an array"
        raise _error(key, f"cannot use a {step.kind} step on {have}: it needs {need}")


def set_path(body: Any, key: str, value: Any) -> Any:
    """``body`` (None, an object or an array) with ``value`` set at ``key``."""
    steps = parse_path(key)
    if body is None:
        body = _new(steps[0])
    cursor = body
    for i, step in enumerate(steps):
        last = i == len(steps) - 1
        _check(cursor, step, key)
        if step.kind == "key":
            if last:
                cursor[step.name] = value
            else:
                cursor = cursor.setdefault(step.name, _new(steps[i + 1]))
        elif step.kind == "index":
            assert isinstance(step.name, int)
            if step.name < 0:
                raise _error(key, "negative indexes are not supported")
            cursor.extend([None] * (step.name - len(cursor) + 1))
            if last:
                cursor[step.name] = value
            else:
                if cursor[step.name] is None:
                    cursor[step.name] = _new(steps[i + 1])
                cursor = cursor[step.name]
        else:
            cursor.append(value if last else _new(steps[i + 1]))
            cursor = cursor[-1]
    return body


def build(pairs: list[tuple[str, Any]]) -> Any:
    """The JSON body of ``key=value`` pairs in order: an object, or an array
    when the keys start with ``[``."""
    body: Any = None
    for key, value in pairs:
        body = set_path(body, key, value)
    return {} if body is None else body

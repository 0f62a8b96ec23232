"""Variables: ``{{name}}`` looked up through layers, dynamic values, chaining.

Precedence, first match wins (documented in docs/workspace.md):

    1. ``--var k=v`` on the command line (``vars=`` in Python)
    2. ``@k = v`` in the request's own block, then the file's other ``@k = v``
    3. the private environment (``http-client.private.env.json``)  -> secret
    4. the selected environment (``http-client.env.json``)
    5. ``$shared`` in those files (private ``$shared`` before public)

plus ``{{$dotenv NAME}}`` (the ``.env`` file, secret), ``{{$processEnv
NAME}}`` (secret), dynamic values (see ``_dynamic``) and
``{{request.response.body.$.x}}`` (see :mod:`reqlab.formats.response_query`).

A value that came from a secret source is recorded in ``Expansion.secrets``
(value -> variable name) so that :func:`mask` can hide it wherever the
request is shown or stored.  Pure: the caller passes every mapping in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from reqlab.formats.httpfile._dynamic import dynamic, split_call
from reqlab.formats.response_query import QueryError, RecordedResponse, query

_REF = re.compile(r"\{\{(.*?)\}\}", re.S)
_CHAIN = re.compile(r"^([\w.-]+?)\.response\.(.+)$")
MASK = "••••"


class UnresolvedVariable(LookupError):
    """Raised by :meth:`Scope.expand`; ``offset`` is where in the text."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass(frozen=True)
class Layer:
    name: str  # "cli", "request", "file", "private", "env", "shared"
    values: Mapping[str, str]
    secret: bool = False


@lru_cache(maxsize=8192)
def pieces(text: str) -> tuple[tuple[int, str], ...]:
    """``text`` cut into literal text and ``{{expressions}}``: (offset, piece)
    pairs where an expression piece is ``("\\0" + expr)``.  Cached: the same
    templates are resolved on every send."""
    out: list[tuple[int, str]] = []
    last = 0
    for m in _REF.finditer(text):
        if m.start() > last:
            out.append((last, text[last : m.start()]))
        out.append((m.start(), "\0" + m.group(1).strip()))
        last = m.end()
    if last < len(text):
        out.append((last, text[last:]))
    return tuple(out)


@dataclass
class Scope:
    """Everything one request's ``{{...}}`` may refer to."""

    layers: list[Layer]
    dotenv: Mapping[str, str] = field(default_factory=dict)
    process_env: Mapping[str, str] = field(default_factory=dict)
    responses: Mapping[str, RecordedResponse] = field(default_factory=dict)
    secrets: dict[str, str] = field(default_factory=dict)  # value -> name, filled as used

    def lookup(self, name: str) -> tuple[str, bool] | None:
        for layer in self.layers:
            value = layer.values.get(name)
            if value is not None:
                return value, layer.secret
        return None

    def expand(self, text: str, depth: int = 0) -> str:
        """``text`` with every ``{{...}}`` replaced; UnresolvedVariable otherwise."""
        if "{{" not in text:
            return text
        out: list[str] = []
        for offset, piece in pieces(text):
            if piece[:1] != "\0":
                out.append(piece)
                continue
            try:
                out.append(self._value(piece[1:], depth))
            except UnresolvedVariable as exc:
                raise UnresolvedVariable(exc.message, offset) from None
        return "".join(out)

    def _value(self, expr: str, depth: int) -> str:
        if expr.startswith("$"):
            return self._special(expr)
        found = self.lookup(expr)
        if found is None:
            chain = _CHAIN.match(expr)
            if chain is not None:
                return self._chained(chain.group(1), chain.group(2))
            raise UnresolvedVariable(f"unknown variable {expr!r}", 0)
        value, secret = found
        if "{{" in value:
            if depth >= 8:
                raise UnresolvedVariable(f"variable {expr!r} refers to itself", 0)
            try:
                value = self.expand(value, depth + 1)
            except UnresolvedVariable as exc:
                raise UnresolvedVariable(f"{exc.message} (in the value of {expr!r})", 0) from None
        if secret and value:
            self.secrets[value] = expr
        return value

    def _special(self, expr: str) -> str:
        name, args = split_call(expr)
        if name in ("$dotenv", "$processEnv"):
            source = self.dotenv if name == "$dotenv" else self.process_env
            key = args[0] if args else ""
            value = source.get(key)
            if value is None:
                where = "the .env file" if name == "$dotenv" else "the process environment"
                raise UnresolvedVariable(f"{key!r} is not set in {where} ({{{{{expr}}}}})", 0)
            if value:
                self.secrets[value] = key
            return value
        try:
            value = dynamic(name, args)
        except ValueError as exc:
            raise UnresolvedVariable(str(exc), 0) from None
        if value is None:
            raise UnresolvedVariable(f"unknown dynamic variable {name!r}", 0)
        return value

    def _chained(self, request: str, selector: str) -> str:
        response = self.responses.get(request)
        if response is None:
            raise UnresolvedVariable(
                f"{request + '.response.' + selector!r}: request {request!r} has no response yet"
                " (send it first)",
                0,
            )
        try:
            return query(response, selector)
        except QueryError as exc:
            raise UnresolvedVariable(f"{request}.response.{selector}: {exc}", 0) from None


def mask(text: str, secrets: Mapping[str, str], style: str = "dots") -> str:
    """``text`` with every secret value hidden: ``••••`` (style "dots") or
    ``{{name}}`` (style "names", which keeps a request re-resolvable).
    Longer secrets first, so a secret that contains another is hidden whole."""
    if not secrets or not text:
        return text
    for value in sorted(secrets, key=len, reverse=True):
        if value and value in text:
            text = text.replace(value, MASK if style == "dots" else "{{" + secrets[value] + "}}")
    return text

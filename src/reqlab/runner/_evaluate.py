"""Resolve templates and literals, and evaluate captures and asserts.

This is the assertion engine proper: pure functions over an exchange
(:class:`Context`) and the variables, no I/O except reading a ``file,...;``
literal relative to the Hurl file.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reqlab._records import record
from reqlab.formats.hurl import ast
from reqlab.runner import _filters, _predicates
from reqlab.runner._queries import Context, run_query
from reqlab.runner._values import NONE, EvalError, Nodeset, describe, render


class RunError(Exception):
    """A runtime error at a position of the file (undefined variable, a
    query that cannot run...)."""

    def __init__(self, pos: ast.Pos, message: str) -> None:
        self.pos = pos
        self.message = message
        super().__init__(message)


def _builtin(name: str) -> Any:
    if name == "newUuid":
        import uuid  # on first use, as most files never ask

        return str(uuid.uuid4())
    if name == "newDate":
        return datetime.now(UTC).isoformat().replace("+00:00", "Z")
    return NONE


def variable(expr: ast.Expr, variables: dict[str, Any]) -> Any:
    value = variables.get(expr.name, NONE)
    if value is NONE:
        value = _builtin(expr.name)
    if value is NONE:
        raise RunError(expr.pos, f"undefined variable '{expr.name}'")
    return value


def text(template: ast.Template, variables: dict[str, Any]) -> str:
    parts = template.parts
    if len(parts) == 1 and isinstance(parts[0], str):
        return parts[0]
    out: list[str] = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        else:
            value = variable(part, variables)
            if isinstance(value, list | dict):
                raise RunError(part.pos, f"variable '{part.name}' is a {describe(value)}")
            shown = render(value)
            out.append(json.dumps(shown, ensure_ascii=False)[1:-1] if part.json_string else shown)
    return "".join(out)


def literal(value: ast.Literal | str, variables: dict[str, Any], base: Path) -> Any:
    """A predicate value or filter argument as a Hurl value."""
    if isinstance(value, ast.Template):
        return text(value, variables)
    if isinstance(value, ast.Expr):
        return variable(value, variables)
    if isinstance(value, ast.FloatLit):
        return value.value
    if isinstance(value, ast.Null):
        return None
    if isinstance(value, ast.HexLit | ast.Base64Lit):
        return value.data
    if isinstance(value, ast.FileLit):
        path = base / text(value.path, variables)
        try:
            return path.read_bytes()
        except OSError as exc:
            raise RunError(value.path.pos, f"cannot read {path}: {exc.strerror}") from None
    return value  # None, bool, int, str (a regex literal)


def query_value(query: ast.Query, filters: tuple[ast.Filter, ...], ctx: Context, base: Path) -> Any:
    arg = text(query.arg, ctx.variables) if query.arg is not None else None
    try:
        value = run_query(query.kind, arg, ctx)
    except EvalError as exc:
        raise RunError(query.pos, str(exc)) from None
    except Exception as exc:  # data a query could not handle: an answer, not a crash
        raise RunError(query.pos, f"query {query.kind}: {exc}") from None
    for f in filters:
        args = [literal(a, ctx.variables, base) for a in f.args]
        try:
            value = _filters.apply(f.name, value, args)
        except EvalError as exc:
            raise RunError(f.pos, str(exc)) from None
        except Exception as exc:  # a filter given data it cannot handle
            raise RunError(f.pos, f"filter {f.name}: {exc}") from None
    return value


@record()
class AssertOutcome:
    text: str
    pos: ast.Pos
    ok: bool
    actual: str
    expected: str
    error: str | None = None  # a type or query error instead of a verdict
    implicit: bool = False


def check(assertion: ast.Assert, ctx: Context, base: Path) -> AssertOutcome:
    p = assertion.predicate
    outcome = AssertOutcome(assertion.text, assertion.pos, False, "", "", None, assertion.implicit)
    try:
        actual = query_value(assertion.query, assertion.filters, ctx, base)
        expected = literal(p.value, ctx.variables, base) if p.has_value else None
    except RunError as exc:
        outcome.error, outcome.pos = exc.message, exc.pos
        return outcome
    outcome.actual = describe(actual)
    if assertion.implicit and isinstance(actual, list):  # any of a repeated header
        actual = next((v for v in actual if v == expected), actual[0])
        outcome.actual = describe(actual)
    if p.name == "isEmpty" and isinstance(actual, list | dict | str | bytes | Nodeset):
        outcome.actual = f"count equals to {len(actual)}"  # Hurl's wording
    try:
        outcome.ok, outcome.expected = _predicates.check(p.name, p.negated, actual, expected)
    except EvalError as exc:
        outcome.error, outcome.pos = str(exc), p.pos
    return outcome


def capture(cap: ast.Capture, ctx: Context, base: Path) -> Any:
    value = query_value(cap.query, cap.filters, ctx, base)
    if value is NONE:
        raise RunError(cap.pos, f"capture '{cap.name}': the query returned no value")
    return value

"""Check a response against its spec, as Hurl does: captures first (later
captures and asserts may use them), then the implicit asserts (version,
status, headers, body), then [Asserts].  Pure over the exchange record."""

from __future__ import annotations

from pathlib import Path

from reqlab.formats.hurl import ast
from reqlab.runner import _build
from reqlab.runner._evaluate import AssertOutcome, RunError, capture, check
from reqlab.runner._queries import Context
from reqlab.runner._results import EntryResult
from reqlab.runner._values import describe


def verify(
    spec: ast.ResponseSpec | None, ctx: Context, root: Path, er: EntryResult, asserts: bool = True
) -> None:
    """Captures, then (unless ``asserts`` is False: Hurl's ``--no-assert``)
    the implicit and explicit asserts, into ``er``."""
    if spec is None:
        return
    try:
        for cap in spec.captures:
            value = capture(cap, ctx, root)
            er.captures[cap.name] = value
            if cap.redact:
                er.redacted.append(value)
            ctx.variables[cap.name] = value  # later captures and asserts may use it
    except RunError as exc:
        er.error, er.error_pos = exc.message, str(exc.pos)
        return
    if not asserts:
        return
    er.asserts.extend(_implicit(spec, ctx, root))
    er.asserts.extend(check(a, ctx, root) for a in spec.asserts)


def _implicit(spec: ast.ResponseSpec, ctx: Context, root: Path) -> list[AssertOutcome]:
    ex = ctx.exchange
    out = []
    if spec.version != "HTTP":
        actual = ex.response_version or ex.version
        out.append(
            AssertOutcome(
                spec.version, spec.pos, actual == spec.version, actual, spec.version, None, True
            )
        )
    if spec.status is not None:
        out.append(
            AssertOutcome(
                f"{spec.version} {spec.status}",
                spec.pos,
                ex.status == spec.status,
                f"integer <{ex.status}>",
                f"integer <{spec.status}>",
                None,
                True,
            )
        )
    if spec.body is not None:
        out.append(_body_assert(spec.body, ctx, root))
    return out


def _body_assert(body: ast.BodySpec, ctx: Context, root: Path) -> AssertOutcome:
    outcome = AssertOutcome("body", body.pos, False, "", "", None, True)
    try:
        expected = _build.body_bytes(body, ctx.variables, root)
    except RunError as exc:
        outcome.error = exc.message
        return outcome
    actual = ctx.body
    outcome.ok = actual == expected  # byte for byte, JSON included (as Hurl 8.0.1)
    if isinstance(body.body, ast.BytesBody | ast.FileBody):
        outcome.actual, outcome.expected = describe(actual), describe(expected)
    else:
        outcome.actual, outcome.expected = _shown(actual), _shown(expected)
    return outcome


def _shown(data: bytes) -> str:
    try:
        return describe(data.decode())
    except UnicodeDecodeError:
        return describe(data)

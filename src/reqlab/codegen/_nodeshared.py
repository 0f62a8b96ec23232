"""What the three Node.js targets share: the connection rules, the output
lines, grouped header values."""

from __future__ import annotations

from reqlab.codegen._js import warn_method_case
from reqlab.codegen._plan import Plan
from reqlab.codegen._shared import closes_after_downgrade, effective_version, settle_connection

BODY_METHODS = {"POST", "PUT", "PATCH"}


def node_common(p: Plan, target: str, versions: tuple[str, ...]) -> None:
    effective = effective_version(p, versions)
    settle_connection(p, effective)
    if closes_after_downgrade(p, effective) and target != "node-fetch":
        # Sent as HTTP/1.1, the exchange must still end the connection as 1.0's would.
        p.headers.append(("Connection", "close"))
    if p.method != p.method.upper():
        warn_method_case(p, target, every=target != "node-fetch")


def print_lines(status: str, text: str) -> list[str]:
    return [f"console.log({status});", f"console.log({text});"]


def grouped(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """One entry per name (first spelling), repeated values as an array."""
    groups: dict[str, tuple[str, list[str]]] = {}
    for name, expr in headers:
        groups.setdefault(name.lower(), (name, []))[1].append(expr)
    return [
        (name, values[0] if len(values) == 1 else "[" + ", ".join(values) + "]")
        for name, values in groups.values()
    ]

"""Dates for toDate, format, daysAfterNow/daysBeforeNow and certificates.

Hurl's formats are chrono's strftime; the common subset maps directly onto
Python's, plus ``%+`` (ISO 8601 / RFC 3339) and ``%.f`` (fractional seconds).
"""

from __future__ import annotations

from datetime import UTC, datetime

from reqlab.runner._values import EvalError


def _python_format(fmt: str) -> str:
    return fmt.replace("%.f", ".%f").replace("%.3f", ".%f").replace("%.6f", ".%f")


def to_date(text: str, fmt: str) -> datetime:
    try:
        if fmt == "%+":
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        else:
            parsed = datetime.strptime(text, _python_format(fmt))
    except ValueError:
        raise EvalError(f"{text!r} does not match the date format {fmt!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def format_date(value: datetime, fmt: str) -> str:
    if fmt == "%+":
        return value.isoformat()
    return value.strftime(_python_format(fmt))


def days_between(value: datetime, *, after: bool) -> int:
    now = datetime.now(UTC)
    delta = (value - now) if after else (now - value)
    return delta.days


def parse_cert_date(text: str) -> datetime:
    """The certificate dates the client records (ISO text or ssl's format)."""
    for fmt in ("%b %d %H:%M:%S %Y %Z", "%Y%m%d%H%M%SZ"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise EvalError(f"unreadable certificate date {text!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

"""``reqlab run``: run Hurl files, check their asserts, report.

Layer 5 (a surface): it parses with :mod:`reqlab.formats.hurl`, sends with
the public client, and evaluates captures and asserts over each exchange
record.  ``reqlab.run(paths, ...)`` is the Python entry point (blocking,
no event loop); ``arun`` is its asyncio twin, loaded on first use so that a
plain run never imports asyncio.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reqlab.runner._api import run
from reqlab.runner._execute import RunConfig
from reqlab.runner._results import EntryResult, FileResult, RunResult
from reqlab.runner._sources import register

if TYPE_CHECKING:
    from reqlab.runner._async import arun


def __getattr__(name: str) -> Any:
    if name == "arun":
        from reqlab.runner._async import arun

        return arun
    raise AttributeError(f"module 'reqlab.runner' has no attribute {name!r}")


__all__ = ["EntryResult", "FileResult", "RunConfig", "RunResult", "arun", "register", "run"]

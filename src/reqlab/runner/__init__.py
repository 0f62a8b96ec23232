"""``reqlab run``: run Hurl files, check their asserts, report.

Layer 5 (a surface): it parses with :mod:`reqlab.formats.hurl`, sends with
the public client, and evaluates captures and asserts over each exchange
record.  ``reqlab.run(paths, ...)`` is the Python entry point.
"""

from __future__ import annotations

from reqlab.runner._api import arun, run
from reqlab.runner._execute import RunConfig
from reqlab.runner._results import EntryResult, FileResult, RunResult
from reqlab.runner._sources import register

__all__ = ["EntryResult", "FileResult", "RunConfig", "RunResult", "arun", "register", "run"]

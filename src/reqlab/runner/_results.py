"""What a run produces: per file, per entry, per assert.  Every report
(terminal, JUnit, JSON, TAP, HTML) and the Python API read these."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reqlab.client import Exchange
from reqlab.runner._evaluate import AssertOutcome

# Results print as one short line: asyncio's Runner formats the repr of its
# finished main task (whose result a RunResult is) when it restores the SIGINT
# handler, and a dataclass repr of 1,000 entries with their exchanges costs
# tens of milliseconds (the web's arun still runs under one).  No slots on
# these or the runner's other dataclasses: a slotted class takes twice as long
# to define, and they are all on the start-up path of every `reqlab run`.

# Hurl's exit codes (documented in docs/run.md)
EXIT_OK, EXIT_PARSE, EXIT_RUNTIME, EXIT_ASSERT = 0, 2, 3, 4


@dataclass(repr=False)
class EntryResult:
    index: int
    line: int
    method: str
    url: str
    exchanges: list[Exchange] = field(default_factory=list)  # redirects/retries included
    asserts: list[AssertOutcome] = field(default_factory=list)
    captures: dict[str, Any] = field(default_factory=dict)
    error: str | None = None  # a runtime error (connection, undefined variable...)
    error_pos: str | None = None  # "line:col"
    redacted: list[Any] = field(default_factory=list)  # values of `redact` captures
    retries: int = 0
    time_ms: float = 0.0
    skipped: bool = False
    output: str | None = None  # the ``output`` option: where its response body is written
    curl: list[str] = field(default_factory=list)  # with --curl: each request as a command

    def __repr__(self) -> str:
        return f"<EntryResult {self.index} {self.method} {self.url} ok={self.ok}>"

    @property
    def exchange(self) -> Exchange | None:
        return self.exchanges[-1] if self.exchanges else None

    @property
    def failed_asserts(self) -> list[AssertOutcome]:
        return [a for a in self.asserts if not a.ok]

    @property
    def ok(self) -> bool:
        return self.error is None and not self.failed_asserts


@dataclass(repr=False)
class FileResult:
    filename: str
    entries: list[EntryResult] = field(default_factory=list)
    parse_error: str | None = None
    time_ms: float = 0.0
    lines: tuple[str, ...] = ()
    warnings: list[str] = field(default_factory=list)  # "file:line:col: what was not done"

    def __repr__(self) -> str:
        return f"<FileResult {self.filename} exit={self.exit_code} entries={len(self.entries)}>"

    @property
    def requests(self) -> int:
        return sum(len(e.exchanges) for e in self.entries)

    @property
    def reused(self) -> int:
        return sum(
            1 for e in self.entries for x in e.exchanges if x.connection and x.connection.reused
        )

    @property
    def connections(self) -> int:
        return len(
            {x.connection.id for e in self.entries for x in e.exchanges if x.connection is not None}
        )

    @property
    def exit_code(self) -> int:
        if self.parse_error is not None:
            return EXIT_PARSE
        if any(e.error is not None for e in self.entries):
            return EXIT_RUNTIME
        if any(e.failed_asserts for e in self.entries):
            return EXIT_ASSERT
        return EXIT_OK

    @property
    def ok(self) -> bool:
        return self.exit_code == EXIT_OK

    @property
    def secrets(self) -> list[Any]:
        return [v for e in self.entries for v in e.redacted]

    @property
    def captures(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for e in self.entries:
            out.update(e.captures)
        return out


@dataclass(repr=False)
class RunResult:
    files: list[FileResult]
    time_ms: float = 0.0
    not_run: int = 0  # files --fail-fast left out after a failure

    def __repr__(self) -> str:
        return f"<RunResult files={len(self.files)} exit={self.exit_code}>"

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)

    @property
    def exit_code(self) -> int:
        """The worst file's code, as Hurl reports it: parse > runtime > assert."""
        codes = {f.exit_code for f in self.files}
        for code in (EXIT_PARSE, EXIT_RUNTIME, EXIT_ASSERT):
            if code in codes:
                return code
        return EXIT_OK

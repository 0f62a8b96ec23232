"""One fidelity run: generate every selected case, run it, judge what arrived.

A family's cases run as one batch the first time any of its tests asks for
an outcome (pytest-xdist's ``loadgroup`` keeps a family on one worker), so
a compiled family builds once and each test then only reads its outcome.
"""

from __future__ import annotations

import fcntl
import importlib
import itertools
import os
import time
import traceback
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from fidelity.compare import compare
from fidelity.fixtures import FILES, FIXTURES
from fidelity.harness import Case, NotExecuted, Result, Runner, Unavailable
from fidelity.runners import discover
from fidelity.server import RecordingEchoServer
from reqlab import codegen
from reqlab.codegen import Snippet, Style, Target
from reqlab.model import Request

GOLDEN_BASE = "http://127.0.0.1:8081"


@cache
def families() -> dict[str, str]:
    """target id -> family module name, in display order.

    ``REQLAB_FIDELITY_FAMILIES=python,shell`` limits the run to some families
    (and keeps a half-written family elsewhere from breaking it).
    """
    only = [f for f in os.environ.get("REQLAB_FIDELITY_FAMILIES", "").split(",") if f]
    found: dict[str, str] = {}
    for family in codegen._FAMILIES:
        if only and family not in only:
            continue
        try:
            module = importlib.import_module(f"reqlab.codegen.{family}")
        except ModuleNotFoundError as exc:
            if exc.name == f"reqlab.codegen.{family}":
                continue
            raise
        for target in module.TARGETS:
            found[target.id] = family
            _TARGETS[target.id] = target
    return found


_TARGETS: dict[str, Target] = {}


def render(
    request: Request,
    target: str,
    read_file: Callable[[str], bytes] | None = None,
    style: Style = "exact",
) -> Snippet:
    """Like :func:`reqlab.codegen.generate`, for the families in this run only."""
    families()
    return _TARGETS[target].generate(request, read_file, style)


def has_idiomatic(target: str) -> bool:
    """Whether ``target`` writes different code in the idiomatic style (else
    its idiomatic outcome is its exact one: the same code)."""
    families()
    return _TARGETS[target].idiomatic is not None


# A pair (target, fixture) is run once per style; the key of an outcome.
Key = tuple[str, str, str]


@dataclass(frozen=True)
class Outcome:
    target: str
    fixture: str
    status: str  # exact | warned | fail | xfail | not executed
    message: str = ""
    warnings: tuple[str, ...] = ()
    expected_failure: str | None = None
    # exact: judged by bytes; idiomatic: judged by meaning (compare.py)
    style: str = "exact"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class FidelitySession:
    def __init__(
        self, server: RecordingEchoServer, cache_dir: Path, work_root: Path, selected: Iterable
    ) -> None:
        self.server = server
        self.cache_dir = cache_dir
        self.work_root = work_root
        self.selected: dict[str, list[Key]] = defaultdict(list)
        for target, fixture, style in selected:
            self.selected[families()[target]].append((target, fixture, style))
        self.outcomes: dict[Key, Outcome] = {}
        self._prepared: dict[int, str | None] = {}
        self.timings: dict[str, float] = {}  # family -> seconds for its batch
        self._serial = itertools.count(1)

    def outcome(self, target: str, fixture: str, style: str = "exact") -> Outcome:
        key = (target, fixture, style)
        if key not in self.outcomes:
            self._run_family(families()[target], extra=key)
        return self.outcomes[key]

    # -- the batch
    def _run_family(self, family: str, extra: Key) -> None:
        started = time.perf_counter()
        # One family's build tree in the shared cache is used by one session
        # at a time (another test run on the machine waits here).
        with family_lock(self.cache_dir, family):
            self._batch(family, extra)
        self.timings[family] = time.perf_counter() - started

    def _batch(self, family: str, extra: Key) -> None:
        pairs = [p for p in self.selected.get(family, []) if p not in self.outcomes]
        if extra not in pairs:
            pairs.append(extra)
        runners = discover()
        batches: dict[int, tuple[Runner, list[tuple[Case, object, tuple[str, ...]]]]] = {}
        for target, fixture, style in pairs:
            key = (target, fixture, style)
            runner = runners.get(target)
            if runner is None:
                self._set(key, "not executed", "no runner for this target")
                continue
            reason = self._prepare(runner)
            if reason is not None:
                crashed = reason.startswith("prepare crashed")
                self._set(key, "fail" if crashed else "not executed", reason)
                continue
            made = self._make_case(key, runner)
            if made is None:
                continue
            batches.setdefault(id(runner), (runner, []))[1].append(made)
        for runner, items in batches.values():
            cases = [case for case, _, _ in items]
            try:
                results = runner.run(cases)
            except Exception:  # a broken runner fails its cases, not the session
                tb = traceback.format_exc()
                results = {c.id: Result(-1, "", f"runner crashed:\n{tb}") for c in cases}
            for case, model, warnings in items:
                self._judge(runner, case, model, warnings, results.get(case.id))

    def _prepare(self, runner: Runner) -> str | None:
        key = id(runner)
        if key not in self._prepared:
            try:
                runner.prepare(self.cache_dir)
                self._prepared[key] = None
            except Unavailable as exc:
                self._prepared[key] = str(exc) or type(runner).__name__
            except Exception as exc:  # a broken build fails its cases, not the session
                tail = "".join(traceback.format_exception(exc)[-3:])
                self._prepared[key] = f"prepare crashed: {tail}"
        return self._prepared[key]

    def _make_case(self, key: Key, runner: Runner) -> tuple[Case, object, tuple[str, ...]] | None:
        target, fixture, style = key
        serial = next(self._serial)
        model = FIXTURES[fixture].build(self.server.base_url(serial))
        name = f"{serial:04d}-{target}-{fixture}-{style}"
        workdir = self.work_root / families()[target] / name
        workdir.mkdir(parents=True)
        for name, data in FILES.items():
            (workdir / name).write_bytes(data)
        try:
            # The format targets read a body file as `reqlab gen` does.
            snippet = render(
                model,
                target,
                read_file=lambda p: (workdir / p).read_bytes(),
                style=style,  # type: ignore[arg-type]
            )
        except Exception as exc:
            xfail = runner.expected_failure(target, fixture)
            where = "".join(traceback.format_exception(exc)[-3:])
            self._set(
                key,
                "xfail" if xfail else "fail",
                f"generation raised: {where}",
                xfail=xfail,
            )
            return None
        filename = _TARGETS[target].filename
        # surrogateescape: a raw message may carry body bytes that are not UTF-8.
        (workdir / filename).write_bytes(snippet.code.encode("utf-8", "surrogateescape"))
        case = Case(
            f"{target}:{fixture}:{style}",
            target,
            fixture,
            snippet.code,
            workdir,
            filename,
            serial,
            style,
        )
        return case, model, tuple(snippet.warnings)

    def _judge(
        self,
        runner: Runner,
        case: Case,
        model: object,
        warnings: tuple[str, ...],
        result: Result | None,
    ) -> None:
        records = self.server.recorder.take(str(case.serial))
        xfail = runner.expected_failure(case.target, case.fixture)
        where = f"(snippet: {case.path})"
        if result is None:
            status, message = "fail", f"the runner returned no result for {case.id} {where}"
        elif not records:
            status = "fail"
            message = f"no request arrived; exit {result.returncode} {where}\n{result.tail()}"
        elif len(records) > 1:
            status, message = "fail", f"{len(records)} requests arrived, expected one {where}"
        else:
            verdict = compare(
                model,  # type: ignore[arg-type]
                records[0],
                read_file=lambda p: (case.workdir / p).read_bytes(),
                warnings=warnings,
                allowed_extra=runner.extra_headers(case.target),
                semantic=case.style == "idiomatic",
            )
            status, message = verdict.status, verdict.explain()
            if status == "fail":
                head = (records[0].raw_head or b"").decode("latin-1")
                message += f"\n{where}\nrequest head as received:\n{head}"
            if result.returncode != 0 and status != "fail":
                status = "fail"
                message = (
                    f"the request arrived but the snippet exited {result.returncode} {where}\n"
                )
                message += result.tail()
        if status == "fail" and xfail:
            status = "xfail"
        key = (case.target, case.fixture, case.style)
        self._set(key, status, message, warnings, xfail)

    def _set(
        self,
        key: Key,
        status: str,
        message: str,
        warnings: tuple[str, ...] = (),
        xfail: str | None = None,
    ) -> None:
        # Reports and the matrix are UTF-8: show undecodable bytes as escapes.
        message = message.encode("utf-8", "backslashreplace").decode()
        warnings = tuple(w.encode("utf-8", "backslashreplace").decode() for w in warnings)
        target, fixture, style = key
        self.outcomes[key] = Outcome(target, fixture, status, message, warnings, xfail, style)


@contextmanager
def family_lock(cache_dir: Path, family: str) -> Iterator[None]:
    """An exclusive lock on ``cache_dir/<family>.lock`` for the block."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    with open(cache_dir / f"{family}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def golden_runner(target: str) -> NotExecuted | None:
    runner = discover().get(target)
    return runner if isinstance(runner, NotExecuted) else None

"""A pytest plugin: ``pytest --reqlab tests/api/`` collects each Hurl file
(and each ``.http``/``.rest`` file) as a test item and runs it with reqlab
(entry point ``pytest11``).

    pytest --reqlab api/ --reqlab-variable host=127.0.0.1:8081 --reqlab-env dev

A failing item shows what ``reqlab run`` prints: the assert, expected and
actual values, file:line:col and an excerpt of the exchange.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reqlab.runner._sources import READERS


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("reqlab")
    group.addoption(
        "--reqlab",
        action="append",
        default=[],
        metavar="PATH",
        help="Collect Hurl files under PATH as tests run by reqlab.",
    )
    group.addoption(
        "--reqlab-variable",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="A variable for the Hurl files.",
    )
    group.addoption(
        "--reqlab-env",
        default=None,
        metavar="NAME",
        help=".http files: the environment from http-client.env.json.",
    )


def pytest_configure(config: pytest.Config) -> None:
    paths = config.getoption("reqlab")
    if paths:
        config.args.extend(p for p in paths if p not in config.args)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    roots = [Path(p).resolve() for p in parent.config.getoption("reqlab")]
    if file_path.suffix not in READERS or not roots:
        return None
    resolved = file_path.resolve()
    if any(resolved == r or r in resolved.parents for r in roots):
        return HurlFile.from_parent(parent, path=file_path)
    return None


class HurlFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        yield HurlItem.from_parent(self, name=self.path.name)


class HurlFailure(Exception):
    pass


class HurlItem(pytest.Item):
    def runtest(self) -> None:
        from reqlab.runner import _terminal
        from reqlab.runner._api import run
        from reqlab.runner._values import from_text

        variables: dict[str, Any] = {}
        for pair in self.config.getoption("reqlab_variable"):
            key, _, value = pair.partition("=")
            variables[key] = from_text(value)
        result = run(str(self.path), variables=variables, env=self.config.getoption("reqlab_env"))
        f = result.files[0]
        if not f.ok:
            raise HurlFailure("\n".join([_terminal.file_line(f), *_terminal.failures(f)]))

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        if isinstance(excinfo.value, HurlFailure):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"hurl: {self.path.name}"

"""reqlab's pytest11 entry point: ``pytest --reqlab PATH`` (the plugin is
:mod:`reqlab.runner.pytest_plugin`).

A separate top-level module so that pytest starts even where the ``reqlab``
on the path is a checkout without the runner (the entry point is in the
installed metadata; the package may come from elsewhere, as with
``PYTHONPATH=other/src``): then there is simply no ``--reqlab`` option.
"""

from __future__ import annotations

try:
    from reqlab.runner.pytest_plugin import (  # noqa: F401 (hooks pytest looks up here)
        HurlFile,
        HurlItem,
        pytest_addoption,
        pytest_collect_file,
        pytest_configure,
    )
except ModuleNotFoundError as exc:
    if exc.name not in ("reqlab.runner", "reqlab.runner.pytest_plugin"):
        raise

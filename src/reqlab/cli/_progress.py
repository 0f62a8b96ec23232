"""A progress bar on stderr for long-running commands (probe, bench)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn


@contextlib.contextmanager
def progress_bar(console: Console, enabled: bool) -> Iterator[Callable[[str, float], None]]:
    """Yields ``update(what, fraction)``; fraction 0 means "same as before"."""
    if not enabled or not console.is_terminal:
        yield lambda _what, _fraction: None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("starting", total=1.0)

        def update(what: str, fraction: float) -> None:
            if fraction:
                bar.update(task, description=what, completed=fraction)
            else:
                bar.update(task, description=what)

        yield update

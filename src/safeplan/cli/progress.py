"""A progress bar for long reads, on a terminal only.

The core reports how far it has come through a callback it is given
(``repo.parallel.Progress``) and never prints; this module decides whether a person is
watching and, if so, draws a rich bar on stderr once the work has taken about a second
(a warm cache answers before that, and then nothing is drawn). Never in a pipe or a
file, never under CI (the ``CI`` variable that CI services set), never for machine
output (``--json``, ``validate --format json``): those read the output, not a screen.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, TextIO

#: Work shorter than this shows no bar (seconds).
DELAY = 1.0


def wanted(stream: TextIO, environ: Mapping[str, str], machine_output: bool) -> bool:
    """Whether a person watches ``stream`` (stderr): a terminal, not CI, not machine output."""
    if machine_output:
        return False
    if environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        return False
    return _isatty(stream)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (OSError, ValueError, AttributeError):
        return False


class ProgressBar:
    """A callback for the core (``bar(done, total)``) that draws a bar after ``delay``.

    Used as a context manager so that the bar is taken off the screen whatever happens
    (an error's message then starts on a clean line)."""

    def __init__(
        self,
        stream: TextIO,
        label: str,
        clock: Callable[[], float] = time.monotonic,
        delay: float | None = None,
        enabled: bool = True,
    ) -> None:
        #: False: a callback that draws nothing (no one is watching).
        self.enabled = enabled
        self.stream = stream
        self.label = label
        self.clock = clock
        self.delay = DELAY if delay is None else delay
        self.started = clock()
        self.bar: Any = None
        self.task: Any = None
        #: Whether a bar was drawn (tests; and so that it is drawn at most once).
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if not self.enabled or self.shown or done >= total:
                return
            if self.clock() - self.started < self.delay:
                return
            self._start(total)
        self.bar.update(self.task, completed=done, total=total)

    def _start(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        console = Console(file=self.stream, stderr=True)
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        self.task = self.bar.add_task(self.label, total=total)
        self.bar.start()
        self.shown = True

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

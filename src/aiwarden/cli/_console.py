"""Terminal decisions: colour, progress, where human messages go (stderr)."""

from __future__ import annotations

import os
import sys
import time
from typing import IO, TYPE_CHECKING, Literal

if TYPE_CHECKING:  # rich is imported only when a progress bar is shown
    from rich.console import Console
    from rich.progress import Progress, TaskID

    from aiwarden.engine.worker import FileResult

ColorChoice = Literal["auto", "always", "never"]


def wants_color(choice: ColorChoice, stream: IO[str]) -> bool:
    """Colour for ``stream``: always, never, or auto (a TTY, NO_COLOR unset, TERM not dumb)."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return stream.isatty()


def stderr_console() -> Console:
    """A rich console on stderr (honours NO_COLOR itself)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False)


class ProgressObserver:
    """Shows a transient progress bar on stderr once a scan has run for ``delay_s``."""

    def __init__(self, delay_s: float = 0.75) -> None:
        self._delay_s = delay_s
        self._total = 0
        self._done = 0
        self._t0 = time.monotonic()
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    @staticmethod
    def enabled(disabled_by_flag: bool) -> bool:
        """Progress only on an interactive stderr, never in CI or when switched off."""
        return not disabled_by_flag and sys.stderr.isatty() and not os.environ.get("CI")

    def started(self, total_files: int) -> None:
        """Record the number of files to analyse."""
        self._total = total_files
        self._t0 = time.monotonic()

    def file_done(self, result: FileResult) -> None:
        """Advance, starting the bar once the delay has passed."""
        self._done += 1
        if self._progress is None and time.monotonic() - self._t0 >= self._delay_s:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self._progress = Progress(
                TextColumn("scanning"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=stderr_console(),
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("scan", total=self._total)
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, completed=self._done)

    def close(self) -> None:
        """Remove the bar."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

"""Options shared by the commands that run a scan (``scan``, ``baseline create``)."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import click

from aiwarden.core.severity import Severity
from aiwarden.engine.config import load_settings
from aiwarden.engine.scan import ScanOptions

SEVERITY_NAMES = [s.value for s in reversed(Severity)]


_OPTIONS = [
    click.option(
        "--config",
        "config_path",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Config file (default: [tool.aiwarden] in pyproject.toml or .aiwarden.toml, "
        "found by walking up from the first path).",
    ),
    click.option(
        "--select", multiple=True, help="Rule ids or prefixes to report (comma-separated)."
    ),
    click.option("--ignore", multiple=True, help="Rule ids or prefixes to leave out."),
    click.option("--exclude", multiple=True, help="Gitignore-style patterns to skip."),
    click.option(
        "--no-gitignore", is_flag=True, default=None, help="Scan files .gitignore ignores."
    ),
    click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=1),
        help="Most worker processes (default: cores); small scans run in-process.",
    ),
    click.option(
        "--timeout",
        type=click.FloatRange(min=0, min_open=True),
        help="Per-file time budget in seconds (default 60).",
    ),
    click.option("--no-plugins", is_flag=True, help="Run only aiwarden's built-in analyzers."),
]


def _split(values: tuple[str, ...]) -> tuple[str, ...] | None:
    items = tuple(item.strip() for value in values for item in value.split(",") if item.strip())
    return items or None


class ScanInputs(NamedTuple):
    """The scan-selection options as given on the command line.

    A named tuple rather than a dataclass: a dataclass's creation would cost every
    start-up about half a millisecond.
    """

    paths: tuple[Path, ...]
    config_path: Path | None
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    exclude: tuple[str, ...]
    no_gitignore: bool | None
    jobs: int | None
    timeout: float | None
    no_plugins: bool

    def scan_options(
        self, *, fail_on: str | None = None, baseline: Path | None = None
    ) -> ScanOptions:
        """Targets (default ``.``) and settings merged as CLI > environment > file > defaults."""
        targets = self.paths or (Path(),)
        overrides: dict[str, object] = {
            "select": _split(self.select),
            "ignore": _split(self.ignore),
            "exclude": _split(self.exclude),
            "respect_gitignore": False if self.no_gitignore else None,
            "jobs": self.jobs,
            "timeout_s": self.timeout,
            "fail_on": fail_on,
        }
        settings = load_settings(
            list(targets), config_path=self.config_path, env=os.environ, overrides=overrides
        )
        return ScanOptions(
            targets=targets, settings=settings, baseline=baseline, builtin_only=self.no_plugins
        )


def scan_options(func: Callable[..., int]) -> Callable[..., int]:
    """Add the paths and the scan-selection options; the command receives one ``ScanInputs``."""
    return _with_options(func, "[PATHS]...")


def project_options(func: Callable[..., int]) -> Callable[..., int]:
    """:func:`scan_options` for a command that takes one project directory (its help
    says ``[PATH]``; the command refuses a second path)."""
    return _with_options(func, "[PATH]")


def _with_options(func: Callable[..., int], metavar: str) -> Callable[..., int]:
    @functools.wraps(func)
    def command(**kwargs: Any) -> int:
        inputs = ScanInputs(**{name: kwargs.pop(name) for name in ScanInputs._fields})
        return func(inputs, **kwargs)

    paths = click.argument(
        "paths", nargs=-1, type=click.Path(path_type=Path, exists=False), metavar=metavar
    )
    decorated: Callable[..., int] = command
    for option in reversed([paths, *_OPTIONS]):
        decorated = option(decorated)
    return decorated

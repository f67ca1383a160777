"""Options shared by the commands that run a scan (``scan``, ``baseline create``, ``assess``)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import NamedTuple

from aiwarden.cli._parser import Parser
from aiwarden.cli._types import any_path, file_path, float_range, int_at_least
from aiwarden.core.severity import Severity
from aiwarden.engine.config import load_settings
from aiwarden.engine.scan import ScanOptions

SEVERITY_NAMES = [s.value for s in reversed(Severity)]


def add_scan_options(parser: Parser, paths_metavar: str) -> None:
    """Add the paths and the scan-selection options (``scan``, ``baseline create``, ``assess``).

    ``paths_metavar`` is ``PATHS`` or, for a command that takes one project directory
    (and refuses a second), ``PATH``.
    """
    parser.add_argument(
        "paths", nargs="*", type=any_path, metavar=paths_metavar, help=argparse.SUPPRESS
    )
    parser.add_argument(
        "--config",
        dest="config_path",
        type=file_path,
        metavar="FILE",
        help="Config file (default: [tool.aiwarden] in pyproject.toml or .aiwarden.toml, "
        "found by walking up from the first path).",
    )
    parser.add_argument(
        "--select",
        action="append",
        metavar="TEXT",
        help="Rule ids or prefixes to report (comma-separated).",
    )
    parser.add_argument(
        "--ignore", action="append", metavar="TEXT", help="Rule ids or prefixes to leave out."
    )
    parser.add_argument(
        "--exclude", action="append", metavar="TEXT", help="Gitignore-style patterns to skip."
    )
    parser.add_argument(
        "--no-gitignore", action="store_true", default=None, help="Scan files .gitignore ignores."
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=int_at_least(1),
        metavar="INTEGER",
        help="Most worker processes (default: cores); small scans run in-process. [x>=1]",
    )
    parser.add_argument(
        "--timeout",
        type=float_range(0, low_open=True),
        metavar="FLOAT",
        help="Per-file time budget in seconds (default 60). [x>0]",
    )
    parser.add_argument(
        "--no-plugins", action="store_true", help="Run only aiwarden's built-in analyzers."
    )


def add_display_options(parser: Parser) -> None:
    """``--color`` and ``--no-progress``, for the commands that scan and print a report."""
    parser.add_argument(
        "--color",
        choices=["auto", "always", "never"],
        default="auto",
        help="Colour in text output. [default: %(default)s]",
    )
    parser.add_argument("--no-progress", action="store_true", help="No progress bar on stderr.")


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


def scan_inputs(args: argparse.Namespace) -> ScanInputs:
    """The options :func:`add_scan_options` added, as parsed (a repeated option appends)."""
    return ScanInputs(
        paths=tuple(args.paths),
        config_path=args.config_path,
        select=tuple(args.select or ()),
        ignore=tuple(args.ignore or ()),
        exclude=tuple(args.exclude or ()),
        no_gitignore=args.no_gitignore,
        jobs=args.jobs,
        timeout=args.timeout,
        no_plugins=args.no_plugins,
    )

"""Options shared by the commands that run a scan (``scan``, ``baseline create``)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from aiwarden.core.severity import Severity
from aiwarden.engine.config import Settings, load_settings

F = TypeVar("F", bound=Callable[..., Any])

SEVERITY_NAMES = [s.value for s in reversed(Severity)]


def _split(values: tuple[str, ...]) -> tuple[str, ...] | None:
    items = tuple(item.strip() for value in values for item in value.split(",") if item.strip())
    return items or None


def scan_options(func: F) -> F:
    """Decorate a command with the options that select what and how to scan."""
    options = [
        click.argument(
            "paths", nargs=-1, type=click.Path(path_type=Path, exists=False), metavar="[PATHS]..."
        ),
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
            "-j", "--jobs", type=click.IntRange(min=1), help="Worker processes (default: cores)."
        ),
        click.option(
            "--timeout",
            type=click.FloatRange(min=0, min_open=True),
            help="Per-file time budget in seconds (default 60).",
        ),
        click.option("--no-plugins", is_flag=True, help="Run only aiwarden's built-in analyzers."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def settings_from_cli(
    paths: tuple[Path, ...],
    *,
    config_path: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    exclude: tuple[str, ...],
    no_gitignore: bool | None,
    jobs: int | None,
    timeout: float | None,
    fail_on: str | None = None,
) -> tuple[tuple[Path, ...], Settings]:
    """The targets (default ``.``) and the merged settings (CLI > env > file > defaults)."""
    targets = paths or (Path(),)
    overrides: dict[str, object] = {
        "select": _split(select),
        "ignore": _split(ignore),
        "exclude": _split(exclude),
        "respect_gitignore": False if no_gitignore else None,
        "jobs": jobs,
        "timeout_s": timeout,
        "fail_on": fail_on,
    }
    return targets, load_settings(
        list(targets), config_path=config_path, env=os.environ, overrides=overrides
    )

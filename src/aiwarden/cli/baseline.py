"""``aiwarden baseline``: record today's findings so CI fails only on new ones."""

from __future__ import annotations

from pathlib import Path

import click

from aiwarden.cli._options import scan_options, settings_from_cli
from aiwarden.cli.scan import execute_scan
from aiwarden.core.exit_codes import EXIT_CLEAN, EXIT_ERROR
from aiwarden.engine.baseline import write_baseline
from aiwarden.engine.scan import ScanOptions
from aiwarden.errors import UsageError

DEFAULT_BASELINE = Path(".aiwarden-baseline.json")


@click.group("baseline")
def baseline_group() -> None:
    """Create baselines of existing findings (use with `scan --baseline FILE`)."""


@baseline_group.command("create")
@scan_options
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=DEFAULT_BASELINE,
    show_default=True,
    help="Where to write the baseline.",
)
def create_command(
    paths: tuple[Path, ...],
    config_path: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    exclude: tuple[str, ...],
    no_gitignore: bool | None,
    jobs: int | None,
    timeout: float | None,
    no_plugins: bool,
    output: Path,
) -> int:
    """Scan PATHS (default: .) and write every unsuppressed finding to a baseline file."""
    targets, settings = settings_from_cli(
        paths,
        config_path=config_path,
        select=select,
        ignore=ignore,
        exclude=exclude,
        no_gitignore=no_gitignore,
        jobs=jobs,
        timeout=timeout,
    )
    options = ScanOptions(targets=targets, settings=settings, builtin_only=no_plugins)
    report = execute_scan(options, no_progress=False)
    try:
        count = write_baseline(report, output)
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from exc
    click.echo(f"aiwarden: wrote {count} finding(s) to {output}", err=True)
    if not report.complete:
        click.echo(
            f"aiwarden: error: the scan was incomplete ({len(report.failed)} file(s) failed); "
            "the baseline does not cover them",
            err=True,
        )
        return EXIT_ERROR
    return EXIT_CLEAN

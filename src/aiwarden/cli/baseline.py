"""``aiwarden baseline``: record today's findings so CI fails only on new ones."""

from __future__ import annotations

from pathlib import Path

import click

from aiwarden.cli._options import ScanInputs, scan_options
from aiwarden.cli.scan import execute_scan
from aiwarden.core.exit_codes import EXIT_CLEAN, EXIT_ERROR
from aiwarden.engine.baseline import write_baseline
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
def create_command(inputs: ScanInputs, output: Path) -> int:
    """Scan PATHS (default: .) and write every unsuppressed finding to a baseline file."""
    options = inputs.scan_options()
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

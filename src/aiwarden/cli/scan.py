"""``aiwarden scan``: find defects and report them for people and for CI."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from aiwarden.cli._console import ColorChoice, ProgressObserver, wants_color
from aiwarden.cli._options import SEVERITY_NAMES, ScanInputs, scan_options
from aiwarden.core.report import ScanReport
from aiwarden.engine.scan import ScanOptions, run_scan
from aiwarden.errors import UsageError
from aiwarden.outputs import OutputFormat, get_renderer


def execute_scan(options: ScanOptions, *, no_progress: bool) -> ScanReport:
    """Run a scan with a progress bar on stderr when that makes sense."""
    observer = ProgressObserver() if ProgressObserver.enabled(no_progress) else None
    try:
        return run_scan(options, observer=observer)
    finally:
        if observer is not None:
            observer.close()


def write_output(text: str, output: Path | None) -> None:
    """Write the rendered report to ``output`` or stdout; a bad path is a usage error."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()
        return
    try:
        output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from exc


def summary_line(report: ScanReport) -> str:
    """One line for stderr when the report itself went to a file or is machine-readable."""
    counts = report.severity_counts()
    parts = ", ".join(f"{n} {sev.value}" for sev, n in reversed(counts.items()) if n)
    state = "INCOMPLETE scan" if not report.complete else "scan complete"
    found = f"{sum(counts.values())} finding(s)" + (f" ({parts})" if parts else "")
    return (
        f"aiwarden: {state}: {found}; {len(report.blocking())} at or above {report.fail_on.value}"
    )


def _terminal_width() -> int:
    import shutil  # only for a report printed on a terminal

    return shutil.get_terminal_size().columns


@click.command("scan")
@scan_options
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice([f.value for f in OutputFormat]),
    default=OutputFormat.TEXT.value,
    show_default=True,
    help="Report format.",
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write the report here."
)
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITY_NAMES, case_sensitive=False),
    help="Exit 1 when a finding is at or above this severity (default high).",
)
@click.option("--baseline", type=click.Path(path_type=Path), help="Report only findings not in it.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even with findings (errors still exit 2).")
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour in text output.",
)
@click.option("--no-progress", is_flag=True, help="No progress bar on stderr.")
def scan_command(
    inputs: ScanInputs,
    fmt: str,
    output: Path | None,
    fail_on: str | None,
    baseline: Path | None,
    exit_zero: bool,
    color: ColorChoice,
    no_progress: bool,
) -> int:
    """Scan PATHS (default: .) for security defects in an AI project.

    Model files are recognised by content and never loaded. Every finding maps to the
    guidelines; see `aiwarden rules` and `aiwarden guidelines`.
    """
    options = inputs.scan_options(fail_on=fail_on, baseline=baseline)
    report = execute_scan(options, no_progress=no_progress)
    use_color = output is None and wants_color(color, sys.stdout)
    width = _terminal_width() if output is None and sys.stdout.isatty() else 100
    renderer = get_renderer(OutputFormat(fmt), color=use_color, width=width)
    write_output(renderer.render(report), output)
    if output is not None or fmt != OutputFormat.TEXT.value:
        click.echo(summary_line(report), err=True)
    return report.exit_code(exit_zero=exit_zero)

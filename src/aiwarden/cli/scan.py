"""``aiwarden scan``: find defects and report them for people and for CI."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from aiwarden.cli._console import ProgressObserver, wants_color
from aiwarden.cli._options import SEVERITY_NAMES, add_display_options, add_scan_options, scan_inputs
from aiwarden.cli._parser import Leaf, Parser
from aiwarden.cli._types import any_path, choice_ignoring_case, choices_metavar, file_path
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


def _arguments(parser: Parser) -> None:
    add_scan_options(parser, "PATHS")
    parser.add_argument(
        "-f",
        "--format",
        dest="fmt",
        choices=[f.value for f in OutputFormat],
        default=OutputFormat.TEXT.value,
        help="Report format. [default: %(default)s]",
    )
    parser.add_argument(
        "-o", "--output", type=file_path, metavar="FILE", help="Write the report here."
    )
    parser.add_argument(
        "--fail-on",
        type=choice_ignoring_case(SEVERITY_NAMES),
        metavar=choices_metavar(SEVERITY_NAMES),
        help="Exit 1 when a finding is at or above this severity (default high).",
    )
    parser.add_argument(
        "--baseline", type=any_path, metavar="PATH", help="Report only findings not in it."
    )
    parser.add_argument(
        "--exit-zero",
        action="store_true",
        help="Exit 0 even with findings (errors still exit 2).",
    )
    add_display_options(parser)


def scan_command(args: argparse.Namespace) -> int:
    """Scan PATHS (default: .) for security defects in an AI project.

    Model files are recognised by content and never loaded. Every finding maps to the
    guidelines; see `aiwarden rules` and `aiwarden guidelines`.
    """
    fmt: str = args.fmt
    output: Path | None = args.output
    options = scan_inputs(args).scan_options(fail_on=args.fail_on, baseline=args.baseline)
    report = execute_scan(options, no_progress=args.no_progress)
    use_color = output is None and wants_color(args.color, sys.stdout)
    width = _terminal_width() if output is None and sys.stdout.isatty() else 100
    renderer = get_renderer(OutputFormat(fmt), color=use_color, width=width)
    write_output(renderer.render(report), output)
    if output is not None or fmt != OutputFormat.TEXT.value:
        print(summary_line(report), file=sys.stderr)
    return report.exit_code(exit_zero=args.exit_zero)


COMMAND = Leaf(scan_command, _arguments, "[OPTIONS] [PATHS]...")

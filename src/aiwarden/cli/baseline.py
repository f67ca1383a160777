"""``aiwarden baseline``: record today's findings so CI fails only on new ones."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from aiwarden.cli._options import add_scan_options, scan_inputs
from aiwarden.cli._parser import Group, Leaf, Parser
from aiwarden.cli._types import file_path
from aiwarden.cli.scan import execute_scan
from aiwarden.core.exit_codes import EXIT_CLEAN, EXIT_ERROR
from aiwarden.engine.baseline import write_baseline
from aiwarden.errors import UsageError

DEFAULT_BASELINE = Path(".aiwarden-baseline.json")


def _create_arguments(parser: Parser) -> None:
    add_scan_options(parser, "PATHS")
    parser.add_argument(
        "-o",
        "--output",
        type=file_path,
        default=str(DEFAULT_BASELINE),
        metavar="FILE",
        help="Where to write the baseline. [default: %(default)s]",
    )


def create_command(args: argparse.Namespace) -> int:
    """Scan PATHS (default: .) and write every unsuppressed finding to a baseline file."""
    output: Path = args.output
    options = scan_inputs(args).scan_options()
    report = execute_scan(options, no_progress=False)
    try:
        count = write_baseline(report, output)
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from exc
    print(f"aiwarden: wrote {count} finding(s) to {output}", file=sys.stderr)
    if not report.complete:
        print(
            f"aiwarden: error: the scan was incomplete ({len(report.failed)} file(s) failed); "
            "the baseline does not cover them",
            file=sys.stderr,
        )
        return EXIT_ERROR
    return EXIT_CLEAN


COMMAND = Group(
    "Create baselines of existing findings (use with `scan --baseline FILE`).",
    {"create": Leaf(create_command, _create_arguments, "[OPTIONS] [PATHS]...")},
)

"""``aiwarden assess``: the guideline scorecard of a project."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from aiwarden.assess.model import Scorecard
from aiwarden.assess.run import AssessOptions, run_assessment
from aiwarden.cli._console import ProgressObserver, wants_color
from aiwarden.cli._options import add_display_options, add_scan_options, scan_inputs
from aiwarden.cli._parser import Leaf, Parser
from aiwarden.cli._types import file_path, float_range
from aiwarden.cli.scan import write_output
from aiwarden.core.exit_codes import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS
from aiwarden.errors import UsageError
from aiwarden.outputs.assessment.interface import AssessmentFormat, get_assessment_renderer
from aiwarden.outputs.assessment.text import percent


def _link_base(scorecard: Scorecard, output: Path | None) -> str:
    """How the HTML report at ``output`` reaches the project's files (relative link)."""
    if output is None or not scorecard.root:
        return ""
    relative = os.path.relpath(scorecard.root, output.absolute().parent)
    return "" if relative == "." else Path(relative).as_posix() + "/"


def _exit_code(scorecard: Scorecard, fail_under: float | None) -> int:
    if not scorecard.scan.complete:
        return EXIT_ERROR
    score = scorecard.score
    if fail_under is not None and (score is None or score * 100 < fail_under):
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _arguments(parser: Parser) -> None:
    add_scan_options(parser, "PATH")
    parser.add_argument(
        "-f",
        "--format",
        dest="fmt",
        choices=[f.value for f in AssessmentFormat],
        default=AssessmentFormat.TEXT.value,
        help="Scorecard format (html: one self-contained file). [default: %(default)s]",
    )
    parser.add_argument("-o", "--output", type=file_path, metavar="FILE", help="Write it here.")
    parser.add_argument(
        "--attestations",
        type=file_path,
        metavar="FILE",
        help="Attestations file (default: aiwarden-attestations.yaml in PATH).",
    )
    parser.add_argument(
        "--history",
        type=file_path,
        metavar="FILE",
        help="SQLite file: show changes since earlier runs and record this one.",
    )
    parser.add_argument(
        "--fail-under",
        type=float_range(0, 100),
        metavar="FLOAT",
        help="Exit 1 when the overall score (percent) is below this. [0<=x<=100]",
    )
    parser.add_argument("--detail", action="store_true", help="Text format: list every behaviour.")
    add_display_options(parser)


def assess_command(args: argparse.Namespace) -> int:
    """Score the project at PATH (default: .) against the 17 guidelines.

    Runs every analyzer, adds evidence of what the project has (policies, locks, hashes,
    CI checks) and what people attest, and reports each guideline and behaviour as met,
    partly met, not met, needs attestation or not applicable, with the next steps that
    move the most guidelines. Exit codes: 0 done; 1 score below --fail-under; 2 error or
    incomplete scan (the report is still written).
    """
    inputs = scan_inputs(args)
    fmt: str = args.fmt
    output: Path | None = args.output
    if len(inputs.paths) > 1:
        raise UsageError("assess takes one project directory")
    scan = inputs.scan_options()
    target = scan.targets[0]
    if not target.exists():
        raise UsageError(f"{target}: no such file or directory")
    options = AssessOptions(
        target=target,
        settings=scan.settings,
        attestations=args.attestations,
        history=args.history,
        builtin_only=scan.builtin_only,
    )
    observer = ProgressObserver() if ProgressObserver.enabled(args.no_progress) else None
    try:
        scorecard = run_assessment(options, observer=observer)
    finally:
        if observer is not None:
            observer.close()
    use_color = output is None and wants_color(args.color, sys.stdout)
    width = shutil.get_terminal_size().columns if output is None and sys.stdout.isatty() else 100
    renderer = get_assessment_renderer(
        AssessmentFormat(fmt),
        color=use_color,
        width=width,
        detail=args.detail,
        link_base=_link_base(scorecard, output),
    )
    write_output(renderer.render(scorecard), output)
    if output is not None or fmt != AssessmentFormat.TEXT.value:
        counts = scorecard.status_counts()
        tally = ", ".join(f"{n} {s.value}" for s, n in counts.items() if n)
        where = f"; report written to {output}" if output else ""
        print(f"aiwarden: score {percent(scorecard.score)} ({tally}){where}", file=sys.stderr)
    return _exit_code(scorecard, args.fail_under)


COMMAND = Leaf(assess_command, _arguments, "[OPTIONS] [PATH]")

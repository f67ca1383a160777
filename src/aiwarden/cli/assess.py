"""``aiwarden assess``: the guideline scorecard of a project."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import click

from aiwarden.assess.model import Scorecard
from aiwarden.assess.run import AssessOptions, run_assessment
from aiwarden.cli._console import ColorChoice, ProgressObserver, wants_color
from aiwarden.cli._options import ScanInputs, project_options
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


@click.command("assess")
@project_options
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice([f.value for f in AssessmentFormat]),
    default=AssessmentFormat.TEXT.value,
    show_default=True,
    help="Scorecard format (html: one self-contained file).",
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write it here."
)
@click.option(
    "--attestations",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Attestations file (default: aiwarden-attestations.yaml in PATH).",
)
@click.option(
    "--history",
    type=click.Path(path_type=Path, dir_okay=False),
    help="SQLite file: show changes since earlier runs and record this one.",
)
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 100),
    help="Exit 1 when the overall score (percent) is below this.",
)
@click.option("--detail", is_flag=True, help="Text format: list every behaviour.")
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour in text output.",
)
@click.option("--no-progress", is_flag=True, help="No progress bar on stderr.")
def assess_command(
    inputs: ScanInputs,
    fmt: str,
    output: Path | None,
    attestations: Path | None,
    history: Path | None,
    fail_under: float | None,
    detail: bool,
    color: ColorChoice,
    no_progress: bool,
) -> int:
    """Score the project at PATH (default: .) against the 17 guidelines.

    Runs every analyzer, adds evidence of what the project has (policies, locks, hashes,
    CI checks) and what people attest, and reports each guideline and behaviour as met,
    partly met, not met, needs attestation or not applicable, with the next steps that
    move the most guidelines. Exit codes: 0 done; 1 score below --fail-under; 2 error or
    incomplete scan (the report is still written).
    """
    if len(inputs.paths) > 1:
        raise UsageError("assess takes one project directory")
    scan = inputs.scan_options()
    target = scan.targets[0]
    if not target.exists():
        raise UsageError(f"{target}: no such file or directory")
    options = AssessOptions(
        target=target,
        settings=scan.settings,
        attestations=attestations,
        history=history,
        builtin_only=scan.builtin_only,
    )
    observer = ProgressObserver() if ProgressObserver.enabled(no_progress) else None
    try:
        scorecard = run_assessment(options, observer=observer)
    finally:
        if observer is not None:
            observer.close()
    use_color = output is None and wants_color(color, sys.stdout)
    width = shutil.get_terminal_size().columns if output is None and sys.stdout.isatty() else 100
    renderer = get_assessment_renderer(
        AssessmentFormat(fmt),
        color=use_color,
        width=width,
        detail=detail,
        link_base=_link_base(scorecard, output),
    )
    write_output(renderer.render(scorecard), output)
    if output is not None or fmt != AssessmentFormat.TEXT.value:
        counts = scorecard.status_counts()
        tally = ", ".join(f"{n} {s.value}" for s, n in counts.items() if n)
        where = f"; report written to {output}" if output else ""
        click.echo(f"aiwarden: score {percent(scorecard.score)} ({tally}){where}", err=True)
    return _exit_code(scorecard, fail_under)

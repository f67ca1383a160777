"""``aiwarden guidelines``: the NCSC/CISA guideline catalogue and the rules behind each."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from aiwarden.assess.behaviours import SPECS
from aiwarden.assess.evidence import EvidenceCheck, load_checks
from aiwarden.cli._parser import Leaf, Parser
from aiwarden.cli.rules import all_rules
from aiwarden.core.catalogue import Guideline, load_catalogue
from aiwarden.core.rule import Rule
from aiwarden.errors import UsageError
from aiwarden.outputs.catalogue import guidelines_json

if TYPE_CHECKING:  # rich is imported only for the text format
    from rich.console import Console


def _print_guideline(
    console: Console,
    guideline: Guideline,
    rules: tuple[Rule, ...],
    checks: Sequence[EvidenceCheck],
) -> None:
    from rich.markup import escape

    console.print(f"  [bold]{guideline.id}[/bold]  {escape(guideline.title)}")
    for behaviour in guideline.behaviours:
        console.print(f"      {behaviour.id}  {escape(behaviour.text)}", soft_wrap=False)
        spec = SPECS[behaviour.id]
        traits = " or ".join(t.value for t in spec.applies_if)
        applies = f"; applies if {traits}" if traits else ""
        evidence = ", ".join(c.id for c in checks if behaviour.id in c.behaviours) or "none"
        console.print(
            f"          [dim]assessed by {spec.mode.value}{applies}; evidence: {evidence}[/dim]"
        )
    ids = [r.id for r in rules if guideline.id in r.guideline_ids]
    console.print(f"      [dim]rules: {', '.join(ids) if ids else 'none yet'}[/dim]")


def _arguments(parser: Parser) -> None:
    parser.add_argument("guideline_id", nargs="?", metavar="GUIDELINE_ID", help=argparse.SUPPRESS)
    parser.add_argument(
        "-f",
        "--format",
        dest="fmt",
        choices=["text", "json", "markdown"],
        default="text",
        help="Output format. [default: %(default)s]",
    )


def guidelines_command(args: argparse.Namespace) -> int:
    """Print the 17 guidelines in 4 areas (or one, GUIDELINE_ID such as SD-3).

    Markdown is the assessment reference (docs/assessment.md): how each behaviour is
    judged, with its evidence checks and rules.
    """
    guideline_id: str | None = args.guideline_id
    fmt: str = args.fmt
    catalogue = load_catalogue()
    rules = all_rules()
    checks = load_checks()
    if guideline_id is not None and not catalogue.knows_guideline(guideline_id.upper()):
        raise UsageError(
            f"unknown guideline {guideline_id!r}; expected SD-1..SD-4, DV-1..DV-4, "
            "DP-1..DP-5 or OM-1..OM-4"
        )
    if fmt == "json":
        _write(guidelines_json(catalogue, rules, checks))
        return 0
    if fmt == "markdown":
        from aiwarden.outputs.assessment.reference import assessment_markdown

        _write(assessment_markdown(catalogue, rules, checks))
        return 0
    from rich.console import Console
    from rich.markup import escape

    console = Console(highlight=False)
    console.print(f"[bold]{escape(catalogue.source_title)}[/bold] ({catalogue.source_url})")
    for area in catalogue.areas:
        selected = [
            g
            for g in area.guidelines
            if guideline_id is None or g.id == catalogue.guideline(guideline_id.upper()).id
        ]
        if not selected:
            continue
        console.print(f"\n[bold underline]{area.id}: {escape(area.title)}[/bold underline]")
        for guideline in selected:
            _print_guideline(console, guideline, rules, checks)
    return 0


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


COMMAND = Leaf(guidelines_command, _arguments, "[OPTIONS] [GUIDELINE_ID]")

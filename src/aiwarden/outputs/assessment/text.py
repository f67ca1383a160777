"""The terminal scorecard (``aiwarden assess``), rendered with rich.

One line per guideline with its status and score, grouped by area; then the behaviours
that are not met (with the reason), the next steps and the profile. ``--verbose``
output (``detail=True``) lists every behaviour. Text from the project (paths, messages,
evidence summaries) goes through :func:`~aiwarden.outputs._sanitize.clean_line` into
:class:`rich.text.Text`, which rich never parses for markup.
"""

from __future__ import annotations

import io
from typing import Final

from rich.console import RenderableType
from rich.rule import Rule as Divider
from rich.text import Text

from aiwarden.assess.model import BehaviourResult, GuidelineResult, Scorecard, Status
from aiwarden.outputs._sanitize import clean_line
from aiwarden.outputs.assessment.interface import AssessmentRenderer
from aiwarden.outputs.text import plain_console

STATUS_STYLE: Final[dict[Status, str]] = {
    Status.MET: "bold green",
    Status.PARTLY_MET: "bold yellow",
    Status.NOT_MET: "bold red",
    Status.NEEDS_ATTESTATION: "bold blue",
    Status.NOT_APPLICABLE: "dim",
}
_LABEL_WIDTH: Final = max(len(s.value) for s in Status) + 2
_SHOWN_STEPS: Final = 5
_NO_FILE: Final = "none (create one with: aiwarden attest init)"


def percent(score: float | None) -> str:
    """``score`` (0..1) as ``"62%"``, or ``"n/a"``."""
    return "n/a" if score is None else f"{round(score * 100)}%"


def _badge(status: Status) -> Text:
    return Text(f"[{status.value}]".ljust(_LABEL_WIDTH + 1), style=STATUS_STYLE[status])


def _short(text: str, limit: int) -> str:
    flat = clean_line(text)
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _guideline_line(result: GuidelineResult, width: int) -> Text:
    """Status, id, title and score on one line (the title is shortened to fit)."""
    score = percent(result.score)
    room = max(20, width - 2 - (_LABEL_WIDTH + 1) - 6 - len(score) - 3)
    return Text.assemble(
        "  ",
        _badge(result.status),
        (f"{result.id:<5}", "bold"),
        " ",
        _short(result.title, room),
        (f"  {score}", "dim"),
    )


def _behaviour_lines(result: BehaviourResult) -> list[RenderableType]:
    lines: list[RenderableType] = [
        Text.assemble(
            "      ", _badge(result.status), (result.id, "bold"), " ", _short(result.text, 72)
        ),
        Text.assemble("        ", (_short(result.reason, 240), "dim")),
    ]
    for ref in result.findings[:3]:
        where = f"{ref.path}:{ref.line}" if ref.line else ref.path
        lines.append(
            Text(f"        - {ref.rule_id} {clean_line(where)}: {clean_line(ref.message)}")
        )
    if len(result.findings) > 3:
        lines.append(Text(f"        - ... {len(result.findings) - 3} more", style="dim"))
    return lines


def _scorecard(scorecard: Scorecard, detail: bool, width: int) -> list[RenderableType]:
    out: list[RenderableType] = []
    for area in scorecard.areas:
        heading = f"{area.id} {area.title}  {percent(area.score)}"
        out.append(Divider(Text(heading, style="bold"), align="left", characters="-"))
        for guideline in (g for g in scorecard.guidelines if g.area_id == area.id):
            out.append(_guideline_line(guideline, width))
            shown = [
                b
                for b in guideline.behaviours
                if detail or b.status in (Status.NOT_MET, Status.PARTLY_MET)
            ]
            for behaviour in shown:
                out.extend(_behaviour_lines(behaviour))
    return out


def _steps(scorecard: Scorecard) -> list[RenderableType]:
    if not scorecard.next_steps:
        return []
    out: list[RenderableType] = [
        Divider(Text("Next steps", style="bold"), align="left", characters="-")
    ]
    for number, step in enumerate(scorecard.next_steps[:_SHOWN_STEPS], start=1):
        moves = ", ".join(step.guidelines)
        out.append(
            Text.assemble(f"  {number}. ", (clean_line(step.title), "bold"), f"  (moves {moves})")
        )
        if step.detail:
            out.append(Text(f"     {_short(step.detail, 220)}", style="dim"))
    return out


def _findings_tally(scorecard: Scorecard) -> str:
    counts = scorecard.scan.findings_by_severity
    order = ("critical", "high", "medium", "low", "info")
    parts = [f"{counts[s]} {s}" for s in order if counts.get(s)]
    return ", ".join(parts) + " active findings" if parts else "no active findings"


def _footer(scorecard: Scorecard) -> list[RenderableType]:
    counts = scorecard.status_counts()
    tally = ", ".join(f"{n} {status.value}" for status, n in counts.items() if n)
    traits = ", ".join(f"{f.name}={'yes' if f.value else 'no'}" for f in scorecard.profile)
    out: list[RenderableType] = [
        Divider(Text("Summary", style="bold"), align="left", characters="-"),
        Text.assemble(("Score: ", "bold"), percent(scorecard.score), f"  ({tally})"),
        Text(f"Profile: {traits}"),
        Text(f"Scan: {scorecard.scan.files_scanned} files, {_findings_tally(scorecard)}"),
        Text(f"Attestations: {clean_line(scorecard.attestations_file or _NO_FILE)}"),
    ]
    if scorecard.history:
        last = scorecard.history[-1]
        out.append(Text(f"Previous run {last.generated_at}: {percent(last.score)}"))
        for gid, before, now in scorecard.changes_since_last():
            out.append(Text(f"  {gid}: {before} -> {now}"))
    if not scorecard.scan.complete:
        out.append(
            Text(
                f"INCOMPLETE: {scorecard.scan.files_failed} file(s) could not be fully scanned; "
                "statuses may be better than the truth.",
                style="bold red",
            )
        )
    for note in scorecard.attestation_problems:
        out.append(Text(f"Attestation: {clean_line(note)}", style="yellow"))
    for warning in scorecard.warnings:
        out.append(Text(f"Warning: {clean_line(warning)}", style="yellow"))
    return out


class AssessmentTextRenderer(AssessmentRenderer):
    """The terminal scorecard; plain text unless ``color``; every behaviour when ``detail``."""

    def __init__(self, *, color: bool = False, width: int = 100, detail: bool = False) -> None:
        self.color = color
        self.width = width
        self.detail = detail

    def render(self, scorecard: Scorecard) -> str:
        """Header, scorecard per area, next steps and summary."""
        buffer = io.StringIO()
        console = plain_console(buffer, color=self.color, width=self.width)
        header = Text.assemble(
            ("aiwarden ", "bold"),
            scorecard.tool_version,
            " assessment of ",
            clean_line(scorecard.project),
            " against the Guidelines for Secure AI System Development",
        )
        body = [
            header,
            Text(""),
            *_scorecard(scorecard, self.detail, self.width),
            *_steps(scorecard),
        ]
        for renderable in [*body, *_footer(scorecard)]:
            console.print(renderable, overflow="fold")
        return buffer.getvalue()

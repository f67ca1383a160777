"""The scorecard as Markdown (pull-request comments, wikis, ``$GITHUB_STEP_SUMMARY``).

A summary table of the 17 guidelines, the next steps, then one collapsible section per
guideline with every behaviour, its reason, evidence and findings. Text from the
project is escaped with :func:`~aiwarden.outputs.markdown.escape` so that it cannot
inject Markdown, HTML or links.
"""

from __future__ import annotations

from typing import Final

from aiwarden.assess.model import BehaviourResult, GuidelineResult, Scorecard, Status
from aiwarden.outputs.assessment.interface import AssessmentRenderer
from aiwarden.outputs.assessment.text import percent
from aiwarden.outputs.markdown import md_escape as escape

STATUS_ICON: Final[dict[Status, str]] = {
    Status.MET: "✅",
    Status.PARTLY_MET: "🟡",
    Status.NOT_MET: "❌",
    Status.NEEDS_ATTESTATION: "✍️",
    Status.NOT_APPLICABLE: "⚪",
}


def _status(status: Status) -> str:
    return f"{STATUS_ICON[status]} {status.value}"


def _table(scorecard: Scorecard) -> list[str]:
    lines = ["| Guideline | Status | Score |", "|---|---|---|"]
    for g in scorecard.guidelines:
        lines.append(f"| **{g.id}** {escape(g.title)} | {_status(g.status)} | {percent(g.score)} |")
    return lines


def _behaviour(result: BehaviourResult) -> list[str]:
    lines = [f"- {_status(result.status)} **{result.id}** {escape(result.text)}"]
    lines.append(f"  - {escape(result.reason)}")
    for item in result.evidence:
        paths = ", ".join(f"`{escape(p)}`" for p in item.paths[:3])
        lines.append(
            f"  - {item.polarity.value} ({item.strength.value}): {escape(item.summary)}"
            + (f" {paths}" if paths else "")
        )
    for ref in result.findings:
        where = f"{ref.path}:{ref.line}" if ref.line else ref.path
        lines.append(
            f"  - `{ref.rule_id}` ({ref.severity}) `{escape(where)}`: {escape(ref.message)}"
        )
    attestation = result.attestation
    if attestation is not None:
        lines.append(
            f"  - attestation ({attestation.state.value}): {escape(attestation.attested_by)}, "
            f"{attestation.date or '-'} to {attestation.expires or '-'}"
        )
    return lines


def _guideline(result: GuidelineResult) -> list[str]:
    lines = [
        "<details>",
        f"<summary><b>{result.id}</b> {escape(result.title)}: {_status(result.status)}"
        f" ({percent(result.score)})</summary>",
        "",
    ]
    for behaviour in result.behaviours:
        lines.extend(_behaviour(behaviour))
    for ref in result.findings:
        lines.append(
            f"- guideline-wide: `{ref.rule_id}` `{escape(ref.path)}`: {escape(ref.message)}"
        )
    return [*lines, "", "</details>", ""]


def _steps(scorecard: Scorecard) -> list[str]:
    if not scorecard.next_steps:
        return []
    lines = ["## Next steps", ""]
    for number, step in enumerate(scorecard.next_steps, start=1):
        moves = ", ".join(step.guidelines)
        lines.append(f"{number}. **{escape(step.title)}** (moves {moves})")
        if step.detail:
            lines.append(f"   {escape(step.detail)}")
    return [*lines, ""]


def _trend(scorecard: Scorecard) -> list[str]:
    if not scorecard.history:
        return []
    last = scorecard.history[-1]
    lines = [
        "## Since the last run",
        "",
        f"{escape(last.generated_at)}: {percent(last.score)}, now {percent(scorecard.score)}.",
        "",
    ]
    for gid, before, now in scorecard.changes_since_last():
        lines.append(f"- **{gid}**: {before} → {now}")
    return [*lines, ""]


class AssessmentMarkdownRenderer(AssessmentRenderer):
    """``aiwarden assess --format markdown``."""

    def render(self, scorecard: Scorecard) -> str:
        """The whole Markdown document."""
        counts = scorecard.status_counts()
        tally = ", ".join(f"{n} {s.value}" for s, n in counts.items() if n)
        lines = [
            f"# aiwarden assessment: {escape(scorecard.project)}",
            "",
            f"Score **{percent(scorecard.score)}** ({tally}) against the Guidelines for Secure "
            f"AI System Development. aiwarden {scorecard.tool_version}, {scorecard.generated_at}.",
            "",
        ]
        if not scorecard.scan.complete:
            lines += [
                f"> **Incomplete scan:** {scorecard.scan.files_failed} file(s) could not be "
                "fully scanned; statuses may be better than the truth.",
                "",
            ]
        for area in scorecard.areas:
            lines.append(f"- **{area.id}** {escape(area.title)}: {percent(area.score)}")
        lines += ["", *_table(scorecard), "", *_trend(scorecard), *_steps(scorecard)]
        lines += ["## Guidelines", ""]
        for guideline in scorecard.guidelines:
            lines.extend(_guideline(guideline))
        traits = ", ".join(
            f"{f.name} = {'yes' if f.value else 'no'} ({f.source}: {escape(f.reason)})"
            for f in scorecard.profile
        )
        lines += ["## Profile", "", traits, ""]
        notes = [*scorecard.attestation_problems, *scorecard.warnings]
        if notes:
            lines += ["## Notes", "", *(f"- {escape(n)}" for n in notes), ""]
        return "\n".join(lines)

"""A Markdown summary for pull-request comments and ``$GITHUB_STEP_SUMMARY``.

Text from findings is untrusted: it is cleaned of control characters, folded to one
line and escaped so that it cannot break a table, open HTML, start a link or
mention a GitHub user or team.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from aiwarden.core.report import ReportedFinding, ScanReport
from aiwarden.outputs._common import SEVERITIES_DESC, group_by_area, sorted_findings, tally
from aiwarden.outputs._common import verdict as verdict_line
from aiwarden.outputs._sanitize import clean_line
from aiwarden.outputs.interface import Renderer

MAX_ROWS: Final = 100
"""At most this many active findings are listed; the rest are counted."""

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_MENTION = re.compile(r"(?<!\w)@(?=\w)")


def md_escape(text: str) -> str:
    """Untrusted text made safe for one Markdown table cell or line."""
    text = clean_line(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return _MENTION.sub("@&#8203;", text)


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def _heading(report: ScanReport) -> str:
    if not report.complete:
        return f"## aiwarden: incomplete scan ({len(report.failed)} file(s) failed)"
    blocking = len(report.blocking())
    if blocking:
        return f"## aiwarden: {blocking} blocking finding(s) at or above {report.fail_on.value}"
    return f"## aiwarden: no findings at or above {report.fail_on.value}"


def _overview(report: ScanReport) -> list[str]:
    counts = tally(report)
    lines = [
        f"**{verdict_line(report)}.**",
        "",
        f"aiwarden {md_escape(report.tool_version)}: {len(report.scanned)} file(s) scanned, "
        f"{len(report.skipped)} skipped, {len(report.failed)} failed "
        f"in {report.duration_s:.2f}s.",
        "",
        _row("Severity", "Active findings"),
        "| --- | ---: |",
    ]
    lines += [_row(s.value, str(counts.by_severity[s])) for s in SEVERITIES_DESC]
    lines += [
        "",
        f"{counts.suppressed} suppressed, {counts.baselined} unchanged since the baseline "
        "(not counted above).",
    ]
    return lines


def _finding_row(rf: ReportedFinding) -> str:
    finding = rf.finding
    return _row(
        f"**{finding.severity.value}**",
        f"{finding.rule_id} {md_escape(finding.rule.title)}",
        md_escape(finding.location.display()),
        md_escape(finding.message),
    )


def _findings(report: ScanReport) -> list[str]:
    lines: list[str] = []
    listed = 0
    total = sum(1 for _ in report.active())
    for heading, findings in group_by_area(report.active()):
        shown = findings[: MAX_ROWS - listed]
        if not shown:
            break
        lines += ["", f"### {heading}", "", _row("Severity", "Rule", "Location", "Message")]
        lines.append("| --- | --- | --- | --- |")
        lines += [_finding_row(rf) for rf in shown]
        listed += len(shown)
    if total > listed:
        lines += ["", f"_... and {total - listed} more active finding(s) not listed here._"]
    return lines


def _details(summary: str, header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> list[str]:
    if not rows:
        return []
    lines = ["", "<details>", f"<summary>{summary}</summary>", "", _row(*header)]
    lines.append("|" + " --- |" * len(header))
    lines += [_row(*row) for row in rows]
    return [*lines, "", "</details>"]


def _suppressed(report: ScanReport) -> list[str]:
    rows = [
        (
            rf.finding.rule_id,
            md_escape(rf.finding.location.display()),
            rf.suppression.kind.value,
            md_escape(rf.suppression.reason),
            md_escape(rf.suppression.source),
        )
        for rf in sorted_findings(report.findings)
        if rf.suppression is not None
    ]
    header = ("Rule", "Location", "Kind", "Reason", "Declared at")
    return _details(f"{len(rows)} suppressed finding(s)", header, rows)


def _files(report: ScanReport) -> list[str]:
    failed = [(md_escape(f.path), md_escape(f.reason)) for f in report.failed]
    skipped = [(md_escape(f.path), md_escape(f.reason)) for f in report.skipped]
    warnings = [(md_escape(w),) for w in report.warnings]
    return [
        *_details(f"{len(failed)} failed file(s)", ("File", "Reason"), sorted(failed)),
        *_details(f"{len(skipped)} skipped file(s)", ("File", "Reason"), sorted(skipped)),
        *_details(f"{len(warnings)} warning(s)", ("Warning",), warnings),
    ]


class MarkdownRenderer(Renderer):
    """Renders a GitHub-flavoured Markdown summary of the scan."""

    def render(self, report: ScanReport) -> str:
        """Verdict heading, severity table, active findings by area, then details."""
        lines = [
            _heading(report),
            "",
            *_overview(report),
            *_findings(report),
            *_suppressed(report),
            *_files(report),
        ]
        return "\n".join(lines) + "\n"

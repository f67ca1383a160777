"""Human-readable terminal output, rendered with rich.

Findings are grouped by guideline area, most severe first, followed by a summary and
a verdict. Everything taken from a finding is passed through
:func:`~aiwarden.outputs._sanitize.clean` and added to :class:`rich.text.Text`
objects, which rich never parses for markup or emoji, so a hostile file can neither
style the output nor send escape sequences to the terminal.
"""

from __future__ import annotations

import io
from typing import Final

from rich.console import Console, RenderableType
from rich.rule import Rule as Divider
from rich.text import Text

from aiwarden.core.report import ReportedFinding, ScanReport
from aiwarden.core.severity import Severity
from aiwarden.outputs._common import SEVERITIES_DESC, group_by_area, tally, verdict
from aiwarden.outputs._sanitize import clean, clean_line
from aiwarden.outputs.interface import Renderer

SEVERITY_STYLE: Final[dict[Severity, str]] = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "bold yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}

_INDENT = "    "


def _badge(severity: Severity) -> Text:
    return Text(f"[{severity.value.upper()}]", style=SEVERITY_STYLE[severity])


def _field(label: str, value: str, style: str = "") -> Text:
    return Text.assemble(_INDENT, (f"{label}: ", "dim"), (value, style))


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (the rest is in ``aiwarden rules ID``)."""
    flat = " ".join(text.split())
    end = flat.find(". ")
    return flat if end < 0 else flat[: end + 1]


def _finding(rf: ReportedFinding) -> list[RenderableType]:
    finding = rf.finding
    rule = finding.rule
    head = Text.assemble(
        _badge(finding.severity), " ", (rule.id, "bold"), " ", clean_line(rule.title)
    )
    if rf.baseline_state is not None:
        head.append(f" ({rf.baseline_state.value})", style="dim")
    lines: list[RenderableType] = [
        head,
        Text.assemble(_INDENT, (clean_line(finding.location.display()), "underline")),
        Text.assemble(_INDENT, clean(finding.message)),
    ]
    if finding.evidence:
        lines.append(_field("evidence", clean(finding.evidence), "italic"))
    for loc in finding.related:
        where = f"{loc.display()} ({loc.label})" if loc.label else loc.display()
        lines.append(_field("related", clean_line(where)))
    fix = f"{first_sentence(rule.remediation)} (more: aiwarden rules {rule.id})"
    lines.append(_field("fix", clean_line(fix)))
    lines.append(_field("guidelines", clean_line(", ".join(rule.guidelines))))
    return lines


def _findings(report: ScanReport) -> list[RenderableType]:
    groups = group_by_area(report.active())
    if not groups:
        return [Text("No active findings.")]
    out: list[RenderableType] = []
    for heading, findings in groups:
        out.append(Divider(Text(heading, style="bold"), align="left", characters="-"))
        for rf in findings:
            out.extend(_finding(rf))
            out.append(Text(""))
    return out


def _counts_line(report: ScanReport) -> Text:
    counts = tally(report)
    line = Text("Active findings: ")
    for i, severity in enumerate(SEVERITIES_DESC):
        if i:
            line.append(", ")
        count = counts.by_severity[severity]
        line.append(f"{count} {severity.value}", style=SEVERITY_STYLE[severity] if count else "")
    line.append(
        f"\nNot counted: {counts.suppressed} suppressed, {counts.baselined} unchanged vs baseline"
    )
    return line


def _verdict(report: ScanReport) -> list[RenderableType]:
    text = verdict(report)
    if not report.complete:
        out: list[RenderableType] = [Text(text, style="bold red")]
        for failed in sorted(report.failed, key=lambda f: f.path):
            out.append(Text(f"  - {clean_line(failed.path)}: {clean_line(failed.reason)}"))
        return out
    style = "bold red" if report.blocking() else "bold green"
    return [Text(text, style=style)]


def _summary(report: ScanReport) -> list[RenderableType]:
    files = (
        f"Files: {len(report.scanned)} scanned, {len(report.skipped)} skipped, "
        f"{len(report.failed)} failed"
    )
    out: list[RenderableType] = [
        Divider(Text("Summary", style="bold"), align="left", characters="-"),
        _counts_line(report),
        Text(files),
        Text(f"Duration: {report.duration_s:.2f}s"),
    ]
    if report.baseline is not None:
        out.append(Text(f"Baseline: {clean_line(report.baseline)}"))
    for warning in report.warnings:
        out.append(Text(f"Warning: {clean_line(warning)}", style="yellow"))
    return out + _verdict(report)


def plain_console(buffer: io.StringIO, *, color: bool, width: int) -> Console:
    """A rich console writing to ``buffer`` that never interprets markup or emoji."""
    return Console(
        file=buffer,
        force_terminal=color,
        force_jupyter=False,
        force_interactive=False,
        no_color=not color,
        color_system="standard" if color else None,
        width=width,
        highlight=False,
        markup=False,
        emoji=False,
        legacy_windows=False,
    )


class TextRenderer(Renderer):
    """Renders findings for a terminal; plain text (no escape codes) unless ``color``."""

    def __init__(self, *, color: bool = False, width: int = 100) -> None:
        self.color = color
        self.width = width

    def render(self, report: ScanReport) -> str:
        """The findings, the summary and the verdict."""
        buffer = io.StringIO()
        console = plain_console(buffer, color=self.color, width=self.width)
        header = Text.assemble(
            ("aiwarden ", "bold"), report.tool_version, " scan of ", clean_line(report.root)
        )
        for renderable in [header, Text(""), *_findings(report), *_summary(report)]:
            console.print(renderable, overflow="fold")
        return buffer.getvalue()

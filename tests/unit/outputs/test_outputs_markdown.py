"""The Markdown summary for pull requests and $GITHUB_STEP_SUMMARY."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from aiwarden.core import Location, ReportedFinding, ScanReport, make_finding
from aiwarden.outputs import MarkdownRenderer
from aiwarden.outputs.markdown import MAX_ROWS, md_escape


def _render(report: ScanReport) -> str:
    return MarkdownRenderer().render(report)


def _table_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("| **")]


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a|b", "a\\|b"),
        ("`code`", "\\`code\\`"),
        ("<img src=x>", "&lt;img src=x&gt;"),
        ("[link](http://x)", "\\[link\\](http://x)"),
        ("*bold* _em_", "\\*bold\\* \\_em\\_"),
        ("cc @octocat", "cc @&#8203;octocat"),
        ("file.pkl@12", "file.pkl@12"),
        ("two\nlines", "two lines"),
        ("esc\x1b[2J", "esc\\\\x1b\\[2J"),
        ("a &amp; b", "a &amp;amp; b"),
    ],
)
def test_md_escape(raw: str, escaped: str) -> None:
    assert md_escape(raw) == escaped


def test_hostile_message_cannot_break_the_table(report: ScanReport) -> None:
    text = _render(report)
    row = next(line for line in text.splitlines() if "evil" in line)
    unescaped_pipes = row.replace("\\|", "").count("|")
    assert unescaped_pipes == 5  # four cells
    assert "<img" not in text
    assert "\x1b" not in text
    assert "\r" not in text
    assert "\\`code\\`" in row


def test_blocking_verdict_and_counts(report: ScanReport) -> None:
    text = _render(report)
    assert text.startswith("## aiwarden: 2 blocking finding(s) at or above high\n")
    assert "| critical | 1 |" in text
    assert "| info | 0 |" in text
    assert "2 suppressed, 1 unchanged since the baseline" in text


def test_incomplete_verdict(incomplete_report: ScanReport) -> None:
    text = _render(incomplete_report)
    assert text.startswith("## aiwarden: incomplete scan (2 file(s) failed)")
    assert "INCOMPLETE SCAN: 2 file(s) could not be fully analysed" in text
    assert "<summary>2 failed file(s)</summary>" in text
    assert "| models/huge.bin | timed out after 60s |" in text


def test_clean_verdict(empty_report: ScanReport) -> None:
    text = _render(empty_report)
    assert text.startswith("## aiwarden: no findings at or above high")
    assert "<details>" not in text
    assert _table_rows(text) == []


def test_active_findings_grouped_by_area(report: ScanReport) -> None:
    text = _render(report)
    headings = [line for line in text.splitlines() if line.startswith("### ")]
    assert headings == [
        "### Secure design (SD)",
        "### Secure development (DV)",
        "### Secure deployment (DP)",
        "### Secure operation and maintenance (OM)",
    ]
    rows = _table_rows(text)
    assert len(rows) == 4  # suppressed and baselined findings are not in the tables
    assert "models/my model.pkl!archive/data.pkl@1234" in rows[0]


def test_suppressed_findings_in_details_with_reasons(report: ScanReport) -> None:
    text = _render(report)
    start = text.index("<summary>2 suppressed finding(s)</summary>")
    section = text[start : text.index("</details>", start)]
    assert "| AIW-TST001 | src/app.py:10 | inline | test fixture, reviewed | src/app.py:9 |" in (
        section
    )
    assert "| vendor/model.py:1 | config | vendored model | pyproject.toml |" in section
    assert "<summary>1 skipped file(s)</summary>" in text


def test_caps_the_findings_table(
    report: ScanReport, make_report: Callable[..., ScanReport]
) -> None:
    rule = report.rules[0]
    extra = tuple(
        ReportedFinding(
            make_finding(rule, Location(f"f{i:03}.py", line=1), f"finding {i}"), f"fp{i}"
        )
        for i in range(MAX_ROWS + 20)
    )
    big = dataclasses.replace(make_report(), findings=extra)
    text = _render(big)
    assert len(_table_rows(text)) == MAX_ROWS
    assert "... and 20 more active finding(s)" in text

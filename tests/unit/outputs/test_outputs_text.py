"""The rich terminal renderer."""

from __future__ import annotations

import re

from aiwarden.core import ScanReport
from aiwarden.outputs import TextRenderer

ANSI = re.compile(r"\x1b\[[0-9;]*m")
AREA_HEADINGS = [
    "Secure design (SD)",
    "Secure development (DV)",
    "Secure deployment (DP)",
    "Secure operation and maintenance (OM)",
]


def test_groups_by_area_in_catalogue_order(report: ScanReport) -> None:
    text = TextRenderer().render(report)
    positions = [text.index(heading) for heading in AREA_HEADINGS]
    assert positions == sorted(positions)


def test_finding_is_filed_under_its_first_guideline_area(report: ScanReport) -> None:
    text = TextRenderer().render(report)
    sd = text.index("Secure design (SD)")
    dv = text.index("Secure development (DV)")
    assert sd < text.index("pickle imports os.system") < dv


def test_severity_order_within_an_area(incomplete_report: ScanReport) -> None:
    text = TextRenderer().render(incomplete_report)
    assert text.index("[CRITICAL] AIW-TST001") < text.index("[HIGH] AIW-ENG001")


def test_finding_details(report: ScanReport) -> None:
    text = TextRenderer(width=200).render(report)
    assert "[CRITICAL] AIW-TST001 Unsafe pickle global (test)" in text
    assert "models/my model.pkl!archive/data.pkl@1234" in text
    assert "src/app.py:12:5" in text
    assert "evidence: os.system" in text
    assert "fix: Use safetensors instead of pickle." in text
    assert "guidelines: SD-3.d, DV-1" in text
    assert "related: src/config.py:3" in text


def test_no_ansi_without_color(report: ScanReport) -> None:
    text = TextRenderer(color=False).render(report)
    assert "\x1b" not in text


def test_color_uses_ansi(report: ScanReport) -> None:
    text = TextRenderer(color=True).render(report)
    assert ANSI.search(text)


def test_hostile_text_is_shown_literally_and_neutralised(report: ScanReport) -> None:
    for color in (False, True):
        text = TextRenderer(color=color, width=200).render(report)
        plain = ANSI.sub("", text)
        assert "\x1b" not in plain  # every escape left comes from our own styling
        assert "\r" not in text
        assert "[bold red]x[/]" in plain
        assert "\\x1b[31mred\\x1b[0m" in plain
        assert "\\x1b]0;pwned\\x07repo" in plain
        assert "@octocat\\x0dfake" in plain


def test_hostile_markup_does_not_style_with_color(report: ScanReport) -> None:
    text = TextRenderer(color=True, width=200).render(report)
    line = next(line for line in text.splitlines() if "evil" in line)
    assert ANSI.sub("", line).strip().startswith("evil")
    assert "\x1b[1;31m" not in line
    assert "\x1b[31m" not in line


def test_suppressed_not_listed_but_counted(report: ScanReport) -> None:
    text = TextRenderer(width=200).render(report)
    assert "pickle.load in tests" not in text
    assert "vendored download" not in text
    assert "old bind" not in text
    assert "Not counted: 2 suppressed, 1 unchanged vs baseline" in text
    assert "Active findings: 1 critical, 1 high, 1 medium, 1 low, 0 info" in text


def test_summary_and_blocking_verdict(report: ScanReport) -> None:
    text = TextRenderer(width=200).render(report)
    assert "Files: 2 scanned, 1 skipped, 0 failed" in text
    assert "Duration: 1.50s" in text
    assert "Warning: plugin 'broken' failed to load" in text
    assert text.rstrip().endswith("2 blocking finding(s) at or above high")


def test_incomplete_verdict_lists_failed_files(incomplete_report: ScanReport) -> None:
    text = TextRenderer(width=200).render(incomplete_report)
    assert "INCOMPLETE SCAN: 2 file(s) could not be fully analysed" in text
    assert "models/broken.pt: analyzer crashed: ValueError" in text
    assert "models/huge.bin: timed out after 60s" in text
    assert "blocking finding(s)" not in text


def test_clean_verdict(empty_report: ScanReport) -> None:
    text = TextRenderer().render(empty_report)
    assert "No active findings." in text
    assert "No findings at or above high" in text


def test_respects_width(report: ScanReport) -> None:
    text = TextRenderer(width=60).render(report)
    assert max(len(line) for line in text.splitlines()) <= 60

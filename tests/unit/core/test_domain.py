"""Severity ordering, rule and location validation, fingerprints, exit codes."""

from __future__ import annotations

import pytest

from aiw_test_support import make_rule
from aiwarden.core import (
    BaselineState,
    FailedFile,
    Location,
    ReportedFinding,
    Rule,
    RuleId,
    ScanReport,
    Severity,
    Suppression,
    SuppressionKind,
    fingerprint_all,
    make_finding,
)

RULE = make_rule("AIW-TST001", title="t")


def test_severity_order_and_parse() -> None:
    assert Severity.CRITICAL > Severity.HIGH > Severity.MEDIUM > Severity.LOW > Severity.INFO
    assert Severity.parse(" High ") is Severity.HIGH
    with pytest.raises(ValueError, match="unknown severity"):
        Severity.parse("severe")


@pytest.mark.parametrize("bad", ["AIW-1", "aiw-mod001", "AIW-MOD01", "XYZ-MOD001"])
def test_rule_id_format_is_enforced(bad: str) -> None:
    with pytest.raises(ValueError):
        Rule(RuleId(bad), "t", Severity.LOW, "s", "h", "r", ("SD-1",))


def test_rule_without_guideline_is_rejected() -> None:
    with pytest.raises(ValueError, match="no guideline"):
        Rule(RuleId("AIW-TST002"), "t", Severity.LOW, "s", "h", "r", ())


def test_rule_family_and_guideline_ids() -> None:
    rule = Rule(RuleId("AIW-MOD002"), "t", Severity.LOW, "s", "h", "r", ("SD-3.d", "SD-3", "DV-1"))
    assert rule.family == "MOD"
    assert rule.guideline_ids == ("SD-3", "DV-1")


def test_location_is_one_based_and_displays() -> None:
    with pytest.raises(ValueError):
        Location("a.py", line=0)
    assert Location("a.py", line=3, column=2).display() == "a.py:3:2"
    assert Location("m.pt", offset=10, member="x/data.pkl").display() == "m.pt!x/data.pkl@10"


def test_fingerprints_ignore_line_numbers_but_separate_duplicates() -> None:
    first = make_finding(RULE, Location("a.py", line=1), "m", fingerprint_key="torch.load(p)")
    moved = make_finding(RULE, Location("a.py", line=40), "m", fingerprint_key="torch.load(p)")
    assert fingerprint_all([first]) == fingerprint_all([moved])
    twice = fingerprint_all([first, moved])
    assert twice[0] != twice[1]
    other_file = make_finding(RULE, Location("b.py", line=1), "m", fingerprint_key="torch.load(p)")
    assert fingerprint_all([other_file]) != fingerprint_all([first])


def _report(*findings: ReportedFinding, failed: tuple[FailedFile, ...] = ()) -> ScanReport:
    return ScanReport(
        tool_version="0",
        root="/r",
        targets=("/r",),
        findings=findings,
        rules=(RULE,),
        scanned=(),
        skipped=(),
        failed=failed,
        fail_on=Severity.HIGH,
        started_at="2026-01-01T00:00:00+00:00",
        duration_s=0.0,
    )


def test_exit_codes() -> None:
    high = ReportedFinding(make_finding(RULE, Location("a"), "m"), "fp")
    low = ReportedFinding(make_finding(RULE, Location("a"), "m", severity=Severity.LOW), "fp2")
    suppressed = ReportedFinding(
        high.finding, "fp", Suppression(SuppressionKind.INLINE, "why", "a:1")
    )
    baselined = ReportedFinding(high.finding, "fp", baseline_state=BaselineState.UNCHANGED)
    assert _report().exit_code() == 0
    assert _report(high).exit_code() == 1
    assert _report(high).exit_code(exit_zero=True) == 0
    assert _report(low).exit_code() == 0
    assert _report(suppressed, baselined).exit_code() == 0
    incomplete = _report(failed=(FailedFile("a", "crash"),))
    assert incomplete.exit_code() == 2
    assert incomplete.exit_code(exit_zero=True) == 2
    assert _report(high, failed=(FailedFile("a", "crash"),)).exit_code() == 2


def test_evidence_is_bounded() -> None:
    finding = make_finding(RULE, Location("a"), "m", evidence="x" * 10_000)
    assert finding.evidence is not None and len(finding.evidence) <= 500

"""The governance analyzer end to end on the fixture twins, through the scan engine.

Each twin is copied to a temporary directory first, so that the documents of the
repository around the fixtures (a future SECURITY.md or .github/ of aiwarden itself)
cannot leak into the result through the parent-directory lookup. The date is pinned so
that the hardened threat model (last updated 2026-09-01) stays "recent".
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from aiwarden.analyzers.governance.analyzer import GovernanceAnalyzer
from aiwarden.engine.config import Settings
from aiwarden.engine.executor import InlineExecutor
from aiwarden.engine.scan import ScanOptions, run_scan

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "governance"
TODAY = dt.date(2026, 11, 26)

# Hand-checked against the files: missing documents at the anchor (pyproject.toml:1),
# thin ones at the document itself (line 1).
VULNERABLE = {
    ("AIW-GOV001", "SECURITY.md", 1),  # "open an issue": no private contact, scope, timeline
    ("AIW-GOV002", "pyproject.toml", 1),  # models/classifier.safetensors, no model card
    ("AIW-GOV003", "pyproject.toml", 1),  # data/train.csv, no data card
    ("AIW-GOV004", "pyproject.toml", 1),  # no incident response plan
    ("AIW-GOV005", "THREAT_MODEL.md", 1),  # STRIDE only (no AI threats) + dated 2023-02-14
    ("AIW-GOV006", "pyproject.toml", 1),  # a model file, no CycloneDX/SPDX BOM
    ("AIW-GOV007", "pyproject.toml", 1),  # prompts/system.txt, no README
    ("AIW-GOV008", "pyproject.toml", 1),  # no SHA256SUMS, hashed BOM or signature
    ("AIW-GOV009", "pyproject.toml", 1),  # no dependabot.yml / renovate.json
    ("AIW-GOV010", "pyproject.toml", 1),  # no MONITORING.md
    ("AIW-GOV011", "README.md", 1),  # install + usage only
    ("AIW-GOV012", "pyproject.toml", 1),  # no CONTRIBUTING, no security workflow
}


def governance_findings(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[str, str, int, str]]:
    """Scan a copy of ``project`` in-process and return (rule, path, line, message)."""
    copy = tmp_path / project.name
    shutil.copytree(project, copy)
    monkeypatch.setattr(GovernanceAnalyzer, "today", staticmethod(lambda: TODAY))
    settings = Settings(select=("AIW-GOV",), project_root=copy)
    report = run_scan(ScanOptions((copy,), settings), executor=InlineExecutor())
    assert report.complete
    found = [r.finding for r in report.findings]
    return [(f.rule.id, f.location.path, f.location.line or 0, f.message) for f in found]


def test_vulnerable_twin_reports_exactly_the_expected_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = governance_findings(FIXTURES / "vulnerable", tmp_path, monkeypatch)
    assert {(rule, path, line) for rule, path, line, _ in found} == VULNERABLE
    assert len(found) == len(VULNERABLE) + 1  # GOV005 twice: no AI threats, and stale
    stale = [m for rule, _, _, m in found if rule == "AIW-GOV005" and "2023-02-14" in m]
    assert len(stale) == 1


def test_vulnerable_messages_say_what_is_missing_and_where_it_was_looked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = {
        rule: msg
        for rule, _, _, msg in governance_findings(FIXTURES / "vulnerable", tmp_path, monkeypatch)
    }
    assert "private contact channel" in found["AIW-GOV001"]
    assert "exists (SECURITY.md)" in found["AIW-GOV001"]
    assert "INCIDENT_RESPONSE.md" in found["AIW-GOV004"]
    assert "models/classifier.safetensors" in found["AIW-GOV008"]
    assert "limitations, safe use and secure configuration" in found["AIW-GOV011"]


def test_hardened_twin_reports_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert governance_findings(FIXTURES / "hardened", tmp_path, monkeypatch) == []


def test_hardened_bom_matches_its_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "hardened"
    shutil.copytree(FIXTURES / "hardened", copy)
    settings = Settings(select=("AIW-BOM",), project_root=copy)
    report = run_scan(ScanOptions((copy,), settings), executor=InlineExecutor())
    assert report.complete
    assert report.findings == ()

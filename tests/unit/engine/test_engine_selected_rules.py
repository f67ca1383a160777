"""The report says which rules the scan ran, so silence of an unselected rule is not
taken for a clean result (the assessment's scan-coverage evidence relies on it)."""

from __future__ import annotations

from pathlib import Path

from aiwarden.analyzers.registry import load_analyzers
from aiwarden.assess.evidence.interface import ProjectView
from aiwarden.core.report import ScanReport
from aiwarden.engine.config import Settings
from aiwarden.engine.scan import ScanOptions, run_scan

REGISTRY = load_analyzers(builtin_only=True)


def _scan(root: Path, settings: Settings) -> ScanReport:
    return run_scan(ScanOptions((root,), settings), registry=REGISTRY)


def test_a_narrowed_scan_records_what_it_ran(tmp_path: Path) -> None:
    report = _scan(tmp_path, Settings(select=("AIW-MOD",), ignore=("AIW-MOD001",)))
    assert report.selected is not None
    assert report.rule_selected("AIW-MOD002")
    assert not report.rule_selected("AIW-MOD001")
    assert not report.rule_selected("AIW-PY001")
    others = {rule_id for rule_id in report.selected if not rule_id.startswith("AIW-MOD")}
    assert others and all(rule_id.startswith("AIW-ENG") for rule_id in others)  # always on


def test_a_default_scan_runs_every_builtin_rule(tmp_path: Path) -> None:
    report = _scan(tmp_path, Settings())
    assert report.selected is not None
    assert {rule.id for rule in REGISTRY.rules} <= report.selected


def test_the_project_view_takes_the_selection_from_the_report(tmp_path: Path) -> None:
    report = _scan(tmp_path, Settings(select=("AIW-SEC",)))
    view = ProjectView.from_report(report, tmp_path)
    assert view.rule_selected("AIW-SEC001")
    assert not view.rule_selected("AIW-MOD001")
    override = ProjectView.from_report(report, tmp_path, lambda rule_id: True)
    assert override.rule_selected("AIW-MOD001")

"""Helpers shared by the tests (on the path through ``pythonpath = ["tests"]``)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from pathlib import Path

from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.analyzers.code.python_source import check_python_source
from aiwarden.assess.evidence.interface import ProjectView
from aiwarden.core import Rule, RuleId, Severity
from aiwarden.engine.config import load_settings
from aiwarden.engine.scan import ScanOptions, run_scan


def make_rule(
    rule_id: str = "AIW-TST001",
    severity: Severity = Severity.HIGH,
    guidelines: tuple[str, ...] = ("SD-3.d",),
    title: str = "test rule",
) -> Rule:
    """A minimal valid rule for tests that need one but do not test its metadata."""
    return Rule(
        id=RuleId(rule_id),
        title=title,
        severity=severity,
        summary="A test rule.",
        help="Used by the tests.",
        remediation="None needed.",
        guidelines=guidelines,
    )


def code_issues(source: str, rule_ids: Iterable[str]) -> list[CodeIssue]:
    """What the Python analyzer reports for ``rule_ids`` in ``source`` (dedented first)."""
    wanted = frozenset(rule_ids)
    return [i for i in check_python_source(textwrap.dedent(source)) if i.rule.id in wanted]


def code_ids(source: str, rule_ids: Iterable[str]) -> list[str]:
    """The rule ids of :func:`code_issues`, in source order."""
    return [i.rule.id for i in code_issues(source, rule_ids)]


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Create ``files`` (relative path -> text or bytes) under ``root``; return ``root``."""
    for relpath, content in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def project_view(target: Path, assessed: Path | None = None) -> ProjectView:
    """Scan ``target`` for real; the assessment's view of ``assessed`` (default: target)."""
    report = run_scan(ScanOptions(targets=(target,), settings=load_settings([target], env={})))
    return ProjectView.from_report(report, assessed or target)

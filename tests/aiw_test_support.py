"""Helpers shared by the tests (on the path through ``pythonpath = ["tests"]``)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.analyzers.code.python_source import check_python_source
from aiwarden.core import Rule, RuleId, Severity


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

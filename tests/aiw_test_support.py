"""Helpers shared by the tests (on the path through ``pythonpath = ["tests"]``)."""

from __future__ import annotations

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

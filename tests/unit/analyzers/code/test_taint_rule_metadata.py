"""The taint rules (AIW-PY008, AIW-PY009, AIW-PY016) carry complete, valid metadata."""

from __future__ import annotations

import pytest

from aiwarden.analyzers.code.python_source import python_rules
from aiwarden.analyzers.code.rules_llm_output import LlmOutputChecker
from aiwarden.analyzers.code.rules_mcp import McpChecker
from aiwarden.analyzers.code.rules_prompt_injection import SystemPromptChecker
from aiwarden.core import Rule
from aiwarden.core.catalogue import load_catalogue
from aiwarden.core.severity import Severity

EXPECTED = {
    "AIW-PY008": (Severity.HIGH, {94, 78, 89, 79, 22, 918}, "LLM05:2025"),
    "AIW-PY009": (Severity.MEDIUM, {1427}, "LLM01:2025"),
    "AIW-PY016": (Severity.HIGH, {78, 94, 22, 918}, "LLM06:2025"),
}
RULES = [
    rule
    for checker in (LlmOutputChecker, SystemPromptChecker, McpChecker)
    for rule in checker.rules
]


def test_the_three_rules_are_the_expected_ids_and_are_registered() -> None:
    assert sorted(r.id for r in RULES) == sorted(EXPECTED)
    assert set(EXPECTED) <= {r.id for r in python_rules()}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_taint_rule_has_complete_metadata(rule: Rule) -> None:
    severity, cwes, owasp = EXPECTED[rule.id]
    catalogue = load_catalogue()
    assert rule.severity is severity
    assert cwes <= set(rule.cwe)
    assert owasp in rule.owasp_llm
    assert all(catalogue.knows_guideline(g) for g in rule.guidelines)
    assert all(catalogue.owasp_name(o) for o in rule.owasp_llm)
    assert all(catalogue.atlas_name(a) for a in rule.atlas)
    assert "Unsafe:" in rule.help and "Safe:" in rule.help
    assert rule.help.count("```python") == 2
    assert len(rule.remediation) > 100
    assert rule.references and all(r.startswith("https://") for r in rule.references)
    assert {"python", "taint"} <= set(rule.tags)

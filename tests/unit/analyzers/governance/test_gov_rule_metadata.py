"""The AIW-GOV rules are complete, documented and registered."""

from __future__ import annotations

import pytest

from aiwarden.analyzers.governance.rules import RULES
from aiwarden.analyzers.registry import load_analyzers
from aiwarden.core.catalogue import load_catalogue
from aiwarden.core.rule import Rule
from aiwarden.core.severity import Severity


def test_all_twelve_rules_are_registered_through_the_entry_point() -> None:
    expected = {f"AIW-GOV{n:03d}" for n in range(1, 13)}
    assert {r.id for r in RULES} == expected
    assert expected <= {r.id for r in load_analyzers().rules}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_metadata(rule: Rule) -> None:
    catalogue = load_catalogue()
    assert "governance" in rule.tags
    assert rule.references and rule.guidelines
    assert all(catalogue.knows_guideline(g) for g in rule.guidelines)
    assert all(catalogue.owasp_name(o) for o in rule.owasp_llm)
    assert "```" in rule.help, "help needs an example"
    assert "not whether the process" in rule.help or "cannot tell" in rule.help


def test_severities_follow_the_catalogue_of_checks() -> None:
    by_id = {r.id: r.severity for r in RULES}
    medium = {"AIW-GOV001", "AIW-GOV002", "AIW-GOV003", "AIW-GOV004", "AIW-GOV005", "AIW-GOV008"}
    info = {"AIW-GOV007", "AIW-GOV012"}
    for rule_id, severity in by_id.items():
        expected = (
            Severity.MEDIUM
            if rule_id in medium
            else Severity.INFO
            if rule_id in info
            else Severity.LOW
        )
        assert severity is expected, rule_id

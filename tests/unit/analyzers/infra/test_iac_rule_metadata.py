"""The AIW-IAC rules are complete, documented and registered."""

from __future__ import annotations

import pytest

from aiwarden.analyzers.infra.rules import RULES
from aiwarden.analyzers.registry import load_analyzers
from aiwarden.core.catalogue import load_catalogue
from aiwarden.core.rule import Rule


def test_all_rules_are_registered_through_the_entry_point() -> None:
    expected = {f"AIW-IAC{n:03d}" for n in range(1, 17)} | {"AIW-IAC099"}
    assert {r.id for r in RULES} == expected
    assert expected <= {r.id for r in load_analyzers().rules}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_metadata(rule: Rule) -> None:
    catalogue = load_catalogue()
    assert "infra" in rule.tags
    assert rule.cwe and rule.owasp_llm and rule.references and rule.remediation
    assert all(catalogue.knows_guideline(g) for g in rule.guidelines)
    assert all(catalogue.owasp_name(o) for o in rule.owasp_llm)
    assert all(catalogue.atlas_name(a) for a in rule.atlas)
    assert "```" in rule.help, "help needs an example"

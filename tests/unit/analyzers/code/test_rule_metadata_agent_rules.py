"""The metadata of AIW-PY011/017/018/019/021: complete, mapped to known ids, registered."""

from __future__ import annotations

import pytest

from aiwarden.analyzers.code.python_source import python_rules
from aiwarden.analyzers.code.rules_consumption import UNBOUNDED_AGENT_LOOP, UNBOUNDED_LLM_CALL
from aiwarden.analyzers.code.rules_logging import SENSITIVE_LOGGING
from aiwarden.analyzers.code.rules_mcp_descriptions import POISONED_TOOL_DESCRIPTION
from aiwarden.analyzers.code.rules_ssrf import SSRF_LOADER
from aiwarden.core import Rule
from aiwarden.core.catalogue import load_catalogue
from aiwarden.core.severity import Severity

EXPECTED = {
    "AIW-PY011": (UNBOUNDED_LLM_CALL, Severity.LOW, "LLM10:2025"),
    "AIW-PY017": (POISONED_TOOL_DESCRIPTION, Severity.HIGH, "LLM01:2025"),
    "AIW-PY018": (UNBOUNDED_AGENT_LOOP, Severity.MEDIUM, "LLM10:2025"),
    "AIW-PY019": (SSRF_LOADER, Severity.MEDIUM, "LLM06:2025"),
    "AIW-PY021": (SENSITIVE_LOGGING, Severity.LOW, "LLM02:2025"),
}


@pytest.mark.parametrize("rule_id", EXPECTED)
def test_rule_has_its_fixed_id_severity_and_owasp_entry(rule_id: str) -> None:
    rule, severity, owasp = EXPECTED[rule_id]
    assert rule.id == rule_id
    assert rule.severity is severity
    assert owasp in rule.owasp_llm


@pytest.mark.parametrize("rule", [r for r, _, _ in EXPECTED.values()], ids=list(EXPECTED))
def test_rule_metadata_is_complete_and_known(rule: Rule) -> None:
    catalogue = load_catalogue()
    assert all(catalogue.knows_guideline(g) for g in rule.guidelines), rule.guidelines
    assert all(catalogue.owasp_name(o) for o in rule.owasp_llm), rule.owasp_llm
    assert all(catalogue.atlas_name(a) for a in rule.atlas), rule.atlas
    assert rule.cwe
    assert rule.references
    assert all(ref.startswith("https://") for ref in rule.references)
    assert {"code", "python"} <= set(rule.tags)
    assert "```python" in rule.help
    assert "# flagged" in rule.help
    assert "# not flagged" in rule.help
    assert len(rule.remediation) > 80
    assert rule.summary.endswith(".")


@pytest.mark.parametrize("rule_id", EXPECTED)
def test_rule_is_registered_with_the_python_analyzer(rule_id: str) -> None:
    assert rule_id in {r.id for r in python_rules()}

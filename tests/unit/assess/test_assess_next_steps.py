"""Next steps are measured by re-evaluating the assessment with the action done."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden.assess.behaviours import Trait
from aiwarden.assess.evaluate import Inputs, MappedFinding, evaluate
from aiwarden.assess.evidence.interface import EvidenceCheck, ProjectView
from aiwarden.assess.model import Evidence, FindingRef, Polarity, Strength
from aiwarden.assess.next_steps import MAX_STEPS, next_steps
from aiwarden.core.catalogue import load_catalogue


class PolicyCheck(EvidenceCheck):
    id = "docs.policy"
    title = "Publish a vulnerability disclosure policy"
    behaviours = ("OM-4.b",)
    remediation = "Add SECURITY.md with a private reporting channel."

    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        return ()


def ref(rule: str, severity: str = "high") -> FindingRef:
    return FindingRef(rule, f"{rule} title", severity, "app.py", 3, "msg", f"fp-{rule}")


def inputs(findings: tuple[MappedFinding, ...] = (), evidence: tuple[Evidence, ...] = ()) -> Inputs:
    return Inputs(load_catalogue(), dict.fromkeys(Trait, True), evidence, findings, {})


def steps_for(data: Inputs) -> list:  # type: ignore[type-arg]
    current, _ = evaluate(data)
    return list(next_steps(data, current, {}, {PolicyCheck.id: PolicyCheck()}))


def test_fixing_a_rule_that_spans_guidelines_ranks_first() -> None:
    data = inputs(
        findings=(
            MappedFinding(ref("AIW-MOD002", "critical"), ("SD-3.d", "DV-1.b", "DP-2.a")),
            MappedFinding(ref("AIW-PY011", "medium"), ("SD-3.i",)),
        )
    )
    steps = steps_for(data)
    first = steps[0]
    assert first.title.startswith("Fix 1 AIW-MOD002 finding")
    # SD-3 stays partly met: the medium PY011 finding still holds it
    assert set(first.guidelines) == {"DV-1", "DP-2"}
    assert first.finding_fingerprints == ("fp-AIW-MOD002",)
    assert first.gain == 0  # not met -> needs attestation: moved, but no points yet
    assert any(s.title.startswith("Fix 1 AIW-PY011") for s in steps)


def test_info_findings_are_not_steps() -> None:
    data = inputs(findings=(MappedFinding(ref("AIW-MOD001", "info"), ("SD-3.d",)),))
    assert not any("AIW-MOD001" in s.title for s in steps_for(data))


def test_closing_an_evidence_gap_uses_the_check_title_and_remediation() -> None:
    gap = Evidence("docs.policy", "OM-4.b", Polarity.UNDERMINES, Strength.HEURISTIC, "no policy")
    steps = steps_for(inputs(evidence=(gap,)))
    step = next(s for s in steps if s.title == f"Close the gap: {PolicyCheck.title}")
    assert step.detail == PolicyCheck.remediation
    assert step.behaviours == ("OM-4.b",)


def test_attestation_steps_name_the_behaviours_waiting() -> None:
    steps = steps_for(inputs())
    attest = [s for s in steps if s.title.startswith("Attest ")]
    assert attest
    assert all(s.gain > 0 or s.guidelines for s in steps)
    assert len(steps) <= MAX_STEPS
    assert "aiwarden-attestations.yaml" in attest[0].detail


def test_fixes_come_first_ordered_by_guidelines_moved_then_gain() -> None:
    gap = Evidence("docs.policy", "OM-4.b", Polarity.UNDERMINES, Strength.HEURISTIC, "no policy")
    findings = (MappedFinding(ref("AIW-MOD002", "critical"), ("SD-3.d", "DV-1.b")),)
    steps = steps_for(inputs(findings=findings, evidence=(gap,)))
    kinds = [s.title.startswith("Attest ") for s in steps]
    assert kinds == sorted(kinds)
    assert sum(kinds) == 3
    fixes = [s for s in steps if not s.title.startswith("Attest ")]
    keys = [(-len(s.guidelines), -s.gain) for s in fixes]
    assert keys == sorted(keys)
    assert fixes[0].title.startswith("Fix 1 AIW-MOD002")

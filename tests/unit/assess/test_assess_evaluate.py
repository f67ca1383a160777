"""The judgement of behaviours and guidelines (the rules in evaluate's docstring)."""

from __future__ import annotations

import pytest

from aiwarden.assess.behaviours import SPECS, BehaviourSpec, Mode, Trait
from aiwarden.assess.evaluate import Inputs, MappedFinding, evaluate, judge
from aiwarden.assess.model import (
    Attestation,
    AttestationState,
    Evidence,
    FindingRef,
    Polarity,
    Status,
    Strength,
)
from aiwarden.core.catalogue import load_catalogue

MACHINE = BehaviourSpec("SD-3.d", Mode.MACHINE, "Models are scanned.")
MIXED = BehaviourSpec("DP-3.a", Mode.MIXED, "The plan is exercised.")
ATTEST = BehaviourSpec("SD-1.a", Mode.ATTEST, "Leaders were briefed.")
AGENTS_ONLY = BehaviourSpec("SD-3.h", Mode.MACHINE, "Actions restricted.", (Trait.RUNS_AGENTS,))
ALL_TRAITS = dict.fromkeys(Trait, True)


def finding(severity: str, rule: str = "AIW-MOD002", targets: tuple[str, ...] = ()) -> FindingRef:
    return FindingRef(rule, "title", severity, "m.pkl", None, "msg", f"fp-{rule}-{severity}")


def evidence(
    behaviour: str, polarity: Polarity, strength: Strength = Strength.HEURISTIC
) -> Evidence:
    return Evidence("test.check", behaviour, polarity, strength, f"{polarity.value} {behaviour}")


def attestation(state: AttestationState, behaviour: str = "SD-1.a") -> Attestation:
    return Attestation(behaviour, "stmt", "Ann <a@x>", "2026-01-01", "2027-01-01", None, state)


def status(spec: BehaviourSpec, **kwargs: object) -> Status:
    result = judge(
        spec,
        "text",
        kwargs.get("traits", ALL_TRAITS),  # type: ignore[arg-type]
        tuple(kwargs.get("evidence", ())),  # type: ignore[arg-type]
        tuple(kwargs.get("findings", ())),  # type: ignore[arg-type]
        kwargs.get("attestation"),  # type: ignore[arg-type]
    )
    return result.status


def test_nothing_known_needs_attestation() -> None:
    assert status(MACHINE) is Status.NEEDS_ATTESTATION
    assert status(ATTEST) is Status.NEEDS_ATTESTATION


def test_a_high_finding_is_not_met_even_when_attested() -> None:
    valid = attestation(AttestationState.VALID, "SD-3.d")
    supports = [evidence("SD-3.d", Polarity.SUPPORTS, Strength.VERIFIED)]
    assert status(MACHINE, findings=[finding("critical")]) is Status.NOT_MET
    assert (
        status(MACHINE, findings=[finding("high")], attestation=valid, evidence=supports)
        is Status.NOT_MET
    )


def test_medium_or_low_findings_make_it_partly_met_and_info_does_not_count() -> None:
    supports = [evidence("SD-3.d", Polarity.SUPPORTS, Strength.VERIFIED)]
    assert status(MACHINE, findings=[finding("medium")], evidence=supports) is Status.PARTLY_MET
    assert status(MACHINE, findings=[finding("low")]) is Status.PARTLY_MET
    assert status(MACHINE, findings=[finding("info")], evidence=supports) is Status.MET


def test_undermining_evidence_is_not_met_unless_attested() -> None:
    against = [evidence("DP-3.a", Polarity.UNDERMINES)]
    assert status(MIXED, evidence=against) is Status.NOT_MET
    valid = attestation(AttestationState.VALID, "DP-3.a")
    assert status(MIXED, evidence=against, attestation=valid) is Status.PARTLY_MET


def test_document_present_needs_a_person_to_become_met() -> None:
    doc = [evidence("DP-3.a", Polarity.SUPPORTS, Strength.DOCUMENT_PRESENT)]
    assert status(MIXED, evidence=doc) is Status.PARTLY_MET
    valid = attestation(AttestationState.VALID, "DP-3.a")
    assert status(MIXED, evidence=doc, attestation=valid) is Status.MET


def test_machine_support_alone_is_met() -> None:
    assert status(MACHINE, evidence=[evidence("SD-3.d", Polarity.SUPPORTS)]) is Status.MET


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (AttestationState.VALID, Status.MET),
        (AttestationState.EXPIRED, Status.NEEDS_ATTESTATION),
        (AttestationState.UNSIGNED, Status.NEEDS_ATTESTATION),
    ],
)
def test_only_valid_attestations_count(state: AttestationState, expected: Status) -> None:
    result = judge(ATTEST, "t", ALL_TRAITS, (), (), attestation(state))
    assert result.status is expected
    if state is AttestationState.EXPIRED:
        assert "expired on 2027-01-01" in result.reason
    if state is AttestationState.UNSIGNED:
        assert "not signed" in result.reason


def test_behaviour_without_its_trait_is_not_applicable_unless_something_was_found() -> None:
    no_agents = {**ALL_TRAITS, Trait.RUNS_AGENTS: False}
    assert status(AGENTS_ONLY, traits=no_agents) is Status.NOT_APPLICABLE
    result = judge(AGENTS_ONLY, "t", no_agents, (), (), None)
    assert "runs-agents" in result.reason
    assert status(AGENTS_ONLY, traits=no_agents, findings=[finding("high")]) is Status.NOT_MET
    quiet = judge(AGENTS_ONLY, "t", no_agents, (), (finding("medium"),), None)
    assert quiet.status is Status.NOT_APPLICABLE
    assert "1 active lower-severity finding" in quiet.reason
    assert quiet.findings


def test_evidence_is_ordered_undermining_first_then_by_strength() -> None:
    items = (
        evidence("DP-3.a", Polarity.SUPPORTS, Strength.DOCUMENT_PRESENT),
        evidence("DP-3.a", Polarity.SUPPORTS, Strength.VERIFIED),
        evidence("DP-3.a", Polarity.UNDERMINES),
    )
    result = judge(MIXED, "t", ALL_TRAITS, items, (), None)
    assert result.evidence[0].polarity is Polarity.UNDERMINES
    assert result.evidence[1].strength is Strength.VERIFIED


def _inputs(**kwargs: object) -> Inputs:
    base: dict[str, object] = {
        "catalogue": load_catalogue(),
        "traits": ALL_TRAITS,
        "evidence": (),
        "findings": (),
        "attestations": {},
    }
    base.update(kwargs)
    return Inputs(**base)  # type: ignore[arg-type]


def test_an_empty_project_waits_for_attestation_everywhere() -> None:
    guidelines, areas = evaluate(_inputs())
    assert len(guidelines) == 17
    assert {g.status for g in guidelines} == {Status.NEEDS_ATTESTATION}
    assert [a.id for a in areas] == ["SD", "DV", "DP", "OM"]
    assert all(a.score == 0 for a in areas)


def test_guideline_aggregates_its_behaviours() -> None:
    behaviours = [b.id for b in load_catalogue().guideline("DV-3").behaviours]
    support = tuple(evidence(b, Polarity.SUPPORTS, Strength.VERIFIED) for b in behaviours)
    valid = {b: attestation(AttestationState.VALID, b) for b in behaviours}
    guidelines, _ = evaluate(_inputs(evidence=support, attestations=valid))
    dv3 = next(g for g in guidelines if g.id == "DV-3")
    assert dv3.status is Status.MET
    assert dv3.score == 1.0

    half = tuple(evidence(b, Polarity.SUPPORTS, Strength.DOCUMENT_PRESENT) for b in behaviours)
    guidelines, _ = evaluate(_inputs(evidence=half))
    dv3 = next(g for g in guidelines if g.id == "DV-3")
    # DV-3.c is machine-settled (met); DV-3.a/b need a person (partly met)
    assert dv3.status is Status.PARTLY_MET
    assert dv3.score == pytest.approx((1 + 0.5 + 0.5) / 3)


def test_all_behaviours_not_met_make_the_guideline_not_met() -> None:
    behaviours = [b.id for b in load_catalogue().guideline("OM-4").behaviours]
    against = tuple(evidence(b, Polarity.UNDERMINES) for b in behaviours)
    guidelines, _ = evaluate(_inputs(evidence=against))
    assert next(g for g in guidelines if g.id == "OM-4").status is Status.NOT_MET


def test_findings_map_to_behaviours_and_guideline_only_ids_stay_on_the_guideline() -> None:
    mapped = (
        MappedFinding(finding("high", "AIW-IAC002"), ("DP-1", "DP-1.a")),
        MappedFinding(finding("high", "AIW-XTN001"), ("DP-2",)),
    )
    guidelines, _ = evaluate(_inputs(findings=mapped))
    dp1 = next(g for g in guidelines if g.id == "DP-1")
    assert dp1.behaviours[0].status is Status.NOT_MET
    assert not dp1.findings
    dp2 = next(g for g in guidelines if g.id == "DP-2")
    assert [f.rule_id for f in dp2.findings] == ["AIW-XTN001"]


def test_guideline_wide_findings_cap_a_met_guideline() -> None:
    behaviours = [b.id for b in load_catalogue().guideline("DP-1").behaviours]
    support = tuple(evidence(b, Polarity.SUPPORTS, Strength.VERIFIED) for b in behaviours)
    valid = {b: attestation(AttestationState.VALID, b) for b in behaviours}
    plugin = (MappedFinding(finding("medium", "AIW-XTN001"), ("DP-1",)),)
    guidelines, _ = evaluate(_inputs(evidence=support, attestations=valid, findings=plugin))
    dp1 = next(g for g in guidelines if g.id == "DP-1")
    assert dp1.status is Status.PARTLY_MET
    assert dp1.score == 0.5


def test_a_guideline_with_no_applicable_behaviour_is_not_applicable() -> None:
    traits = dict.fromkeys(Trait, False)
    guidelines, _ = evaluate(_inputs(traits=traits))
    om1 = next(g for g in guidelines if g.id == "OM-1")
    assert all(SPECS[b.id].applies_if for b in om1.behaviours)
    assert om1.status is Status.NOT_APPLICABLE
    assert om1.score is None


def test_reasons_are_sentences_even_when_a_summary_has_no_full_stop() -> None:
    item = Evidence("ci.x", "SD-3.d", Polarity.SUPPORTS, Strength.HEURISTIC, "CI runs aiwarden")
    result = judge(MACHINE, "t", ALL_TRAITS, (item,), (), None)
    assert result.reason == "Heuristic: CI runs aiwarden."

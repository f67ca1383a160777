"""From findings, evidence and attestations to a status per behaviour and guideline.

The judgement of one behaviour, in order (the first rule that applies decides):

1. **not applicable** when the behaviour's traits (:mod:`.behaviours`) are all false in
   the profile, unless a high or critical finding shows it matters after all (lower
   findings, such as a missing monitoring plan in a library, stay listed);
2. **not met** when an active finding at or above ``high`` maps to it (an attestation
   cannot outweigh a finding);
3. evidence that *undermines* it (something expected is missing or unsafe): **not met**,
   or **partly met** when a person attests it anyway;
4. **partly met** when active ``medium``/``low`` findings map to it;
5. evidence that *supports* it: **met** for a behaviour a machine can settle; for one
   that needs a person, **met** with a valid attestation and **partly met** without
   ("document present" is never "control verified");
6. otherwise a valid attestation makes it **met**, and without one it **needs
   attestation**.

A guideline is met when all its applicable behaviours are, not met when none is even
partly, needs attestation when every applicable behaviour waits for one, and partly met
otherwise; its score is the mean of its behaviours' points (met 1, partly 0.5).
Findings whose rules name only the guideline (``DP-1``), not a behaviour, cap a met
guideline at partly met when they are ``medium`` or worse.

This module is pure: :func:`evaluate` is called again by :mod:`.next_steps` with one
change applied, to measure what each action would move.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from aiwarden.assess.behaviours import SPECS, BehaviourSpec, Mode, Trait
from aiwarden.assess.model import (
    AreaResult,
    Attestation,
    AttestationState,
    BehaviourResult,
    Evidence,
    FindingRef,
    GuidelineResult,
    Polarity,
    Status,
    Strength,
)
from aiwarden.core.catalogue import Catalogue, Guideline
from aiwarden.core.severity import Severity

_SEVERE = frozenset({Severity.HIGH.value, Severity.CRITICAL.value})
_MINOR = frozenset({Severity.MEDIUM.value, Severity.LOW.value})
_STRENGTH_ORDER = (
    Strength.VERIFIED,
    Strength.ATTESTED,
    Strength.HEURISTIC,
    Strength.DOCUMENT_PRESENT,
)


@dataclass(frozen=True, slots=True)
class MappedFinding:
    """A finding reference with the guideline and behaviour ids its rule names."""

    ref: FindingRef
    targets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Inputs:
    """Everything the judgement reads; :mod:`.next_steps` varies one part at a time."""

    catalogue: Catalogue
    traits: Mapping[Trait, bool]
    evidence: tuple[Evidence, ...]
    findings: tuple[MappedFinding, ...]
    attestations: Mapping[str, Attestation]
    specs: Mapping[str, BehaviourSpec] = field(default_factory=lambda: SPECS)


def evaluate(inputs: Inputs) -> tuple[tuple[GuidelineResult, ...], tuple[AreaResult, ...]]:
    """The result of every guideline and area, in catalogue order."""
    by_behaviour, by_guideline = _index_findings(inputs)
    evidence: dict[str, list[Evidence]] = {}
    for item in inputs.evidence:
        evidence.setdefault(item.behaviour, []).append(item)
    guidelines = tuple(
        _guideline(inputs, g, by_behaviour, by_guideline.get(g.id, []), evidence)
        for g in inputs.catalogue.guidelines
    )
    areas = tuple(
        AreaResult(
            area.id,
            area.title,
            _mean(r.score for r in guidelines if r.area_id == area.id),
            tuple(g.id for g in area.guidelines),
        )
        for area in inputs.catalogue.areas
    )
    return guidelines, areas


def _index_findings(
    inputs: Inputs,
) -> tuple[dict[str, list[FindingRef]], dict[str, list[FindingRef]]]:
    """Findings per behaviour id, and per guideline for rules naming no behaviour of it."""
    by_behaviour: dict[str, list[FindingRef]] = {}
    by_guideline: dict[str, list[FindingRef]] = {}
    for mapped in inputs.findings:
        named = {t for t in mapped.targets if "." in t}
        for target in mapped.targets:
            if "." in target:
                by_behaviour.setdefault(target, []).append(mapped.ref)
            elif not any(b.startswith(target + ".") for b in named):
                by_guideline.setdefault(target, []).append(mapped.ref)
    return by_behaviour, by_guideline


def _guideline(
    inputs: Inputs,
    guideline: Guideline,
    findings: Mapping[str, list[FindingRef]],
    general: list[FindingRef],
    evidence: Mapping[str, list[Evidence]],
) -> GuidelineResult:
    behaviours = tuple(
        judge(
            inputs.specs[b.id],
            b.text,
            inputs.traits,
            tuple(evidence.get(b.id, ())),
            tuple(findings.get(b.id, ())),
            inputs.attestations.get(b.id),
        )
        for b in guideline.behaviours
    )
    status, score = aggregate(behaviours)
    if status is Status.MET and any(f.severity in _SEVERE | {"medium"} for f in general):
        status, score = Status.PARTLY_MET, min(score or 0.0, 0.5)
    return GuidelineResult(
        guideline.id, guideline.title, guideline.area_id, status, score, behaviours, tuple(general)
    )


def aggregate(behaviours: Iterable[BehaviourResult]) -> tuple[Status, float | None]:
    """A guideline's status and score from its behaviours' (rules in the module docstring)."""
    applicable = [b.status for b in behaviours if b.status is not Status.NOT_APPLICABLE]
    if not applicable:
        return Status.NOT_APPLICABLE, None
    score = sum(s.points for s in applicable) / len(applicable)
    if all(s is Status.MET for s in applicable):
        return Status.MET, score
    if all(s is Status.NEEDS_ATTESTATION for s in applicable):
        return Status.NEEDS_ATTESTATION, score
    if not any(s in (Status.MET, Status.PARTLY_MET) for s in applicable):
        return Status.NOT_MET, score
    return Status.PARTLY_MET, score


def judge(
    spec: BehaviourSpec,
    text: str,
    traits: Mapping[Trait, bool],
    evidence: tuple[Evidence, ...],
    findings: tuple[FindingRef, ...],
    attestation: Attestation | None,
) -> BehaviourResult:
    """The status of one behaviour (the rules are in the module docstring)."""
    status, reason = _status(spec, traits, evidence, findings, attestation)
    return BehaviourResult(
        id=spec.id,
        text=text,
        status=status,
        reason=reason,
        evidence=tuple(sorted(evidence, key=_evidence_order)),
        findings=tuple(sorted(findings, key=_finding_order)),
        attestation=attestation,
        attestation_prompt=spec.prompt if spec.mode is not Mode.MACHINE else None,
    )


def _status(
    spec: BehaviourSpec,
    traits: Mapping[Trait, bool],
    evidence: tuple[Evidence, ...],
    findings: tuple[FindingRef, ...],
    attestation: Attestation | None,
) -> tuple[Status, str]:
    attested = attestation is not None and attestation.state is AttestationState.VALID
    severe = [f for f in findings if f.severity in _SEVERE]
    minor = [f for f in findings if f.severity in _MINOR]
    against = [e for e in evidence if e.polarity is Polarity.UNDERMINES]
    support = [e for e in evidence if e.polarity is Polarity.SUPPORTS]
    applies = not spec.applies_if or any(traits.get(t, False) for t in spec.applies_if)
    if not applies and not severe:
        names = " or ".join(t.value for t in spec.applies_if)
        listed = f" ({_count(minor, 'lower-severity finding')[:-1]} listed for reference.)"
        return Status.NOT_APPLICABLE, f"Does not apply: the project is not {names}." + (
            listed if minor else ""
        )
    if severe:
        return Status.NOT_MET, _count(severe, "high or critical finding")
    if against:
        if attested:
            return Status.PARTLY_MET, f"Attested, but: {against[0].summary}"
        return Status.NOT_MET, against[0].summary
    if minor:
        return Status.PARTLY_MET, _count(minor, "medium or low finding")
    if support:
        return _supported(spec, _strongest(support), attestation)
    if attested:
        assert attestation is not None
        return Status.MET, _attested(attestation)
    return Status.NEEDS_ATTESTATION, _unattested(spec, attestation)


def _supported(
    spec: BehaviourSpec, best: Evidence, attestation: Attestation | None
) -> tuple[Status, str]:
    label = _sentence(f"{best.strength.value.capitalize()}: {best.summary}")
    if spec.mode is Mode.MACHINE:
        return Status.MET, label
    if attestation is not None and attestation.state is AttestationState.VALID:
        return Status.MET, f"{label} {_attested(attestation)}"
    missing = _unattested(spec, attestation).removeprefix("No machine evidence. ")
    return Status.PARTLY_MET, f"{label} Not yet confirmed by a person: {missing}"


def _sentence(text: str) -> str:
    """``text`` ending with a full stop (evidence summaries may come without one)."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _attested(attestation: Attestation) -> str:
    return (
        f"Attested by {attestation.attested_by} on {attestation.date}"
        f" (expires {attestation.expires})."
    )


def _unattested(spec: BehaviourSpec, attestation: Attestation | None) -> str:
    if attestation is not None and attestation.state is AttestationState.EXPIRED:
        return f"The attestation expired on {attestation.expires}; renew: {spec.prompt}"
    if attestation is not None and attestation.state is AttestationState.UNSIGNED:
        return f"The attestation entry is not signed (attested_by is empty): {spec.prompt}"
    return f"No machine evidence. Attest: {spec.prompt}"


def _count(findings: list[FindingRef], what: str) -> str:
    rules = sorted({f.rule_id for f in findings})
    shown = ", ".join(rules[:4]) + (", ..." if len(rules) > 4 else "")
    return f"{len(findings)} active {what}{'s' if len(findings) != 1 else ''} ({shown})."


def _strongest(items: list[Evidence]) -> Evidence:
    return min(items, key=lambda e: _STRENGTH_ORDER.index(e.strength))


def _evidence_order(item: Evidence) -> tuple[int, int, str]:
    return (
        0 if item.polarity is Polarity.UNDERMINES else 1,
        _STRENGTH_ORDER.index(item.strength),
        item.check,
    )


def _finding_order(ref: FindingRef) -> tuple[int, str, int, str]:
    order = [s.value for s in Severity]
    return (-order.index(ref.severity), ref.path, ref.line or 0, ref.rule_id)


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None

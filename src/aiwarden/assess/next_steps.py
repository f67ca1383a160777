"""Prioritised next steps: the few actions that move the most guidelines.

Candidate actions come from the assessment itself:

* fixing the active findings of one rule (its remediation, the findings listed);
* resolving what one evidence check found missing (its remediation);
* recording the attestations one guideline waits for.

Each candidate is *measured*, not guessed: the assessment is evaluated again with the
action done (the rule's findings gone, the check's gap closed, the attestations valid)
and the step records which guidelines changed status and how many score points they
gained. Steps are ranked by guidelines moved, then points gained, with one exception:
recording attestations only documents controls, it changes nothing in the system, so
attestation steps come after every fix and gap (at most :data:`MAX_ATTESTATION_STEPS`
of them). Fixing a finding
can move a guideline without gaining points (from "not met" to "needs attestation"
when nothing else speaks for the behaviour); that still counts as moving it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping

from aiwarden.assess.evaluate import Inputs, MappedFinding, evaluate
from aiwarden.assess.evidence.interface import EvidenceCheck
from aiwarden.assess.model import (
    Attestation,
    AttestationState,
    Evidence,
    GuidelineResult,
    NextStep,
    Polarity,
    Status,
    Strength,
)
from aiwarden.core.rule import Rule

MAX_STEPS = 8
MAX_ATTESTATION_STEPS = 3


@dataclasses.dataclass(frozen=True, slots=True)
class _Candidate:
    title: str
    detail: str
    inputs: Inputs
    behaviours: tuple[str, ...]
    fingerprints: tuple[str, ...] = ()
    paperwork: bool = False
    """True for steps that record attestations rather than change the system."""


def next_steps(
    inputs: Inputs,
    current: tuple[GuidelineResult, ...],
    rules: Mapping[str, Rule],
    checks: Mapping[str, EvidenceCheck],
) -> tuple[NextStep, ...]:
    """The best :data:`MAX_STEPS` actions, most guidelines moved first."""
    before = {g.id: g for g in current}
    steps: list[tuple[bool, NextStep]] = []
    for candidate in _candidates(inputs, current, rules, checks):
        after, _ = evaluate(candidate.inputs)
        moved = tuple(g.id for g in after if g.status is not before[g.id].status)
        gain = max(0.0, _overall(after) - _overall(current))
        if not moved and gain <= 1e-9:
            continue
        guidelines = tuple(sorted({b.split(".", 1)[0] for b in candidate.behaviours}))
        steps.append(
            (
                candidate.paperwork,
                NextStep(
                    title=candidate.title,
                    detail=candidate.detail,
                    behaviours=candidate.behaviours,
                    guidelines=moved or guidelines,
                    finding_fingerprints=candidate.fingerprints,
                    gain=round(gain, 4),
                ),
            )
        )
    steps.sort(key=lambda s: (s[0], -len(s[1].guidelines), -s[1].gain, s[1].title))
    fixes = [step for paperwork, step in steps if not paperwork]
    records = [step for paperwork, step in steps if paperwork][:MAX_ATTESTATION_STEPS]
    return tuple([*fixes, *records][:MAX_STEPS])


def _overall(guidelines: tuple[GuidelineResult, ...]) -> float:
    """The scorecard's score: the mean over applicable guidelines (0..1)."""
    scores = [g.score for g in guidelines if g.score is not None]
    return sum(scores) / len(scores) if scores else 0.0


def _candidates(
    inputs: Inputs,
    current: tuple[GuidelineResult, ...],
    rules: Mapping[str, Rule],
    checks: Mapping[str, EvidenceCheck],
) -> Iterator[_Candidate]:
    yield from _fix_rules(inputs, rules)
    yield from _close_gaps(inputs, checks)
    yield from _attest(inputs, current)


def _fix_rules(inputs: Inputs, rules: Mapping[str, Rule]) -> Iterator[_Candidate]:
    per_rule: dict[str, list[MappedFinding]] = {}
    for mapped in inputs.findings:
        if mapped.ref.severity != "info":
            per_rule.setdefault(mapped.ref.rule_id, []).append(mapped)
    for rule_id, group in sorted(per_rule.items()):
        rule = rules.get(rule_id)
        title = rule.title if rule else group[0].ref.title
        rest = tuple(m for m in inputs.findings if m.ref.rule_id != rule_id)
        behaviours = tuple(sorted({t for m in group for t in m.targets if "." in t}))
        yield _Candidate(
            title=f"Fix {len(group)} {rule_id} finding{'s' if len(group) > 1 else ''}: {title}",
            detail=rule.remediation if rule else "",
            inputs=dataclasses.replace(inputs, findings=rest),
            behaviours=behaviours or tuple(sorted({t for m in group for t in m.targets})),
            fingerprints=tuple(m.ref.fingerprint for m in group),
        )


def _close_gaps(inputs: Inputs, checks: Mapping[str, EvidenceCheck]) -> Iterator[_Candidate]:
    gaps: dict[str, list[Evidence]] = {}
    for item in inputs.evidence:
        if item.polarity is Polarity.UNDERMINES:
            gaps.setdefault(item.check, []).append(item)
    for check_id, items in sorted(gaps.items()):
        check = checks.get(check_id)
        kept = [e for e in inputs.evidence if not (e.check == check_id and e in items)]
        closed = [
            dataclasses.replace(e, polarity=Polarity.SUPPORTS, strength=Strength.HEURISTIC)
            for e in items
        ]
        yield _Candidate(
            title=f"Close the gap: {check.title if check else check_id}",
            detail=check.remediation if check else items[0].summary,
            inputs=dataclasses.replace(inputs, evidence=(*kept, *closed)),
            behaviours=tuple(sorted({e.behaviour for e in items})),
        )


def _attest(inputs: Inputs, current: tuple[GuidelineResult, ...]) -> Iterator[_Candidate]:
    for guideline in current:
        waiting = [
            b
            for b in guideline.behaviours
            if b.attestation_prompt is not None
            and b.status in (Status.NEEDS_ATTESTATION, Status.PARTLY_MET)
            and not b.findings
            and not any(e.polarity is Polarity.UNDERMINES for e in b.evidence)
        ]
        if not waiting:
            continue
        attestations = dict(inputs.attestations)
        for behaviour in waiting:
            attestations[behaviour.id] = Attestation(
                behaviour.id, "(planned)", "(you)", None, None, None, AttestationState.VALID
            )
        ids = tuple(b.id for b in waiting)
        yield _Candidate(
            title=f"Attest {guideline.id} ({guideline.title}): {', '.join(ids)}",
            detail=(
                "Confirm these in aiwarden-attestations.yaml (aiwarden attest init writes "
                "a template), each signed, dated, with an evidence link and an expiry: "
                + " ".join(f"{b.id}: {b.attestation_prompt}" for b in waiting)
            ),
            inputs=dataclasses.replace(inputs, attestations=attestations),
            behaviours=ids,
            paperwork=True,
        )

"""The JSON scorecard: an explicit, versioned output model with a published JSON Schema.

Built field by field from :mod:`aiwarden.assess.model` (never ``dataclasses.asdict``),
so a change in the model cannot silently change the contract. Schema:
``schemas/assessment-v1.schema.json``; consumers should ignore unknown fields, and a
breaking change bumps ``schema_version``.
"""

from __future__ import annotations

import json
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Final, cast

from aiwarden.assess.model import (
    Attestation,
    BehaviourResult,
    Evidence,
    FindingRef,
    GuidelineResult,
    NextStep,
    Scorecard,
)
from aiwarden.outputs._common import JSONObject
from aiwarden.outputs.assessment.interface import AssessmentRenderer

ASSESSMENT_SCHEMA_PATH: Final[Traversable] = resources.files("aiwarden.outputs").joinpath(
    "schemas", "assessment-v1.schema.json"
)


def load_assessment_schema() -> JSONObject:
    """The JSON Schema (draft 2020-12) of the scorecard, parsed."""
    return cast(JSONObject, json.loads(ASSESSMENT_SCHEMA_PATH.read_text(encoding="utf-8")))


def _score(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _evidence(item: Evidence) -> JSONObject:
    return {
        "check": item.check,
        "polarity": item.polarity.value,
        "strength": item.strength.value,
        "summary": item.summary,
        "paths": list(item.paths),
    }


def _finding(ref: FindingRef) -> JSONObject:
    return {
        "rule_id": ref.rule_id,
        "title": ref.title,
        "severity": ref.severity,
        "path": ref.path,
        "line": ref.line,
        "message": ref.message,
        "fingerprint": ref.fingerprint,
    }


def _attestation(item: Attestation | None) -> JSONObject | None:
    if item is None:
        return None
    return {
        "state": item.state.value,
        "statement": item.statement,
        "attested_by": item.attested_by,
        "date": item.date,
        "expires": item.expires,
        "evidence_url": item.evidence_url,
        "source": item.source,
    }


def _behaviour(result: BehaviourResult) -> JSONObject:
    return {
        "id": result.id,
        "text": result.text,
        "status": result.status.value,
        "reason": result.reason,
        "evidence": [_evidence(e) for e in result.evidence],
        "findings": [_finding(f) for f in result.findings],
        "attestation": _attestation(result.attestation),
        "attestation_prompt": result.attestation_prompt,
    }


def _guideline(result: GuidelineResult) -> JSONObject:
    return {
        "id": result.id,
        "title": result.title,
        "area": result.area_id,
        "status": result.status.value,
        "score": _score(result.score),
        "behaviours": [_behaviour(b) for b in result.behaviours],
        "findings": [_finding(f) for f in result.findings],
    }


def _step(step: NextStep) -> JSONObject:
    return {
        "title": step.title,
        "detail": step.detail,
        "behaviours": list(step.behaviours),
        "guidelines": list(step.guidelines),
        "finding_fingerprints": list(step.finding_fingerprints),
        "gain": step.gain,
    }


def scorecard_to_json(scorecard: Scorecard) -> JSONObject:
    """The JSON document for ``scorecard``."""
    counts = scorecard.status_counts()
    return {
        "schema_version": scorecard.schema_version,
        "tool": {"name": "aiwarden", "version": scorecard.tool_version},
        "project": scorecard.project,
        "generated_at": scorecard.generated_at,
        "score": _score(scorecard.score),
        "status_counts": {status.value: n for status, n in counts.items()},
        "scan": {
            "files_scanned": scorecard.scan.files_scanned,
            "files_failed": scorecard.scan.files_failed,
            "complete": scorecard.scan.complete,
            "findings_by_severity": dict(sorted(scorecard.scan.findings_by_severity.items())),
            "suppressed": scorecard.scan.suppressed,
        },
        "profile": [
            {"trait": f.name, "value": f.value, "source": f.source, "reason": f.reason}
            for f in scorecard.profile
        ],
        "areas": [
            {
                "id": a.id,
                "title": a.title,
                "score": _score(a.score),
                "guidelines": list(a.guideline_ids),
            }
            for a in scorecard.areas
        ],
        "guidelines": [_guideline(g) for g in scorecard.guidelines],
        "next_steps": [_step(s) for s in scorecard.next_steps],
        "attestations_file": scorecard.attestations_file,
        "attestation_problems": list(scorecard.attestation_problems),
        "history": [
            {"generated_at": p.generated_at, "score": _score(p.score), "statuses": dict(p.statuses)}
            for p in scorecard.history
        ],
        "warnings": list(scorecard.warnings),
    }


class AssessmentJsonRenderer(AssessmentRenderer):
    """``aiwarden assess --format json``."""

    def render(self, scorecard: Scorecard) -> str:
        """Indented JSON with a trailing newline."""
        return json.dumps(scorecard_to_json(scorecard), indent=2, ensure_ascii=False) + "\n"

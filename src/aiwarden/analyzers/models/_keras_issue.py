"""One problem found in a Keras model, before it becomes a located finding."""

from __future__ import annotations

from dataclasses import dataclass

from aiwarden.core.rule import Rule
from aiwarden.core.severity import Confidence, Severity


@dataclass(frozen=True, slots=True)
class Issue:
    """A rule, a message and evidence; ``key`` identifies it for fingerprints and dedup."""

    rule: Rule
    message: str
    evidence: str
    key: str
    severity: Severity | None = None
    confidence: Confidence = Confidence.HIGH

"""One problem found in a Keras model, before it becomes a located finding."""

from __future__ import annotations

from typing import NamedTuple

from aiwarden.core.rule import Rule
from aiwarden.core.severity import Confidence, Severity


class Issue(NamedTuple):
    """A rule, a message and evidence; ``key`` identifies it for fingerprints and dedup.

    A named tuple rather than a dataclass: it is created at import on every scan, where
    a named tuple costs a tenth as much, and issues are only built and read.
    """

    rule: Rule
    message: str
    evidence: str
    key: str
    severity: Severity | None = None
    confidence: Confidence = Confidence.HIGH

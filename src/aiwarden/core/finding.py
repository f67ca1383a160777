"""A finding: one defect, at one location, reported by one rule."""

from __future__ import annotations

from dataclasses import dataclass

from aiwarden.core.location import Location
from aiwarden.core.rule import Rule
from aiwarden.core.severity import Confidence, Severity

MAX_EVIDENCE_CHARS = 500


@dataclass(frozen=True, slots=True)
class Finding:
    """One defect found by an analyzer.

    ``fingerprint_key`` is the content that identifies this finding independently of
    where it sits in the file (a normalised code line, a pickle global name, a config
    key path). It feeds the fingerprint used by baselines and SARIF, so it must not
    contain line numbers. When empty, the message is used.

    ``related`` holds secondary locations (for example the source of a taint flow).
    ``evidence`` is a short excerpt shown to users; secrets must already be redacted.
    """

    rule: Rule
    message: str
    location: Location
    severity: Severity
    confidence: Confidence = Confidence.HIGH
    evidence: str | None = None
    fingerprint_key: str = ""
    related: tuple[Location, ...] = ()

    def __post_init__(self) -> None:
        if self.evidence is not None and len(self.evidence) > MAX_EVIDENCE_CHARS:
            object.__setattr__(self, "evidence", self.evidence[: MAX_EVIDENCE_CHARS - 1] + "…")

    @property
    def rule_id(self) -> str:
        """The id of the rule that produced this finding."""
        return self.rule.id

    @property
    def identity(self) -> str:
        """The line-independent content that identifies this finding within its file."""
        return self.fingerprint_key or self.message


def make_finding(
    rule: Rule,
    location: Location,
    message: str,
    *,
    severity: Severity | None = None,
    confidence: Confidence = Confidence.HIGH,
    evidence: str | None = None,
    fingerprint_key: str = "",
    related: tuple[Location, ...] = (),
) -> Finding:
    """Build a finding for ``rule``, defaulting its severity to the rule's."""
    return Finding(
        rule=rule,
        message=message,
        location=location,
        severity=severity if severity is not None else rule.severity,
        confidence=confidence,
        evidence=evidence,
        fingerprint_key=fingerprint_key,
        related=related,
    )

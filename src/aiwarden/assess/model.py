"""The assessment's output model: a scorecard per guideline and behaviour.

Every renderer (text, JSON, Markdown, HTML) and the history store read these objects
and nothing else; the JSON rendering of :class:`Scorecard` is the versioned contract
(``schema_version``, schema in ``aiwarden/outputs/schemas``).

Vocabulary.

* A **status** is what the assessment concludes for a behaviour or guideline.
* An **evidence** item is one observation by an evidence check: it *supports* or
  *undermines* a behaviour, with a **strength** that keeps "a document exists" apart
  from "a control was verified by machine" and from "a person attests it".
* A **finding reference** is a scan finding mapped to the behaviour through its rule's
  guideline ids; findings always undermine.
* An **attestation** is a person's signed, dated, expiring statement about a behaviour.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

SCHEMA_VERSION = "1.0"


class Status(enum.Enum):
    """How a behaviour or guideline stands."""

    MET = "met"
    PARTLY_MET = "partly met"
    NOT_MET = "not met"
    NEEDS_ATTESTATION = "needs attestation"
    NOT_APPLICABLE = "not applicable"

    @property
    def points(self) -> float:
        """Contribution to a score: met 1, partly met 0.5, anything else 0."""
        return {Status.MET: 1.0, Status.PARTLY_MET: 0.5}.get(self, 0.0)


class Strength(enum.Enum):
    """How strong one piece of evidence is, weakest last."""

    VERIFIED = "verified"
    """Machine-checked: hashes that match, a lock file with hashes, no unsafe formats."""
    ATTESTED = "attested"
    """A person signed a statement (an entry of the attestations file)."""
    HEURISTIC = "heuristic"
    """A pattern was found or is missing (a CI step, a dependency, a keyword)."""
    DOCUMENT_PRESENT = "document present"
    """A document exists with the expected sections; whether it is followed is not known."""


class Polarity(enum.Enum):
    """Whether evidence argues for or against a behaviour."""

    SUPPORTS = "supports"
    UNDERMINES = "undermines"


@dataclass(frozen=True, slots=True)
class Evidence:
    """One observation of an evidence check about one behaviour.

    ``check`` is the stable id of the check (``docs.security-policy``); ``paths`` are
    project-relative files the observation is about (links in the HTML report).
    """

    check: str
    behaviour: str
    polarity: Polarity
    strength: Strength
    summary: str
    paths: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FindingRef:
    """A scan finding as the scorecard shows it."""

    rule_id: str
    title: str
    severity: str
    path: str
    line: int | None
    message: str
    fingerprint: str


class AttestationState(enum.Enum):
    """Whether an attestation counts."""

    VALID = "valid"
    EXPIRED = "expired"
    UNSIGNED = "unsigned"
    """No ``attested_by`` (a template entry not yet filled in)."""
    MISSING = "missing"
    """The behaviour asks for an attestation and the file has no entry for it."""


@dataclass(frozen=True, slots=True)
class Attestation:
    """A person's statement about one behaviour, as read from the attestations file."""

    behaviour: str
    statement: str
    attested_by: str
    date: str | None
    expires: str | None
    evidence_url: str | None
    state: AttestationState
    source: str = ""
    """``file:line`` of the entry, empty for a missing one."""


@dataclass(frozen=True, slots=True)
class BehaviourResult:
    """The status of one behaviour (``SD-3.d``) and everything behind it."""

    id: str
    text: str
    status: Status
    reason: str
    """One sentence: why this status (shown beside it in every format)."""
    evidence: tuple[Evidence, ...] = ()
    findings: tuple[FindingRef, ...] = ()
    attestation: Attestation | None = None
    attestation_prompt: str | None = None
    """What a person should attest for this behaviour, when it takes attestations."""


@dataclass(frozen=True, slots=True)
class GuidelineResult:
    """The status of one guideline (``SD-3``), aggregated over its behaviours."""

    id: str
    title: str
    area_id: str
    status: Status
    score: float | None
    """0..1 over applicable behaviours; None when none applies."""
    behaviours: tuple[BehaviourResult, ...]
    findings: tuple[FindingRef, ...] = ()
    """Findings whose rules name the guideline but none of its behaviours."""


@dataclass(frozen=True, slots=True)
class AreaResult:
    """One of the four lifecycle areas with its guidelines' score."""

    id: str
    title: str
    score: float | None
    guideline_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ProfileFlag:
    """One trait of the project that decides which behaviours apply."""

    name: str
    value: bool
    source: str
    """``detected`` or ``config``."""
    reason: str
    """What was seen (``imports openai in app.py``) or where the override is."""


@dataclass(frozen=True, slots=True)
class NextStep:
    """An action, ranked by how much of the scorecard it would move."""

    title: str
    detail: str
    behaviours: tuple[str, ...]
    guidelines: tuple[str, ...]
    finding_fingerprints: tuple[str, ...] = ()
    gain: float = 0.0
    """How much the overall score (0..1) would rise if the step were done."""


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """A previous assessment recorded with ``--history``."""

    generated_at: str
    score: float | None
    statuses: dict[str, str]
    """Guideline id -> status value."""


@dataclass(frozen=True, slots=True)
class ScanSummary:
    """What the underlying scan covered."""

    files_scanned: int
    files_failed: int
    complete: bool
    findings_by_severity: dict[str, int]
    suppressed: int


@dataclass(frozen=True, slots=True)
class Scorecard:
    """A whole assessment."""

    tool_version: str
    project: str
    """Display name of the assessed directory."""
    generated_at: str
    scan: ScanSummary
    profile: tuple[ProfileFlag, ...]
    areas: tuple[AreaResult, ...]
    guidelines: tuple[GuidelineResult, ...]
    next_steps: tuple[NextStep, ...]
    attestations_file: str | None
    """Project-relative path of the attestations file read, None when there is none."""
    attestation_problems: tuple[str, ...] = ()
    """Entries that need attention (expiring soon, superseded), each ``file:line: message``.
    An invalid file stops the assessment instead."""
    history: tuple[TrendPoint, ...] = ()
    """Earlier assessments of the same project, oldest first (``--history``)."""
    schema_version: str = SCHEMA_VERSION
    warnings: tuple[str, ...] = field(default=())
    root: str = ""
    """Absolute path of the scan root that finding and evidence paths are relative to."""

    @property
    def score(self) -> float | None:
        """Mean of the applicable guidelines' scores (0..1)."""
        scores = [g.score for g in self.guidelines if g.score is not None]
        return sum(scores) / len(scores) if scores else None

    def status_counts(self) -> dict[Status, int]:
        """Guidelines per status, every status present."""
        counts = dict.fromkeys(Status, 0)
        for guideline in self.guidelines:
            counts[guideline.status] += 1
        return counts

    def changes_since_last(self) -> list[tuple[str, str, str]]:
        """(guideline id, previous status, current status) for each that changed since
        the most recent run in :attr:`history`; empty without history."""
        if not self.history:
            return []
        before = self.history[-1].statuses
        return [
            (g.id, before[g.id], g.status.value)
            for g in self.guidelines
            if g.id in before and before[g.id] != g.status.value
        ]

    def guideline(self, guideline_id: str) -> GuidelineResult:
        """The result for ``guideline_id``; KeyError when unknown."""
        for guideline in self.guidelines:
            if guideline.id == guideline_id:
                return guideline
        raise KeyError(guideline_id)

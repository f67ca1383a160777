"""The threat model and design decisions: SD-2.a..d, SD-4.a and SD-4.b."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import ClassVar, Final

from aiwarden.analyzers.governance.documents import GovDoc
from aiwarden.analyzers.governance.policies import MAX_AGE_DAYS, THREAT_FILES, review_date
from aiwarden.assess.evidence import _docs_vocab as v
from aiwarden.assess.evidence._docs_base import (
    covering,
    labels_covered,
    load_all,
    locate,
    names,
    series,
    subject,
    where,
)
from aiwarden.assess.evidence._docs_project import ai_reason, source_heads
from aiwarden.assess.evidence._docs_text import covered_in, lacking, problems
from aiwarden.assess.evidence.interface import EvidenceCheck, ProjectView
from aiwarden.assess.model import Evidence, Strength

MODEL_FILES: Final = (
    *THREAT_FILES,
    "THREATMODEL.md",
    "threat-model/*",
    "threat_model/*",
    "threatmodel/*",
    "docs/threat-model/*",
    "docs/threat_model/*",
    "docs/security/threat*/*",
    "**/*.tm7",
    "**/threagile.yaml",
    "**/threagile.yml",
    "**/*.threatdragon.json",
)
ADR_FILES: Final = (
    "docs/adr/*",
    "docs/adrs/*",
    "docs/decisions/*",
    "docs/architecture/decisions/*",
    "docs/design/*",
    "adr/*",
    "adrs/*",
    "decisions/*",
    "doc/adr/*",
    "doc/decisions/*",
)
_PYTM: Final = re.compile(
    r"^[ \t]*(?:from[ \t]+pytm(?:\.\w+)*[ \t]+import|import[ \t]+pytm)\b", re.M
)
_DRAGON_KEYS: Final = ('"summary"', '"detail"', '"diagrams"')
"""Top-level keys of an OWASP Threat Dragon model (v1 and v2)."""


class ThreatModelCheck(EvidenceCheck):
    """A threat model and its coverage (SD-2.*), and documented model choice (SD-4.*).

    Negative evidence: a missing threat model undermines SD-2.a and SD-2.b, and one
    that names no AI threat undermines SD-2.b, for AI projects only (AIW-GOV005 also
    reports both, which alone would make the behaviours only "partly met"); a dated
    threat model older than 12 months undermines SD-2.d, which no finding maps to.
    """

    id: ClassVar[str] = "docs.threat-model"
    title: ClassVar[str] = "Threat model"
    behaviours: ClassVar[tuple[str, ...]] = (
        "SD-2.a",
        "SD-2.b",
        "SD-2.c",
        "SD-2.d",
        "SD-4.a",
        "SD-4.b",
    )
    remediation: ClassVar[str] = (
        "Write THREAT_MODEL.md (or keep a Threat Dragon, threagile or pytm model in the "
        "repository) with: the assets and the sensitivity of the data they hold; the "
        "AI-specific threats (prompt injection, data and model poisoning, model "
        "extraction, agent tool abuse, AI supply chain), citing MITRE ATLAS AML.T ids and "
        "OWASP LLM Top 10 ids, each with its mitigation; the impact on users, the "
        "organisation and wider society if an AI component fails or is compromised; why "
        "the model was chosen and what was traded off (provenance, licence, size, "
        "robustness), or an ADR under docs/adr/; a 'Last reviewed: YYYY-MM-DD' line and "
        "the review schedule."
    )

    def __init__(self, today: Callable[[], dt.date] = dt.date.today) -> None:
        self._today = today

    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        """Yield what the threat model and the decision records show."""
        paths = locate(project, MODEL_FILES)
        paths += [p for p in _tool_models(project) if p not in paths]
        docs = load_all(project, paths)
        reason = ai_reason(project)
        if not paths:
            if reason is not None:
                yield from self._missing(project, reason)
        else:
            yield from self._coverage(project, paths, docs, reason)
            yield from self._review(project, docs)
        yield from self._decisions(project, docs)

    def _missing(self, project: ProjectView, reason: str) -> Iterator[Evidence]:
        summary = (
            f"No threat model was found in {where(project)} (looked for THREAT_MODEL.md, "
            "threat-model/, docs/threat-model*, *.tm7, threagile.yaml, Threat Dragon JSON and "
            f"pytm scripts) although it is an AI project ({reason})."
        )
        yield self.undermines("SD-2.a", summary)
        yield self.undermines("SD-2.b", summary)

    def _coverage(
        self, project: ProjectView, paths: list[str], docs: list[GovDoc], reason: str | None
    ) -> Iterator[Evidence]:
        shown = names(project, paths)
        covered, _ = labels_covered(docs, v.AI_THREATS)
        if covered:
            yield self.supports(
                "SD-2.b",
                f"The threat model ({shown}) covers AI-specific threats: "
                f"{series(covered)}{problems(docs)}.",
                Strength.DOCUMENT_PRESENT,
                paths,
            )
        elif unread := [p for p in paths if p not in {d.relpath for d in docs}]:
            yield self.supports(
                "SD-2.b",
                f"A threat model is kept in a modelling tool's format "
                f"({names(project, unread)}); its content was not analysed.",
                Strength.HEURISTIC,
                unread,
            )
        elif reason is not None:
            yield self.undermines(
                "SD-2.b",
                f"The threat model ({shown}) names no AI-specific threat (prompt injection, "
                "poisoning, model extraction, agent tool abuse, AI supply chain, ATLAS or "
                f"OWASP LLM ids) although it is an AI project ({reason}).",
                paths=paths,
            )
        for behaviour, topic, what in (
            ("SD-2.a", v.IMPACT, "the impact on users, the organisation or society"),
            ("SD-2.c", v.DATA_SENSITIVITY, "the sensitivity of the data"),
        ):
            found = [d.relpath for d in covering(docs, topic)]
            if found:
                yield self.supports(
                    behaviour,
                    f"The threat model ({names(project, found)}) covers {what}.",
                    Strength.DOCUMENT_PRESENT,
                    found,
                )

    def _review(self, project: ProjectView, docs: Sequence[GovDoc]) -> Iterator[Evidence]:
        dated = [(d, day) for d in docs if (day := review_date(d)) is not None]
        scheduled = [d for d in docs if covered_in([d], v.REVIEW_SCHEDULE)]
        if dated:
            doc, newest = max(dated, key=lambda pair: pair[1])
            age = (self._today() - newest).days
            if age > MAX_AGE_DAYS:
                yield self.undermines(
                    "SD-2.d",
                    f"The threat model ({names(project, [doc.relpath])}) was last updated on "
                    f"{newest.isoformat()}, {age} days ago: it has not been reassessed as "
                    "threats grew.",
                    paths=[doc.relpath],
                )
                return
            schedule = "; it states a review schedule" if scheduled else ""
            yield self.supports(
                "SD-2.d",
                f"The threat model ({names(project, [doc.relpath])}) was last updated on "
                f"{newest.isoformat()}{schedule}.",
                Strength.DOCUMENT_PRESENT,
                [doc.relpath],
            )
        elif scheduled:
            yield self.supports(
                "SD-2.d",
                f"The threat model ({names(project, [d.relpath for d in scheduled])}) states a "
                "review schedule (no last-reviewed date).",
                Strength.HEURISTIC,
                [d.relpath for d in scheduled],
            )

    def _decisions(self, project: ProjectView, docs: list[GovDoc]) -> Iterator[Evidence]:
        records = load_all(project, locate(project, ADR_FILES))
        selection = covering(records + docs, v.MODEL_SELECTION)
        modelled = {d.relpath for d in docs}
        secured = [
            d for d in selection if d.relpath in modelled or covered_in([d], v.SECURITY_TERMS)
        ]
        adrs = covering(records, v.SECURITY_TERMS)
        if adrs:
            paths = [d.relpath for d in adrs]
            yield self.supports(
                "SD-2.b",
                f"Decision records ({names(project, paths)}) document security decisions.",
                Strength.HEURISTIC,
                paths,
            )
        if selection:
            paths = [d.relpath for d in selection]
            yield self.supports(
                "SD-4.b",
                f"{subject(project, paths, 'The design documentation')} "
                "documents why the model was chosen"
                f"{lacking([] if secured else ['security trade-offs'])}.",
                Strength.HEURISTIC,
                paths,
            )
        if secured:
            paths = [d.relpath for d in secured]
            yield self.supports(
                "SD-4.a",
                f"{subject(project, paths, 'The design documentation')} "
                "relates the model choice to threats or security.",
                Strength.HEURISTIC,
                paths,
            )


def _tool_models(project: ProjectView) -> list[str]:
    """pytm scripts and Threat Dragon JSON models not found by name."""
    return [
        relpath
        for relpath, head in source_heads(project, (".py", ".json"))
        if _is_tool_model(relpath, head)
    ]


def _is_tool_model(relpath: str, head: str) -> bool:
    if relpath.endswith(".py"):
        return _PYTM.search(head) is not None
    return all(key in head for key in _DRAGON_KEYS)

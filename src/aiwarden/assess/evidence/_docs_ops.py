"""Lifecycle and operations documents: the changelog, retirement, debt, the monitoring plan."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import ClassVar, Final

from aiwarden.analyzers.governance import topics as t
from aiwarden.analyzers.governance.documents import GovDoc
from aiwarden.analyzers.governance.policies import MONITORING_FILES
from aiwarden.assess.evidence import _docs_vocab as v
from aiwarden.assess.evidence._docs_base import (
    covering,
    load_all,
    locate,
    names,
    quote,
    series,
    subject,
)
from aiwarden.assess.evidence._docs_text import covered_in
from aiwarden.assess.evidence.interface import EvidenceCheck, ProjectView
from aiwarden.assess.model import Evidence, Strength

CHANGELOG_FILES: Final = (
    "CHANGELOG.md",
    "CHANGELOG.rst",
    "CHANGELOG",
    "CHANGES.md",
    "CHANGES.rst",
    "HISTORY.md",
    "HISTORY.rst",
    "NEWS.md",
    "RELEASE_NOTES.md",
    "RELEASES.md",
    "docs/changelog*",
    "docs/changes*",
    "docs/release*notes*",
    "docs/releases/*.md",
)
DEBT_FILES: Final = (
    "TECH_DEBT.md",
    "TECHDEBT.md",
    "TECHNICAL_DEBT.md",
    "TECH-DEBT.md",
    "DEBT.md",
    "docs/tech*debt*",
    "docs/technical*debt*",
)
PROJECT_DOCS: Final = ("*.md", "*.rst", "docs/*.md", "docs/*/*.md")
PLAN_FILES: Final = (
    *MONITORING_FILES,
    "docs/*/monitoring*",
    "docs/*/observability*",
    "docs/monitoring/*.md",
    "docs/observability/*.md",
)
MAX_ENTRIES: Final = 50
"""Changelog entries about model, prompt or data changes counted (the rest are not)."""


class LifecycleCheck(EvidenceCheck):
    """Changelog entries for AI changes (OM-3.b/c), retirement plans (DV-4.c), debt (DV-4.a).

    Positive evidence only: the guidelines ask for these, but a project without them
    is not shown to be lacking the practice (a debt register may live in an issue
    tracker), so their absence is left to attestation.
    """

    id: ClassVar[str] = "docs.lifecycle"
    title: ClassVar[str] = "Lifecycle records"
    behaviours: ClassVar[tuple[str, ...]] = ("DV-4.a", "DV-4.c", "OM-3.b", "OM-3.c")
    remediation: ClassVar[str] = (
        "Keep a CHANGELOG.md with a section per release that records model, prompt and "
        "dataset changes (which model or revision, what was re-evaluated) and deprecation "
        "notices with dates; document how the system and its models are decommissioned "
        "(a 'Decommissioning' section: retiring endpoints, deleting weights, data and logs, "
        "revoking keys); and keep a technical-debt register (TECH_DEBT.md or a labelled "
        "issue list linked from the README)."
    )

    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        """Yield evidence from the changelog and the project's documents."""
        changelogs = load_all(project, locate(project, CHANGELOG_FILES))
        yield from self._changelog(project, changelogs)
        docs = load_all(project, locate(project, PROJECT_DOCS))
        retired = covering(docs, v.DECOMMISSION)
        if retired:
            paths = [d.relpath for d in retired]
            yield self.supports(
                "DV-4.c",
                f"{subject(project, paths, 'The documentation')} "
                "describes how the system or its models are "
                "decommissioned or retired.",
                Strength.DOCUMENT_PRESENT,
                paths,
            )
        registers = locate(project, DEBT_FILES)
        debt = registers or [d.relpath for d in covering(docs, v.TECH_DEBT)]
        if debt:
            yield self.supports(
                "DV-4.a",
                f"Technical debt is tracked in {names(project, debt)}.",
                Strength.DOCUMENT_PRESENT,
                debt,
            )

    def _changelog(self, project: ProjectView, docs: Sequence[GovDoc]) -> Iterator[Evidence]:
        entries = [(doc, line) for doc in docs for line in _ai_entries(doc)][:MAX_ENTRIES]
        if not entries:
            return
        paths = sorted({doc.relpath for doc, _ in entries})
        count = f"{len(entries)}{'+' if len(entries) == MAX_ENTRIES else ''}"
        example = quote(entries[0][1], 70)
        yield self.supports(
            "OM-3.b",
            f"{subject(project, paths, 'The changelog')} "
            f"records model, prompt or data changes ({count} "
            f"entr{'ies' if len(entries) != 1 else 'y'}, e.g. '{example}').",
            Strength.HEURISTIC,
            paths,
        )
        versioned = [d for d in docs if d.relpath in paths and _versioned(d)]
        if versioned:
            notices = any(v.CHANGE_NOTICE.search(d.document.text) for d in versioned)
            extra = " and deprecation or breaking-change notices" if notices else ""
            found = [d.relpath for d in versioned]
            yield self.supports(
                "OM-3.c",
                f"{subject(project, found, 'The changelog')} "
                "lists model and prompt changes per release version"
                f"{extra}, so users can evaluate them.",
                Strength.HEURISTIC,
                found,
            )


def _ai_entries(doc: GovDoc) -> Iterator[str]:
    """Lines of a changelog that record a model, prompt or dataset change."""
    count = 0
    for line in doc.document.text.splitlines():
        if v.AI_CHANGE.search(line):
            count += 1
            yield re.sub(r"^\s*(?:[-*+]|\d+\.)\s*", "", line)
            if count >= MAX_ENTRIES:
                return


def _versioned(doc: GovDoc) -> bool:
    return sum(1 for s in doc.document.sections if v.VERSION_HEADING.search(s.title)) >= 1


class MonitoringPlanCheck(EvidenceCheck):
    """A monitoring and logging plan: outputs (OM-1.a), drift vs abuse (OM-1.b), inputs (OM-2.a).

    Positive evidence only; monitoring tools in code and dependencies are another
    check's, and a missing plan is AIW-GOV010's to report.
    """

    id: ClassVar[str] = "docs.monitoring-plan"
    title: ClassVar[str] = "Monitoring plan"
    behaviours: ClassVar[tuple[str, ...]] = ("OM-1.a", "OM-1.b", "OM-2.a")
    remediation: ClassVar[str] = (
        "Write MONITORING.md (or docs/monitoring.md) saying: which inference inputs and "
        "outputs are logged, with what redaction and retention; which output and "
        "performance metrics are watched and what alerts fire (drift, anomaly and "
        "evaluation-score thresholds); how abuse is detected (rate limits, jailbreak or "
        "extraction patterns); and how an alert is triaged to tell natural drift from an "
        "attack."
    )

    def collect(self, project: ProjectView) -> Iterable[Evidence]:
        """Yield what the monitoring plan covers."""
        docs = load_all(project, locate(project, PLAN_FILES))
        if not docs:
            return
        logged = covering(docs, t.MON_IO_LOGGING)
        if logged:
            paths = [d.relpath for d in logged]
            private = any(v.PRIVACY_IN_LOGS.search(d.document.text) for d in logged)
            note = (
                "with redaction or retention rules"
                if private
                else "(no redaction or retention stated)"
            )
            yield self.supports(
                "OM-2.a",
                f"{subject(project, paths, 'The monitoring plan')} "
                f"says which inputs and outputs are logged {note}.",
                Strength.DOCUMENT_PRESENT,
                paths,
            )
        watched = covering(docs, v.OUTPUT_MONITORING) or covering(docs, t.MON_DRIFT)
        if watched:
            paths = [d.relpath for d in watched]
            yield self.supports(
                "OM-1.a",
                f"{subject(project, paths, 'The monitoring plan')} "
                "describes monitoring of model outputs, performance "
                "or drift.",
                Strength.DOCUMENT_PRESENT,
                paths,
            )
        yield from self._drift_and_abuse(project, docs)

    def _drift_and_abuse(self, project: ProjectView, docs: Sequence[GovDoc]) -> Iterator[Evidence]:
        drift = covered_in(docs, t.MON_DRIFT)
        attack = [x.label for x in (t.MON_ABUSE, v.INTRUSION) if covered_in(docs, x)]
        if drift and attack:
            paths = [d.relpath for d in docs]
            yield self.supports(
                "OM-1.b",
                f"{subject(project, paths, 'The monitoring plan')} "
                f"covers both drift alerting and {series(attack)}.",
                Strength.HEURISTIC,
                paths,
            )
